import { expect, type Locator, type Page } from '@playwright/test'

/** /sign-in: email and password, the demo accounts table, and the "why you were signed out" text. */
export class SignInPage {
  readonly heading: Locator
  readonly email: Locator
  readonly password: Locator
  readonly continueButton: Locator
  readonly reason: Locator
  readonly errorSummary: Locator
  readonly demoAccounts: Locator
  readonly demoPassword: Locator

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Sign in to HSB Pathway' })
    this.email = page.getByLabel('Email address', { exact: true })
    this.password = page.getByLabel('Password', { exact: true })
    this.continueButton = page.locator('[data-qa="sign-in-continue"]')
    this.reason = page.locator('[data-qa="sign-in-reason"]')
    this.errorSummary = page.locator('.govuk-error-summary')
    this.demoAccounts = page.locator('[data-qa="demo-accounts"]')
    this.demoPassword = page.locator('[data-qa="demo-password"]')
  }

  async goto(): Promise<void> {
    await this.page.goto('/sign-in')
    await this.expectLoaded()
  }

  async expectLoaded(): Promise<void> {
    await expect(this.page).toHaveURL(/\/sign-in(\?|$)/)
    await expect(this.heading).toBeVisible()
  }

  async submit(email: string, password: string): Promise<void> {
    await this.email.fill(email)
    await this.password.fill(password)
    await this.continueButton.click()
  }

  /** The error summary's title and its list of messages (links to the fields). */
  errorSummaryTitle(): Locator {
    return this.errorSummary.getByRole('heading', { name: 'There is a problem' })
  }

  errorLink(text: string): Locator {
    return this.errorSummary.getByRole('link', { name: text })
  }

  fieldError(field: 'email' | 'password'): Locator {
    return this.page.locator(`#${field}-error`)
  }
}
