import { expect, type Locator, type Page } from '@playwright/test'

type WallClock = { day: string; month: string; year: string; time: string }

/** /cases/:caseId/strategy-meeting/new: kind, date and time, chair, and who is invited. */
export class ArrangeMeetingPage {
  readonly chair: Locator

  constructor(readonly page: Page) {
    this.chair = page.getByLabel('Chair', { exact: true })
  }

  async expectLoaded(): Promise<void> {
    await expect(this.page).toHaveURL(/\/cases\/[0-9a-f-]{36}\/strategy-meeting\/new$/)
    await expect(this.page.getByRole('heading', { level: 1, name: 'Arrange a strategy meeting' })).toBeVisible()
  }

  /** The chair the form offers before anyone chooses (the option selected). */
  async chosenChair(): Promise<string> {
    return (await this.chair.locator('option:checked').textContent())?.trim() ?? ''
  }

  async arrange(m: { when: WallClock; chair?: string; agencies: string[]; people: { agency: string; name: string }[] }): Promise<void> {
    await this.page.getByRole('group', { name: 'Is it a meeting or a discussion?' }).getByLabel('Strategy meeting', { exact: true }).check()
    const date = this.page.getByRole('group', { name: 'Date of the meeting' })
    await date.getByLabel('Day').fill(m.when.day)
    await date.getByLabel('Month').fill(m.when.month)
    await date.getByLabel('Year').fill(m.when.year)
    await this.page.getByLabel('Time of the meeting').fill(m.when.time)
    if (m.chair) await this.chair.selectOption({ label: m.chair })
    const agencies = this.page.getByRole('group', { name: 'Agencies' })
    for (const agency of m.agencies) await agencies.getByLabel(agency, { exact: true }).check()
    for (const p of m.people)
      await this.page
        .getByRole('group', { name: `People from ${p.agency} (optional)` })
        .getByLabel(p.name, { exact: true })
        .check()
    await this.page.locator('[data-qa="arrange-submit"]').click()
  }
}

/** /cases/:caseId/strategy-meeting: the meeting's record, its draft minutes form, then the locked minutes. */
export class StrategyMeetingPage {
  readonly heading: Locator
  readonly summary: Locator
  readonly invitations: Locator
  readonly outcomes: Locator
  readonly actions: Locator
  readonly invitedOnly: Locator
  readonly minutesForm: Locator

  constructor(readonly page: Page) {
    this.heading = page.locator('[data-qa="meeting-heading"]')
    this.summary = page.locator('[data-qa="meeting-summary"]')
    this.invitations = page.locator('[data-qa="invitations"]')
    this.outcomes = page.locator('[data-qa="outcomes"]')
    this.actions = page.locator('[data-qa="actions"]')
    this.invitedOnly = page.locator('[data-qa="invited-only"]')
    this.minutesForm = page.locator('[data-qa="minutes-form"]')
  }

  async expectLoaded(): Promise<void> {
    await expect(this.page).toHaveURL(/\/cases\/[0-9a-f-]{36}\/strategy-meeting(#.*)?$/)
    await expect(this.heading).toHaveText('Strategy meeting')
  }

  summaryValue(key: string): Locator {
    return this.summary
      .locator('.govuk-summary-list__row')
      .filter({ has: this.page.locator('dt', { hasText: key }) })
      .locator('dd')
  }

  /** The invitation row for a person ("Mark Ellis") or an agency invited as a whole. */
  invitation(who: string): Locator {
    return this.invitations.locator('tbody tr').filter({ hasText: who })
  }

  async held(at: WallClock): Promise<void> {
    const date = this.page.getByRole('group', { name: 'Date the meeting was held' })
    await date.getByLabel('Day').fill(at.day)
    await date.getByLabel('Month').fill(at.month)
    await date.getByLabel('Year').fill(at.year)
    await this.page.getByLabel('Time the meeting started').fill(at.time)
  }

  /** Attendance for an invitation, whose legend is "Name, Agency" (or "Agency (invited as an agency)"). */
  async attendance(legend: string, answer: 'Present' | 'Sent apologies' | 'Absent'): Promise<void> {
    await this.page.getByRole('group', { name: legend, exact: true }).getByLabel(answer, { exact: true }).check()
  }

  async text(label: string, value: string): Promise<void> {
    await this.minutesForm.getByLabel(label, { exact: true }).fill(value)
  }

  async score(row: number, s: { name: string; agency: string; score: string }): Promise<void> {
    await this.page.locator(`#score-name-${row}`).fill(s.name)
    await this.page.locator(`#score-agency-${row}`).fill(s.agency)
    await this.page.locator(`#score-value-${row}`).fill(s.score)
  }

  async outcome(label: string): Promise<void> {
    await this.page.getByRole('group', { name: 'Outcomes' }).getByLabel(label, { exact: true }).check()
  }

  async action(row: number, a: { text: string; owner: string }): Promise<void> {
    await this.page.locator(`#action-text-${row}`).fill(a.text)
    await this.page.locator(`#action-owner-${row}`).selectOption({ label: a.owner })
  }

  async saveDraft(): Promise<void> {
    await this.page.locator('[data-qa="save-minutes"]').click()
  }

  async finalise(): Promise<void> {
    await this.page.locator('[data-qa="finalise-minutes"]').click()
  }
}
