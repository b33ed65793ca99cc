import { expect, test } from './support/fixtures.js'
import { HomePage } from './pages/home.page.js'
import { SignInPage } from './pages/sign-in.page.js'
import { checkA11y } from './support/a11y.js'
import { demoUser, expectedLanding } from './support/demo.js'
import { signIn } from './support/journeys.js'

// Runs in the "idle-timeout" project: the server on port 3102 has SESSION_IDLE_TIMEOUT_SECONDS=20
// (4 seconds was shorter than signing in takes, with axe on each page, on a busy machine).
test('an idle session ends and the sign-in page says why', async ({ page }) => {
  // Signing in, then more than the 20-second idle limit without a request.
  test.setTimeout(180_000)
  const email = 'fiona.grant@northshire.example'
  await signIn(page, email)
  await new HomePage(page).expectLanding(expectedLanding(demoUser(email)))

  await page.waitForTimeout(23_000)
  await page.reload()

  const signInPage = new SignInPage(page)
  await expect(page).toHaveURL(/\/sign-in\?reason=idle$/)
  await signInPage.expectLoaded()
  await expect(signInPage.reason).toBeVisible()
  await expect(signInPage.reason).toContainText('You were signed out because you had not done anything for a while')
  await expect(new HomePage(page).signOutButton).toHaveCount(0)
  await checkA11y(page, 'signed out after idle')

  // The old session is gone: the home page asks for sign-in again.
  await page.goto('/')
  await expect(page).toHaveURL(/\/sign-in/)
  await checkA11y(page, 'home while signed out')
})
