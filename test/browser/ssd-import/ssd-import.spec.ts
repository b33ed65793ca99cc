import { readFile } from 'node:fs/promises'
import type { Download, Locator, Page } from '@playwright/test'
import { DEMO_EMAILS } from '../../../src/demo/demo-data.js'
import { DEMO_EXTRACT_NAME, DEMO_LA_CODE } from '../../../src/demo/demo-ssd-import.js'
import { testNhsNumber } from '../../../src/demo/demo-steps.js'
import { zipOf } from '../../support/ssd-extract.js'
import { checkA11y } from '../support/a11y.js'
import { expect, test } from '../support/fixtures.js'
import { signIn } from '../support/journeys.js'

/**
 * The SSD import as the HSB lead uses it (upload → check → choose episodes → decide a possible
 * match → import), the same walk without JavaScript, and the analyst's downloads.
 * Each walk uploads its own fictional extract (its own council ids, names and NHS numbers), so
 * neither finds the other's children already in the service.
 */

const HSB_LEAD = DEMO_EMAILS.aisha
const ANALYST = DEMO_EMAILS.leo

type Person = { id: string; forename: string; surname: string; dob: string; sex: 'M' | 'F'; nhs: string }

/**
 * A small extract: four people, the first two the same child under two council ids (same names,
 * date of birth and NHS number); one episode each, those of the first and third person assessed
 * with factor 19B (child-on-child sexual abuse), the other two without it.
 */
function extract(prefix: string, people: Person[]): Buffer {
  const [a, b, c, d] = people as [Person, Person, Person, Person]
  const csv = (lines: string[]) => lines.join('\r\n')
  return zipOf([
    {
      name: 'ssd_person.csv',
      data: csv([
        'pers_person_id,pers_forename,pers_surname,pers_dob,pers_sex,pers_ethnicity,pers_single_unique_id',
        ...people.map((p) => `${p.id},${p.forename},${p.surname},${p.dob},${p.sex},WBRI,${p.nhs}`),
      ]),
    },
    {
      name: 'ssd_cin_episodes.csv',
      data: csv([
        'cine_referral_id,cine_person_id,cine_referral_date,cine_referral_source_code,cine_close_date,cine_close_reason,cine_referral_team',
        `${prefix}R1,${a.id},2021-06-14,2A,2021-11-30,RC8,${prefix}T1`,
        `${prefix}R2,${b.id},2021-08-02,6,2021-12-10,RC8,${prefix}T1`,
        `${prefix}R3,${c.id},2021-10-11,6,2022-02-25,RC7,${prefix}T2`,
        `${prefix}R4,${d.id},2022-05-16,2A,2022-09-30,RC8,${prefix}T2`,
      ]),
    },
    {
      name: 'ssd_s47_enquiry.csv',
      data: csv([
        's47e_s47_enquiry_id,s47e_referral_id,s47e_person_id,s47e_s47_start_date,s47e_s47_end_date,s47e_s47_nfa',
        `${prefix}S3,${prefix}R3,${c.id},2021-10-12,2021-11-15,N`,
      ]),
    },
    {
      name: 'ssd_cin_assessments.csv',
      data: csv([
        'cina_assessment_id,cina_person_id,cina_referral_id,cina_assessment_start_date,cina_assessment_auth_date,cina_assessment_team',
        `${prefix}A1,${a.id},${prefix}R1,2021-06-15,2021-07-30,${prefix}T1`,
        `${prefix}A3,${c.id},${prefix}R3,2021-10-12,2021-12-03,${prefix}T2`,
        `${prefix}A4,${d.id},${prefix}R4,2022-05-17,2022-07-01,${prefix}T2`,
      ]),
    },
    {
      name: 'ssd_assessment_factors.csv',
      data: csv([
        'cinf_table_id,cinf_assessment_id,cinf_assessment_factors_json',
        `${prefix}F1,${prefix}A1,"[""19B""]"`,
        `${prefix}F3,${prefix}A3,"[""19B"",""4A""]"`,
        `${prefix}F4,${prefix}A4,"[""2B""]"`,
      ]),
    },
    {
      name: 'ssd_department.csv',
      data: csv(['dept_team_id,dept_team_name', `${prefix}T1,Example Assessment Team`, `${prefix}T2,Example Early Help Hub`]),
    },
  ])
}

