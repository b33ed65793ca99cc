import { checkA11y } from '../support/a11y.js'
import { expect, test } from '../support/fixtures.js'
import { signIn } from '../support/journeys.js'

const RUTH = 'ruth.adeyemi@northshire.example'

/**
 * The privacy officer's workspace (issue 18): Ruth Adeyemi lands on how many alerts wait, opens
 * the oldest, is asked for a note when she says it needs follow-up, reviews it, and opens the
 * access report of the person who raised it. axe on every page.
 */
test('the privacy officer reviews an alert and opens an access report', async ({ page }) => {
  test.setTimeout(150_000)
  await signIn(page, RUTH)
  await expect(page).toHaveURL(/\/privacy\/overview$/)
  await expect(page.locator('h1[data-qa="landing-heading"]')).toHaveText('Records access')
  await expect(page.locator('[data-qa="waiting-text"]')).toContainText('waiting for review')

  await page.getByRole('link', { name: 'Privacy alerts', exact: true }).click()
  await expect(page.locator('h1')).toHaveText('Privacy alerts')
  await checkA11y(page, 'privacy alerts')
  // Filters are a GET form: reviewed alerts only.
  await page.getByLabel('Status').selectOption('reviewed')
  await page.getByRole('button', { name: 'Show alerts' }).click()
  await expect(page).toHaveURL(/status=reviewed/)
  await expect(page.locator('[data-qa="alert"]').first()).toContainText('Appropriate')
  await checkA11y(page, 'privacy alerts (reviewed)')
  await page.getByLabel('Status').selectOption('waiting')
  await page.getByRole('button', { name: 'Show alerts' }).click()

  const first = page.locator('[data-qa="alert"]').first()
  await expect(first).toContainText('Waiting for review')
  await first.getByRole('link').click()
  await expect(page.locator('h1')).toHaveText('Privacy alert')
  await expect(page.locator('[data-qa="alert-details"]')).toContainText('Their roles')
  await checkA11y(page, 'privacy alert')

  // Needs follow-up, without a note: asked for one, the choice kept.
  await page.getByLabel('Needs follow-up').check()
  await page.getByRole('button', { name: 'Save review' }).click()
  await expect(page.locator('.govuk-error-summary')).toContainText('Enter a note saying what follow-up is needed')
  await expect(page.getByLabel('Needs follow-up')).toBeChecked()
  await checkA11y(page, 'privacy alert (error)')
  await page.getByLabel('Note').fill('Ask their manager why the record was opened late at night.')
  await page.getByRole('button', { name: 'Save review' }).click()
  await expect(page.locator('.govuk-notification-banner__heading')).toHaveText('Alert reviewed')
  await expect(page.locator('[data-qa="alert-review"]')).toContainText('Needs follow-up')
  await expect(page.locator('[data-qa="review-form"]')).toHaveCount(0)
  await checkA11y(page, 'privacy alert (reviewed)')

  // The access report of the person who raised it (last 30 days by default).
  await page.locator('[data-qa="alert-details"] a').first().click()
  await expect(page.locator('h1')).toContainText('Access report:')
  await expect(page.locator('[data-qa="entries"]')).toBeVisible()
  await checkA11y(page, 'access report by person')

  // The picker: choose a person, see their report.
  await page.getByRole('link', { name: 'Access reports', exact: true }).click()
  await expect(page.locator('h1')).toHaveText('Access reports')
  await checkA11y(page, 'access reports')
  await page.getByLabel('Person').selectOption({ index: 1 })
  await page.getByRole('button', { name: 'Show their access' }).click()
  await expect(page.locator('h1')).toContainText('Access report:')
  // A bad date: said beside the field, what was typed kept.
  await page.getByRole('group', { name: 'From' }).getByLabel('Month').fill('13')
  await page.getByRole('button', { name: 'Show entries' }).click()
  await expect(page.locator('.govuk-error-summary')).toContainText('Start date must be a real date')
  await checkA11y(page, 'access report (error)')
})
