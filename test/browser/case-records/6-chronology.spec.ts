import { checkA11y } from '../support/a11y.js'
import { expect, PEOPLE, test } from '../pathway/people.js'

/**
 * (6) The chronology of Ash Fernley's case (demo data) shows every significant step in order,
 * in plain words with its outcome: the request for support, screening, oversight, the strategy
 * meeting (one entry, when it was held), the AIM decision, the criminal process and the social
 * worker's own entries. It filters without JavaScript, prints
 * and downloads as a PDF.
 */
test('(6) the chronology shows every step of a case in order', async ({ people }) => {
  test.setTimeout(120_000)
  const sam = await people.as(PEOPLE.sam)
  await sam.goto('/work')
  await sam.getByRole('link', { name: 'Ash Fernley' }).first().click()
  await expect(sam.locator('[data-qa="case-child-name"]')).toHaveText('Ash Fernley')
  await sam.getByRole('link', { name: 'Chronology' }).click()
  await expect(sam.locator('h1')).toHaveText('Chronology')
  await checkA11y(sam, 'chronology')

  const titles = await sam.locator('[data-qa="chronology"] .moj-timeline__title').allTextContents()
  const at = (t: string) => {
    // A title is what happened, then its outcome after a colon ("Screening recorded: rated amber").
    const i = titles.findIndex((x) => x.trim() === t || x.trim().startsWith(`${t}:`))
    expect(i, `"${t}" on the chronology`).toBeGreaterThanOrEqual(0)
    return i
  }
  const steps = [
    'Request for support received',
    'Screening recorded',
    'Screening confirmed (management oversight)',
    'Strategy meeting held',
    'Decided to carry out an AIM assessment',
  ]
  const positions = steps.map(at)
  expect(positions, 'steps oldest first').toEqual([...positions].sort((a, b) => a - b))
  at('Police investigation started')
  at('Bail')
  at('Home visit')
  at('School safety plan reviewed')
  // Timestamps never go backwards down the page.
  const stamps = await sam
    .locator('[data-qa="chronology"] time')
    .evaluateAll((els) => els.map((e) => Date.parse(e.getAttribute('datetime') ?? '')))
  expect(stamps).toEqual([...stamps].sort((a, b) => a - b))

  // Filter: only the entries practitioners added.
  await sam.getByLabel('Entries added by practitioners').check()
  await sam.getByRole('button', { name: 'Apply filter' }).click()
  await expect(sam.locator('[data-qa="chronology"] .moj-timeline__title')).toHaveText(['Home visit', 'School safety plan reviewed'])
  await checkA11y(sam, 'chronology (filtered)')

  await sam.locator('[data-qa="chronology-print"]').click()
  await expect(sam.locator('[data-qa="chronology-print"] tbody tr')).toHaveCount(2)
  await checkA11y(sam, 'chronology print view')
  await sam.goBack()
  const download = sam.waitForEvent('download')
  await sam.locator('[data-qa="chronology-pdf"]').click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/^chronology-printed-\d{4}-\d{2}-\d{2}\.pdf$/)
})