function twins(prefix: string, nhsStart: number, names: [string, string][], dobs: string[]): Person[] {
  const [first, ...others] = names
  const people = (i: number, [forename, surname]: [string, string], dob: string): Person => ({
    id: `${prefix}${String(101 + i).padStart(5, '0')}`,
    forename,
    surname,
    dob,
    sex: i % 2 ? 'F' : 'M',
    nhs: testNhsNumber(String(nhsStart + i)),
  })
  const a = people(0, first!, dobs[0]!)
  return [a, { ...a, id: `${prefix}${String(102).padStart(5, '0')}` }, ...others.map((n, k) => people(k + 2, n, dobs[k + 1]!))]
}

/** The check page's figure called `name` (its summary list row's value). */
function figure(page: Page, name: string): Locator {
  return page
    .locator('[data-qa="import-figures"] .govuk-summary-list__row')
    .filter({ has: page.locator('.govuk-summary-list__key', { hasText: new RegExp(`^\\s*${name.replace(/[()]/g, '\\$&')}\\s*$`) }) })
    .locator('.govuk-summary-list__value')
}

async function expectFigures(page: Page, expected: Record<string, number>): Promise<void> {
  for (const [name, value] of Object.entries(expected)) await expect(figure(page, name), name).toHaveText(String(value))
}

async function upload(page: Page, name: string, zip: Buffer, laCode?: string): Promise<void> {
  await page.getByLabel('SSD extract (zip)').setInputFiles({ name, mimeType: 'application/zip', buffer: zip })
  if (laCode) await page.getByLabel('Local authority code (optional)').fill(laCode)
  await page.getByRole('button', { name: 'Upload and check' }).click()
  await expect(page.locator('h1')).toHaveText(`Check the import of ${name}`)
}

const matchGroup = (page: Page, personId: string) =>
  page.getByRole('group', { name: new RegExp(`^Is .*\\(council id ${personId}\\) the same child as`) })

