import type { Page, Response } from '@playwright/test'
import { expect, test } from './support/fixtures.js'
import { checkA11y } from './support/a11y.js'
import { BOARD_MEMBER, demoUser, expectedLanding } from './support/demo.js'
import { HomePage } from './pages/home.page.js'
import { signIn } from './support/journeys.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** The error page's reference id is shown and is the request id the server logged. */
async function expectReferenceId(page: Page, response: Response) {
  const reference = page.locator('[data-qa="reference-id"]')
  await expect(reference).toHaveText(UUID)
  expect((await reference.textContent())?.trim()).toBe(response.headers()['x-request-id'])
}

/** Nothing from the server's internals reaches the page. */
async function expectNoStackTrace(page: Page) {
  const html = await page.content()
  expect(html).not.toMatch(/\bat [\w.<>]+ \(.*:\d+:\d+\)/)
  expect(html).not.toMatch(/node_modules|\/src\/|\.ts:\d+|NotFoundError|ForbiddenError|Error: /)
}

test.describe('Error pages', () => {
  test('a board member opening user administration gets the access denied page', async ({ page }) => {
    await signIn(page, BOARD_MEMBER)
    await new HomePage(page).expectLanding(expectedLanding(demoUser(BOARD_MEMBER)))

    const response = await page.goto('/admin/users')
    expect(response?.status()).toBe(403)
    await expect(page.locator('[data-qa="error-heading"]')).toHaveText('You do not have access to this page')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('You do not have access to this page')
    await expectReferenceId(page, response as Response)
    await expectNoStackTrace(page)
    await checkA11y(page, '403')
  })

  test('an unknown address shows "Page not found" with a reference and no stack trace', async ({ page }) => {
    const response = await page.goto('/no-such-page')
    expect(response?.status()).toBe(404)
    await expect(page.locator('[data-qa="error-heading"]')).toHaveText('Page not found')
    await expect(page).toHaveTitle('Page not found – HSB Pathway')
    await expectReferenceId(page, response as Response)
    await expectNoStackTrace(page)
    await checkA11y(page, '404')
  })
})
