import { describe, expect, it } from 'vitest'
import { alertSentence, checkRange, checkReview, queueFilter, queueQuery } from './privacy.rules.js'

const parts = (day: string, month: string, year: string) => ({ day, month, year })
const blank = parts('', '', '')

describe('the alert queue’s filters', () => {
  it('reads kind, status and page, and takes anything unknown as no filter (waiting alerts, page 1)', () => {
    expect(queueFilter({ kind: 'BREAK_GLASS', status: 'reviewed', page: '3' })).toEqual({
      kind: 'BREAK_GLASS',
      status: 'reviewed',
      page: 3,
    })
    expect(queueFilter({ kind: 'DROP TABLE', status: 'nope', page: '-1' })).toEqual({ kind: null, status: 'waiting', page: 1 })
    expect(queueFilter({ kind: '', status: '', page: '0' })).toEqual({ kind: null, status: 'waiting', page: 1 })
  })

  it('keeps the filters in links to other pages', () => {
    expect(queueQuery({ kind: 'UNUSUAL_VOLUME', status: 'all', page: 1 }, 2)).toBe('kind=UNUSUAL_VOLUME&status=all&page=2')
    expect(queueQuery({ kind: null, status: 'waiting', page: 4 }, 1)).toBe('status=waiting')
  })
})

describe('a review', () => {
  it('needs an outcome', () => {
    expect(checkReview({ outcome: '', note: '', key: null })).toEqual({
      ok: false,
      errors: [{ href: '#outcome', text: 'Select the outcome of your review' }],
    })
  })

  it('needs a note for follow-up or a breach, not when the access was appropriate', () => {
    expect(checkReview({ outcome: 'APPROPRIATE', note: '  ', key: null })).toEqual({
      ok: true,
      value: { outcome: 'APPROPRIATE', note: null },
    })
    expect(checkReview({ outcome: 'FOLLOW_UP', note: ' ', key: null })).toMatchObject({
      ok: false,
      errors: [{ href: '#note', text: 'Enter a note saying what follow-up is needed' }],
    })
    expect(checkReview({ outcome: 'BREACH', note: '', key: null })).toMatchObject({
      ok: false,
      errors: [{ href: '#note', text: 'Enter a note saying what the breach was' }],
    })
    expect(checkReview({ outcome: 'BREACH', note: ' Opened without reason. ', key: null })).toEqual({
      ok: true,
      value: { outcome: 'BREACH', note: 'Opened without reason.' },
    })
  })

  it('limits the note’s length', () => {
    expect(checkReview({ outcome: 'FOLLOW_UP', note: 'x'.repeat(2001), key: null })).toMatchObject({
      ok: false,
      errors: [{ href: '#note', text: 'The note must be 2000 characters or fewer' }],
    })
  })
})

describe('the access report’s dates', () => {
  it('defaults to the last 30 days, today included', () => {
    expect(checkRange({ from: blank, to: blank }, '2026-03-31')).toEqual({ ok: true, value: { from: '2026-03-02', to: '2026-03-31' } })
  })

  it('takes the dates given, either end alone', () => {
    expect(checkRange({ from: parts('1', '2', '2026'), to: blank }, '2026-03-31')).toEqual({
      ok: true,
      value: { from: '2026-02-01', to: '2026-03-31' },
    })
    expect(checkRange({ from: parts('1', '2', '2026'), to: parts('1', '2', '2026') }, '2026-03-31')).toMatchObject({ ok: true })
  })

  it('says what is wrong with a date, beside its day box', () => {
    expect(checkRange({ from: parts('30', '2', '2026'), to: parts('1', '', '') }, '2026-03-31')).toEqual({
      ok: false,
      errors: [
        { href: '#from-day', text: 'Start date must be a real date' },
        { href: '#to-day', text: 'End date must include a month and year' },
      ],
    })
    expect(checkRange({ from: parts('2', '2', '2026'), to: parts('1', '2', '2026') }, '2026-03-31')).toEqual({
      ok: false,
      errors: [{ href: '#to-day', text: 'End date must be the same as or after the start date' }],
    })
  })
})

describe('an alert in words', () => {
  const when = '1 March 2026, 2:05pm'
  it('says who did what to which record, and when', () => {
    expect(alertSentence({ kind: 'BREAK_GLASS', person: 'Jo Whitfield', child: 'Sam Child', count: null, when })).toBe(
      'Jo Whitfield opened Sam Child’s record through break-glass on 1 March 2026, 2:05pm.',
    )
    expect(alertSentence({ kind: 'RESTRICTED_READ', person: 'Jo Whitfield', child: null, count: null, when })).toBe(
      'Jo Whitfield opened a child’s record, which is restricted, on 1 March 2026, 2:05pm.',
    )
    expect(alertSentence({ kind: 'UNUSUAL_VOLUME', person: 'Jo Whitfield', child: null, count: 61, when })).toBe(
      'Jo Whitfield opened 61 children’s records within an hour, up to 1 March 2026, 2:05pm.',
    )
  })
})
