import { expect, type Locator, type Page } from '@playwright/test'

/** /sign-in/code: the second step. In demo mode the page shows the code the authenticator would. */
export class MfaPage {
  readonly code: Locator
  readonly demoCode: Locator
  readonly signInButton: Locator

  constructor(readonly page: Page) {
    this.code = page.getByLabel('Enter the security code from your authenticator app')
    this.demoCode = page.locator('[data-qa="demo-code"]')
    this.signInButton = page.locator('[data-qa="mfa-continue"]')
  }

  async expectLoaded(): Promise<void> {
    await expect(this.page).toHaveURL(/\/sign-in\/code$/)
    await expect(this.page.getByRole('heading', { level: 1, name: 'Enter the security code from your authenticator app' })).toBeVisible()
    await expect(this.demoCode).toHaveText(/^\d{6}$/)
  }

  async readDemoCode(): Promise<string> {
    const code = (await this.demoCode.textContent())?.trim() ?? ''
    expect(code, 'demo code shown on the page').toMatch(/^\d{6}$/)
    return code
  }

  /**
   * Reads the code from the page just before submitting it: a code cannot be used twice, and the
   * page already shows the next valid code when the current one has been used.
   */
  async enterDemoCode(): Promise<void> {
    const code = await this.readDemoCode()
    await this.code.fill(code)
    await this.signInButton.click()
  }
}
