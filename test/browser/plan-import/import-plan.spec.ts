import { messyWorkbook } from '../../fixtures/plans/messy-plans.js'
import { checkA11y } from '../support/a11y.js'
import { expect, test } from '../support/fixtures.js'
import { signIn } from '../support/journeys.js'

const BEN = 'ben.carter@northshire.example'

test('the business manager imports a plan, maps an unknown RAG word, and importing it again adds nothing', async ({ page }) => {
  test.setTimeout(90_000)
  await signIn(page, BEN)
  await page.goto('/reviews')
  const href = await page.getByRole('link', { name: 'Neglect thematic audit 2025' }).first().getAttribute('href')
  const reviewPath = /^\/reviews\/[0-9a-f-]{36}/.exec(href ?? '')![0]
  const workbook = {
    name: 'messy-plan.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: await messyWorkbook(),
  }

  await page.goto(reviewPath)
  await page.getByRole('button', { name: 'Import a plan from CSV or Excel' }).click()
  await expect(page).toHaveURL(new RegExp(`${reviewPath}/import$`))
  await expect(page.locator('h1')).toHaveText('Import an action plan')
  await checkA11y(page, 'upload')
  await page.getByRole('button', { name: 'Upload and check' }).click()
  await expect(page.locator('.govuk-error-summary')).toContainText('Choose a CSV or Excel (.xlsx) file to upload.')
  await checkA11y(page, 'upload with an error')

  await page.getByLabel('Action plan file').setInputFiles(workbook)
  await page.getByRole('button', { name: 'Upload and check' }).click()
  await expect(page.locator('h1')).toHaveText('Check the action plan before it is saved')
  const counts = page.locator('[data-qa="import-counts"]')
  await expect(counts).toContainText(/Findings\s*2/)
  await expect(counts).toContainText(/Agencies\s*4/)
  await expect(counts).toContainText(/Actions\s*9/)
  await checkA11y(page, 'preview')

  await page.getByLabel('“P” (rows 7, 13)').selectOption('AMBER')
  await page.getByRole('button', { name: 'Import the plan' }).click()
  await expect(page.locator('.govuk-error-summary')).toContainText('Choose what “Pending” means in the RAG key')
  await checkA11y(page, 'preview with an unmapped word')

  await page.getByLabel('“P” (rows 7, 13)').selectOption('AMBER')
  await page.getByLabel('“Pending” (row 12)').selectOption('RED')
  await page.getByRole('button', { name: 'Import the plan' }).click()
  await expect(page.locator('.govuk-notification-banner')).toContainText('9 new actions')
  await checkA11y(page, 'imported')

  await page.getByLabel('Action plan file').setInputFiles(workbook)
  await page.getByRole('button', { name: 'Upload and check' }).click()
  await page.getByLabel('“P” (rows 7, 13)').selectOption('AMBER')
  await page.getByLabel('“Pending” (row 12)').selectOption('RED')
  await page.getByRole('button', { name: 'Import the plan' }).click()
  await expect(page.locator('.govuk-notification-banner')).toContainText('0 new actions')
})
