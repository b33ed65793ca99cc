import type { Page } from '@playwright/test'
import { DEMO_EMAILS } from '../../../src/demo/demo-data.js'
import { DEMO_TIMESCALE_REASON } from '../../../src/demo/demo-timescales.js'
import { addCalendarDays, londonDate } from '../../../src/platform/clocks/london-time.js'
import { checkA11y } from '../support/a11y.js'
import { expect, test } from '../support/fixtures.js'
import { signIn } from '../support/journeys.js'

/**
 * Local timescales as the HSB lead uses them: the page with the demo's change to come, a change
 * refused (with why, and what was typed kept), then a change saved, from a date far enough ahead
 * that no other spec's clock is touched.
 */
const HSB_LEAD = DEMO_EMAILS.aisha

async function fillDate(page: Page, iso: string) {
  const [year, month, day] = iso.split('-') as [string, string, string]
  await page.locator('#effective-day').fill(String(Number(day)))
  await page.locator('#effective-month').fill(String(Number(month)))
  await page.locator('#effective-year').fill(year)
}

test('the HSB lead changes the strategy meeting timescale from a date to come', async ({ page }) => {
  test.setTimeout(120_000)
  await signIn(page, HSB_LEAD)
  await page.getByRole('link', { name: 'Timescales', exact: true }).click()
  await expect(page.locator('h1')).toHaveText('Timescales')
  const row = page.locator('[data-qa="timescale-STRATEGY_MEETING"]')
  await expect(row.locator('th')).toHaveText('Strategy meeting')
  await expect(row).toContainText('24 hours')
  await expect(row).toContainText('48 hours from')
  await checkA11y(page, 'timescales')

  await page.getByRole('link', { name: 'Change the strategy meeting timescale' }).click()
  await expect(page.locator('h1')).toHaveText('Strategy meeting')
  await expect(page.locator('[data-qa="timescale-history"]')).toContainText(DEMO_TIMESCALE_REASON)
  await expect(page.locator('[data-qa="timescale-history"]')).toContainText('Aisha Rahman')
  await checkA11y(page, 'strategy meeting timescale')

  const yesterday = addCalendarDays(londonDate(new Date()), -1)
  await page.getByLabel('New length').fill('0')
  await fillDate(page, yesterday)
  await page.getByLabel('Reason (optional)').fill('Browser test: a change that is refused')
  await page.getByRole('button', { name: 'Save the change' }).click()
  const summary = page.locator('.govuk-error-summary')
  await expect(summary).toContainText('The length must be at least 1 hour')
  await expect(summary).toContainText('clocks already started keep the length they started with')
  await expect(page.getByLabel('New length')).toHaveValue('0')
  await expect(page.getByLabel('Reason (optional)')).toHaveValue('Browser test: a change that is refused')
  await checkA11y(page, 'strategy meeting timescale with errors')

  const later = addCalendarDays(londonDate(new Date()), 90)
  await page.getByLabel('New length').fill('36')
  await fillDate(page, later)
  await page.getByLabel('Reason (optional)').fill('Browser test: a change to come')
  await page.getByRole('button', { name: 'Save the change' }).click()
  await expect(page.locator('.govuk-notification-banner')).toContainText('Strategy meeting timescale changed')
  await expect(page.locator('[data-qa="timescale-summary"]')).toContainText('36 hours from')
  await expect(page.locator('[data-qa="timescale-history"]')).toContainText('Browser test: a change to come')
  await checkA11y(page, 'strategy meeting timescale changed')
})
