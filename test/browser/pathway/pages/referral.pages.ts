import { expect, type Locator, type Page } from '@playwright/test'

/** /children/:childId/request-for-support: the referrer's request. Received date and time start as now. */
export class RequestForSupportPage {
  constructor(readonly page: Page) {}

  async expectLoaded(childName: string): Promise<void> {
    await expect(this.page).toHaveURL(/\/children\/[0-9a-f-]{36}\/request-for-support$/)
    await expect(this.page.getByRole('heading', { level: 1, name: 'Request for support' })).toBeVisible()
    await expect(this.page.locator('[data-qa="referral-child"]')).toContainText(childName)
  }

  async fill(r: {
    whatHappened: string
    where: string[]
    basis:
      | 'The family agreed to the information being shared'
      | 'Without consent: it is needed for our public task (statutory duty)'
      | 'Without consent: to protect a child from harm (safeguarding)'
    consentSought: 'Yes' | 'No'
    alreadyOpen: 'Yes' | 'No'
  }): Promise<void> {
    await this.page.getByLabel('What happened?').fill(r.whatHappened)
    const where = this.page.getByRole('group', { name: 'Where did it happen?' })
    for (const label of r.where) await where.getByLabel(label, { exact: true }).check()
    await this.page.getByRole('group', { name: 'On what basis are you sharing this information?' }).getByLabel(r.basis).check()
    await this.page.getByRole('group', { name: 'Was the family’s consent sought?' }).getByLabel(r.consentSought, { exact: true }).check()
    await this.page
      .getByRole('group', { name: 'Is the child already open to children’s social care, the youth offending service or leaving care?' })
      .getByLabel(r.alreadyOpen, { exact: true })
      .check()
  }

  async send(): Promise<void> {
    await this.page.locator('[data-qa="send-request-for-support"]').click()
  }

  childId(): string {
    const id = /\/children\/([0-9a-f-]{36})\/request-for-support$/.exec(new URL(this.page.url()).pathname)?.[1]
    if (!id) throw new Error(`Not on a request for support: ${this.page.url()}`)
    return id
  }
}

/** /requests/:caseId: the referrer's own request: where it is and what was shared back, never the case. */
export class YourRequestPage {
  readonly childName: Locator
  readonly status: Locator
  readonly meaning: Locator
  readonly updates: Locator
  readonly banner: Locator

  constructor(readonly page: Page) {
    this.childName = page.locator('[data-qa="request-child-name"]')
    this.status = page.locator('[data-qa="request-status"]')
    this.meaning = page.locator('[data-qa="request-meaning"]')
    this.updates = page.locator('[data-qa="request-update"]')
    this.banner = page.locator('.govuk-notification-banner')
  }

  async expectLoaded(childName: string): Promise<void> {
    await expect(this.page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/)
    await expect(this.page.getByRole('heading', { level: 1, name: 'Your request for support' })).toBeVisible()
    await expect(this.childName).toHaveText(childName)
  }

  async goto(caseId: string, childName: string): Promise<void> {
    await this.page.goto(`/requests/${caseId}`)
    await this.expectLoaded(childName)
  }

  caseId(): string {
    const id = /\/requests\/([0-9a-f-]{36})$/.exec(new URL(this.page.url()).pathname)?.[1]
    if (!id) throw new Error(`Not on a request's page: ${this.page.url()}`)
    return id
  }

  /** "Raise a new request for support about this child": the form, for a new concern. */
  async raiseAnother(): Promise<void> {
    await this.page.locator('[data-qa="new-request-link"]').click()
  }
}

/** /cases/:caseId/referrer-updates: what has been shared with the case's referrer, and the form to share more. */
export class ReferrerUpdatesPage {
  constructor(readonly page: Page) {}

  async goto(caseId: string): Promise<void> {
    await this.page.goto(`/cases/${caseId}/referrer-updates`)
    await expect(this.page.getByRole('heading', { level: 1, name: 'Updates for the referrer' })).toBeVisible()
  }

  async share(title: string, body: string): Promise<void> {
    await this.page.getByLabel('What is the update about?').fill(title)
    await this.page.getByLabel('What do you want to tell the referrer?').fill(body)
    await this.page.getByRole('button', { name: 'Share with the referrer' }).click()
    await expect(this.page.locator('.govuk-notification-banner__heading')).toHaveText('Update shared with the referrer')
  }
}

