import { expect, test } from './support/fixtures.js'
import { HomePage } from './pages/home.page.js'
import { SignInPage } from './pages/sign-in.page.js'
import { checkA11y } from './support/a11y.js'
import { DEMO_USERS, expectedLanding } from './support/demo.js'
import { signIn } from './support/journeys.js'

test('each demo role lands on a page fit for it', async ({ page }) => {
  // Every demo user in one browser page, signing out between: each sign-out ends on the
  // sign-in page the next person starts from. signIn() runs axe on the sign-in page (with the
  // "signed out" text), the code page and the landing page.
  test.setTimeout(180_000)
  const home = new HomePage(page)
  const signInPage = new SignInPage(page)
  await signInPage.goto()
  for (const user of DEMO_USERS) {
    await test.step(`${user.displayName} (${user.roles.join(', ')})`, async () => {
      await signIn(page, user.email, { alreadyOnSignIn: true })
      if (user.roles.includes('SYSTEM_ADMINISTRATOR')) {
        await expect(page).toHaveURL(/\/admin\/users$/)
        await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible()
      } else {
        await home.expectLanding(expectedLanding(user))
      }
      await expect(home.signedInAs).toContainText(user.displayName)
      await home.signOut()
      await expect(signInPage.reason).toHaveText('You have been signed out.')
    })
  }
  await checkA11y(page, 'signed out')
})
