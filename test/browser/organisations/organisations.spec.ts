import type { Page } from '@playwright/test'
import { DEMO_EMAILS } from '../../../src/demo/demo-data.js'
import { DEMO_RENAMED_TEAM, DEMO_RETIRED_AGENCY } from '../../../src/demo/demo-organisations.js'
import { checkA11y } from '../support/a11y.js'
import { expect, test } from '../support/fixtures.js'
import { signIn } from '../support/journeys.js'

/**
 * The partnership's organisations as the system administrator keeps them (add an agency and a
 * team, rename, a refused retirement, retire the team then the agency, the agency no longer
 * offered), and the business manager's walk without JavaScript. axe on every page.
 */

const ADMIN = DEMO_EMAILS.chris
const BUSINESS_MANAGER = DEMO_EMAILS.ben

async function openOrganisations(page: Page) {
  await page.getByRole('link', { name: 'Organisations', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Organisations' })).toBeVisible()
  await checkA11y(page, 'organisations')
}

async function addAgency(page: Page, name: string, kind: string) {
  await page.getByRole('button', { name: 'Add an agency' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Add an agency' })).toBeVisible()
  await checkA11y(page, 'add an agency')
  await page.getByLabel('Name').fill(name)
  await page.getByLabel(kind, { exact: true }).check()
  await page.getByRole('button', { name: 'Add agency' }).click()
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible()
  await expect(page.locator('.govuk-notification-banner')).toContainText('Agency added')
  await checkA11y(page, 'agency added')
}

async function rename(page: Page, from: string, to: string) {
  await page.getByRole('link', { name: 'Change name' }).click()
  await checkA11y(page, `change ${from}`)
  await page.getByLabel('Name').fill(to)
  await page.getByRole('button', { name: 'Save changes' }).click()
  await expect(page.getByRole('heading', { level: 1, name: to })).toBeVisible()
  await expect(page.locator('[data-qa="history"]')).toContainText(`Renamed from “${from}” to “${to}”`)
}

async function retire(page: Page, what: 'agency' | 'team') {
  await page.getByRole('button', { name: `Retire this ${what}` }).click()
  await checkA11y(page, `retire the ${what}`)
  await page.getByRole('button', { name: `Retire ${what}` }).click()
}

test('the system administrator adds, renames and retires an agency and its team, with their history', async ({ page }) => {
  test.setTimeout(180_000)
  await signIn(page, ADMIN)
  await openOrganisations(page)

  // The demo's history in use: an agency added, renamed and retired; a renamed team.
  await page.getByRole('link', { name: DEMO_RETIRED_AGENCY.renamed }).click()
  const history = page.locator('[data-qa="history"]')
  await expect(history).toContainText(`Added as “${DEMO_RETIRED_AGENCY.added}” (Voluntary sector)`)
  await expect(history).toContainText(`Renamed from “${DEMO_RETIRED_AGENCY.added}” to “${DEMO_RETIRED_AGENCY.renamed}”`)
  await expect(history).toContainText('Retired: no longer offered for new records')
  await expect(history).toContainText('Ben Carter')
  await checkA11y(page, 'a retired agency')
  await page.goto('/admin/organisations')
  await expect(page.getByRole('link', { name: DEMO_RENAMED_TEAM.to })).toBeVisible()

  // A blank form is refused beside its fields.
  await page.getByRole('button', { name: 'Add an agency' }).click()
  await page.getByRole('button', { name: 'Add agency' }).click()
  await expect(page.locator('.govuk-error-summary')).toContainText('Enter the agency’s name')
  await expect(page.locator('.govuk-error-summary')).toContainText('Select the kind of agency')
  await checkA11y(page, 'add an agency with errors')
  await page.goto('/admin/organisations')

  await addAgency(page, 'Saltmarsh Sailing Trust', 'Voluntary sector')
  await rename(page, 'Saltmarsh Sailing Trust', 'Saltmarsh Sailing Club')

  // A team for it, from its page (the agency already chosen).
  await page.getByRole('button', { name: 'Add a team' }).click()
  await expect(page.getByLabel('Agency')).toHaveValue(/[0-9a-f-]{36}/)
  await checkA11y(page, 'add a team')
  await page.getByLabel('Name').fill('Saltmarsh Youth Crew')
  await page.getByLabel('No', { exact: true }).check()
  await page.getByRole('button', { name: 'Add team' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Saltmarsh Youth Crew' })).toBeVisible()
  await checkA11y(page, 'team added')

  // The agency cannot be retired while its team is in use: the page says what to do.
  await page.getByRole('link', { name: 'Saltmarsh Sailing Club' }).first().click()
  await retire(page, 'agency')
  await expect(page.locator('.govuk-error-summary')).toContainText('Retire it first, from the team’s page.')
  await checkA11y(page, 'retiring refused')

  // Retire the team, then the agency.
  await page.getByRole('link', { name: 'Back to Saltmarsh Sailing Club' }).click()
  await page.getByRole('link', { name: 'Saltmarsh Youth Crew' }).click()
  await retire(page, 'team')
  await expect(page.locator('.govuk-notification-banner')).toContainText('Team retired')
  await checkA11y(page, 'team retired')
  await page.getByRole('link', { name: 'Back to Saltmarsh Sailing Club' }).click()
  await retire(page, 'agency')
  await expect(page.locator('.govuk-notification-banner')).toContainText('Agency retired')
  await expect(page.locator('[data-qa="history"]')).toContainText('Retired: no longer offered for new records')
  await checkA11y(page, 'agency retired')

  // No longer offered for a new person.
  await page.goto('/admin/users/new')
  await expect(page.getByRole('heading', { level: 1, name: 'Create a user' })).toBeVisible()
  await expect(page.locator('form[action="/admin/users/new"]')).not.toContainText('Saltmarsh Sailing Club')
  await expect(page.locator('form[action="/admin/users/new"]')).not.toContainText(DEMO_RETIRED_AGENCY.renamed)
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('the business manager adds, renames and retires an agency', async ({ page }) => {
    test.setTimeout(180_000)
    await signIn(page, BUSINESS_MANAGER)
    await openOrganisations(page)
    await addAgency(page, 'Estuary Carers Network', 'Other')
    await rename(page, 'Estuary Carers Network', 'Estuary Young Carers Network')
    await retire(page, 'agency')
    await expect(page.locator('.govuk-notification-banner')).toContainText('Agency retired')
    await expect(page.locator('[data-qa="history"]')).toContainText('Ben Carter')
    await checkA11y(page, 'agency retired')
  })
})
