import type { Page } from '@playwright/test'
import { CasePage } from '../pathway/pages/case.page.js'
import { expect, PEOPLE, test } from '../pathway/people.js'
import { checkA11y } from '../support/a11y.js'
import { startSmtpCapture, type SmtpCapture } from './smtp-capture.js'

/**
 * (5) An AIM assessment past 8 weeks shows as overdue to the HSB lead, and an email reaches the
 * local SMTP server.
 *
 * The demo seed (src/demo/demo-email.ts) decides an AIM assessment for Riley Penhallow nine weeks
 * back, so its 8-week limit has passed and the clock job has raised "AIM assessment overdue" to
 * the HSB lead, with its email in the outbox. The main demo server is started with
 * SMTP_HOST=127.0.0.1 and SMTP_PORT=<PW_PORT + 2> (playwright.config.ts) and short retry delays:
 * until this spec opens its SMTP server on that port the sender keeps retrying, then delivers.
 */

const MAIN_PORT = Number(process.env.PW_PORT ?? 3101)
const EMAIL_SMTP_PORT = Number(process.env.PW_SMTP_PORT ?? MAIN_PORT + 2)
const CHILD = 'Riley Penhallow'
const AIM_LIMIT = 'AIM assessment limit (8 weeks from the decision)'

let smtp: SmtpCapture
test.beforeAll(async () => {
  smtp = await startSmtpCapture(EMAIL_SMTP_PORT)
})
test.afterAll(async () => {
  await smtp?.close()
})

/** Riley's "AIM assessment overdue" notification, on whichever page of her notifications it is (newest first). */
async function overdueNotification(page: Page) {
  await page.getByRole('link', { name: 'Notifications' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible()
  const link = () =>
    page.locator('[data-qa="notifications"] tbody tr').filter({ hasText: CHILD }).getByRole('link', { name: 'AIM assessment overdue' })
  for (let pages = 1; pages < 10 && (await link().count()) === 0; pages++) {
    const next = page.getByRole('link', { name: 'Next page' })
    if ((await next.count()) === 0) break
    await next.click()
  }
  return link()
}

test('(5) an AIM assessment past 8 weeks shows as overdue to the HSB lead and an email reaches the local SMTP server', async ({
  people,
}) => {
  test.setTimeout(90_000)

  // The HSB lead's notifications show the overdue assessment, leading to the assessment it is about.
  const aisha = await people.as(PEOPLE.aisha)
  const link = await overdueNotification(aisha)
  await expect(link, 'the demo seed leaves an AIM assessment past its 8-week limit (src/demo/demo-email.ts)').toBeVisible()
  const href = (await link.getAttribute('href')) ?? ''
  expect(href).toMatch(/^\/cases\/[0-9a-f-]{36}\/assessment$/)
  const caseId = href.split('/')[2]!
  await checkA11y(aisha, 'notifications (AIM assessment overdue)')

  // On the case the 8-week limit shows as overdue.
  const kase = new CasePage(aisha)
  await kase.goto(caseId, CHILD)
  await expect(kase.clockState(AIM_LIMIT)).toHaveText('Overdue')
  await checkA11y(aisha, 'case (AIM assessment overdue)')

  // The email reaches the local SMTP server: something to look at and a link, nothing about Riley.
  const email = await smtp.waitFor((m) => m.to.includes(PEOPLE.aisha) && m.body.includes('An AIM assessment is overdue.'), 45_000)
  expect(email.subject).toBe('HSB Pathway: you have a new notification')
  const url = /Sign in to HSB Pathway to see it: (\S+)/.exec(email.body)?.[1] ?? ''
  expect(url).toMatch(/\/notifications$/)
  for (const detail of ['Riley', 'Penhallow', caseId]) expect(email.raw).not.toContain(detail)

  // The link in the email opens her notifications.
  await aisha.goto(new URL(url).pathname)
  await expect(aisha.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible()
  await checkA11y(aisha, 'notifications (from the email link)')
})
