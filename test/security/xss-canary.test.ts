import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { chromium, type Browser, type Page } from '@playwright/test'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, csrfFor, nextTotpCode, signIn, type TestApp } from '../support/app.js'
import { createFixtures, TEST_PASSWORD, type Fixtures } from '../support/fixtures.js'

/**
 * XSS canaries in Chromium: markup typed into the forms that show people's words (as a
 * refused form shows them back, and as the pages that show the saved record show them) must
 * arrive as text. The canary would set window.__xss if it ran; it also must not appear as
 * markup (an <img src=x> element or a script holding it), which catches a missing escape even
 * where the content security policy would have stopped it running.
 */
const CANARY = `"'><script>window.__xss=(window.__xss||0)+1</script><img src=x onerror="window.__xss=(window.__xss||0)+1"><svg onload="window.__xss=1">`

let t: TestApp
let f: Fixtures
let server: Server
let base: string
let browser: Browser
let page: Page
let agent: TestAgent
/** The team manager's own session, for reading the pages as HTML (signed in once: a second sign-in may wait for the next security code). */
let mine: TestAgent
const executed: string[] = []

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  server = t.app.listen(0, '127.0.0.1')
  await new Promise((r) => server.once('listening', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' })
  page = await browser.newPage()
  page.on('dialog', (d) => {
    executed.push(`dialog: ${d.message()}`)
    void d.dismiss()
  })
  const user = f.users.TEAM_MANAGER
  // On a busy machine a step of the browser sign-in is sometimes refused (a code on a 30-second
  // boundary, a slow page): start again, up to three times, and say what happened if it never works.
  for (let attempt = 1; ; attempt++) {
    try {
      await page.goto(`${base}/sign-in`)
      await page.fill('#email', user.email)
      await page.fill('#password', TEST_PASSWORD)
      await Promise.all([page.waitForURL(/\/sign-in\/code/, { timeout: 60_000 }), page.press('#password', 'Enter')])
      await page.fill('input[name="code"]', await nextTotpCode(t.services, user.id, user.totpSecret))
      await Promise.all([
        page.waitForURL((u) => !u.pathname.startsWith('/sign-in'), { timeout: 60_000 }),
        page.press('input[name="code"]', 'Enter'),
      ])
      break
    } catch (err) {
      if (attempt === 3)
        throw new Error(`could not sign in through the browser (at ${new URL(page.url()).pathname}): ${(err as Error).message}`)
    }
  }
  agent = await signIn(t, f.users.SOCIAL_WORKER)
  mine = await signIn(t, f.users.TEAM_MANAGER)
}, 240_000)
afterAll(async () => {
  await browser?.close()
  server?.close()
  await t.close()
})

type CanaryState = { ran: number; markup: number; shownAsText: boolean }
/** Evaluated in the page (a string: this file is compiled without the DOM library). */
const CANARY_STATE = `({
  ran: window.__xss || 0,
  markup: document.querySelectorAll('img[src="x"], svg[onload]').length + [...document.scripts].filter((s) => s.text.includes('__xss')).length,
  shownAsText: document.body.innerText.includes('window.__xss'),
})`
async function canaryState(p: Page): Promise<CanaryState> {
  return (await p.evaluate(CANARY_STATE)) as CanaryState
}

/** Fills every text field and text area of the page's main form with the canary and sends it. */
async function sendCanary(path: string) {
  await page.goto(base + path)
  const fields = page.locator('main form textarea, main form input[type="text"]:not([inputmode="numeric"])')
  const n = await fields.count()
  for (let i = 0; i < n; i++) await fields.nth(i).fill(CANARY)
  // Wait for the answer page itself, whatever redirects come between: mark the page that sends the
  // form, and wait until a loaded page without the mark is there.
  await page.evaluate('document.body.dataset.canarySent = "yes"')
  await page.locator('main form button.govuk-button').last().click()
  // (Polled with evaluate: waitForFunction needs eval, which the service's CSP rightly refuses.)
  const arrived = 'document.readyState === "complete" && !!document.body && !document.body.dataset.canarySent'
  for (let waited = 0; !(await page.evaluate(arrived).catch(() => false)); waited += 100) {
    if (waited > 60_000) throw new Error(`no answer page after sending ${path}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return n
}

describe('XSS canaries in Chromium', () => {
  it('a refused form shows the canary back as text (request for support, clock reason, child search)', async () => {
    const childId = f.children.TEAM_MANAGER.SAME_TEAM
    const caseId = f.caseOf[childId]!
    const forms = [`/children/${childId}/request-for-support`, `/cases/${caseId}/clocks/REFERRAL_DECISION/reason`, '/children/search']
    let filled = 0
    let shown = 0
    for (const path of forms) {
      filled += await sendCanary(path)
      const state = await canaryState(page)
      expect(state.ran, path).toBe(0)
      expect(state.markup, path).toBe(0)
      if (state.shownAsText) shown++
    }
    expect(filled).toBeGreaterThan(3)
    // The canary did reach the pages (kept in the refused forms), as text.
    expect(shown).toBeGreaterThan(0)
    expect(executed).toEqual([])
  }, 120_000)

  it('the pages that show a saved request for support, screening and clock reason show the canary as text', async () => {
    const childId = f.children.TEAM_MANAGER.SAME_TEAM
    const csrf = await csrfFor(agent)
    const referral = await agent
      .post(`/children/${f.children.SOCIAL_WORKER.INVOLVED}/request-for-support`)
      .type('form')
      .send({
        _csrf: csrf,
        'received-day': '2',
        'received-month': '3',
        'received-year': '2026',
        'received-time': '09:15',
        'what-happened': CANARY,
        'other-children': CANARY,
        contexts: ['SCHOOL'],
        'sharing-basis': 'CONSENT',
        'consent-sought': 'yes',
        'sharing-note': CANARY,
        'open-case': 'no',
        'idempotency-key': crypto.randomUUID(),
      })
    expect(referral.status).toBe(302)
    const newCase = String(referral.headers.location)
    const pages = [
      newCase,
      `${newCase}/screening`,
      `/children/${f.children.SOCIAL_WORKER.INVOLVED}`,
      `/cases/${f.caseOf[childId]}`,
      '/work',
      '/work/front-door',
    ]
    let shown = 0
    for (const path of pages) {
      const html = (await mine.get(path)).text
      // The server escaped it: the raw markup never appears in the HTML.
      expect(html.includes('<img src=x onerror'), path).toBe(false)
      await page.goto(base + path)
      const state = await canaryState(page)
      expect(state.ran, path).toBe(0)
      expect(state.markup, path).toBe(0)
      if (state.shownAsText) shown++
    }
    expect(shown).toBeGreaterThan(0)
    expect(executed).toEqual([])
  }, 120_000)
})
