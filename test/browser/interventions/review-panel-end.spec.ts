import type { Locator, Page } from '@playwright/test'
import { checkA11y } from '../support/a11y.js'
import { londonNow } from '../pathway/data.js'
import { CasePage } from '../pathway/pages/case.page.js'
import { QueuePage } from '../pathway/pages/queue.page.js'
import { expect, PEOPLE, test } from '../pathway/people.js'

/**
 * From "review meeting due" (Riley Hartwell in the demo data, src/demo/demo-interventions.ts):
 * the HSB lead arranges and records the review meeting with an intervention plan, asks for the
 * HSB panel, the head of service records its decision, and the end meeting closes the case.
 */
const NAME = 'Riley Hartwell'
const FIONA = 'fiona.grant@northshire.example'
const YOS = 'Northshire Youth Offending Service'
const DAY = 24 * 3600_000

async function fillDate(page: Page | Locator, group: string, at: { day: string; month: string; year: string }) {
  const date = page.getByRole('group', { name: group })
  await date.getByLabel('Day').fill(at.day)
  await date.getByLabel('Month').fill(at.month)
  await date.getByLabel('Year').fill(at.year)
}

async function arrangeMeeting(page: Page, heading: string, at: Date) {
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible()
  await checkA11y(page, heading)
  const when = londonNow(at)
  await fillDate(page, 'Date of the meeting', when)
  await page.getByLabel('Time of the meeting').fill(when.time)
  await page.getByRole('group', { name: 'Agencies' }).getByLabel(YOS, { exact: true }).check()
  await page
    .getByRole('group', { name: `People from ${YOS} (optional)` })
    .getByLabel('Kerry Doyle', { exact: true })
    .check()
  await page.locator('[data-qa="arrange-submit"]').click()
}

async function held(page: Page) {
  const at = londonNow(new Date(Date.now() - 2 * 60_000))
  await fillDate(page, 'Date the meeting was held', at)
  await page.getByLabel('Time the meeting started').fill(at.time)
  await page
    .getByRole('group', { name: `Kerry Doyle, ${YOS}` })
    .getByLabel('Present', { exact: true })
    .check()
}

