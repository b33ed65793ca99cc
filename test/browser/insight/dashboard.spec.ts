import { checkA11y } from '../support/a11y.js'
import { expect, test } from '../support/fixtures.js'
import { signIn } from '../support/journeys.js'

const AISHA = 'aisha.rahman@northshire.example'
const MARGARET = 'margaret.osei@northshire.example'
/** Head of service: sees figures unsuppressed. Another person than the first test's, so no security code is asked for twice in 30 seconds. */
const FIONA = 'fiona.grant@northshire.example'

test('the HSB lead filters the dashboard, bookmarks the view and follows a count to the cases behind it', async ({ page }) => {
  test.setTimeout(120_000)
  await signIn(page, AISHA)
  await page.goto('/insight')
  await expect(page.locator('h1')).toHaveText('HSB service dashboard')
  await checkA11y(page, 'dashboard')
  await expect(page.locator('[data-qa="disclosure"]')).toContainText('Shown as recorded')

  // Filters go into the address: the view can be bookmarked and shared.
  await page.getByLabel('Rating', { exact: true }).selectOption('AMBER')
  await page.getByRole('button', { name: 'Show figures' }).click()
  await expect(page).toHaveURL(/[?&]rating=AMBER/)
  await expect(page.locator('[data-qa="showing"]')).toContainText('Rating: Amber')
  const bookmarked = page.url()
  await page.goto('/insight')
  await page.goto(bookmarked)
  await expect(page.getByLabel('Rating', { exact: true })).toHaveValue('AMBER')
  await checkA11y(page, 'dashboard filtered')

  // Every count links through to the cases behind it.
  const amber = page.locator('#referrals-by-rating table a').first()
  await expect(amber).toBeVisible()
  const n = Number((await amber.innerText()).replace(/\D+$/, '').split(/\s/)[0])
  await amber.click()
  await expect(page).toHaveURL(/\/insight\/cases\?/)
  await expect(page.locator('[data-qa="cases"] tbody tr')).toHaveCount(n)
  await checkA11y(page, 'cases behind a count')

  // A period whose end is before its start: a clear message, the input kept.
  await page.goto('/insight?period=custom&from=2026-03-31&to=2026-01-01')
  await expect(page.locator('.govuk-error-summary')).toContainText('The end date must be the same as or after the start date')
  await expect(page.getByLabel('Custom dates: from')).toHaveValue('2026-03-31')
  await checkA11y(page, 'dashboard with errors')
})

test('a board member lands on the dashboard and sees no small numbers and no way to the children', async ({ page }) => {
  test.setTimeout(90_000)
  await signIn(page, MARGARET)
  await expect(page).toHaveURL(/\/insight$/)
  await expect(page.locator('[data-qa="disclosure"]')).toContainText('Counts from 1 to 4 are suppressed')
  await expect(page.locator('a[href^="/insight/cases"]')).toHaveCount(0)
  // Every count of children (the provision register's services and places, and medians of days, are not counts of children).
  const counts = [
    ...(await page.locator('.app-insight-figure:not(#waiting-for-provision):not(#stage-durations) tbody td').allInnerTexts()),
    ...(await page.locator('#waiting-for-provision tbody td:nth-of-type(1), #stage-durations tbody td:nth-of-type(1)').allInnerTexts()),
  ]
  expect(counts.length).toBeGreaterThan(40)
  for (const text of counts) expect(['1', '2', '3', '4']).not.toContain(text.trim())
  await checkA11y(page, 'board member dashboard')
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('the filter form and the figures work as plain HTML', async ({ page }) => {
    test.setTimeout(90_000)
    await signIn(page, FIONA)
    await page.goto('/insight')
    await expect(page.locator('body')).not.toHaveClass(/govuk-frontend-supported/)
    await page.getByLabel('Age', { exact: true }).selectOption('14-17')
    await page.getByRole('button', { name: 'Show figures' }).click()
    await expect(page).toHaveURL(/[?&]age=14-17/)
    await expect(page.locator('#referrals-by-rating svg > title')).toHaveText(/Requests for support by screening rating/)
    await checkA11y(page, 'dashboard (no JS)')
  })
})
