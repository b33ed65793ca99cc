import { checkA11y } from '../support/a11y.js'
import { CHILDREN, fullName } from './data.js'
import { CasePage } from './pages/case.page.js'
import { ChildRecordPage } from './pages/children.page.js'
import { QueuePage } from './pages/queue.page.js'
import { expect, PEOPLE, test } from './people.js'
import { findAndCreateChild, raiseRequestForSupport } from './steps.js'

const child = CHILDREN.behaviourChild
const harmed = CHILDREN.harmedChild
const name = fullName(child)
const harmedName = fullName(harmed)

test('(6) the harmed child’s record is not reachable through the other child’s case', async ({ people }) => {
  test.setTimeout(180_000)

  // The referrer knows both children: she raises a request for support about one and creates a record for the child harmed.
  const priya = await people.as(PEOPLE.priya)
  const childId = await findAndCreateChild(priya, child)
  const caseId = await raiseRequestForSupport(priya, childId, child, {
    whatHappened: 'Riley (Year 10) was seen touching a much younger pupil sexually on the school field.',
    where: ['At school or college'],
  })
  const harmedId = await findAndCreateChild(priya, harmed)

  // The HSB lead, who may open both records, links the younger pupil to Riley as the harmed child, from Riley's record.
  const aisha = await people.as(PEOPLE.aisha)
  const record = new ChildRecordPage(aisha)
  await record.goto(childId, name)
  await checkA11y(aisha, 'child record (before linking)')
  const link = await record.openLinkForm()
  await checkA11y(aisha, 'link another child')
  await link.find('Harmed child', harmed)
  const choice = link.matchChoice(`${harmedName}, born 12 August 2015`)
  await expect(choice).toBeVisible()
  await checkA11y(aisha, 'link another child (matches)')
  await choice.check()
  await link.link()
  await record.expectLoaded(name)
  await expect(aisha.locator('.govuk-notification-banner__heading')).toHaveText('Child linked')
  await expect(record.linkedChildren.getByRole('link', { name: harmedName })).toHaveAttribute('href', `/children/${harmedId}`)
  await expect(record.linkedChildren).toContainText('Harmed child')
  await checkA11y(aisha, 'child record (harmed child linked)')

  // Riley's social worker at the front door opens his case and his record: the link is there, the harmed child is not.
  const jo = await people.as(PEOPLE.jo)
  const frontDoor = new QueuePage(jo)
  await frontDoor.goto('/work/front-door', 'Front door')
  await checkA11y(jo, 'front door queue')
  await frontDoor.caseRow(caseId).getByRole('link', { name, exact: true }).click()
  const kase = new CasePage(jo)
  await kase.expectLoaded(name)
  await expect(jo.locator('main')).not.toContainText(harmed.familyName)
  await checkA11y(jo, 'case (social worker)')

  await kase.openChildRecord()
  const joView = new ChildRecordPage(jo)
  await joView.expectLoaded(name)
  expect(joView.childId()).toBe(childId)
  const row = joView.linkedChildren.locator('tbody tr')
  await expect(row).toHaveCount(1)
  await expect(row).toContainText('A linked child (harmed child): you do not have access to their record')
  await expect(row.getByRole('link'), 'no link to the harmed child’s record').toHaveCount(0)
  await expect(jo.locator(`a[href*="${harmedId}"]`), 'the harmed child’s address is nowhere on the page').toHaveCount(0)
  await expect(jo.locator('main')).not.toContainText(harmed.givenNames)
  await expect(jo.locator('main')).not.toContainText(harmed.familyName)
  await checkA11y(jo, 'child record (linked child hidden)')

  // And the harmed child's own address is refused.
  const response = await jo.goto(`/children/${harmedId}`)
  expect(response?.status()).toBe(403)
  await expect(jo.locator('[data-qa="error-heading"]')).toHaveText('You do not have access to this page')
  await expect(jo.locator('body')).not.toContainText(harmed.familyName)
  await checkA11y(jo, 'harmed child’s record (403)')
})