test('the HSB lead checks an extract, chooses the 19B episodes, decides a match and imports', async ({ page }) => {
  test.setTimeout(120_000)
  const people = twins(
    'BRW',
    771001,
    [
      ['Demelza', 'Trewartha-Example'],
      ['Ythel', 'Carnsew-Example'],
      ['Jenifry', 'Polglase-Example'],
    ],
    ['2011-04-10', '2010-09-21', '2012-01-30'],
  )
  const zipName = 'browser-test-ssd-extract.zip'
  await signIn(page, HSB_LEAD)

  await page.goto('/admin/ssd-import')
  await expect(page.locator('h1')).toHaveText('Import from the council’s case system')
  await checkA11y(page, 'upload')

  await page.getByRole('button', { name: 'Upload and check' }).click()
  await expect(page.locator('.govuk-error-summary')).toContainText('Select the extract: a zip of the SSD CSV files')
  await expect(page.locator('#extract-error')).toContainText('Select the extract: a zip of the SSD CSV files')
  await checkA11y(page, 'upload with no file')

  await upload(page, zipName, extract('BRW', people), DEMO_LA_CODE)
  await expect(page.getByText('Nothing has been saved yet.')).toBeVisible()
  // All episodes; the two council ids for one child are held, with their episodes, until decided.
  await expectFigures(page, {
    'Children in the extract': 4,
    'New children to bring in': 2,
    'Children held until a possible match is decided': 2,
    'Children with no chosen episode (left out)': 0,
    'Episodes chosen': 2,
    'New episodes': 2,
    'Rows that cannot be imported': 0,
  })
  await expect(page.getByRole('table', { name: 'By financial year' })).toContainText('2021-22')
  const match = matchGroup(page, 'BRW00102')
  await expect(match).toContainText('(council id BRW00101)?')
  await expect(match.getByLabel('The same child')).not.toBeChecked()
  await expect(match.getByLabel('A different child')).not.toBeChecked()
  await expect(match.getByLabel('Decide later (held back)')).toBeChecked()
  await checkA11y(page, 'check page')
  const checkUrl = page.url()

  // The factors field is revealed by choosing the second option.
  const factors = page.getByLabel('Assessment factor codes')
  await expect(factors).toBeHidden()
  await page.getByLabel('Only episodes with one of these factors or worked by one of these teams').check()
  await expect(factors).toBeVisible()
  await expect(page.getByLabel('Teams', { exact: true })).toBeVisible()
  await factors.fill('19B')
  await page.getByRole('button', { name: 'Check again' }).click()
  await expect(page).toHaveURL(/\/check$/)
  await expect(page.getByLabel('Only episodes with one of these factors or worked by one of these teams')).toBeChecked()
  await expect(page.getByLabel('Assessment factor codes')).toHaveValue('19B')
  // Only the third person's episode of the two not held has 19B: the fourth person is left out.
  await expectFigures(page, {
    'Children in the extract': 4,
    'New children to bring in': 1,
    'Children held until a possible match is decided': 2,
    'Children with no chosen episode (left out)': 1,
    'Episodes chosen': 1,
    'New episodes': 1,
  })
  await checkA11y(page, 'check page, 19B episodes')

  await matchGroup(page, 'BRW00102').getByLabel('The same child').check()
  await page.getByRole('button', { name: 'Check again' }).click()
  // A decision names a council person id: it goes in the form's body, never the address.
  expect(page.url()).not.toContain('BRW00102')
  await expect(page.getByLabel('Assessment factor codes')).toHaveValue('19B')
  await expect(matchGroup(page, 'BRW00102').getByLabel('The same child')).toBeChecked()
  // Decided as one child: nobody held; that child's 19B episode is chosen, its other id's episode is not.
  await expectFigures(page, {
    'Children in the extract': 4,
    'New children to bring in': 2,
    'Children held until a possible match is decided': 0,
    'Children with no chosen episode (left out)': 2,
    'Episodes chosen': 2,
    'New episodes': 2,
  })
  await checkA11y(page, 'check page, match decided')
  await page.screenshot({ path: '.tmp/ssd-import-check.png', fullPage: true })

  await page.getByRole('button', { name: 'Import', exact: true }).click()
  await expect(page).toHaveURL(new RegExp(`${new URL(checkUrl).pathname}$`))
  const banner = page.locator('.govuk-notification-banner')
  await expect(banner).toContainText('Imported')
  await expect(banner).toContainText('2 new children and 2 episodes brought in.')
  await expect(page.locator('h1')).toHaveText(`Import of ${zipName}`)
  await expect(page.getByText(/^Imported \d/)).toBeVisible()
  await expect(page.getByRole('button', { name: 'Import', exact: true })).toHaveCount(0)
  await expect(page.getByRole('button', { name: 'Check again' })).toHaveCount(0)
  // What it did, no longer what it would do.
  await expectFigures(page, {
    'New children brought in': 2,
    'New episodes': 2,
    'Children held back for a decision on a possible match (not imported)': 0,
  })
  await expect(page.locator('[data-qa="held-back"]')).toHaveCount(0)
  await checkA11y(page, 'imported')
  await page.screenshot({ path: '.tmp/ssd-import-done.png', fullPage: true })

  // Opened again, it is done: the check page for it says so, and the list shows it imported.
  await page.goto(checkUrl)
  await expect(page.locator('h1')).toHaveText(`Import of ${zipName}`)
  await expect(page.locator('.govuk-notification-banner')).toHaveCount(0)
  await expect(page.getByRole('button', { name: 'Import', exact: true })).toHaveCount(0)

  await page.getByRole('link', { name: 'Back to imports' }).click()
  await expect(page).toHaveURL(/\/admin\/ssd-import$/)
  const list = page.getByRole('table', { name: 'Earlier imports' })
  await expect(list.getByRole('row').filter({ hasText: zipName })).toContainText('Imported')
  await expect(list.getByRole('row').filter({ hasText: DEMO_EXTRACT_NAME })).toContainText('Imported')
  await checkA11y(page, 'upload, with earlier imports')

  await list.getByRole('link', { name: DEMO_EXTRACT_NAME }).click()
  await expect(page.locator('h1')).toHaveText(`Import of ${DEMO_EXTRACT_NAME}`)
  // The demo's extract: eight people, two of them one child under two council ids, held.
  await expectFigures(page, {
    'Children in the extract': 8,
    'New children brought in': 6,
    'Children held back for a decision on a possible match (not imported)': 2,
  })
  await expect(page.locator('[data-qa="held-back"]')).toContainText(
    'Not imported: 2 children held back for a decision on a possible match, and their episodes. To decide, upload the extract again',
  )
  await expect(page.getByRole('button', { name: 'Import', exact: true })).toHaveCount(0)
  await checkA11y(page, 'the demo’s import')
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('the HSB lead reaches the factor fields, checks again and imports', async ({ page }) => {
    test.setTimeout(120_000)
    const people = twins(
      'NJS',
      772001,
      [
        ['Tamsin', 'Rosewarne-Example'],
        ['Kitto', 'Pengelly-Example'],
        ['Wenna', 'Tonkin-Example'],
      ],
      ['2012-06-02', '2011-02-14', '2013-08-19'],
    )
    const zipName = 'no-javascript-ssd-extract.zip'
    await signIn(page, HSB_LEAD)
    await page.goto('/admin/ssd-import')
    await expect(page.locator('body')).not.toHaveClass(/govuk-frontend-supported/)

    await page.getByRole('button', { name: 'Upload and check' }).click()
    await expect(page.locator('.govuk-error-summary')).toContainText('Select the extract: a zip of the SSD CSV files')
    await upload(page, zipName, extract('NJS', people))
    await expectFigures(page, { 'Children in the extract': 4, 'Children held until a possible match is decided': 2, 'Episodes chosen': 2 })
    await checkA11y(page, 'check page (no JS)')

    // With no script to reveal them, the conditional fields are shown and can be filled.
    const factors = page.getByLabel('Assessment factor codes')
    await expect(factors).toBeVisible()
    await expect(page.getByLabel('Teams', { exact: true })).toBeVisible()
    await page.getByLabel('Only episodes with one of these factors or worked by one of these teams').check()
    await factors.fill('19b')
    await matchGroup(page, 'NJS00102').getByLabel('The same child').check()
    await page.getByRole('button', { name: 'Check again' }).click()
    await expect(page).toHaveURL(/\/check$/)
    // Typed in lower case: kept as typed, matched whatever the case.
    await expect(page.getByLabel('Assessment factor codes')).toHaveValue('19b')
    await expect(page.getByLabel('Only episodes with one of these factors or worked by one of these teams')).toBeChecked()
    await expect(matchGroup(page, 'NJS00102').getByLabel('The same child')).toBeChecked()
    await expectFigures(page, {
      'New children to bring in': 2,
      'Children held until a possible match is decided': 0,
      'Children with no chosen episode (left out)': 2,
      'Episodes chosen': 2,
    })
    await checkA11y(page, 'check page, 19B episodes, match decided (no JS)')

    await page.getByRole('button', { name: 'Import', exact: true }).click()
    await expect(page.locator('.govuk-notification-banner')).toContainText('2 new children and 2 episodes brought in.')
    await expect(page.locator('h1')).toHaveText(`Import of ${zipName}`)
    await checkA11y(page, 'imported (no JS)')
  })
})

