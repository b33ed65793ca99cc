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

  /** Case roles land on their work queue (`landing.redirect`), which carries the landing heading. */
  async expectLanding(landing: Landing): Promise<void> {
    const path = landing.redirect ?? '/'
    await expect(this.page).toHaveURL((url) => url.pathname === path)
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
