import { checkA11y } from '../support/a11y.js'
import { CHILDREN, fullName, type ChildDetails } from './data.js'
import { FindChildPage } from './pages/children.page.js'
import { RequestForSupportPage } from './pages/referral.pages.js'
import { expect, PEOPLE, test } from './people.js'
import { findAndCreateChild } from './steps.js'

const original = CHILDREN.duplicateOriginal
/** The same child as someone else might type them: another spelling of the first name, the same date of birth. */
const typedAgain: ChildDetails = { ...original, givenNames: 'Jaden' }

test('(7) a duplicate child is offered before a second record is created, and creating one anyway needs a confirmation', async ({
  people,
}) => {
  test.setTimeout(150_000)

  const priya = await people.as(PEOPLE.priya)
  const originalId = await findAndCreateChild(priya, original, { expectNoMatch: true })

  // Searching with a similar name and the same date of birth offers the existing record.
  const find = new FindChildPage(priya)
  await find.goto()
  await checkA11y(priya, 'find a child')
  await find.search(typedAgain)
  await expect(find.results).toHaveText('1 possible match')
  const match = find.match(fullName(original))
  await expect(match).toContainText('Strong match')
  await expect(match).toContainText('Same date of birth')
  await expect(match).toContainText('Similar first name')
  // She created that record, so she is told who it is; a referrer raises a request rather than opening the record.
  await expect(match.getByRole('link', { name: /^Open the record/ })).toHaveCount(0)
  await expect(match.getByRole('link', { name: /^Raise a request for support about this child/ })).toHaveAttribute(
    'href',
    `/children/${originalId}/request-for-support`,
  )
  await expect(find.createNew).toHaveText('None of these is the child – create a new record')
  await checkA11y(priya, 'search results (a possible match)')

  // Going on to create a record anyway: the match is shown again and a confirmation is asked for; nothing is created yet.
  const form = await find.createNewRecord()
  await form.expectCarried(typedAgain)
  await checkA11y(priya, 'new child form (from a search with a match)')
  await form.submit()
  await form.expectLoaded()
  await expect(priya).toHaveTitle(/^Error: /)
  await expect(
    form.errorSummary.getByRole('link', { name: 'Check the possible matches and confirm this is a different child' }),
  ).toHaveAttribute('href', '#confirm-different')
  await expect(form.possibleMatches).toBeVisible()
  await expect(form.matches.filter({ hasText: fullName(original) })).toHaveCount(1)
  await expect(form.confirmDifferent).not.toBeChecked()
  await form.expectCarried(typedAgain)
  await checkA11y(priya, 'new child form (confirmation needed)')

  // Confirming it is a different child creates the second record.
  await form.confirmDifferent.check()
  await form.submit()
  const second = new RequestForSupportPage(priya)
  await second.expectLoaded(fullName(typedAgain))
  await expect(priya.locator('.govuk-notification-banner__heading')).toHaveText(`Record created for ${fullName(typedAgain)}`)
  expect(second.childId()).not.toBe(originalId)
  await checkA11y(priya, 'request for support (second record, confirmed)')

  // Both are offered to the next search.
  await find.goto()
  await checkA11y(priya, 'find a child (again)')
  await find.search(typedAgain)
  await expect(find.results).toHaveText('2 possible matches')
  await checkA11y(priya, 'search results (two records)')
})
