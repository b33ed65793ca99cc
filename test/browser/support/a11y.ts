import { createHash } from 'node:crypto'
import { AxeBuilder } from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { javaScriptDisabledOn } from './fixtures.js'

/** The WCAG levels the service must meet (GOV.UK service standard: WCAG 2.2 AA). */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>

/** Per page (so per test): fingerprints of the markup axe has already passed. */
const checked = new WeakMap<Page, Set<string>>()

/**
 * The page's markup without the values that change on every response (CSRF token, CSP nonce,
 * the demo security code), so two views of the same page have the same fingerprint.
 */
async function fingerprint(page: Page): Promise<string> {
  const html = (await page.content())
    .replace(/(name="_csrf" value=")[^"]*"/g, '$1"')
    .replace(/nonce="[^"]*"/g, 'nonce=""')
    .replace(/(data-qa="demo-code">)\d{6}</g, '$1000000<')
  return createHash('sha256')
    .update(`${page.url()}\n${JSON.stringify(page.viewportSize())}\n${html}`)
    .digest('hex')
}

/**
 * Runs axe on the page as it is now and expects no violations. On failure the message lists
 * every violation's id, impact and help text, and each offending element's selector.
 * Markup identical to a page already checked in the same test (the same sign-in page after
 * every sign-out, say) is not analysed again: axe would give the same answer.
 */
export async function checkA11y(page: Page, label = ''): Promise<void> {
  const where = `${label ? `${label}: ` : ''}${new URL(page.url()).pathname}`
  const seen = checked.get(page) ?? new Set<string>()
  checked.set(page, seen)
  const print = await fingerprint(page)
  if (seen.has(print)) {
    await test.step(`axe: ${where} (same markup as a page already checked)`, async () => {})
    return
  }
  await test.step(`axe: ${where}`, async () => {
    const results = javaScriptDisabledOn(page) ? await analyseWithoutJavaScript(page) : await analyse(page)
    const report = results.violations
      .map((v) => {
        const nodes = v.nodes.map((n) => `    - ${n.target.join(' ')}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`)
        return `  ${v.id} [${v.impact ?? 'unknown'}] ${v.help} (${v.helpUrl})\n${nodes.join('\n')}`
      })
      .join('\n')
    if (report) console.log(`axe violations on ${where}:\n${report}`)
    expect(
      results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      `axe found accessibility violations on ${where}:\n${report}`,
    ).toEqual([])
    seen.add(print)
  })
}

function analyse(page: Page): Promise<AxeResults> {
  return new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze()
}

/**
 * axe runs inside the page, which a context without JavaScript cannot do. So the page's HTML as
 * the person sees it is loaded, scripts removed, at the same address in a fresh context that
 * allows JavaScript (stylesheets and images still come from the server), and axe runs there.
 */
async function analyseWithoutJavaScript(page: Page): Promise<AxeResults> {
  const browser = page.context().browser()
  if (!browser) throw new Error('checkA11y: no browser for a page without JavaScript')
  const address = page.url()
  const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '')
  const context = await browser.newContext({ javaScriptEnabled: true, viewport: page.viewportSize() })
  try {
    const copy = await context.newPage()
    await copy.route(
      (url) => url.href === address,
      (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
    )
    await copy.goto(address)
    return await analyse(copy)
  } finally {
    await context.close()
  }
}
