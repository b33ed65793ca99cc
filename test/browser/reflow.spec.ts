import type { Page } from '@playwright/test'
import { checkA11y } from './support/a11y.js'
import { expect, test } from './support/fixtures.js'
import { signIn } from './support/journeys.js'

/**
 * Reflow (WCAG 1.4.10): at 320 CSS pixels wide every page the browser suite visits reads without
 * scrolling sideways (a data table scrolls in its own box, src/views/_table.njk), and axe finds
 * nothing at that width either (the boxes take focus and have names: scrollable-region-focusable).
 */
test.use({ viewport: { width: 320, height: 640 } })

const AISHA = 'aisha.rahman@northshire.example'
const JO = 'jo.whitfield@northshire.example'
const BEN = 'ben.carter@northshire.example'
const FIONA = 'fiona.grant@northshire.example'
const CHRIS = 'chris.morgan@northshire.example'
const PRIYA = 'priya.shah@riverside.example'

/** The case pages the suite's journeys visit, for one case. */
const CASE_PAGES = [
  '',
  '/chronology',
  '/criminal-process',
  '/assessment',
  '/strategy-meeting',
  '/intervention-plan',
  '/panel',
  '/factors',
  '/restricted-material',
  '/referrer-updates',
]

type Overflow = { path: string; scrollWidth: number }

/** How wide the page's content is: more than the viewport means it scrolls sideways. */
const scrollWidthOf = async (page: Page) => Number(await page.evaluate('document.documentElement.scrollWidth'))

/** Opens each page (those that answer 200), checks it does not scroll sideways at 320 px, and runs axe on it. */
async function visit(page: Page, paths: string[], overflows: Overflow[]): Promise<void> {
  for (const path of paths) {
    const response = await page.goto(path)
    if (response?.status() !== 200) continue
    const scrollWidth = await scrollWidthOf(page)
    if (scrollWidth > 321) overflows.push({ path: new URL(page.url()).pathname, scrollWidth })
    await checkA11y(page, '320 px')
  }
}

/** The first `n` distinct links on the page whose address matches. */
async function linksTo(page: Page, path: string, pattern: RegExp, n: number): Promise<string[]> {
  await page.goto(path)
  const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))
  return [...new Set(hrefs.map((h) => h.split(/[?#]/)[0]!).filter((h) => pattern.test(h)))].slice(0, n)
}

function expectNoOverflow(overflows: Overflow[]): void {
  expect(overflows).toEqual([])
}

test('the HSB lead’s pages reflow at 320 px: queues, cases, a child, the dashboard and insight', async ({ page }) => {
  test.setTimeout(600_000)
  await signIn(page, AISHA)
  const overflows: Overflow[] = []
  await visit(page, ['/work/hsb-overview', '/work', '/notifications', '/children/search', '/accessibility', '/privacy'], overflows)
  const cases = await linksTo(page, '/work/hsb-overview', /^\/cases\/[0-9a-f-]{36}$/, 4)
  expect(cases.length).toBeGreaterThan(0)
  for (const kase of cases)
    await visit(
      page,
      CASE_PAGES.map((p) => `${kase}${p}`),
      overflows,
    )
  const children = await linksTo(page, cases[0]!, /^\/children\/[0-9a-f-]{36}$/, 1)
  await visit(page, children, overflows)
  await visit(
    page,
    ['/insight', '/insight/workforce', '/insight/case-factors', '/insight/provision', '/insight/reports', '/screening-catalogue'],
    overflows,
  )
  const drill = await linksTo(page, '/insight', /^\/insight\/cases$/, 1)
  await visit(page, drill, overflows)
  expectNoOverflow(overflows)
})

test('the front door, the referrer, the business manager, the head of service and the administrator: their pages reflow at 320 px', async ({
  browser,
}) => {
  test.setTimeout(600_000)
  const overflows: Overflow[] = []
  const as = async (email: string, work: (page: Page) => Promise<void>) => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 } })
    const page = await context.newPage()
    try {
      await signIn(page, email)
      await work(page)
    } finally {
      await context.close()
    }
  }
  await as(JO, (page) => visit(page, ['/work/front-door', '/work/team'], overflows))
  await as(PRIYA, async (page) => {
    await visit(page, ['/requests'], overflows)
    const requests = await linksTo(page, '/requests', /^\/requests\/[0-9a-f-]{36}$/, 2)
    expect(requests.length).toBeGreaterThan(0)
    await visit(page, requests, overflows)
  })
  await as(BEN, async (page) => {
    await visit(page, ['/reviews', '/reviews/rag-key', '/board', '/board/actions', '/case-audits', '/case-audits/themes'], overflows)
    await visit(page, await linksTo(page, '/reviews', /^\/reviews\/[0-9a-f-]{36}$/, 1), overflows)
    await visit(page, await linksTo(page, '/board', /^\/board\/meetings\/[0-9a-f-]{36}$/, 1), overflows)
    await visit(page, await linksTo(page, '/case-audits', /^\/case-audits\/[0-9a-f-]{36}$/, 1), overflows)
  })
  await as(FIONA, (page) => visit(page, ['/insight', '/work/hsb-overview'], overflows))
  await as(CHRIS, async (page) => {
    await visit(page, ['/admin/users'], overflows)
    await visit(page, await linksTo(page, '/admin/users', /^\/admin\/users\/[0-9a-f-]{36}$/, 1), overflows)
  })
  expectNoOverflow(overflows)
})

test('the sign-in page and an error page reflow at 320 px', async ({ page }) => {
  const overflows: Overflow[] = []
  await visit(page, ['/sign-in'], overflows)
  await page.goto('/no-such-page')
  const scrollWidth = await scrollWidthOf(page)
  expect(scrollWidth).toBeLessThanOrEqual(321)
  await checkA11y(page, '320 px')
  expectNoOverflow(overflows)
})
