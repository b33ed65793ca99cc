import { ASH } from '../../../src/demo/demo-ash.js'
import { DEMO_EMAILS } from '../../../src/demo/demo-data.js'
import { checkA11y } from '../support/a11y.js'
import { expect, test } from '../support/fixtures.js'
import { signIn } from '../support/journeys.js'

/**
 * A subject access request as the privacy officer and a head of service handle it: Ruth Adeyemi
 * records a request for Ash Fernley (found by his case number), gathers the records (Robin
 * Quayle's name already marked for redaction), redacts an item, and submits it; she cannot approve
 * her own submission; Fiona Grant approves it. axe on every page.
 */
test.describe.configure({ mode: 'serial' })

let requestPath = ''

test('the privacy officer records, gathers, redacts and submits a request', async ({ page }) => {
  await signIn(page, DEMO_EMAILS.ruth)
  await page.getByRole('link', { name: 'Subject access' }).click()
  await expect(page.locator('h1')).toHaveText('Subject access requests')
  await checkA11y(page, 'subject access list')

  await page.getByRole('button', { name: 'Record a request' }).click()
  await checkA11y(page, 'new request')
  // Sent empty: the errors, next to their fields.
  await page.getByRole('button', { name: 'Record the request' }).click()
  await expect(page.locator('.govuk-error-summary')).toContainText('Select who the information is about')
  await checkA11y(page, 'new request with errors')

  // An identifier alone never names a child: the request gives all of the names and the date of birth.
  await page.getByLabel('Case number, NHS number or UPN').fill(ASH.localCaseId!)
  const [year, month, day] = ASH.dateOfBirth.split('-')
  const born = page.getByRole('group', { name: 'Date of birth' })
  await born.getByLabel('Day').fill(String(Number(day)))
  await born.getByLabel('Month').fill(String(Number(month)))
  await born.getByLabel('Year').fill(year!)
  await page.getByLabel('First names').fill(ASH.givenNames)
  await page.getByLabel('Last name').fill(ASH.familyName)
  await page.getByRole('button', { name: 'Find the child' }).click()
  await page.getByRole('radio', { name: /^Ash Fernley, born / }).check()
  await page.getByRole('radio', { name: 'The child', exact: true }).check()
  const received = page.getByRole('group', { name: 'Date the request was received' })
  await received.getByLabel('Day').fill('2')
  await received.getByLabel('Month').fill('3')
  await received.getByLabel('Year').fill('2026')
  await page.getByRole('radio', { name: 'Yes' }).check()
  await page.getByLabel('How was it checked?').fill('Seen in person with his social worker')
  await checkA11y(page, 'new request filled in')
  await page.getByRole('button', { name: 'Record the request' }).click()

  await expect(page.locator('h1')).toContainText(/SAR-\d{4}-\d{4}/)
  await expect(page.getByTestId('request-summary').or(page.locator('[data-qa="request-summary"]'))).toContainText('2 April 2026')
  requestPath = new URL(page.url()).pathname
  await page.locator('[data-qa="gather"]').click()
  await expect(page.locator('[data-qa="item"]').first()).toBeVisible()
  await expect(page.locator('[data-qa="redacted"]').first()).toContainText('[Redacted: third party – another child]')
  // As it will be released (the reviewers' list of what is redacted, folded away, names the words).
  await expect(page.locator('[data-qa="item"] dd').filter({ hasText: 'Robin' })).toHaveCount(0)
  await checkA11y(page, 'gathered bundle')

  await page.locator('[data-source="criminal_process"] a', { hasText: 'Redact' }).first().click()
  await checkA11y(page, 'redact an item')
  await page.getByRole('radio', { name: 'The whole item' }).check()
  await page.getByRole('radio', { name: 'Withheld at the request of the police' }).check()
  await page.getByRole('button', { name: 'Save the redaction' }).click()
  await expect(page.locator('.govuk-notification-banner')).toContainText('Redaction saved')
  await expect(page.locator('[data-source="criminal_process"]').first()).toContainText('[Redacted: withheld at the request of the police]')

  await page.locator('[data-qa="submit"]').click()
  await expect(page.locator('[data-qa="status"]')).toHaveText('Waiting for approval')
  await expect(page.locator('[data-qa="own-submission"]')).toBeVisible()
  await expect(page.locator('[data-qa="approve"]')).toHaveCount(0)
  await checkA11y(page, 'submitted')
})

test('a head of service approves the release', async ({ page }) => {
  expect(requestPath).toMatch(/^\/privacy\/subject-access\/[0-9a-f-]{36}$/)
  await signIn(page, DEMO_EMAILS.fiona)
  await page.goto(requestPath)
  await checkA11y(page, 'request to decide')
  await page.locator('[data-qa="decline"]').click()
  await expect(page.locator('.govuk-error-summary')).toContainText('Enter why the release is declined')
  await checkA11y(page, 'decline without a reason')
  await page.locator('[data-qa="approve"]').click()
  await expect(page.locator('[data-qa="status"]')).toHaveText('Approved for release')
  await checkA11y(page, 'approved')
})
