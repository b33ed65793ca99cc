import { checkA11y } from '../support/a11y.js'
import { expect, PEOPLE, test } from '../pathway/people.js'
import { expectFlash, fillDate, openCaseFromOverview } from './steps.js'

const TOM = 'tom.bradley@northshire.example'
const CHILD = 'Lewis Thornbury'

test('(a) welfare route: the HSB lead decides to assess, names two trained co-assessors, they interview, record and both sign off', async ({
  people,
}) => {
  test.setTimeout(180_000)
  const aisha = await people.as(PEOPLE.aisha)
  const caseId = await openCaseFromOverview(aisha, CHILD)
  await aisha.getByRole('link', { name: 'Decide whether to carry out an AIM assessment' }).click()
  await expect(aisha.getByRole('heading', { level: 1 })).toHaveText('Decide whether to carry out an AIM assessment')
  await checkA11y(aisha, 'AIM decision')

  await aisha.getByLabel('Carry out an AIM assessment', { exact: true }).check()
  await aisha.getByRole('radio', { name: /Welfare/ }).check()
  await aisha
    .getByLabel('Reasons for the decision')
    .fill('Harm to a younger pupil, filmed by others. We need to understand the behaviour and what help Lewis and his family need.')
  await checkA11y(aisha, 'AIM decision (welfare chosen)')
  await aisha.getByRole('button', { name: 'Record the decision' }).click()
  await expectFlash(aisha, 'Decision recorded')
  await expect(aisha.locator('[data-qa="assessment-status"]')).toContainText('Waiting for two co-assessors to be named')
  await expect(aisha.locator('[data-qa="assessment-clocks"]')).toContainText('AIM assessment target (6 weeks from the decision)')
  await expect(aisha.locator('[data-qa="assessment-clocks"]')).toContainText('AIM assessment limit (8 weeks from the decision)')
  await checkA11y(aisha, 'assessment workspace (no co-assessors)')

  await aisha.locator('[data-qa="co-assessors-link"]').click()
  await checkA11y(aisha, 'name co-assessors')
  await aisha.getByLabel('Tom Bradley').check()
  await aisha.getByLabel('Sam Okafor').check()
  await aisha.getByRole('button', { name: 'Name the co-assessors' }).click()
  await expectFlash(aisha, 'Co-assessors named')
  await expect(aisha.locator('[data-qa="co-assessors"]')).toContainText('Tom Bradley')
  await expect(aisha.locator('[data-qa="co-assessors"]')).toContainText('Sam Okafor')

  // Tom interviews the child and writes the record, then signs it off.
  const tom = await people.as(TOM)
  await tom.goto(`/cases/${caseId}/assessment`)
  await checkA11y(tom, 'assessment workspace (co-assessor)')
  await tom.getByText('Add an interview').click()
  await fillDate(tom, 'interview-held')
  await tom.getByLabel('The child').check()
  await tom.getByLabel('Where').fill('Family home')
  await tom.getByRole('button', { name: 'Add interview' }).click()
  await expectFlash(tom, 'Interview added')
  await expect(tom.locator('[data-qa="interviews"]')).toContainText('The child')

  await tom
    .getByLabel('Formulation')
    .fill('Behaviour shaped by wanting to belong to a peer group; little understanding of its effect on the younger boy.')
  await tom.locator('#level-of-concern').check()
  await tom.locator('#level-of-supervision').check()
  await tom.getByLabel('Recommendations').fill('Individual work on consent and peer pressure; school safety plan continues.')
  await tom.getByRole('button', { name: 'Save the draft record' }).click()
  await expectFlash(tom, 'Draft record saved')
  await tom.getByRole('button', { name: 'Sign off the assessment' }).click()
  await expectFlash(tom, 'You have signed the assessment off')
  await expect(tom.locator('[data-qa="sign-off-status"]')).toHaveText('Signed off by Tom Bradley: waiting for Sam Okafor to sign off')
  await checkA11y(tom, 'assessment workspace (signed off by one)')

  // Sam signs off too: the assessment completes and the review meeting is next.
  const sam = await people.as(PEOPLE.sam)
  await sam.goto(`/cases/${caseId}/assessment`)
  await sam.getByRole('button', { name: 'Sign off the assessment' }).click()
  await expectFlash(sam, 'Assessment complete')
  await expect(sam.locator('[data-qa="assessment-status"]')).toContainText('Complete: signed off by both co-assessors')
  await checkA11y(sam, 'assessment workspace (complete)')
  await sam.goto(`/cases/${caseId}`)
  await expect(sam.locator('[data-qa="case-status"]')).toHaveText('Review meeting due')
  await aisha.goto(`/cases/${caseId}/assessment/report`)
  await expect(aisha.locator('[data-qa="report-record"]')).toContainText('peer group')
  await checkA11y(aisha, 'assessment report')
})
