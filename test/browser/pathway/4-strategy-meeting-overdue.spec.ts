import type { Page } from '@playwright/test'
import { checkA11y } from '../support/a11y.js'
import { CasePage } from './pages/case.page.js'
import { QueuePage } from './pages/queue.page.js'
import { expect, PEOPLE, test } from './people.js'

/**
 * (4) A strategy meeting left past 24 hours shows as overdue to the team manager and the HSB lead.
 *
 * A browser test cannot wait 24 hours, and the app has (rightly) no test hook to move a clock:
 * the server's embedded database is one process, so the suite cannot reach it either. The demo
 * seed (src/demo/demo-pathway.ts) leaves one red case on the open-case route, allocated to the
 * Assessment Team, with its strategy meeting clock 6 hours overdue. This spec finds that case on
 * the HSB lead's overview and checks both people are shown it as overdue, in their queue, in
 * their notifications and on the case. If the seed has no overdue case the spec fails.
 *
 * The other states on the way there are walked with real cases: a fresh strategy clock shows
 * as running in the team manager's queue (2-amber-strategy-meeting.spec.ts) and on the HSB
 * lead's overview (3-red-open-case.spec.ts); overdue notifications for exactly those two people
 * are covered by the route test test/routes/queues.test.ts ("raises “overdue” when a strategy
 * meeting is left past 24 hours, shown to the team manager and the HSB lead").
 */

/** Shown overdue on a case page: the warning at the top and the timescale's state. */
async function expectOverdueOnCase(page: Page, caseId: string, childName: string, who: string) {
  const kase = new CasePage(page)
  await kase.goto(caseId, childName)
  await expect(kase.status).toHaveText('Strategy meeting due')
  await expect(page.locator('[data-qa="overdue-warning"]').filter({ hasText: 'Strategy meeting (24 hours)' })).toBeVisible()
  await expect(kase.clockState('Strategy meeting (24 hours)')).toHaveText('Overdue')
  await checkA11y(page, `case (strategy meeting overdue, ${who})`)
}

/** The notification "Strategy meeting overdue" about the child, leading to its strategy meeting. */
async function expectOverdueNotification(page: Page, caseId: string, childName: string, who: string) {
  await page.getByRole('link', { name: 'Notifications' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible()
  const row = page.locator('[data-qa="notifications"] tbody tr').filter({ hasText: childName })
  await expect(row.getByRole('link', { name: 'Strategy meeting overdue' })).toHaveAttribute('href', `/cases/${caseId}/strategy-meeting`)
  await checkA11y(page, `notifications (${who})`)
}

test('(4) a strategy meeting left past 24 hours shows as overdue to the team manager and the HSB lead', async ({ people }) => {
  test.setTimeout(90_000)

  // The HSB lead lands on her overview: the overdue strategy meeting is there, and sorts first.
  const aisha = await people.as(PEOPLE.aisha)
  const overview = new QueuePage(aisha)
  await expect(aisha).toHaveURL(/\/work\/hsb-overview$/)
  const overdue = overview.rowsWithOverdueStrategyMeeting()
  await expect(overdue, 'the demo seed leaves a case whose strategy meeting is overdue (src/demo/demo-pathway.ts)').not.toHaveCount(0)
  await expect(overview.cases.first().locator('[data-clock-state="OVERDUE"]'), 'overdue timescales first').not.toHaveCount(0)
  const row = overdue.first()
  await expect(row).toContainText('Strategy meeting due')
  const link = row.locator('a[href^="/cases/"]').first()
  const childName = ((await link.textContent()) ?? '').trim()
  const caseId = ((await link.getAttribute('href')) ?? '').replace('/cases/', '')
  expect(caseId).toMatch(/^[0-9a-f-]{36}$/)
  await checkA11y(aisha, 'HSB overview (overdue first)')
  await expectOverdueNotification(aisha, caseId, childName, 'HSB lead')
  await expectOverdueOnCase(aisha, caseId, childName, 'HSB lead')

  // The team manager of the allocated team lands on her team's work: the same case, overdue, first.
  const helen = await people.as(PEOPLE.helen)
  const team = new QueuePage(helen)
  await expect(helen).toHaveURL(/\/work\/team$/)
  await expect(team.clock(team.caseRow(caseId), 'STRATEGY_MEETING')).toHaveAttribute('data-clock-state', 'OVERDUE')
  await expect(team.caseRow(caseId)).toContainText('Overdue')
  await expect(team.cases.first().locator('[data-clock-state="OVERDUE"]'), 'overdue timescales first').not.toHaveCount(0)
  await checkA11y(helen, 'team queue (overdue first)')
  await expectOverdueNotification(helen, caseId, childName, 'team manager')
  await expectOverdueOnCase(helen, caseId, childName, 'team manager')
})
