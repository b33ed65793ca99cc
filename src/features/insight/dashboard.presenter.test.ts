import { describe, expect, it } from 'vitest'
import { presentAsAt } from './dashboard.presenter.js'

describe('presentAsAt: which date the figures are as at, in words', () => {
  it('says the end of a past day, and that steps count by when they happened', () => {
    const words = presentAsAt('2026-03-31', '2026-12-07')
    expect(words.heading).toBe('Figures as at the end of 31 March 2026')
    expect(words.detail).toContain('by the date and time each step happened, even where it was entered on the system later')
  })

  it('says today so far when the as-at date is today', () => {
    const words = presentAsAt('2026-12-07', '2026-12-07')
    expect(words.heading).toBe('Figures as at today, 7 December 2026, up to the time this page was shown')
    expect(words.detail).toContain('not yet due is counted as still running')
  })
})
