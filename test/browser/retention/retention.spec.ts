import type { Page } from '@playwright/test'
import { DEMO_EMAILS } from '../../../src/demo/demo-data.js'
import { checkA11y } from '../support/a11y.js'
import { expect, test } from '../support/fixtures.js'
import { signIn } from '../support/journeys.js'

/**
 * Retention as the partnership uses it: Fiona Grant (head of service) reads the partnership's
 * schedule (its decision, not advice), tries a schedule with mistakes, records one, places and
 * lifts nothing but sees the held record, and proposes erasing a record due; she cannot approve
 * her own proposal; Ruth Adeyemi (privacy officer) approves it. Nothing is run: the demo's
 * children stay for the other specs. axe on every page.
 */
const HEAD = DEMO_EMAILS.fiona
const PRIVACY = DEMO_EMAILS.ruth

async function openRetention(page: Page) {
  await page.getByRole('link', { name: 'Retention', exact: true }).click()
  await expect(page.locator('h1')).toHaveText('Retention')
}

test('a head of service proposes an erasure and a privacy officer approves it', async ({ page, browser }) => {
  test.setTimeout(240_000)
  await signIn(page, HEAD)
  await openRetention(page)
  await expect(page.locator('[data-qa="not-advice"]')).toContainText('the partnership’s own decision')
  await expect(page.locator('[data-qa="schedule-CHILD_RECORD"]')).toContainText('3 years after the last contact')
  await expect(page.locator('[data-qa="due-list"]')).toContainText('Legal hold')
  await checkA11y(page, 'retention')

  // The schedule form: mistakes shown beside their fields, what was typed kept.
  await page.getByRole('link', { name: 'Set or change the schedule' }).click()
  await expect(page.locator('h1')).toHaveText('Set the retention schedule')
  await checkA11y(page, 'schedule form')
  await page.getByLabel('Until the child’s birthday (optional)').fill('two')
  await page.getByRole('button', { name: 'Record the decision' }).click()
  await expect(page.locator('.govuk-error-summary')).toContainText('Select the kind of record')
  await expect(page.locator('#until-birthday-error')).toContainText('The birthday must be a whole number of years from 1 to 100')
  await expect(page.locator('#note-error')).toContainText('Enter the partnership’s decision')
  await expect(page.getByLabel('Until the child’s birthday (optional)')).toHaveValue('two')
  await checkA11y(page, 'schedule form with errors')
  await page.getByLabel('A child’s record whose every request was closed at the front door with no further action').check()
  await page.getByLabel('Years after the last contact (optional)').fill('1')
  await page.getByLabel('Until the child’s birthday (optional)').fill('')
  await page.getByLabel('Day', { exact: true }).fill('1')
  await page.getByLabel('Month', { exact: true }).fill('4')
  await page.getByLabel('Year', { exact: true }).fill('2025')
  await page.getByLabel('The partnership’s decision').fill('Confirmed by the partnership executive, minute 9: unchanged.')
  await page.getByRole('button', { name: 'Record the decision' }).click()
  await expect(page.locator('.govuk-notification-banner')).toContainText('Retention schedule recorded')
  await expect(page.locator('[data-qa="schedule-FRONT_DOOR_NFA"]')).toContainText('minute 9')

  // Propose the first record due that can be proposed.
  const propose = page.locator('[data-qa="propose"]').first()
  const reference = (await propose.locator('.govuk-visually-hidden').textContent())!.replace(' of record ', '').trim()
  const before = await page.locator('[data-qa="waiting"]').count()
  await propose.click()
  await expect(page.locator('.govuk-notification-banner')).toContainText('Erasure proposed')
  await expect(page.locator('[data-qa="waiting"]')).toHaveCount(before + 1)
  const mine = page.locator('[data-qa="waiting"]').filter({ hasText: `Record ${reference}` })
  await expect(mine).toContainText('Fiona Grant')
  await expect(page.locator('[data-qa="own-proposal"]').first()).toContainText('You proposed this erasure')
  await expect(page.getByRole('button', { name: `Approve erasure of record ${reference}` })).toHaveCount(0)
  await checkA11y(page, 'retention after proposing')

  // The privacy officer, a second person, approves it.
  const context = await browser.newContext()
  const other = await context.newPage()
  try {
    await signIn(other, PRIVACY)
    await openRetention(other)
    await checkA11y(other, 'retention as the privacy officer')
    await other.getByRole('button', { name: `Approve erasure of record ${reference}` }).click()
    await expect(other.locator('.govuk-notification-banner')).toContainText('Erasure approved')
    await expect(other.locator('[data-qa="approved-list"]')).toContainText(reference)
    await expect(other.locator('[data-qa="approved-list"]')).toContainText('Ruth Adeyemi')
    await checkA11y(other, 'retention after approving')
  } finally {
    await context.close()
  }
})
