import { expect, type Locator, type Page } from '@playwright/test'

/** A work queue (/work, /work/front-door, /work/team, /work/hsb-overview): one row per case. */
export class QueuePage {
  readonly cases: Locator

  constructor(readonly page: Page) {
    this.cases = page.locator('[data-qa="queue-cases"] tbody tr')
  }

  async goto(path: '/work' | '/work/front-door' | '/work/team' | '/work/hsb-overview', heading: string): Promise<void> {
    await this.page.goto(path)
    await expect(this.page.getByRole('heading', { level: 1, name: heading })).toBeVisible()
  }

  /** The row for a child, found by the link to their case. */
  row(childName: string): Locator {
    return this.cases.filter({ has: this.page.getByRole('link', { name: childName, exact: true }) })
  }

  /** The row for one case (a child can have more than one), found by the link to it. */
  caseRow(caseId: string): Locator {
    return this.cases.filter({ has: this.page.locator(`a[href="/cases/${caseId}"]`) })
  }

  /** A timescale shown in a row, with its state in data-clock-state (RUNNING, DUE_SOON, OVERDUE, MET, MET_LATE). */
  clock(row: Locator, kind: string): Locator {
    return row.locator(`[data-qa="clock"][data-clock-kind="${kind}"]`)
  }

  /** The rows whose strategy meeting timescale is shown as overdue. */
  rowsWithOverdueStrategyMeeting(): Locator {
    return this.cases.filter({
      has: this.page.locator('[data-qa="clock"][data-clock-kind="STRATEGY_MEETING"][data-clock-state="OVERDUE"]'),
    })
  }
}