async function downloaded(page: Page, link: Locator): Promise<{ download: Download; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
  const path = await download.path()
  return { download, text: await readFile(path, 'utf8') }
}

test('the analyst downloads the SSD person file and the DfE payload', async ({ page }) => {
  await signIn(page, ANALYST)
  await page.goto('/insight/ssd-export')
  await expect(page.locator('h1')).toHaveText('Export HSB episodes for the council')
  await checkA11y(page, 'export')
  await page.screenshot({ path: '.tmp/ssd-export.png', fullPage: true })

  const person = await downloaded(page, page.getByRole('link', { name: 'ssd_person.csv', exact: true }))
  expect(person.download.suggestedFilename()).toBe('ssd_person.csv')
  expect(person.text.split('\r\n')[0]).toMatch(/^pers_legacy_id,pers_person_id,pers_upn,pers_forename,pers_surname,/)
  // The demo's imported children are in it, under their council ids.
  expect(person.text).toContain('NS00401')

  const payload = await downloaded(page, page.getByRole('link', { name: 'DfE children’s social care API payload (JSON)' }))
  expect(payload.download.suggestedFilename()).toBe('dfe-csc-payload.json')
  const json = JSON.parse(payload.text) as { la_code: unknown; Children: unknown[] }
  expect(json.la_code).toBe(Number(DEMO_LA_CODE))
  expect(json.Children.length).toBeGreaterThan(0)
})
