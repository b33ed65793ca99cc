import { checkA11y } from '../support/a11y.js'
import { expect, PEOPLE, test } from '../pathway/people.js'

const FIONA = 'fiona.grant@northshire.example'

/**
 * (4) Restricted material: Ash Fernley's social worker asked (demo data) to read the ABE
 * interview of Robin Quayle, the younger pupil harmed. The head of service approves it for a
 * limited time; Sam reads it; the HSB lead sees the request, approval and read in both
 * children's access reports.
 */
test('(4) ABE access requested, approved, used and shown in the access report', async ({ people }) => {
  test.setTimeout(150_000)

  // Sam cannot read the summary yet: his request waits.
  const sam = await people.as(PEOPLE.sam)
  await sam.goto('/notifications')
  const fiona = await people.as(FIONA)
  await fiona.goto('/notifications')
  // The notification leads to the material's page, where the request is decided.
  await fiona.getByRole('link', { name: 'Request to read restricted interview material' }).first().click()
  await expect(fiona.locator('h1')).toHaveText('Restricted interview material (ABE)')
  await expect(fiona.locator('[data-qa="all-requests"]')).toContainText('Sam Okafor')
  await expect(fiona.locator('[data-qa="all-requests"]')).toContainText('Waiting for a decision')
  await checkA11y(fiona, 'restricted material (approver)')
  const caseUrl = fiona.url()

  await fiona.locator('[data-qa="decide-request"]').first().click()
  await expect(fiona.locator('[data-qa="access-request"]')).toContainText('Sam Okafor')
  await checkA11y(fiona, 'decide ABE request')
  // Too long first: refused with the input kept.
  await fiona.getByLabel('Approve, for a limited time').check()
  await fiona.getByLabel('How long should access last?').fill('120')
  await fiona.getByRole('button', { name: 'Save decision' }).click()
  await expect(fiona.locator('.govuk-error-summary')).toContainText('Access must last between 1 and 90 days')
  await expect(fiona.getByLabel('How long should access last?')).toHaveValue('120')
  await checkA11y(fiona, 'decide ABE request (error)')
  await fiona.getByLabel('How long should access last?').fill('7')
  await fiona.getByRole('button', { name: 'Save decision' }).click()
  await expect(fiona.locator('.govuk-notification-banner__heading')).toHaveText('Access approved')
  await expect(fiona.locator('[data-qa="all-requests"]')).toContainText('Approved')

  // Sam is told, and reads the summary.
  await sam.goto('/notifications')
  await sam.getByRole('link', { name: 'Decision on your request for restricted interview material' }).first().click()
  await expect(sam.locator('h1')).toHaveText('Restricted interview material (ABE)')
  await expect(sam.locator('[data-qa="my-requests"]')).toContainText('Approved')
  await checkA11y(sam, 'restricted material (approved)')
  await sam.locator('[data-qa="read-material"]').click()
  await expect(sam.locator('[data-qa="abe-summary"]')).toContainText('Robin described messages from Ash')
  await checkA11y(sam, 'ABE summary')

  // The HSB lead sees it in the access report of the case's child and of the harmed child.
  const aisha = await people.as(PEOPLE.aisha)
  await aisha.goto(caseUrl.replace(/\/restricted-material$/, ''))
  await aisha.locator('[data-qa="child-record-link"]').click()
  const ashRecord = aisha.url()
  await aisha.getByRole('link', { name: 'Who has seen or changed this record' }).click()
  const report = aisha.locator('[data-qa="access-history"]')
  await expect(report).toContainText('Read restricted interview material (ABE)')
  await expect(report).toContainText('Approved access to restricted interview material (ABE)')
  await expect(report).toContainText('Asked to read restricted interview material (ABE)')
  await checkA11y(aisha, 'access history (case child)')
  await aisha.goto(ashRecord)
  await aisha.getByRole('link', { name: 'Robin Quayle' }).click()
  await aisha.getByRole('link', { name: 'Who has seen or changed this record' }).click()
  await expect(report).toContainText('Read restricted interview material (ABE)')
  await expect(report.locator('tr').filter({ hasText: 'Read restricted interview material (ABE)' }).first()).toContainText('Sam Okafor')
  await expect(report).toContainText('Approved access to restricted interview material (ABE)')
})
