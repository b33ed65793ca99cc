import type { Page } from '@playwright/test'
import { checkA11y } from '../support/a11y.js'
import { expect, test } from '../pathway/people.js'

/**
 * A multi-agency case audit like a real one: five cases selected at random, four families consent,
 * seven agencies take part with their lead auditors and three cannot, a panel, findings and
 * recommendations, a deep dive, and the executive summary. Run by the business manager; a lead
 * auditor reads a consented case and fills in the summary sheet; access ends when the audit closes.
 */
const BEN = 'ben.carter@northshire.example'
const NADIA = 'nadia.hussain@northshire-health.example'

const TAKING_PART: Record<string, string> = {
  'Northshire Children’s Services': 'Grace Lewis',
  'Northshire Police': 'Owen Price',
  'Northshire Youth Offending Service': 'Sian Roberts',
  'Northshire Community Health NHS Trust': 'Nadia Hussain',
  'Riverside Academy': 'Tariq Aziz',
  'Brightpath Family Support': 'Megan Ford',
  'Northshire Young Advisers': 'Ellis Young',
}
const UNABLE: Record<string, string> = {
  'Northshire Mental Health Service': 'Staff shortages during the audit period',
  'Kestrel Children’s Charity': 'Not working with any of the sampled families',
  'Northshire Probation Service': 'Lead auditor post vacant',
}

function today() {
  const [y, m, d] = new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/London' }).split('-')
  return { day: String(Number(d)), month: String(Number(m)), year: y! }
}

async function fillDate(page: Page, prefix: string, date: { day: string; month: string; year: string }) {
  await page.locator(`#${prefix}-day`).fill(date.day)
  await page.locator(`[name="${prefix}-month"]`).fill(date.month)
  await page.locator(`[name="${prefix}-year"]`).fill(date.year)
}

