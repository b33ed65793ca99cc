import { readFile } from 'node:fs/promises'
import ExcelJS from 'exceljs'
import { checkA11y } from '../support/a11y.js'
import { expect, test } from '../pathway/people.js'

/** Demo people (src/demo/demo-data.ts) and the demo rapid review (src/demo/demo-reviews.ts). */
const NADIA = 'nadia.hussain@northshire-health.example' // agency lead, Northshire Community Health NHS Trust
const MARGARET = 'margaret.osei@northshire.example' // board member
const REVIEW = 'Rapid review RR-2025-07'
const HEALTH_ACTION = 'Train all school nurses in the Brook Traffic Light tool'
const POLICE_ACTION = 'Agree with the CPS how bail conditions allow intervention before trial'

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10)

test('an agency lead updates their agency’s action and cannot edit another agency’s', async ({ people }) => {
  test.setTimeout(90_000)
  const page = await people.as(NADIA)
  await page.getByRole('link', { name: 'Action plans' }).first().click()
  await checkA11y(page, 'action plans')
  await page.getByRole('link', { name: REVIEW }).click()
  await expect(page.locator('[data-qa="review-name"]')).toHaveText(REVIEW)
  await checkA11y(page, 'review plan')
  const healthRow = page.locator('[data-qa="action-row"]', { hasText: HEALTH_ACTION })
  await expect(healthRow.locator('[data-qa="overdue"]')).toBeVisible()

  await healthRow.getByRole('link', { name: HEALTH_ACTION }).click()
  await checkA11y(page, 'own agency action')
  await page.getByLabel('Progress update').fill('Second cohort rebooked for next month with a new trainer.')
  await page.locator('[data-qa="progress-form"]').getByLabel('Green').check()
  await page.locator('[data-qa="save-progress"]').click()
  await expect(page.locator('.govuk-notification-banner')).toContainText('Progress update saved')
  await expect(page.locator('[data-qa="history"] li').first()).toContainText('Second cohort rebooked for next month with a new trainer.')
  await expect(page.locator('[data-qa="action-summary"]')).toContainText('Green')
  await checkA11y(page, 'action after progress update')

  await page.getByRole('link', { name: 'Back to the action plan' }).click()
  await page.locator('[data-qa="action-row"]', { hasText: POLICE_ACTION }).getByRole('link', { name: POLICE_ACTION }).click()
  await expect(page.locator('[data-qa="action-text"]')).toHaveText(POLICE_ACTION)
  await expect(page.locator('[data-qa="progress-form"]')).toHaveCount(0)
  await expect(page.locator('[data-qa="edit-action"]')).toHaveCount(0)
  await checkA11y(page, 'another agency’s action, read only')
  const response = await page.goto(`${page.url()}/edit`)
  expect(response?.status()).toBe(403)
  await checkA11y(page, 'refused')
})

test('a board member downloads the report as at a date as DOCX and XLSX', async ({ people }) => {
  test.setTimeout(90_000)
  const page = await people.as(MARGARET)
  await page.goto('/reviews')
  await page.getByRole('link', { name: REVIEW }).click()
  await page.locator('[data-qa="report-link"]').click()
  await checkA11y(page, 'report today')
  const asAt = daysAgo(100)
  await page.getByLabel('Show the plan as recorded at the end of').fill(asAt)
  await page.locator('[data-qa="show-report"]').click()
  await expect(page).toHaveURL(new RegExp(`asAt=${asAt}`))
  await expect(page.locator('[data-qa="report-rag-key"]')).toContainText('Not on track, remedial action required')
  await checkA11y(page, 'report as at a date')

  const [docx] = await Promise.all([page.waitForEvent('download'), page.locator('[data-qa="download-docx"]').click()])
  expect(docx.suggestedFilename()).toMatch(new RegExp(`^action-plan-[0-9a-f]{8}-as-at-${asAt}\\.docx$`))
  const docxBytes = await readFile((await docx.path())!)
  expect(docxBytes.subarray(0, 2).toString()).toBe('PK')

  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.locator('[data-qa="download-xlsx"]').click()])
  expect(xlsx.suggestedFilename()).toMatch(new RegExp(`^action-plan-[0-9a-f]{8}-as-at-${asAt}\\.xlsx$`))
  const book = new ExcelJS.Workbook()
  await book.xlsx.load((await readFile((await xlsx.path())!)) as unknown as ArrayBuffer)
  const sheet = book.getWorksheet('Action plan')!
  const rows: string[][] = []
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))))
  expect(rows[0]).toEqual([
    'Finding',
    'Questions',
    'Agency',
    'Response',
    'Actions',
    'RAG',
    'Constraints/Problems',
    'Target Date/Evidence',
    'Lead Person',
    'Desired Outcome',
  ])
  // As at 100 days ago: the health action was green (it went amber 45 days ago), the police one red.
  expect(rows.find((r) => r[4] === HEALTH_ACTION)?.[5]).toBe('Green')
  expect(rows.find((r) => r[4] === POLICE_ACTION)?.[5]).toBe('Red')
})
