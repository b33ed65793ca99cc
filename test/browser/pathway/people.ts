import type { Browser, Page } from '@playwright/test'
import { MfaPage } from '../pages/mfa.page.js'
import { SignInPage } from '../pages/sign-in.page.js'
import { checkA11y } from '../support/a11y.js'
import { DEMO_PASSWORD, demoUser } from '../support/demo.js'
import { expect, test as base } from '../support/fixtures.js'

/** The demo people the pathway journeys need (src/demo/demo-data.ts). */
export const PEOPLE = {
  /** Referrer: designated safeguarding lead at Riverside Academy. */
  priya: 'priya.shah@riverside.example',
  /** Social worker in the Front Door (MASH) team: the partnership's front door screens new requests. */
  jo: 'jo.whitfield@northshire.example',
  /** Social worker in the Assessment Team. */
  sam: 'sam.okafor@northshire.example',
  /** Team manager of the Assessment Team: oversees screenings, allocates, chairs strategy meetings. */
  helen: 'helen.marsh@northshire.example',
  /** HSB lead. */
  aisha: 'aisha.rahman@northshire.example',
  /** Youth offending service officer (and AIM practitioner). */
  kerry: 'kerry.doyle@northshire-yos.example',
  /** Police officer, Child Protection Unit. */
  mark: 'mark.ellis@northshire-police.example',
} as const

/**
 * The sign-in, as journeys.ts signIn() does it (axe on the sign-in page, the code page and the
 * landing page), for a browser context of the person's own. A demo code works once: an account
 * signed in twice in the last 30 seconds (another spec a moment ago) must wait, and the code page
 * says for how long. This waits that long rather than failing.
 */
async function signInOn(page: Page, email: string): Promise<void> {
  const signInPage = new SignInPage(page)
  await signInPage.goto()
  await checkA11y(page, 'sign-in')
  await signInPage.submit(email, DEMO_PASSWORD)
  const mfa = new MfaPage(page)
  await mfa.expectLoaded()
  const wait = page.locator('[data-qa="demo-code-wait"]')
  if (await wait.isVisible()) {
    const seconds = Number(/(\d+) seconds/.exec((await wait.textContent()) ?? '')?.[1] ?? '30')
    console.log(`${email} signed in twice in the last 30 seconds: waiting ${seconds}s for the next code`)
    await base.step(`wait ${seconds}s: ${email} signed in twice in the last 30 seconds`, () => page.waitForTimeout((seconds + 1) * 1000))
    await page.reload()
    await mfa.expectLoaded()
  }
  await checkA11y(page, 'security code')
  await mfa.enterDemoCode()
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
  await expect(page.locator('h1')).toBeVisible()
  await expect(page.locator('[data-qa="signed-in-as"]')).toContainText(demoUser(email).displayName)
  await checkA11y(page, `signed in as ${email}`)
}

/**
 * One browser context per person for the whole journey: each signs in once, however many
 * steps they take, so no demo account signs in more often than its codes allow.
 */
export class People {
  private readonly pages = new Map<string, Page>()

  constructor(private readonly browser: Browser) {}

  /** The person's page, signed in (the first time they are needed). */
  async as(email: string): Promise<Page> {
    const open = this.pages.get(email)
    if (open) return open
    const context = await this.browser.newContext()
    const page = await context.newPage()
    this.pages.set(email, page)
    await base.step(`${demoUser(email).displayName} signs in`, () => signInOn(page, email))
    return page
  }

  async closeAll(): Promise<void> {
    for (const page of this.pages.values()) await page.context().close()
    this.pages.clear()
  }
}

/** The suite's `test`, with `people`: signed-in pages for the people in a journey, closed at the end. */
export const test = base.extend<{ people: People }>({
  people: async ({ browser }, use) => {
    const people = new People(browser)
    await use(people)
    await people.closeAll()
  },
})

export { expect }
