import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemo } from '../../src/demo/seed.js'
import { DEMO_EMAILS, DEMO_PASSWORD } from '../../src/demo/demo-data.js'
import { INSIGHT_HISTORY_NHS_PREFIX } from '../../src/demo/demo-insight-history.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, signInAsDemo as signInDemo, type TestApp } from '../support/app.js'
import { keyOf, SESSION_ROUTES } from '../security/route-params.js'

/**
 * The demo's pages as the people who use them see them: no child's name in a page's <title>
 * (browser tabs, history and bookmarks are seen over shoulders and synced to other devices), and
 * every data table in the one scrolling box (src/views/_table.njk), so that at 320 px the table
 * scrolls and the page does not.
 */
let t: TestApp
let stories: { caseId: string; name: string }[]
let names: string[]

beforeAll(async () => {
  t = await createTestApp({ DEMO_MODE: 'true' })
  await seedDemo(t.services)
  const rows = await transaction(t.services.db, 'system', (trx) =>
    trx
      .selectFrom('child as c')
      .leftJoin('hsbCase as k', 'k.childId', 'c.id')
      .select(['k.id as caseId', 'c.givenNames', 'c.familyName', 'c.nhsNumber'])
      .execute(),
  )
  names = [...new Set(rows.map((r) => `${r.givenNames} ${r.familyName}`))]
  // The demo's stories (the insight history's many cases are for the dashboard's numbers).
  stories = rows
    .filter((r) => r.caseId && !(r.nhsNumber ?? '').startsWith(INSIGHT_HISTORY_NHS_PREFIX))
    .map((r) => ({ caseId: r.caseId!, name: `${r.givenNames} ${r.familyName}` }))
}, 180_000)
afterAll(async () => t.close())

/** Each demo person signed in once (a shown code is not taken twice). */
const agents = new Map<string, TestAgent>()
async function signInAsDemo(email: string): Promise<TestAgent> {
  const agent = agents.get(email) ?? (await signInDemo(t, email, DEMO_PASSWORD))
  agents.set(email, agent)
  return agent
}

const titleOf = (html: string) => /<title>([\s\S]*?)<\/title>/.exec(html)?.[1] ?? ''

/** Every GOV.UK table on the page that is not the only child of a focusable, named scrolling region. */
function unwrappedTables(html: string): string[] {
  const problems: string[] = []
  const wrapper = /<div class="app-table-scroll" tabindex="0" role="region" aria-label="[^"]+">\s*$/
  for (const m of html.matchAll(/<table class="govuk-table[^"]*"[^>]*>/g)) {
    if (!wrapper.test(html.slice(Math.max(0, m.index - 300), m.index))) problems.push(m[0])
  }
  return problems
}

type Page = { key: string; path: string; html: string }

/** The pages of the registry one person can open: those without parameters, and each story case's. */
async function pagesFor(agent: TestAgent, caseIds: string[]): Promise<Page[]> {
  const pages: Page[] = []
  for (const route of t.registry.routes) {
    const key = keyOf(route)
    if (route.method !== 'get' || SESSION_ROUTES.has(key) || /\.(pdf|csv|xlsx|docx)$/.test(route.path)) continue
    const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1])
    const paths =
      params.length === 0 ? [route.path] : params.every((p) => p === 'caseId') ? caseIds.map((id) => route.path.replace(':caseId', id)) : []
    for (const path of paths) {
      const res = await agent.get(path)
      if (res.status === 200 && String(res.headers['content-type']).startsWith('text/html')) pages.push({ key, path, html: res.text })
    }
  }
  return pages
}

describe('the demo’s pages', () => {
  it('never put a child’s name in the page title, and keep it in the heading of a case page', async () => {
    const caseIds = stories.map((s) => s.caseId)
    const problems: string[] = []
    let casePages = 0
    let requestPages = 0
    for (const email of [DEMO_EMAILS.aisha, DEMO_EMAILS.sam, DEMO_EMAILS.tom, DEMO_EMAILS.priya]) {
      const agent = await signInAsDemo(email)
      for (const page of await pagesFor(agent, caseIds)) {
        const title = titleOf(page.html)
        const named = names.filter((n) => title.includes(n))
        if (named.length) problems.push(`${page.key} (${email}): “${title}”`)
        if (page.key.startsWith('GET /cases/:caseId')) casePages++
        if (page.key === 'GET /requests/:caseId') requestPages++
      }
    }
    expect(problems).toEqual([])
    expect(casePages).toBeGreaterThan(20)
    // The referrer's own requests' pages (she opens no case page).
    expect(requestPages).toBeGreaterThan(3)
    // The practitioner still sees whose case it is.
    const story = stories[0]!
    const aisha = await signInAsDemo(DEMO_EMAILS.aisha)
    const page = await aisha.get(`/cases/${story.caseId}`)
    expect(page.status).toBe(200)
    expect(titleOf(page.text)).toBe('Case – HSB Pathway')
    expect(page.text).toContain(story.name)
  }, 300_000)

  it('put every data table in a scrolling region that takes focus and has a name', async () => {
    const caseIds = stories.map((s) => s.caseId)
    const problems: string[] = []
    let tables = 0
    const emails = [
      DEMO_EMAILS.aisha,
      DEMO_EMAILS.sam,
      DEMO_EMAILS.leo,
      DEMO_EMAILS.ben,
      DEMO_EMAILS.margaret,
      DEMO_EMAILS.fiona,
      DEMO_EMAILS.chris,
      DEMO_EMAILS.priya,
    ]
    const withCases: string[] = [DEMO_EMAILS.aisha, DEMO_EMAILS.sam, DEMO_EMAILS.priya]
    for (const email of emails) {
      const agent = await signInAsDemo(email)
      for (const page of await pagesFor(agent, withCases.includes(email) ? caseIds : [])) {
        tables += [...page.html.matchAll(/<table class="govuk-table/g)].length
        for (const table of unwrappedTables(page.html)) problems.push(`${page.path}: ${table}`)
      }
    }
    expect(problems).toEqual([])
    expect(tables).toBeGreaterThan(30)
  }, 300_000)
})
