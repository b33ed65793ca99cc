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
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
  await expect(page.locator('h1')).toBeVisible()
  await checkA11y(page, `signed in as ${email}`)
}
