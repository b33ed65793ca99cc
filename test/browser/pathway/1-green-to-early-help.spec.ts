import { checkA11y } from '../support/a11y.js'
import { CHILDREN, fullName } from './data.js'
import { CasePage } from './pages/case.page.js'
import { QueuePage } from './pages/queue.page.js'
import { GreenDecisionPage, ReferrerUpdatesPage, YourRequestPage } from './pages/referral.pages.js'
import { expect, PEOPLE, test } from './people.js'
import { confirmScreening, findAndCreateChild, raiseRequestForSupport, recordScreening } from './steps.js'

const child = CHILDREN.greenToEarlyHelp
const name = fullName(child)

test('(1) green to early help: referrer → front-door screening → manager confirms green → early help requested', async ({ people }) => {
  test.setTimeout(240_000)

  // The referrer (a school's safeguarding lead) looks for the child first, finds no record, creates one and raises a request for support.
  const priya = await people.as(PEOPLE.priya)
  const childId = await findAndCreateChild(priya, child, { expectNoMatch: true })
  const caseId = await raiseRequestForSupport(priya, childId, child, {
    whatHappened:
      'Rowan (Year 9) was seen looking at sexual pictures on a friend’s phone at break with two boys the same age. He put it away and was embarrassed when a teacher came over.',
    where: ['At school or college', 'Online'],
  })

  // It lands in the front-door queue, where the Front Door (MASH) social worker picks it up and screens it green.
  const jo = await people.as(PEOPLE.jo)
  const frontDoor = new QueuePage(jo)
  await frontDoor.goto('/work/front-door', 'Front door')
  await expect(frontDoor.row(name)).toContainText('Waiting for screening')
  await checkA11y(jo, 'front door queue')
  await recordScreening(
    jo,
    caseId,
    child,
    [
      {
        description: 'Looked at sexual pictures on a friend’s phone with boys his age; stopped when a teacher came over',
        where: 'Online',
        hackett: 'Inappropriate',
        rating: 'Green',
        rationale: 'A one-off with peers his age, no pressure on anyone, and he stopped when found.',
      },
    ],
    'Green: needs help with online safety and healthy relationships; early help with the school and family.',
  )

  // The team manager sees it waiting for oversight at the front door and confirms green.
  const helen = await people.as(PEOPLE.helen)
  const helensFrontDoor = new QueuePage(helen)
  await helensFrontDoor.goto('/work/front-door', 'Front door')
  await expect(helensFrontDoor.row(name), 'the team manager sees front-door screenings waiting for oversight').toContainText(
    'Waiting for management oversight',
  )
  await checkA11y(helen, 'front door queue (team manager)')
  // The case offers her the oversight step by name. (Soft, so the journey goes on if it does not: the
  // link to the oversight page is labelled with whichever of "confirm" and "return" the presenter met last.)
  await helensFrontDoor.row(name).getByRole('link', { name, exact: true }).click()
  const awaiting = new CasePage(helen)
  await awaiting.expectLoaded(name)
  await checkA11y(helen, 'case (team manager, awaiting oversight)')
  await expect
    .soft(
      awaiting.actions.locator(`a[href="/cases/${caseId}/screening/oversight"]`),
      'the case offers the team manager confirming the screening',
    )
    .toHaveText(/Confirm or return the screening/, { timeout: 1_000 })
  const confirmed = await confirmScreening(helen, caseId, child, 'Green')
  await expect(confirmed.status).toHaveText('Green: decide next steps')

  // The social worker requests early help, naming the professionals.
  const kase = new CasePage(jo)
  await kase.goto(caseId, name)
  await checkA11y(jo, 'case (green decision due)')
  await kase.actions.locator(`a[href="/cases/${caseId}/decision"]`).click()
  const decision = new GreenDecisionPage(jo)
  await decision.expectLoaded()
  await checkA11y(jo, 'green decision')
  await decision.requestEarlyHelp('Priya Shah, designated safeguarding lead, Riverside Academy; the school nurse (School Nursing).')
  await kase.expectLoaded(name)
  await kase.expectFlash('Early help requested')
  await expect(kase.status).toHaveText('Early help requested')
  await expect(kase.history).toContainText('Early help requested')
  await checkA11y(jo, 'case (early help requested)')

  // The social worker shares with the school what it needs to do; the referrer is told the outcome in plain words and reads it.
  const updates = new ReferrerUpdatesPage(jo)
  await updates.goto(caseId)
  await checkA11y(jo, 'updates for the referrer')
  await updates.share(
    'What the school can do',
    'Early help will work with Rowan and his family on online safety and healthy relationships.\n\nPlease talk with Rowan’s class about sharing pictures, as planned with the school nurse.',
  )
  await checkA11y(jo, 'updates for the referrer (shared)')

  await priya.goto('/notifications')
  await checkA11y(priya, 'notifications (referrer)')
  await priya.getByRole('link', { name: 'An update on a request for support you raised' }).first().click()
  const referrersView = new YourRequestPage(priya)
  await referrersView.expectLoaded(name)
  await expect(referrersView.status).toHaveText('Passed to early help')
  await expect(referrersView.updates).toHaveCount(1)
  await expect(referrersView.updates).toContainText('Please talk with Rowan’s class about sharing pictures')
  await expect(priya.locator('main'), 'no rating, screening or history for the referrer').not.toContainText(/Green|Hackett|Screening/)
  await checkA11y(priya, 'your request (referrer, early help requested)')

  // The case itself stays closed to her.
  const refused = await priya.goto(`/cases/${caseId}`)
  expect(refused?.status()).toBe(403)
})
