import { describe, expect, it } from 'vitest'
import { recordedLater } from './case-audits.presenter.js'

describe('a record entered after it happened', () => {
  const happened = new Date('2026-11-20T14:00:00Z')

  it('says when it was recorded, and why late when there is a reason', () => {
    expect(recordedLater(happened, new Date('2026-12-07T15:00:00Z'), 'the minutes arrived by post')).toBe(
      'Recorded 7 December 2026, 3:00pm: entered late because the minutes arrived by post.',
    )
    expect(recordedLater(happened, new Date('2026-11-21T09:30:00Z'), null)).toBe('Recorded 21 November 2026, 9:30am.')
  })

  it('says nothing when it was recorded as it happened', () => {
    expect(recordedLater(happened, new Date('2026-11-20T14:04:00Z'), null)).toBe('')
    expect(recordedLater(happened, null, null)).toBe('')
  })
})