test('review meeting with an intervention plan → HSB panel asked for and decided → end meeting → case closed', async ({ people }) => {
  test.setTimeout(180_000)
  const aisha = await people.as(PEOPLE.aisha)
  const overview = new QueuePage(aisha)
  await overview.goto('/work/hsb-overview', 'HSB overview')
  await overview.row(NAME).getByRole('link', { name: NAME, exact: true }).click()
  const kase = new CasePage(aisha)
  await kase.expectLoaded(NAME)
  await expect(kase.status).toHaveText('Review meeting due')
  const caseId = kase.caseId()

  // The plan page before there is a plan: an empty state.
  await aisha.goto(`/cases/${caseId}/intervention-plan`)
  await expect(aisha.locator('[data-qa="no-plan"]')).toBeVisible()
  await checkA11y(aisha, 'intervention plan (none yet)')

  // An end meeting before the review meeting is refused, saying what comes first.
  const early = await aisha.goto(`/cases/${caseId}/end-meeting/new`)
  expect(early?.status()).toBe(409)
  await expect(aisha.locator('main')).toContainText('The end meeting comes after the review meeting has agreed an intervention plan.')
  await expect(aisha.locator('main')).toContainText('You can: Arrange the review meeting')
  await checkA11y(aisha, 'end meeting refused (409)')

  // The review meeting: arranged, then recorded with the intervention plan.
  await kase.goto(caseId, NAME)
  await kase.takeAction('Arrange the review meeting')
  await arrangeMeeting(aisha, 'Arrange the review meeting', new Date(Date.now() - 5 * 60_000))
  await kase.expectFlash('Review meeting arranged')
  await checkA11y(aisha, 'review meeting (to record)')
  await held(aisha)
  await aisha
    .getByLabel('Findings of the assessment')
    .fill('A pattern of following a younger pupil and sexual comments; Riley understands some of the harm.')
  await aisha.getByLabel('Concerns (optional)').fill('Unstructured time at school.')
  await aisha.getByLabel('Strengths (optional)').fill('Good relationship with his dad; likes music.')
  await aisha
    .getByLabel('Roles and responsibilities')
    .fill('Sam Okafor coordinates; Kerry Doyle delivers sessions; school supervises breaks.')
  const goal = aisha.locator('[data-qa="goal-0"]')
  await goal.getByLabel('Goal', { exact: true }).fill('Riley understands personal space and consent')
  await goal.getByLabel('Good Lives Model need (optional)').selectOption({ label: 'Knowledge: learning and understanding' })
  await goal.getByLabel('Service', { exact: true }).fill('HSB intervention sessions')
  await goal.getByLabel('Provider (optional)').fill(YOS)
  await fillDate(goal, 'Start date', londonNow(new Date(Date.now() + 7 * DAY)))
  await fillDate(goal, 'Review date', londonNow())
  await aisha.locator('[data-qa="finalise"]').click()
  // Dates out of order: refused, with what was typed kept.
  await expect(aisha.locator('.govuk-error-summary')).toContainText('The review date of goal 1 must be the same as or after its start date')
  await expect(goal.getByLabel('Goal', { exact: true })).toHaveValue('Riley understands personal space and consent')
  await checkA11y(aisha, 'review meeting (dates out of order)')
  await fillDate(goal, 'Review date', londonNow(new Date(Date.now() + 49 * DAY)))
  await aisha.locator('[data-qa="finalise"]').click()
  await expect(aisha).toHaveURL(new RegExp(`/cases/${caseId}/intervention-plan$`))
  await expect(aisha.locator('.govuk-notification-banner__heading')).toHaveText('Review meeting finalised')
  await expect(aisha.locator('[data-qa="plan-goals"]')).toContainText('Riley understands personal space and consent')
  await expect(aisha.locator('[data-qa="plan-goals"]')).toContainText('Good Lives: Knowledge')
  await expect(aisha.locator('[data-qa="case-status"]')).toHaveText('Intervention under way')
  await checkA11y(aisha, 'intervention plan (agreed)')

  // The HSB panel, asked for by the HSB lead.
  await kase.goto(caseId, NAME)
  await kase.takeAction('Ask for the HSB panel')
  await checkA11y(aisha, 'HSB panel (ask)')
  await aisha.getByLabel('Why the panel is needed').fill('Riley needs specialist therapeutic work beyond the YOS sessions.')
  await aisha.locator('[data-qa="request-panel"]').click()
  await expect(aisha.locator('.govuk-notification-banner__heading')).toHaveText('HSB panel requested')
  await expect(aisha.locator('[data-qa="case-status"]')).toHaveText('HSB panel requested')
  await checkA11y(aisha, 'HSB panel (requested)')

  // The head of service is notified and records the panel's decision.
  const fiona = await people.as(FIONA)
  await fiona.goto('/notifications')
  await expect(fiona.locator('[data-qa="notifications"] tbody tr').filter({ hasText: NAME })).toContainText(
    'Request to convene the HSB panel',
  )
  await fiona.goto(`/cases/${caseId}/panel`)
  await checkA11y(fiona, 'HSB panel (decide)')
  await fillDate(fiona, 'Date of the panel', londonNow())
  await fiona.getByLabel('Service commissioned').fill('Therapeutic HSB programme')
  await fiona.getByLabel('Provider (optional)').fill('Fictional Therapy Partners')
  await fiona.getByLabel('Specialist: an HSB intervention by a specialist service').check()
  await fiona.locator('[data-qa="record-decision"]').click()
  await expect(fiona.locator('.govuk-notification-banner__heading')).toHaveText('HSB panel decision recorded')
  await expect(fiona.locator('[data-qa="panel"]')).toContainText('Fictional Therapy Partners')
  await expect(fiona.locator('[data-qa="case-status"]')).toHaveText('Intervention under way')
  await checkA11y(fiona, 'intervention plan (panel decided)')

  // The end meeting closes the case; open work needs its own reason.
  await kase.goto(caseId, NAME)
  await kase.takeAction('Arrange the end meeting')
  // Arranged for after the review meeting was held (an earlier date is refused).
  await arrangeMeeting(aisha, 'Arrange the end meeting', new Date(Date.now() + 60_000))
  await kase.expectFlash('End meeting arranged')
  await held(aisha)
  await aisha.getByLabel('Work done').fill('Twelve sessions with YOS and the therapeutic programme; Riley has kept to his safety plan.')
  await aisha.getByRole('group', { name: 'Level of concern at the end of the work' }).getByLabel('Low').check()
  await aisha.getByLabel('Reason for closing the case').fill('The plan’s goals are met and the family are supported by school.')
  await aisha.locator('[data-qa="finalise"]').click()
  await expect(aisha.locator('.govuk-error-summary')).toContainText('This case still has open work')
  await expect(aisha.locator('.govuk-error-summary')).toContainText('intervention plan goal still under way')
  await expect(aisha.getByLabel('Work done')).toHaveValue(/Twelve sessions/)
  await checkA11y(aisha, 'end meeting (open work)')
  await aisha
    .getByLabel('Reason for closing with open work')
    .fill('The remaining goal continues with school support; the assessment timescale is closed by the locality team.')
  await aisha.locator('[data-qa="finalise"]').click()
  await kase.expectLoaded(NAME)
  await kase.expectFlash('End meeting finalised')
  await expect(kase.status).toHaveText('Closed')
  await expect(kase.history).toContainText('End meeting held and case closed')
  await checkA11y(aisha, 'case (closed)')
  await aisha.goto(`/cases/${caseId}/intervention-plan`)
  await expect(aisha.locator('[data-qa="closure"]')).toContainText('Low')
  await checkA11y(aisha, 'intervention plan (closed)')
})
