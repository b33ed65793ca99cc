import { checkA11y } from '../support/a11y.js'
import { expect, PEOPLE, test } from '../pathway/people.js'
import { expectFlash, fillDate, openCaseFromOverview } from './steps.js'

const CHILD = 'Jordan Pelling'

test('(b) criminal route: the HSB lead decides, the police officer records the AIM strategy discussion with YOS as the lead agency', async ({
  people,
}) => {
  test.setTimeout(150_000)
  const aisha = await people.as(PEOPLE.aisha)
  const caseId = await openCaseFromOverview(aisha, CHILD)
  await aisha.goto(`/cases/${caseId}/assessment`)
  await expect(aisha.locator('[data-qa="no-assessment"]')).toContainText('No decision about an AIM assessment has been made')
  await checkA11y(aisha, 'assessment workspace (no decision)')
  await aisha.locator('[data-qa="decide-link"]').click()
  await aisha.getByLabel('Carry out an AIM assessment', { exact: true }).check()
  await aisha.getByRole('radio', { name: /Criminal/ }).check()
  await aisha.getByLabel(/Police officer to arrange the AIM strategy discussion/).selectOption({ label: 'Mark Ellis (Northshire Police)' })
  await aisha.getByLabel('Reasons for the decision').fill('Police investigation under way; an AIM assessment alongside it.')
  await aisha.getByRole('button', { name: 'Record the decision' }).click()
  await expectFlash(aisha, 'Decision recorded')
  await expect(aisha.locator('[data-qa="assessment-status"]')).toHaveText(/Waiting for the AIM strategy discussion/)

  // The police officer, now working with the child, instigates and records the AIM strategy discussion.
  const mark = await people.as(PEOPLE.mark)
  await mark.goto(`/cases/${caseId}`)
  await mark.getByRole('link', { name: 'Record the AIM strategy discussion' }).first().click()
  await expect(mark.getByRole('heading', { level: 1 })).toHaveText('Record the AIM strategy discussion')
  await checkA11y(mark, 'AIM strategy discussion')
  await fillDate(mark, 'held')
  await expect(mark.getByLabel('Lead agency')).toHaveValue(/.+/)
  await expect(mark.locator('#lead-agency option:checked')).toHaveText('Northshire Youth Offending Service')
  await mark
    .getByLabel('What was agreed')
    .fill('YOS to lead the AIM assessment with children’s services; police to share the investigation timetable.')
  await mark.getByRole('button', { name: 'Record the discussion' }).click()
  await expectFlash(mark, 'AIM strategy discussion recorded')
  const summary = mark.locator('[data-qa="assessment-summary"]')
  await expect(summary).toContainText('Criminal')
  await expect(summary.locator('.govuk-summary-list__row').filter({ hasText: 'Lead agency' })).toContainText(
    'Northshire Youth Offending Service',
  )
  await expect(mark.locator('[data-qa="assessment-status"]')).toContainText('Waiting for two co-assessors to be named')
  await checkA11y(mark, 'assessment workspace (criminal route started)')
})
