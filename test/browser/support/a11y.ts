import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { javaScriptDisabledOn } from './fixtures.js'

/** The WCAG levels the service must meet (GOV.UK service standard: WCAG 2.2 AA). */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>

/**
 * Runs axe on the page as it is now and expects no violations. On failure the message lists
 * every violation's id, impact and help text, and each offending element's selector.
 */
export async function checkA11y(page: Page, label = ''): Promise<void> {
  const where = `${label ? `${label}: ` : ''}${new URL(page.url()).pathname}`
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
  const context = await browser.newContext({ javaScriptEnabled: true, viewportSize: page.viewportSize() })
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