test('a multi-agency case audit like the seed’s, from set-up to report', async ({ people }) => {
  test.setTimeout(180_000)
  const ben = await people.as(BEN)

  // Set-up: theme, panel date, the built-in tool, seven agencies taking part and three unable to.
  await ben.goto('/case-audits')
  await checkA11y(ben, 'audits')
  await ben.locator('[data-qa="new-audit"]').click()
  await expect(ben.locator('h1')).toHaveText('Set up a multi-agency case audit')
  await checkA11y(ben, 'set-up')
  await ben.getByLabel('Theme').fill('Harmful sexual behaviour')
  await fillDate(ben, 'panel-date', today())
  await ben
    .getByLabel('What the audit is for (optional)')
    .fill('To review practice with children who display harmful sexual behaviour since the partnership’s guidance was published.')
  for (const [agency, auditor] of Object.entries(TAKING_PART)) {
    const box = ben.locator(`[data-qa="agency"][data-agency="${agency}"]`)
    await box.getByLabel('Taking part?').selectOption('TAKING_PART')
    await box.getByLabel('Lead auditor').selectOption({ label: `${auditor} (${agency})` })
  }
  // A lead auditor from another agency is refused, with everything typed kept.
  const youth = ben.locator('[data-qa="agency"][data-agency="Northshire Young Advisers"]')
  await youth.getByLabel('Lead auditor').selectOption({ label: 'Owen Price (Northshire Police)' })
  for (const [agency, reason] of Object.entries(UNABLE)) {
    const box = ben.locator(`[data-qa="agency"][data-agency="${agency}"]`)
    await box.getByLabel('Taking part?').selectOption('UNABLE')
    await box.getByLabel('Reason unable to take part').fill(reason)
  }
  await ben.locator('[data-qa="setup-submit"]').click()
  await expect(ben.locator('.govuk-error-summary')).toContainText('Owen Price is not from Northshire Young Advisers')
  await expect(ben.getByLabel('Theme')).toHaveValue('Harmful sexual behaviour')
  await checkA11y(ben, 'set-up with an error')
  await youth.getByLabel('Lead auditor').selectOption({ label: 'Ellis Young (Northshire Young Advisers)' })
  await ben.locator('[data-qa="setup-submit"]').click()
  await expect(ben.locator('[data-qa="agencies-taking-part"] tbody tr')).toHaveCount(7)
  await expect(ben.locator('[data-qa="agencies-unable"] tbody tr')).toHaveCount(3)
  await checkA11y(ben, 'audit set up')
  const auditUrl = ben.url()

  // The cohort: every case open today; five drawn with a recorded seed.
  await fillDate(ben, 'open-on', today())
  await ben.locator('[data-qa="cohort-preview"]').click()
  await expect(ben.locator('[data-qa="cohort-count"]')).toContainText('match this cohort')
  await checkA11y(ben, 'cohort counted')
  await ben.getByLabel('Number of cases to select').fill('5')
  await ben.getByLabel('Random seed (optional)').fill('20170220')
  await ben.locator('[data-qa="cohort-draw"]').click()
  await expect(ben.locator('[data-qa="sample"]')).toHaveCount(5)
  await expect(ben.locator('[data-qa="seed"]')).toHaveText('20170220')
  await checkA11y(ben, 'sample drawn')

  // Consent: four families agree, one declines (counted, never opened).
  for (let i = 0; i < 5; i++) {
    await ben.locator('[data-qa="sample"] a', { hasText: 'Record consent' }).first().click()
    if (i === 0) await checkA11y(ben, 'consent')
    await ben.getByLabel(i === 4 ? 'Refused' : 'Given', { exact: true }).check()
    await ben.getByLabel(i % 2 ? 'Carer' : 'Parent', { exact: true }).check()
    await fillDate(ben, 'on', today())
    await ben.getByLabel('By phone').check()
    await ben.locator('[data-qa="consent-submit"]').click()
    await expect(ben.locator('.govuk-notification-banner')).toBeVisible()
  }
  await expect(ben.locator('[data-qa="sample"][data-consent="GIVEN"]')).toHaveCount(4)
  await expect(ben.locator('[data-qa="sample"][data-consent="REFUSED"]')).toHaveCount(1)
  await checkA11y(ben, 'consent recorded')

  // The health lead auditor reads a consented case (age band, not the child's identity) and fills in the summary sheet.
  const nadia = await people.as(NADIA)
  await nadia.goto(auditUrl)
  await expect(nadia.locator('[data-qa="my-cases"] li')).toHaveCount(4)
  await checkA11y(nadia, 'auditor’s audit page')
  await nadia.locator('[data-qa="my-cases"] a').first().click()
  await expect(nadia.locator('[data-qa="case-summary"]')).toContainText('Age')
  await checkA11y(nadia, 'audited case')
  await nadia.getByLabel('A1. Did the assessment look at the pattern').selectOption({ label: 'Good' })
  await nadia.getByLabel('Overall grade').selectOption({ label: 'Good' })
  await nadia.getByLabel('Your agency’s summary').fill('The school nurse shared concerns the same day and joined the strategy meeting.')
  await nadia.locator('[data-qa="summary-form"]').getByLabel('Yes', { exact: true }).check()
  await nadia.getByLabel('Parental or child feedback').fill('Mum said she knew who to call.')
  await nadia.locator('[data-qa="summary-submit"]').click()
  await expect(nadia.locator('.govuk-notification-banner')).toContainText('Summary sheet saved')
  const caseUrl = nadia.url()

  // The panel discusses three of the four cases.
  await ben.goto(auditUrl)
  const discussed = ben.locator('[data-qa="panel-form"] input[name="discussed"]')
  await expect(discussed).toHaveCount(4)
  for (let i = 0; i < 3; i++) await discussed.nth(i).check()
  await ben.locator('[data-qa="panel-submit"]').click()
  await expect(ben.locator('.govuk-notification-banner')).toContainText('3 cases discussed')

  // Findings and recommendations; one without an owner is refused and kept.
  await ben.locator('[data-qa="findings-link"]').click()
  await checkA11y(ben, 'findings')
  const addFinding = async (kind: string, text: string, tags = '') => {
    await ben.locator('[data-qa="finding-form"]').getByLabel(kind, { exact: true }).check()
    await ben.getByLabel('Finding', { exact: true }).fill(text)
    if (tags) await ben.getByLabel('Learning themes (for learning only)').fill(tags)
    await ben.locator('[data-qa="finding-submit"]').click()
  }
  await addFinding('Good practice', 'Most cases showed good multi-agency working around the child.')
  await addFinding('Learning', 'Three of the four young people had seen pornography online.', 'online pornography')
  await ben.getByLabel('Add a recommendation').fill('Lead auditors make sure the casework actions for their agency are completed.')
  await fillDate(ben, 'recommendation-due', { day: '31', month: '3', year: String(new Date().getFullYear() + 1) })
  await ben.locator('[data-qa="recommendation-submit"]').click()
  await expect(ben.locator('.govuk-error-summary')).toContainText('Select who owns the recommendation')
  await expect(ben.getByLabel('Add a recommendation')).toHaveValue(
    'Lead auditors make sure the casework actions for their agency are completed.',
  )
  await checkA11y(ben, 'recommendation without an owner')
  await ben.getByLabel('Whom').selectOption({ label: 'All agencies taking part' })
  await ben.locator('[data-qa="recommendation-submit"]').click()
  await expect(ben.locator('[data-qa="recommendations"] tbody tr')).toHaveCount(1)
  await ben.locator('[data-qa="send-to-plan"]').click()
  await expect(ben.locator('.govuk-notification-banner')).toContainText('7 new actions')

  // A deep dive into the four consented cases.
  await ben.goto(auditUrl)
  await ben.locator('[data-qa="deep-dive-link"]').click()
  await checkA11y(ben, 'deep dive set-up')
  await ben.getByLabel('Theme').fill('Deep dive: interventions, risk management and therapeutic work')
  await fillDate(ben, 'panel-date', today())
  for (const box of await ben.locator('input[name="cases"]').all()) await box.check()
  const csc = ben.locator('[data-qa="agency"][data-agency="Northshire Children’s Services"]')
  await csc.getByLabel('Taking part?').selectOption('TAKING_PART')
  await csc.getByLabel('Lead auditor').selectOption({ label: 'Grace Lewis (Northshire Children’s Services)' })
  await ben.locator('[data-qa="setup-submit"]').click()
  await expect(ben.locator('h1')).toContainText('Deep dive')
  await ben.locator('[data-qa="findings-link"]').click()
  await addFinding('Conclusion', 'Single incidents drew professionals’ attention away from patterns of behaviour.')

  // Close the first audit: the auditor's access ends.
  await ben.goto(auditUrl)
  await ben.locator('[data-qa="close-audit"]').click()
  await expect(ben.locator('[data-qa="audit-status"]')).toHaveText('Closed')
  const refused = await nadia.goto(caseUrl)
  expect(refused?.status()).toBe(403)

  // The executive summary: the numbers from the records, and the deep dive's conclusions.
  await ben.locator('[data-qa="report-link"]').click()
  await expect(ben.locator('[data-qa="n-selected"]')).toHaveText('5')
  await expect(ben.locator('[data-qa="n-consented"]')).toHaveText('4')
  await expect(ben.locator('[data-qa="n-refused"]')).toHaveText('1')
  await expect(ben.locator('[data-qa="n-discussed"]')).toHaveText('3')
  await expect(ben.locator('[data-qa="n-taking-part"]')).toHaveText('7')
  await expect(ben.locator('[data-qa="n-unable"]')).toHaveText('3')
  const report = ben.locator('[data-qa="report"]')
  await expect(report).toContainText('Five cases were selected at random')
  await expect(report).toContainText('Consent was obtained from four families')
  await expect(report).toContainText('Seven lead auditors from key agencies took part')
  await expect(report).toContainText(
    'Kestrel Children’s Charity, Northshire Mental Health Service and Northshire Probation Service were unable to take part.',
  )
  await expect(report).toContainText('Single incidents drew professionals’ attention away from patterns of behaviour.')
  await checkA11y(ben, 'report')
  const docx = await ben.request.get(`${new URL(auditUrl).pathname}/report.docx`)
  expect(docx.headers()['content-type']).toContain('wordprocessingml')
  const pdf = await ben.request.get(`${new URL(auditUrl).pathname}/report.pdf`)
  expect((await pdf.body()).subarray(0, 4).toString()).toBe('%PDF')
})
