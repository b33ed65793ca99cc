import type { Page } from '@playwright/test'
import { expect } from '../pathway/people.js'
import { checkA11y } from '../support/a11y.js'

/** Today as GOV.UK date input parts, in UK time. */
export function todayParts() {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(new Date())
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]))
  return { day: p.day!, month: p.month!, year: p.year! }
}

export async function fillDate(page: Page, prefix: string, d = todayParts()) {
  await page.locator(`#${prefix}-day`).fill(d.day)
  await page.locator(`#${prefix}-month`).fill(d.month)
  await page.locator(`#${prefix}-year`).fill(d.year)
}

/** The HSB lead opens a child's case from the HSB overview; returns the case id. */
export async function openCaseFromOverview(page: Page, childName: string): Promise<string> {
  await page.goto('/work/hsb-overview')
  await page.locator('[data-qa="queue-cases"]').getByRole('link', { name: childName, exact: true }).first().click()
  await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/)
  const caseId = /\/cases\/([0-9a-f-]{36})$/.exec(page.url())![1]!
  await checkA11y(page, `case of ${childName}`)
  return caseId
}

export async function expectFlash(page: Page, heading: string) {
  await expect(page.locator('.govuk-notification-banner__heading')).toHaveText(heading)
}
