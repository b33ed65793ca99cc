import { describe, expect, it } from 'vitest'
import { formatDate, formatDateTime } from './format.js'

describe('GOV.UK style dates and times (UK time)', () => {
  it('writes the hour after midnight as 12, not 0', () => {
    expect(formatDateTime(new Date('2026-11-24T00:46:00Z'))).toBe('24 November 2026, 12:46am')
    expect(formatDateTime(new Date('2026-11-24T12:05:00Z'))).toBe('24 November 2026, 12:05pm')
    expect(formatDateTime(new Date('2026-07-01T13:05:00Z'))).toBe('1 July 2026, 2:05pm')
  })

  it('writes dates without a time, and nothing for no date', () => {
    expect(formatDate(new Date('2026-01-05T10:00:00Z'))).toBe('5 January 2026')
    expect(formatDateTime(null)).toBe('')
  })
})
