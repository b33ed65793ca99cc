import { expect, type Locator, type Page } from '@playwright/test'

/** /cases/:caseId: status, rating, route, allocation, the timescales (clocks) and the history. */
export class CasePage {
  readonly childName: Locator
  readonly status: Locator
  readonly summary: Locator
  readonly clocks: Locator
  readonly actions: Locator
  readonly history: Locator
  readonly banner: Locator

  constructor(readonly page: Page) {
    this.childName = page.locator('[data-qa="case-child-name"]')
    this.status = page.locator('[data-qa="case-status"]')
    this.summary = page.locator('[data-qa="case-summary"]')
    this.clocks = page.locator('[data-qa="case-clocks"]')
    this.actions = page.locator('[data-qa="case-actions"]')
    this.history = page.locator('[data-qa="case-history"]')
    this.banner = page.locator('.govuk-notification-banner')
  }

  async expectLoaded(childName?: string): Promise<void> {
    await expect(this.page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/)
    if (childName) await expect(this.childName).toHaveText(childName)
    else await expect(this.childName).toBeVisible()
  }

  async goto(caseId: string, childName?: string): Promise<void> {
    await this.page.goto(`/cases/${caseId}`)
    await this.expectLoaded(childName)
  }

  caseId(): string {
    const id = /\/cases\/([0-9a-f-]{36})$/.exec(new URL(this.page.url()).pathname)?.[1]
    if (!id) throw new Error(`Not on a case page: ${this.page.url()}`)
    return id
  }

  /** A value in the case summary ("Rating", "Route", "Allocated to", ...). */
  summaryValue(key: string): Locator {
    return this.summary
      .locator('.govuk-summary-list__row')
      .filter({ has: this.page.locator('dt', { hasText: key }) })
      .locator('dd')
  }

  /** The state tag ("Running", "Due soon", "Overdue", "Met", "Met late") of a timescale, by its label. */
  clockState(label: string): Locator {
    return this.clocks
      .locator('tbody tr')
      .filter({ has: this.page.getByRole('cell', { name: label, exact: true }) })
      .locator('.govuk-tag')
  }

  /** "View <child>’s record": from the case to the child's record. */
  async openChildRecord(): Promise<void> {
    await this.page.locator('[data-qa="child-record-link"]').click()
  }

  /** Opens one of "What you can do", by its text (the pathway's action label). */
  async takeAction(label: string): Promise<void> {
    await this.actions.getByRole('link', { name: label, exact: true }).click()
  }

  async expectFlash(heading: string): Promise<void> {
    await expect(this.banner.locator('.govuk-notification-banner__heading')).toHaveText(heading)
  }
}
