import { test as base, type Page } from '@playwright/test'

/** Pages whose browser context runs without JavaScript (test.use({ javaScriptEnabled: false })). */
const noJavaScript = new WeakSet<Page>()

export function javaScriptDisabledOn(page: Page): boolean {
  return noJavaScript.has(page)
}

/**
 * The suite's `test`: the usual fixtures, with each page remembering whether JavaScript is
 * off, so checkA11y() knows how to run axe on it.
 */
export const test = base.extend({
  page: async ({ page, javaScriptEnabled }, use) => {
    if (javaScriptEnabled === false) noJavaScript.add(page)
    await use(page)
  },
})

export { expect } from '@playwright/test'
