import { checkA11y } from '../support/a11y.js'
import { expect, PEOPLE, test } from '../pathway/people.js'
import type { Page } from '@playwright/test'
import { openCaseFromOverview } from './steps.js'

/** The new co-assessor's option reads "Name – agency and training": chosen by the name. */
async function choosePerson(page: Page, name: string) {
  const options = await page.locator('#person option').allTextContents()
  await page.locator('#person').selectOption({ index: options.findIndex((t) => t.startsWith(name)) })
}

test('(c) a co-assessor without current training is refused with a message naming the missing training', async ({ people }) => {
  test.setTimeout(120_000)
  const aisha = await people.as(PEOPLE.aisha)
  const caseId = await openCaseFromOverview(aisha, 'Ash Fernley')
  await aisha.goto(`/cases/${caseId}/assessment/co-assessors`)
  await expect(aisha.locator('[data-qa="co-assessors"]')).toContainText('Tom Bradley')
  await checkA11y(aisha, 'co-assessors (named)')
  // Sam Okafor is leaving: replacing him with Kerry Doyle, whose AIM3 training has expired, is refused.
  await aisha.getByLabel('Sam Okafor').check()
  await choosePerson(aisha, 'Kerry Doyle')
  await aisha.getByLabel('Why').fill('Sam Okafor is moving to another team.')
  await aisha.getByRole('button', { name: 'Replace the co-assessor' }).click()
  const message = 'Kerry Doyle has no current AIM3 training (expired on 16 January 2026)'
  await expect(aisha.locator('.govuk-error-summary')).toContainText(message)
  await expect(aisha.locator('#person-error')).toContainText(message)
  await expect(aisha.getByLabel('Why')).toHaveValue('Sam Okafor is moving to another team.')
  await checkA11y(aisha, 'co-assessors (refused)')
  // Jo Whitfield has no AIM training at all.
  await aisha.getByLabel('Sam Okafor').check()
  await choosePerson(aisha, 'Jo Whitfield')
  await aisha.getByRole('button', { name: 'Replace the co-assessor' }).click()
  await expect(aisha.locator('.govuk-error-summary')).toContainText('Jo Whitfield has no current AIM3 training (none recorded)')
  await expect(aisha.locator('[data-qa="co-assessors"]')).toContainText('Sam Okafor')
})
