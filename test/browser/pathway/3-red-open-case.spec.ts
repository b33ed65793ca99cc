import { checkA11y } from '../support/a11y.js'
import { CHILDREN, fullName, londonNow } from './data.js'
import { CasePage } from './pages/case.page.js'
import { QueuePage } from './pages/queue.page.js'
import { YourRequestPage } from './pages/referral.pages.js'
import { ArrangeMeetingPage, StrategyMeetingPage } from './pages/strategy-meeting.page.js'
import { expect, PEOPLE, test } from './people.js'
import { allocateToAssessmentTeam, confirmScreening, findAndCreateChild, raiseRequestForSupport, recordScreening } from './steps.js'

const child = CHILDREN.redOpenCase
const name = fullName(child)
const POLICE = 'Northshire Police'

test('(3) red on an open case: the allocated worker screens, the team manager oversees and chairs the strategy meeting', async ({
  people,
}) => {
  test.setTimeout(240_000)

  // The child becomes known to children's social care: an earlier request, allocated to the Assessment Team and Sam Okafor.
  const priya = await people.as(PEOPLE.priya)
  const childId = await findAndCreateChild(priya, child)
  const earlierCaseId = await raiseRequestForSupport(priya, childId, child, {
    whatHappened: 'Jordan has been refusing to go home after school and says there are arguments at home.',
    where: ['At home'],
  })
  const helen = await people.as(PEOPLE.helen)
  await allocateToAssessmentTeam(helen, earlierCaseId, child)

  // A new concern: from her earlier request's page the referrer raises another, saying the child is already open to children's social care.
  const earlier = new YourRequestPage(priya)
  await earlier.goto(earlierCaseId, name)
  await expect(priya.locator('[data-qa="request-progress"]')).toContainText('Assessment Team')
  await checkA11y(priya, 'your request (allocated)')
  await earlier.raiseAnother()
  const caseId = await raiseRequestForSupport(priya, childId, child, {
    whatHappened:
      'A Year 7 pupil told staff that Jordan forced them into sexual touching in the toilets and threatened to hurt them if they told anyone.',
    where: ['At school or college'],
    alreadyOpen: true,
  })

  // The allocated worker, not the front door, finds it in their work and screens it red.
  const sam = await people.as(PEOPLE.sam)
  const myWork = new QueuePage(sam)
  await myWork.goto('/work', 'My work')
  await expect(myWork.caseRow(caseId)).toContainText('Waiting for screening')
  await checkA11y(sam, 'my work (allocated worker)')
  await recordScreening(
    sam,
    caseId,
    child,
    [
      {
        description: 'Forced a younger pupil into sexual touching and threatened them to keep it secret',
        where: 'At school or college',
        hackett: 'Abusive',
        rating: 'Red',
        rationale: 'Force, threats and secrecy with a younger child.',
      },
    ],
    'Red: coercive sexual behaviour towards a younger child. A strategy meeting with the police is needed within 24 hours.',
  )

  // The team manager oversees: red confirmed, the strategy clock starts; the case is allocated with interim measures.
  const kase = await confirmScreening(helen, caseId, child, 'Red')
  await expect(kase.status).toHaveText('Strategy meeting due')
  await expect(kase.clockState('Strategy meeting (24 hours)')).toHaveText('Running')
  await allocateToAssessmentTeam(
    helen,
    caseId,
    child,
    'Jordan supervised at all times at school and kept away from younger pupils; his parents collect him.',
  )

  // The HSB lead sees the case with its strategy clock running and opens the arrangements: on the open-case route
  // the allocated team's manager is offered as chair, not the person arranging.
  const aisha = await people.as(PEOPLE.aisha)
  const overview = new QueuePage(aisha)
  await overview.goto('/work/hsb-overview', 'HSB overview')
  await expect(overview.caseRow(caseId)).toContainText('Strategy meeting due')
  await expect(overview.clock(overview.caseRow(caseId), 'STRATEGY_MEETING')).toHaveAttribute('data-clock-state', 'RUNNING')
  await checkA11y(aisha, 'HSB overview')
  await overview.caseRow(caseId).getByRole('link', { name, exact: true }).click()
  const leadsView = new CasePage(aisha)
  await leadsView.expectLoaded(name)
  await expect(leadsView.summaryValue('Route')).toHaveText('Already open to a service')
  await checkA11y(aisha, 'case (HSB lead)')
  await leadsView.takeAction('Arrange the strategy meeting')
  const arrange = new ArrangeMeetingPage(aisha)
  await arrange.expectLoaded()
  expect(await arrange.chosenChair(), 'the allocated team’s manager chairs on the open-case route').toMatch(/^Helen Marsh \(/)
  await checkA11y(aisha, 'arrange strategy meeting (HSB lead)')
  await arrange.arrange({
    when: londonNow(),
    agencies: [POLICE],
    people: [{ agency: 'Northshire Children’s Services', name: 'Sam Okafor' }],
  })
  const arranged = new StrategyMeetingPage(aisha)
  await arranged.expectLoaded()
  await expect(arranged.summaryValue('Chair')).toHaveText('Helen Marsh')
  await expect(aisha.locator('[data-qa="finalise-minutes"]'), 'only the chair finalises').toHaveCount(0)
  await checkA11y(aisha, 'strategy meeting (HSB lead, not chair)')

  // The team manager chairs: records the meeting and finalises the minutes.
  const meeting = new StrategyMeetingPage(helen)
  await helen.goto(`/cases/${caseId}/strategy-meeting`)
  await meeting.expectLoaded()
  await checkA11y(helen, 'strategy meeting (chair, draft)')
  await meeting.held(londonNow())
  await meeting.attendance(`${POLICE} (invited as an agency)`, 'Present')
  await meeting.attendance('Sam Okafor, Northshire Children’s Services', 'Present')
  await meeting.text(
    'Information shared',
    'Police: the younger pupil’s family have reported it. Social worker: Jordan is open to the Assessment Team.',
  )
  await meeting.text('Risks', 'Further harm to younger pupils at school.')
  await meeting.text('Decisions', 'Section 47 enquiry; joint investigation with the police; initial child protection conference.')
  await meeting.outcome('Section 47 enquiry (child protection)')
  await meeting.outcome('Threshold met for an initial child protection conference')
  await meeting.outcome('Consider an AIM assessment')
  await meeting.finalise()
  await meeting.expectLoaded()
  await expect(helen.locator('.govuk-notification-banner__heading')).toHaveText('Minutes finalised')
  await expect(meeting.summaryValue('Minutes')).toContainText('by Helen Marsh: locked')
  await checkA11y(helen, 'strategy meeting (finalised by the chair)')

  await kase.goto(caseId, name)
  await expect(kase.status).toHaveText('Strategy meeting held')
  await expect(kase.summaryValue('Rating')).toHaveText('Red')
  await expect(kase.summaryValue('Route')).toHaveText('Already open to a service')
  await expect(kase.clockState('Strategy meeting (24 hours)')).toHaveText('Met')
  await expect(kase.clockState('Initial child protection conference (15 working days)')).toHaveText('Running')
  await checkA11y(helen, 'case (red, strategy meeting held)')
})
