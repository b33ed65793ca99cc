import { expect, test } from './support/fixtures.js'
import { HomePage } from './pages/home.page.js'
import { MfaPage } from './pages/mfa.page.js'
import { SignInPage } from './pages/sign-in.page.js'
import { checkA11y } from './support/a11y.js'
import { DEMO_PASSWORD, demoUser, expectedLanding } from './support/demo.js'

test.use({ javaScriptEnabled: false })

test('sign-in with password and security code works without JavaScript', async ({ page }) => {
  const email = 'dan.hughes@brightpath.example'
  const signInPage = new SignInPage(page)
  await signInPage.goto()
  // GOV.UK Frontend did not start: the page is plain HTML forms.
  await expect(page.locator('body')).not.toHaveClass(/govuk-frontend-supported/)
  await checkA11y(page, 'sign-in (no JS)')

  await signInPage.submit(email, DEMO_PASSWORD)
  const mfa = new MfaPage(page)
  await mfa.expectLoaded()
  await checkA11y(page, 'security code (no JS)')

  await mfa.enterDemoCode()
  const home = new HomePage(page)
  await home.expectLanding(expectedLanding(demoUser(email)))
  await checkA11y(page, 'landing (no JS)')

  await home.signOut()
  await checkA11y(page, 'signed out (no JS)')
})
