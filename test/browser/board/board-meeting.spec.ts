import { checkA11y } from '../support/a11y.js'
import { expect, test } from '../support/fixtures.js'
import { signIn } from '../support/journeys.js'

const BEN = 'ben.carter@northshire.example'

test('the business manager minutes a board meeting, adds a numbered action and records its progress', async ({ page }) => {
  test.setTimeout(90_000)
  await signIn(page, BEN)
  await page.goto('/board')
  await checkA11y(page, 'board meetings')
  await page.locator('[data-qa="meetings"] a').last().click()
  await expect(page.locator('h1')).toHaveText('Safeguarding children partnership board')
  await expect(page.locator('[data-qa="review-report-link"]').first()).toHaveAttribute(
    'href',
    /\/reviews\/[0-9a-f-]{36}\/report\?asAt=\d{4}-\d{2}-\d{2}$/,
  )
  await checkA11y(page, 'meeting')

  await page.getByRole('button', { name: 'Add an action' }).click()
  await checkA11y(page, 'add an action')
  await page.getByRole('button', { name: 'Add the action' }).click()
  await expect(page.locator('.govuk-error-summary')).toContainText('Enter the action')
  await checkA11y(page, 'add an action with errors')
  await page.getByLabel('Action', { exact: true }).fill('Circulate the revised HSB pathway to all agencies (browser test)')
  await page.getByLabel(/Or the owner’s name or role/).fill('Chair of the practice subgroup')
  await page.getByRole('button', { name: 'Add the action' }).click()
  await expect(page.locator('.govuk-notification-banner')).toContainText('Action BA-005 added')

  await page.getByRole('link', { name: 'BA-005' }).click()
  await checkA11y(page, 'action')
  await page.getByLabel('In progress').check()
  await page.getByLabel('Progress', { exact: true }).fill('Draft circulated for comment.')
  await page.getByRole('button', { name: 'Add the update' }).click()
  await expect(page.locator('[data-qa="progress-history"]')).toContainText('Draft circulated for comment.')
  await expect(page.locator('[data-qa="progress-history"]')).toContainText('Open to In progress')

  await page.goto('/board/actions')
  await expect(page.locator('[data-qa="action-BA-001"]')).toContainText('Overdue')
  await checkA11y(page, 'action log')
})
