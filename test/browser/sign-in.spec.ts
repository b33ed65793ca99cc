import { mkdir } from 'node:fs/promises'
import { expect, test } from './support/fixtures.js'
import { HomePage } from './pages/home.page.js'
import { MfaPage } from './pages/mfa.page.js'
import { SignInPage } from './pages/sign-in.page.js'
import { checkA11y } from './support/a11y.js'
import { DEMO_PASSWORD, SOCIAL_WORKER, demoUser, expectedLanding } from './support/demo.js'

const SCREENSHOTS = '.tmp/screenshots'

test.describe('Sign in', () => {
  test('a social worker signs in with password and security code and lands on "My work"', async ({ page }) => {
    await mkdir(SCREENSHOTS, { recursive: true })
    const signInPage = new SignInPage(page)
    await signInPage.goto()
    await expect(page).toHaveTitle('Sign in – HSB Pathway')
    await expect(signInPage.demoAccounts).toContainText(SOCIAL_WORKER)
    await expect(signInPage.demoPassword).toHaveText(DEMO_PASSWORD)
    await checkA11y(page, 'sign-in')

    await signInPage.submit(SOCIAL_WORKER, DEMO_PASSWORD)
    const mfa = new MfaPage(page)
    await mfa.expectLoaded()
    await expect(page).toHaveTitle('Enter your security code – HSB Pathway')
    await checkA11y(page, 'security code')
    await page.screenshot({ path: `${SCREENSHOTS}/mfa.png`, fullPage: true })

    await mfa.enterDemoCode()
    const home = new HomePage(page)
    const user = demoUser(SOCIAL_WORKER)
    const landing = expectedLanding(user)
    expect(landing.heading).toBe('My work')
    await home.expectLanding(landing)
    await expect(page).toHaveTitle('My work – HSB Pathway')
    await expect(home.signedInAs).toContainText(user.displayName)
    await checkA11y(page, 'landing')
    await page.screenshot({ path: `${SCREENSHOTS}/landing.png`, fullPage: true })
  })

  test('a wrong password shows the error summary, keeps the email and clears the password', async ({ page }) => {
    const signInPage = new SignInPage(page)
    await signInPage.goto()
    await checkA11y(page, 'sign-in')

    const email = 'helen.marsh@northshire.example'
    await signInPage.submit(email, 'not-the-right-password')
    await signInPage.expectLoaded()
    await expect(page).toHaveTitle('Error: Sign in – HSB Pathway')
    await expect(signInPage.errorSummaryTitle()).toBeVisible()
    await expect(signInPage.errorLink('Enter a correct email address and password')).toHaveAttribute('href', '#email')
    await expect(signInPage.fieldError('email')).toContainText('Enter a correct email address and password')
    await expect(signInPage.email).toHaveValue(email)
    await expect(signInPage.password).toHaveValue('')
    await checkA11y(page, 'sign-in with errors')
  })
})
