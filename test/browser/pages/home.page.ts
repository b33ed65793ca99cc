import { expect, type Locator, type Page } from '@playwright/test'
import type { Landing } from '../../../src/features/home/landing.rules.js'

/** The landing page a person sees after signing in, with the header's account slot. */
export class HomePage {
  readonly landingHeading: Locator
  readonly signedInAs: Locator
  readonly signOutButton: Locator

  constructor(readonly page: Page) {
    this.landingHeading = page.locator('h1[data-qa="landing-heading"]')
    this.signedInAs = page.locator('[data-qa="signed-in-as"]')
    this.signOutButton = page.locator('[data-qa="sign-out"]')
  }

  async expectLanding(landing: Landing): Promise<void> {
    await expect(this.page).toHaveURL(/\/$/)
    await expect(this.landingHeading).toHaveAttribute('data-landing', landing.key)
    await expect(this.landingHeading).toHaveText(landing.heading)
  }

  /** Sign out is a POST form (a button styled as a link); it ends on /sign-in?reason=signed-out. */
  async signOut(): Promise<void> {
    await expect(this.signOutButton).toHaveRole('button')
    await this.signOutButton.click()
    await expect(this.page).toHaveURL(/\/sign-in\?reason=signed-out$/)
  }
}