type Rating = 'Green' | 'Amber' | 'Red'

/** /cases/:caseId/screening: the Brook Traffic Light Tool screening, behaviour by behaviour. */
export class ScreeningPage {
  constructor(readonly page: Page) {}

  async expectLoaded(): Promise<void> {
    await expect(this.page).toHaveURL(/\/cases\/[0-9a-f-]{36}\/screening$/)
    await expect(this.page.getByRole('heading', { level: 1, name: 'Screening' })).toBeVisible()
  }

  /** Behaviour n (from 1), in the practitioner's own words, with its rating and the reason for it. */
  async behaviour(
    n: number,
    b: { description: string; where?: string; hackett?: string; rating: Rating; rationale: string },
  ): Promise<void> {
    await this.page.locator(`#behaviour-${n}-description`).fill(b.description)
    if (b.where) await this.page.locator(`#behaviour-${n}-context`).selectOption({ label: b.where })
    if (b.hackett) await this.page.locator(`#behaviour-${n}-hackett`).selectOption({ label: b.hackett })
    await this.page
      .locator(`input[name="behaviour-${n}-rating"]`)
      .and(this.page.getByLabel(b.rating, { exact: true }))
      .check()
    await this.page.locator(`#behaviour-${n}-rationale`).fill(b.rationale)
  }

  async overallRationale(text: string): Promise<void> {
    await this.page.getByLabel('Rationale for the overall rating').fill(text)
  }

  async save(): Promise<void> {
    await this.page.locator('[data-qa="save-screening"]').click()
  }
}

/** /cases/:caseId/screening/oversight: the team manager confirms the rating or returns it. */
export class OversightPage {
  readonly overallRating: Locator

  constructor(readonly page: Page) {
    this.overallRating = page
      .locator('.govuk-summary-list__row')
      .filter({ has: page.locator('dt', { hasText: 'Overall rating' }) })
      .locator('dd')
  }

  async expectLoaded(): Promise<void> {
    await expect(this.page).toHaveURL(/\/cases\/[0-9a-f-]{36}\/screening\/oversight$/)
    await expect(this.page.getByRole('heading', { level: 1, name: 'Management oversight of the screening' })).toBeVisible()
  }

  async confirm(note?: string): Promise<void> {
    await this.page.getByRole('group', { name: 'Do you confirm the rating?' }).getByLabel('Confirm the rating').check()
    if (note) await this.page.getByLabel('Note', { exact: true }).fill(note)
    await this.page.locator('[data-qa="save-oversight"]').click()
  }
}

/** /cases/:caseId/decision: after a green screening, no further action or a request for early help. */
export class GreenDecisionPage {
  constructor(readonly page: Page) {}

  async expectLoaded(): Promise<void> {
    await expect(this.page).toHaveURL(/\/cases\/[0-9a-f-]{36}\/decision$/)
    await expect(this.page.getByRole('heading', { level: 1, name: 'Green: decide the next steps' })).toBeVisible()
  }

  async requestEarlyHelp(professionals: string): Promise<void> {
    await this.page.getByRole('group', { name: 'What happens next?' }).getByLabel('Request early help').check()
    await this.page.getByLabel('Professionals who will do the early help assessment').fill(professionals)
    await this.page.getByRole('group', { name: 'Has an early help assessment been requested?' }).getByLabel('Yes', { exact: true }).check()
    await this.page.locator('[data-qa="save-decision"]').click()
  }
}

/** /cases/:caseId/allocation: a team and a social worker in it, and interim safeguarding measures. */
export class AllocationPage {
  constructor(readonly page: Page) {}

  async expectLoaded(): Promise<void> {
    await expect(this.page).toHaveURL(/\/cases\/[0-9a-f-]{36}\/allocation$/)
    await expect(this.page.getByRole('heading', { level: 1, name: 'Allocate the case' })).toBeVisible()
  }

  async allocate(a: { team: string; worker: string; interimMeasures?: string }): Promise<void> {
    await this.page.getByLabel('Team', { exact: true }).selectOption({ label: a.team })
    await this.page.getByLabel('Social worker', { exact: true }).selectOption({ label: a.worker })
    if (a.interimMeasures) await this.page.locator('#interim-measures').fill(a.interimMeasures)
    await this.page.locator('[data-qa="save-allocation"]').click()
  }
}
