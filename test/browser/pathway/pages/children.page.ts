import { expect, type Locator, type Page } from '@playwright/test'
import type { ChildDetails } from '../data.js'

/** The fields that say who a child is (search, create and link share them: children/views/_identity-fields.njk). */
async function fillIdentity(page: Page, child: ChildDetails): Promise<void> {
  await page.getByLabel('First names', { exact: true }).fill(child.givenNames)
  await page.getByLabel('Family name', { exact: true }).fill(child.familyName)
  const dob = page.getByRole('group', { name: 'Date of birth' })
  await dob.getByLabel('Day').fill(child.dateOfBirth.day)
  await dob.getByLabel('Month').fill(child.dateOfBirth.month)
  await dob.getByLabel('Year').fill(child.dateOfBirth.year)
}

/** /children/search: find a child before creating a record. The search is a POST; results render on its response. */
export class FindChildPage {
  readonly results: Locator
  readonly matches: Locator
  readonly createNew: Locator

  constructor(readonly page: Page) {
    this.results = page.locator('[data-qa="search-results"]')
    this.matches = page.locator('.govuk-summary-card:has([data-qa="match"])')
    this.createNew = page.locator('[data-qa="create-new"]')
  }

  async goto(): Promise<void> {
    await this.page.goto('/children/search')
    await expect(this.page.getByRole('heading', { level: 1, name: 'Find a child' })).toBeVisible()
  }

  /** Searches by name and date of birth; nothing typed goes into the address. */
  async search(child: ChildDetails): Promise<void> {
    await fillIdentity(this.page, child)
    const response = this.page.waitForResponse((r) => r.url().endsWith('/children/search') && r.request().method() === 'POST')
    await this.page.locator('[data-qa="search-submit"]').click()
    expect((await response).status()).toBe(200)
    await expect(this.results).toBeVisible()
    expect(new URL(this.page.url()).search).toBe('')
  }

  /** The summary card offering an existing record, found by the name in its title. */
  match(name: string): Locator {
    return this.matches.filter({ has: this.page.getByRole('heading', { name, exact: true }) })
  }

  /** "Create a new record" (or "None of these is the child"): the new-record form, carrying what was typed. */
  async createNewRecord(): Promise<NewChildPage> {
    await this.createNew.click()
    const form = new NewChildPage(this.page)
    await form.expectLoaded()
    return form
  }
}

/** /children/new: the child's record, created once (the possible matches are checked again on submit). */
export class NewChildPage {
  readonly possibleMatches: Locator
  readonly matches: Locator
  readonly confirmDifferent: Locator
  readonly errorSummary: Locator

  constructor(readonly page: Page) {
    this.possibleMatches = page.locator('[data-qa="possible-matches"]')
    this.matches = page.locator('.govuk-summary-card:has([data-qa="match"])')
    this.confirmDifferent = page.getByLabel('I have checked these possible matches and this is a different child')
    this.errorSummary = page.locator('.govuk-error-summary')
  }

  async expectLoaded(): Promise<void> {
    await expect(this.page).toHaveURL(/\/children\/new$/)
    await expect(this.page.getByRole('heading', { level: 1, name: 'Create a child’s record' })).toBeVisible()
  }

  async expectCarried(child: ChildDetails): Promise<void> {
    await expect(this.page.getByLabel('First names', { exact: true })).toHaveValue(child.givenNames)
    await expect(this.page.getByLabel('Family name', { exact: true })).toHaveValue(child.familyName)
    await expect(this.page.locator('#date-of-birth-year')).toHaveValue(child.dateOfBirth.year)
  }

  async chooseGender(label: 'Female' | 'Male' | 'In another way' | 'Not known'): Promise<void> {
    await this.page.getByRole('group', { name: 'Gender (optional)' }).getByLabel(label, { exact: true }).check()
  }

  async submit(): Promise<void> {
    await this.page.locator('[data-qa="create-child-submit"]').click()
  }

  /** Submits and lands on the new record. */
  async create(): Promise<ChildRecordPage> {
    await this.submit()
    const record = new ChildRecordPage(this.page)
    await record.expectLoaded()
    return record
  }
}

/** /children/:childId: the child's record, their cases and the children linked to them. */
export class ChildRecordPage {
  readonly name: Locator
  readonly cases: Locator
  readonly linkedChildren: Locator

  constructor(readonly page: Page) {
    this.name = page.locator('[data-qa="child-name"]')
    this.cases = page.locator('[data-qa="child-cases"]')
    this.linkedChildren = page.locator('[data-qa="linked-children"]')
  }

  async expectLoaded(name?: string): Promise<void> {
    await expect(this.page).toHaveURL(/\/children\/[0-9a-f-]{36}$/)
    if (name) await expect(this.name).toHaveText(name)
    else await expect(this.name).toBeVisible()
  }

  async goto(childId: string, name?: string): Promise<void> {
    await this.page.goto(`/children/${childId}`)
    await this.expectLoaded(name)
  }

  childId(): string {
    const id = /\/children\/([0-9a-f-]{36})$/.exec(new URL(this.page.url()).pathname)?.[1]
    if (!id) throw new Error(`Not on a child's record: ${this.page.url()}`)
    return id
  }

  async raiseRequestForSupport(): Promise<void> {
    await this.page.locator('[data-qa="raise-request"]').click()
  }

  async openLinkForm(): Promise<LinkChildPage> {
    await this.page.getByRole('link', { name: 'Link another child' }).click()
    const form = new LinkChildPage(this.page)
    await expect(this.page.getByRole('heading', { level: 1, name: 'Link another child' })).toBeVisible()
    return form
  }

  async openAccessHistory(): Promise<AccessHistoryPage> {
    await this.page.getByRole('link', { name: 'Who has seen or changed this record' }).click()
    const history = new AccessHistoryPage(this.page)
    await history.expectLoaded()
    return history
  }
}

/** /children/:childId/links/new: how the other child is linked, find them, then choose them. */
export class LinkChildPage {
  constructor(readonly page: Page) {}

  async find(kind: 'Harmed child' | 'Sibling' | 'Peer' | 'Other', child: ChildDetails): Promise<void> {
    await this.page.getByLabel(kind, { exact: true }).check()
    await fillIdentity(this.page, child)
    await this.page.locator('[data-qa="link-search"]').click()
  }

  /** The radio for a match the person may link, labelled with the child's name and date of birth. */
  matchChoice(nameAndBirth: string): Locator {
    return this.page.getByLabel(nameAndBirth)
  }

  async link(): Promise<void> {
    await this.page.locator('[data-qa="link-submit"]').click()
  }
}

/** /children/:childId/access-history: who has seen or changed the record, allowed or denied. */
export class AccessHistoryPage {
  readonly rows: Locator

  constructor(readonly page: Page) {
    this.rows = page.locator('[data-qa="access-history"] tbody tr')
  }

  async expectLoaded(): Promise<void> {
    await expect(this.page).toHaveURL(/\/children\/[0-9a-f-]{36}\/access-history$/)
    await expect(this.page.getByRole('heading', { level: 1, name: 'Who has seen or changed this record' })).toBeVisible()
  }

  /** The entries by one person with one outcome ("Allowed" or "Denied"). */
  entries(who: string, outcome: 'Allowed' | 'Denied'): Locator {
    return this.rows.filter({ has: this.page.getByRole('cell', { name: who, exact: true }) }).filter({ hasText: outcome })
  }
}
