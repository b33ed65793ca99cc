import { checkA11y } from '../support/a11y.js'
import { CHILDREN, fullName, londonNow } from './data.js'
import { QueuePage } from './pages/queue.page.js'
import { ArrangeMeetingPage, StrategyMeetingPage } from './pages/strategy-meeting.page.js'
import { expect, PEOPLE, test } from './people.js'
import { allocateToAssessmentTeam, confirmScreening, findAndCreateChild, raiseRequestForSupport, recordScreening } from './steps.js'

const child = CHILDREN.amberStrategyMeeting
const name = fullName(child)
const POLICE = 'Northshire Police'
const YOS = 'Northshire Youth Offending Service'

test('(2) amber: strategy meeting held inside 24 hours with police and YOS → section 47 enquiry and "consider AIM"', async ({ people }) => {
  test.setTimeout(210_000)

  const priya = await people.as(PEOPLE.priya)
  const childId = await findAndCreateChild(priya, child)
  const caseId = await raiseRequestForSupport(priya, childId, child, {
    whatHappened:
      'Casey (Year 10) sent a younger pupil repeated messages asking for sexual pictures and kept on after being told to stop. The pupil’s parent showed us the messages.',
    where: ['Online', 'At school or college'],
  })

  // The front door screens it amber (the most serious of its behaviours).
  const jo = await people.as(PEOPLE.jo)
  await recordScreening(
    jo,
    caseId,
    child,
    [
      {
        description: 'Kept asking a younger pupil for sexual pictures by message after being told to stop',
        where: 'Online',
        hackett: 'Problematic',
        rating: 'Amber',
        rationale: 'Persistent and with a younger child, but no threats or force.',
      },
      {
        description: 'Sexual jokes with friends his own age in the changing rooms',
        where: 'At school or college',
        rating: 'Green',
        rationale: 'Shared joking between peers, nobody upset.',
      },
    ],
    'Amber overall: the messages to a younger pupil are persistent and need a multi-agency response.',
  )

  // The team manager confirms amber: the 24-hour strategy meeting clock starts; she allocates the case.
  const helen = await people.as(PEOPLE.helen)
  const kase = await confirmScreening(helen, caseId, child, 'Amber')
  await expect(kase.status).toHaveText('Strategy meeting due')
  await expect(kase.clockState('Strategy meeting (24 hours)')).toHaveText('Running')
  await allocateToAssessmentTeam(
    helen,
    caseId,
    child,
    'Casey and the younger pupil kept apart at school; the school checks his phone use at break.',
  )

  // Her team's queue shows the case with its strategy meeting clock running.
  const team = new QueuePage(helen)
  await team.goto('/work/team', 'My team’s work')
  await expect(team.row(name)).toContainText('Strategy meeting due')
  await expect(team.clock(team.row(name), 'STRATEGY_MEETING')).toHaveAttribute('data-clock-state', 'RUNNING')
  await checkA11y(helen, 'team queue')

  // She arranges the strategy meeting now, chairing it, inviting the police officer and the YOS officer by name.
  await kase.goto(caseId, name)
  await checkA11y(helen, 'case (strategy meeting due, allocated)')
  await kase.takeAction('Arrange the strategy meeting')
  const arrange = new ArrangeMeetingPage(helen)
  await arrange.expectLoaded()
  expect(await arrange.chosenChair()).toMatch(/^Helen Marsh \(/)
  await checkA11y(helen, 'arrange strategy meeting')
  await arrange.arrange({
    when: londonNow(),
    agencies: [POLICE, YOS],
    people: [
      { agency: POLICE, name: 'Mark Ellis' },
      { agency: YOS, name: 'Kerry Doyle' },
    ],
  })
  const meeting = new StrategyMeetingPage(helen)
  await meeting.expectLoaded()
  await expect(helen.locator('.govuk-notification-banner__heading')).toHaveText('Strategy meeting arranged')
  await expect(meeting.summaryValue('Chair')).toHaveText('Helen Marsh')
  await expect(meeting.invitation('Mark Ellis')).toContainText('Not recorded')
  await checkA11y(helen, 'strategy meeting (draft minutes)')

  // The YOS officer sees the meeting she is invited to in her work, with the child's name but no way into the case.
  const kerry = await people.as(PEOPLE.kerry)
  const myWork = new QueuePage(kerry)
  await myWork.goto('/work', 'My assessments')
  const upcoming = kerry.locator('[data-qa="queue-meetings"] tbody tr').filter({ hasText: name })
  await expect(upcoming).toContainText('Invited')
  await expect(upcoming.getByRole('link', { name: 'Strategy meeting' })).toHaveAttribute('href', `/cases/${caseId}/strategy-meeting`)
  await expect(upcoming.getByRole('link', { name, exact: true }), 'no link to a case she cannot open').toHaveCount(0)
  await checkA11y(kerry, 'my work (YOS officer)')

  // The meeting is held: police and YOS present; outcomes a section 47 enquiry and "consider an AIM assessment".
  await meeting.held(londonNow())
  await meeting.attendance(`Mark Ellis, ${POLICE}`, 'Present')
  await meeting.attendance(`Kerry Doyle, ${YOS}`, 'Present')
  await meeting.text(
    'Information shared',
    'Police: no previous contact. YOS: not known to the service. School: messages seen by the designated safeguarding lead.',
  )
  await meeting.text('Risks', 'Continued contact with the younger pupil online.')
  await meeting.text('Protective factors', 'Parents engaged; Casey has said he will stop.')
  await meeting.text('What are we worried about?', 'That Casey keeps pressing younger children for pictures.')
  await meeting.text('What’s working well?', 'The school acted the same day; his parents are supportive.')
  await meeting.score(0, { name: 'Helen Marsh', agency: 'Children’s Services', score: '4' })
  await meeting.score(1, { name: 'Mark Ellis', agency: 'Police', score: '5' })
  await meeting.text('Decisions', 'Section 47 enquiry to start today. Consider an AIM assessment once the enquiry has begun.')
  await meeting.outcome('Section 47 enquiry (child protection)')
  await meeting.outcome('Consider an AIM assessment')
  await meeting.action(0, { text: 'Start the section 47 enquiry and see Casey and his parents', owner: 'Sam Okafor' })
  await checkA11y(helen, 'strategy meeting (minutes filled in)')
  await meeting.finalise()
  await meeting.expectLoaded()
  await expect(helen.locator('.govuk-notification-banner__heading')).toHaveText('Minutes finalised')
  await expect(meeting.summaryValue('Minutes')).toContainText('locked')
  await expect(meeting.outcomes).toContainText('Section 47 enquiry (child protection)')
  await expect(meeting.outcomes).toContainText('Consider an AIM assessment')
  await expect(meeting.invitation('Mark Ellis')).toContainText('Present')
  await expect(meeting.invitation('Kerry Doyle')).toContainText('Present')
  await expect(meeting.minutesForm).toHaveCount(0)
  await checkA11y(helen, 'strategy meeting (finalised)')

  // The case: strategy meeting held, and the 24-hour clock met.
  await kase.goto(caseId, name)
  await expect(kase.status).toHaveText('Strategy meeting held')
  await expect(kase.clockState('Strategy meeting (24 hours)')).toHaveText('Met')
  await expect(kase.history).toContainText('Strategy meeting held')
  await checkA11y(helen, 'case (strategy meeting held)')

  // The YOS officer reads the finalised record from her invitation, but not the rest of the case.
  await kerry.goto('/notifications')
  await expect(kerry.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible()
  const invitation = kerry.locator('[data-qa="notifications"] tbody tr').filter({ hasText: name })
  await expect(invitation.getByRole('link', { name: 'Invitation to a meeting' })).toHaveAttribute(
    'href',
    `/cases/${caseId}/strategy-meeting`,
  )
  await checkA11y(kerry, 'notifications (YOS officer)')
  await invitation.getByRole('link', { name: 'Invitation to a meeting' }).click()
  const readOnly = new StrategyMeetingPage(kerry)
  await readOnly.expectLoaded()
  await expect(readOnly.invitedOnly).toBeVisible()
  await expect(readOnly.outcomes).toContainText('Consider an AIM assessment')
  await expect(readOnly.invitation('Kerry Doyle')).toContainText('Present')
  await expect(readOnly.minutesForm).toHaveCount(0)
  await checkA11y(kerry, 'strategy meeting (invited, read only)')
  const denied = await kerry.goto(`/cases/${caseId}`)
  expect(denied?.status()).toBe(403)
  await checkA11y(kerry, 'case (403 for the invited YOS officer)')
})
