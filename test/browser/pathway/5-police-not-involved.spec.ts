import { checkA11y } from '../support/a11y.js'
import { CHILDREN, fullName } from './data.js'
import { ChildRecordPage } from './pages/children.page.js'
import { expect, PEOPLE, test } from './people.js'
import { findAndCreateChild, raiseRequestForSupport } from './steps.js'

const child = CHILDREN.policeNotInvolved
const name = fullName(child)

test('(5) a police officer not involved in the case cannot open it, and the denial is in the record’s access history', async ({
  people,
}) => {
  test.setTimeout(150_000)

  const priya = await people.as(PEOPLE.priya)
  const childId = await findAndCreateChild(priya, child)
  const caseId = await raiseRequestForSupport(priya, childId, child, {
    whatHappened: 'Harper was found pressuring a younger child at the after-school club to play a “touching game”.',
    where: ['At school or college'],
  })

  // A police officer with no part in this child's case tries the case's address and the child's record.
  const mark = await people.as(PEOPLE.mark)
  for (const [what, path] of [
    ['case', `/cases/${caseId}`],
    ['child’s record', `/children/${childId}`],
  ] as const) {
    const response = await mark.goto(path)
    expect(response?.status(), `the ${what} is refused`).toBe(403)
    await expect(mark.locator('[data-qa="error-heading"]')).toHaveText('You do not have access to this page')
    await expect(mark.locator('body')).not.toContainText(child.familyName)
    await checkA11y(mark, `${what} (403 for a police officer not involved)`)
  }

  // The HSB lead opens the child's record and its access history: the police officer's refused attempts are there.
  const aisha = await people.as(PEOPLE.aisha)
  const leadsView = new ChildRecordPage(aisha)
  await leadsView.goto(childId, name)
  await checkA11y(aisha, 'child record (HSB lead)')
  const history = await leadsView.openAccessHistory()
  const denied = history.entries('Mark Ellis', 'Denied')
  await expect(denied.first()).toContainText('Northshire Police')
  await expect(denied.filter({ hasText: 'Opened the record' }), 'the refused attempt to open the child’s record').toHaveCount(1)
  // The case page is the child's record too: its refusal belongs in the same history.
  await expect.soft(denied, 'both refused attempts: the case and the child’s record').toHaveCount(2, { timeout: 1_000 })
  await checkA11y(aisha, 'access history')
})
