import { expect, type Page } from '@playwright/test'
import { MfaPage } from '../pages/mfa.page.js'
import { SignInPage } from '../pages/sign-in.page.js'
import { checkA11y } from './a11y.js'
import { DEMO_PASSWORD } from './demo.js'

/**
 * The whole local sign-in: sign-in page → password → code page → demo code → first page.
 * Runs axe on every page on the way, including the page the person lands on.
 * With `alreadyOnSignIn`, starts from the sign-in page the browser is showing (after sign-out).
 */
export async function signIn(page: Page, email: string, options: { alreadyOnSignIn?: boolean } = {}): Promise<void> {
  const signInPage = new SignInPage(page)
  if (options.alreadyOnSignIn) await signInPage.expectLoaded()
  else await signInPage.goto()
  await checkA11y(page, 'sign-in')

  await signInPage.submit(email, DEMO_PASSWORD)
  const mfa = new MfaPage(page)
  await mfa.expectLoaded()
  await checkA11y(page, 'security code')

  await mfa.enterDemoCode()
  // The same person signing in a third time inside one 30-second step finds both the current and
  // the next code used (a code works once): the page says so; wait for the next step and go again.
  for (let attempt = 1; attempt <= 3; attempt++) {
    const refused = page.locator('.govuk-error-summary')
    const left = page.waitForURL((url) => !url.pathname.startsWith('/sign-in'), { timeout: 60_000 }).catch(() => undefined)
    const shown = refused.waitFor({ timeout: 60_000 }).catch(() => undefined)
    await Promise.race([left, shown])
    if (!page.url().includes('/sign-in')) break
    if (attempt === 3) throw new Error(`the security code was refused three times for ${email}`)
    await page.waitForTimeout((30 - ((Date.now() / 1000) % 30)) * 1000 + 1000)
    await page.goto('/sign-in/code')
    await mfa.enterDemoCode()
  }
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
  await expect(page.locator('h1')).toBeVisible()
  await checkA11y(page, `signed in as ${email}`)
}
