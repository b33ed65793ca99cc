import { checkA11y } from '../support/a11y.js'
import { FindChildPage } from '../pathway/pages/children.page.js'
import { expect, PEOPLE, test } from '../pathway/people.js'
import type { ChildDetails } from '../pathway/data.js'

/** Children of this spec's own, so no other journey meets a restricted record or an open break-glass. */
const RESTRICTED: ChildDetails = { givenNames: 'Quinn', familyName: 'Ashcombe', dateOfBirth: { day: '4', month: '6', year: '2012' } }
const OTHER: ChildDetails = { givenNames: 'Ellis', familyName: 'Tregarth', dateOfBirth: { day: '19', month: '10', year: '2011' } }

test('the HSB lead restricts a record; a social worker not working with another child opens it in an emergency, read only', async ({
  people,
}) => {
  test.setTimeout(240_000)
  const aisha = await people.as(PEOPLE.aisha)
  const create = async (child: ChildDetails) => {
    const find = new FindChildPage(aisha)
    await find.goto()
    await find.search(child)
    const form = await find.createNewRecord()
    const record = await form.create()
    return record.childId()
  }
  const restrictedId = await create(RESTRICTED)

  // Restrict: a reason left blank comes back with a message by the field; then saved, with its history.
  await aisha.getByRole('link', { name: 'Restrict this record' }).click()
  await expect(aisha.getByRole('heading', { level: 1 })).toHaveText('Restrict this record')
  await checkA11y(aisha, 'restrict this record')
  await expect(aisha.getByLabel(/Aisha Rahman \(you\)/)).toBeChecked()
  await aisha.getByRole('button', { name: 'Restrict this record' }).click()
  await expect(aisha.locator('.govuk-error-summary')).toContainText('Enter why this record is being restricted')
  await expect(aisha.locator('#reason-error')).toContainText('Enter why this record is being restricted')
  await checkA11y(aisha, 'restrict this record (with errors)')
  await aisha.getByLabel('Why is this record being restricted?').fill('A relative of the child works in the front door team.')
  await aisha.getByRole('button', { name: 'Restrict this record' }).click()
  await expect(aisha.locator('.govuk-notification-banner--success')).toContainText('The record is restricted')
  await expect(aisha.locator('[data-qa="restriction-history"]')).toContainText('A relative of the child works in the front door team.')
  await checkA11y(aisha, 'restriction with its history')
  await aisha.goto(`/children/${restrictedId}`)
  await expect(aisha.getByText('Restricted record')).toBeVisible()
  await expect(aisha.getByRole('link', { name: 'Change who can see this record' })).toBeVisible()

  const otherId = await create(OTHER)

  // Sam (Assessment Team) does not work with the other child: refused, offered break-glass.
  const sam = await people.as(PEOPLE.sam)
  await sam.goto(`/children/${otherId}`)
  await expect(sam.locator('[data-qa="error-heading"]')).toHaveText('You do not have access to this page')
  await checkA11y(sam, 'refused, with break-glass offered')
  await sam.locator('[data-qa="break-glass-offer"]').click()
  await expect(sam.getByRole('heading', { level: 1 })).toHaveText('Open this record in an emergency')
  await checkA11y(sam, 'break-glass form')
  await sam.getByRole('button', { name: 'Open this record' }).click()
  await expect(sam.locator('.govuk-error-summary')).toContainText('Select why you need to open this record')
  await checkA11y(sam, 'break-glass form (with errors)')
  await sam.getByLabel('Out-of-hours emergency').check()
  await sam.getByLabel('Details').fill('Emergency duty call at night: the child is missing from home.')
  await sam.getByLabel(/I understand that my access is recorded/).check()
  await sam.getByRole('button', { name: 'Open this record' }).click()
  await expect(sam.locator('[data-qa="child-name"]')).toHaveText('Ellis Tregarth')
  await expect(sam.locator('[data-qa="break-glass-banner"]')).toContainText('You are reading this record through break-glass until')
  await checkA11y(sam, 'record opened through break-glass')

  // The restricted record never opens this way. The refusal offers break-glass as it does for any
  // record (the offer must not reveal that a record is restricted); the form then refuses in words
  // that do not say why, and nothing opens.
  await sam.goto(`/children/${restrictedId}`)
  await expect(sam.locator('[data-qa="error-heading"]')).toHaveText('You do not have access to this page')
  await expect(sam.locator('main')).not.toContainText(/restrict/i)
  await sam.locator('[data-qa="break-glass-offer"]').click()
  await expect(sam.locator('main')).toContainText('This record cannot be opened in an emergency. Ask the HSB lead or the head of service.')
  await expect(sam.locator('main')).not.toContainText(/restrict/i)
  await expect(sam.locator('[data-qa="child-name"]')).toHaveCount(0)
})
