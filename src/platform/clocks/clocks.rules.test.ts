import { describe, expect, it } from 'vitest'
import { ENGLAND_AND_WALES_BANK_HOLIDAYS as HOLIDAYS } from './bank-holidays.js'
import {
  ALL_CLOCK_KINDS,
  CLOCK_KINDS,
  DEFAULT_TIMESCALES,
  clockState,
  describeClock,
  dueAt,
  dueSoonAt,
  dueSoonAtOf,
  dueSoonUnits,
  withLocalLengths,
  type ClockFacts,
  type ClockKind,
  type ClockState,
  type TimescaleUnit,
} from './clocks.rules.js'

const at = (iso: string) => new Date(iso)

describe('CLOCK_KINDS and DEFAULT_TIMESCALES', () => {
  it('every kind is named after itself and has a default timescale', () => {
    for (const [key, value] of Object.entries(CLOCK_KINDS)) expect(key).toBe(value)
    expect(Object.keys(DEFAULT_TIMESCALES).sort()).toEqual([...ALL_CLOCK_KINDS].sort())
  })

  it.each([
    ['STRATEGY_MEETING', 'hours', 24],
    ['REFERRAL_DECISION', 'working-days', 1],
    ['ASSESSMENT', 'working-days', 45],
    ['INITIAL_CONFERENCE', 'working-days', 15],
    ['AIM_INTERVIEWS', 'weeks', 8],
    ['SERIOUS_INCIDENT_NOTIFICATION', 'working-days', 5],
    ['RAPID_REVIEW', 'working-days', 15],
  ] as const)('%s is %s × %i', (kind, unit, length) => {
    expect(DEFAULT_TIMESCALES[kind]).toEqual({ unit, length })
  })
})

describe('withLocalLengths', () => {
  it('changes only the lengths given, keeping units', () => {
    const local = withLocalLengths({ ASSESSMENT: 35, STRATEGY_MEETING: 48 })
    expect(local.ASSESSMENT).toEqual({ unit: 'working-days', length: 35 })
    expect(local.STRATEGY_MEETING).toEqual({ unit: 'hours', length: 48 })
    expect(local.RAPID_REVIEW).toEqual(DEFAULT_TIMESCALES.RAPID_REVIEW)
    expect(DEFAULT_TIMESCALES.ASSESSMENT.length).toBe(45)
  })

  it.each([0, -3, 1.5, Number.NaN])('refuses a length of %s', (length) => {
    expect(() => withLocalLengths({ ASSESSMENT: length })).toThrow(RangeError)
  })

  it('a local length changes the due date', () => {
    const local = withLocalLengths({ REFERRAL_DECISION: 2 })
    expect(dueAt('REFERRAL_DECISION', '2026-11-23T10:00:00Z', local, HOLIDAYS).toISOString()).toBe('2026-11-25T23:59:59.999Z')
  })
})

describe('dueAt and dueSoonAt', () => {
  const cases: [ClockKind, string, string, string, string][] = [
    [
      'STRATEGY_MEETING',
      '2026-11-27T16:00:00Z',
      '2026-11-28T16:00:00.000Z',
      '2026-11-28T11:00:00.000Z',
      '24 hours across a weekend; due soon in the last 5 hours',
    ],
    [
      'STRATEGY_MEETING',
      '2026-03-28T10:00:00Z',
      '2026-03-29T10:00:00.000Z',
      '2026-03-29T05:00:00.000Z',
      '24 hours across the start of BST',
    ],
    [
      'REFERRAL_DECISION',
      '2026-11-23T10:00:00Z',
      '2026-11-24T23:59:59.999Z',
      '2026-11-24T00:00:00.000Z',
      'Monday: end of Tuesday; due soon all Tuesday',
    ],
    ['REFERRAL_DECISION', '2026-03-31T23:30:00Z', '2026-04-02T22:59:59.999Z', '2026-04-01T23:00:00.000Z', 'received 1 April in BST'],
    [
      'ASSESSMENT',
      '2026-11-02T10:00:00Z',
      '2027-01-07T23:59:59.999Z',
      '2026-12-23T00:00:00.000Z',
      '45 working days over Christmas; last 9',
    ],
    ['INITIAL_CONFERENCE', '2026-11-23T10:00:00Z', '2026-12-14T23:59:59.999Z', '2026-12-10T00:00:00.000Z', '15 working days; last 3'],
    [
      'AIM_INTERVIEWS',
      '2026-06-01T10:00:00Z',
      '2026-07-27T22:59:59.999Z',
      '2026-07-13T23:00:00.000Z',
      '8 weeks; due soon once 6 weeks have passed',
    ],
    [
      'SERIOUS_INCIDENT_NOTIFICATION',
      '2026-12-24T10:00:00Z',
      '2027-01-05T23:59:59.999Z',
      '2027-01-05T00:00:00.000Z',
      '5 working days over Christmas and New Year',
    ],
    ['RAPID_REVIEW', '2026-04-02T10:00:00Z', '2026-04-27T22:59:59.999Z', '2026-04-22T23:00:00.000Z', '15 working days over Easter'],
  ]
  it.each(cases)('%s from %s: due %s, due soon %s (%s)', (kind, start, due, soon) => {
    expect(dueAt(kind, start, DEFAULT_TIMESCALES, HOLIDAYS).toISOString()).toBe(due)
    expect(dueSoonAt(kind, start, DEFAULT_TIMESCALES, HOLIDAYS).toISOString()).toBe(soon)
  })

  it('uses the defaults and the England and Wales list when not given them', () => {
    expect(dueAt('REFERRAL_DECISION', '2026-12-24T10:00:00Z').toISOString()).toBe('2026-12-29T23:59:59.999Z')
  })

  it.each([
    [1, 1],
    [5, 1],
    [6, 2],
    [8, 2],
    [15, 3],
    [24, 5],
    [45, 9],
  ])('a clock of %i units is due soon for its last %i', (length, units) => {
    expect(dueSoonUnits(length)).toBe(units)
  })
})

describe('clockState', () => {
  const base = { dueAt: at('2026-11-24T23:59:59.999Z'), dueSoonAt: at('2026-11-24T00:00:00Z') }
  const cases: [string, Partial<ClockFacts> & { now: Date }, ClockState, boolean][] = [
    ['not yet due soon', { now: at('2026-11-23T12:00:00Z') }, 'RUNNING', false],
    ['just before due soon', { now: at('2026-11-23T23:59:59.999Z') }, 'RUNNING', false],
    ['at the start of due soon', { now: at('2026-11-24T00:00:00Z') }, 'DUE_SOON', false],
    ['at the due moment itself', { now: at('2026-11-24T23:59:59.999Z') }, 'DUE_SOON', false],
    ['a millisecond late', { now: at('2026-11-25T00:00:00Z') }, 'OVERDUE', true],
    ['overdue with a reason', { now: at('2026-11-26T09:00:00Z'), missedReason: 'Family unavailable' }, 'OVERDUE', false],
    ['overdue with a blank reason', { now: at('2026-11-26T09:00:00Z'), missedReason: '   ' }, 'OVERDUE', true],
    ['overdue with a null reason', { now: at('2026-11-26T09:00:00Z'), missedReason: null }, 'OVERDUE', true],
    ['met early', { now: at('2026-11-30T09:00:00Z'), metAt: at('2026-11-23T15:00:00Z') }, 'MET', false],
    ['met at the due moment', { now: at('2026-11-30T09:00:00Z'), metAt: at('2026-11-24T23:59:59.999Z') }, 'MET', false],
    ['met late', { now: at('2026-11-30T09:00:00Z'), metAt: at('2026-11-25T09:00:00Z') }, 'MET_LATE', true],
    [
      'met late with a reason',
      { now: at('2026-11-30T09:00:00Z'), metAt: at('2026-11-25T09:00:00Z'), missedReason: 'Police availability' },
      'MET_LATE',
      false,
    ],
    ['met late, looked at before it was met', { now: at('2026-11-24T09:00:00Z'), metAt: at('2026-11-25T09:00:00Z') }, 'MET_LATE', true],
    ['met with a null metAt is not met', { now: at('2026-11-24T09:00:00Z'), metAt: null }, 'DUE_SOON', false],
    ['no due-soon moment: running to the end', { now: at('2026-11-24T23:00:00Z'), dueSoonAt: null }, 'RUNNING', false],
    [
      'stopped because the case closed before it was due',
      { now: at('2026-11-30T09:00:00Z'), metAt: at('2026-11-23T15:00:00Z'), stopReason: 'CASE_CLOSED' },
      'STOPPED',
      false,
    ],
    [
      'stopped because the case closed after it was due: missed',
      { now: at('2026-11-30T09:00:00Z'), metAt: at('2026-11-26T15:00:00Z'), stopReason: 'CASE_CLOSED' },
      'STOPPED',
      true,
    ],
  ]
  it.each(cases)('%s → %s (needs reason: %s)', (_name, facts, state, needsReason) => {
    expect(clockState({ ...base, ...facts })).toEqual({ state, needsReason })
  })
})

describe('describeClock', () => {
  const endOfTuesday = at('2026-11-24T23:59:59.999Z')
  const endOfFriday = at('2026-11-27T23:59:59.999Z')
  const fivePm = at('2026-11-24T17:00:00Z')
  const cases: [TimescaleUnit, ClockFacts, string][] = [
    ['hours', { dueAt: fivePm, now: at('2026-11-24T09:00:00Z') }, 'Due by 5pm, 24 November 2026'],
    ['hours', { dueAt: at('2026-07-24T08:05:00Z'), now: at('2026-07-23T09:00:00Z') }, 'Due by 9:05am, 24 July 2026'],
    [
      'working-days',
      { dueAt: endOfTuesday, dueSoonAt: at('2026-11-24T00:00:00Z'), now: at('2026-11-24T09:00:00Z') },
      'Due by 24 November 2026',
    ],
    ['weeks', { dueAt: at('2026-07-27T22:59:59.999Z'), now: at('2026-06-02T09:00:00Z') }, 'Due by 27 July 2026'],
    ['hours', { dueAt: fivePm, now: at('2026-11-24T17:25:00Z') }, 'Overdue by 25 minutes'],
    [
      'working-days',
      { dueAt: endOfTuesday, metAt: at('2026-11-23T15:00:00Z'), stopReason: 'CASE_CLOSED', now: at('2026-12-24T09:00:00Z') },
      'Stopped on 23 November 2026: case closed',
    ],
    [
      'working-days',
      { dueAt: endOfTuesday, metAt: at('2026-11-26T15:00:00Z'), stopReason: 'CASE_CLOSED', now: at('2026-12-24T09:00:00Z') },
      'Stopped on 26 November 2026: case closed, 2 working days overdue',
    ],
    ['hours', { dueAt: fivePm, now: at('2026-11-24T18:30:00Z') }, 'Overdue by 1 hour'],
    ['hours', { dueAt: fivePm, now: at('2026-11-24T20:10:00Z') }, 'Overdue by 3 hours'],
    ['hours', { dueAt: fivePm, now: at('2026-11-27T18:00:00Z') }, 'Overdue by 3 days'],
    ['working-days', { dueAt: endOfTuesday, now: at('2026-11-25T09:00:00Z') }, 'Overdue by 1 working day'],
    ['working-days', { dueAt: endOfTuesday, now: at('2026-11-26T09:00:00Z') }, 'Overdue by 2 working days'],
    ['working-days', { dueAt: endOfFriday, now: at('2026-11-28T09:00:00Z') }, 'Overdue: was due by 27 November 2026'],
    ['working-days', { dueAt: endOfFriday, now: at('2026-11-30T09:00:00Z') }, 'Overdue by 1 working day'],
    ['weeks', { dueAt: at('2026-07-27T22:59:59.999Z'), now: at('2026-08-01T09:00:00Z') }, 'Overdue by 5 days'],
    [
      'working-days',
      { dueAt: endOfTuesday, metAt: at('2026-11-20T10:00:00Z'), now: at('2026-11-30T09:00:00Z') },
      'Met on 20 November 2026',
    ],
    ['hours', { dueAt: fivePm, metAt: at('2026-11-20T09:05:00Z'), now: at('2026-11-30T09:00:00Z') }, 'Met at 9:05am, 20 November 2026'],
    [
      'working-days',
      { dueAt: endOfTuesday, metAt: at('2026-11-26T10:00:00Z'), now: at('2026-11-30T09:00:00Z') },
      'Met on 26 November 2026, 2 working days late',
    ],
    [
      'working-days',
      { dueAt: endOfFriday, metAt: at('2026-11-28T10:00:00Z'), now: at('2026-11-30T09:00:00Z') },
      'Met on 28 November 2026, late',
    ],
    [
      'hours',
      { dueAt: fivePm, metAt: at('2026-11-24T20:10:00Z'), now: at('2026-11-30T09:00:00Z') },
      'Met at 8:10pm, 24 November 2026, 3 hours late',
    ],
  ]
  it.each(cases)('%s clock %j → %s', (unit, facts, expected) => {
    expect(describeClock({ ...facts, unit }, HOLIDAYS)).toBe(expected)
  })
})

describe('dueSoonAtOf (from a clock row’s own start and due moments)', () => {
  const starts = ['2026-11-23T09:15:00Z', '2026-12-24T16:00:00Z', '2027-03-26T23:30:00Z', '2026-10-24T10:00:00Z']
  for (const kind of ALL_CLOCK_KINDS) {
    for (const start of starts) {
      it(`agrees with dueSoonAt for ${kind} from ${start}`, () => {
        const startedAt = new Date(start)
        const due = dueAt(kind, startedAt)
        expect(dueSoonAtOf(kind, startedAt, due).toISOString()).toBe(dueSoonAt(kind, startedAt).toISOString())
      })
    }
  }
  it('keeps a clock’s own length when the partnership later changes the timescale', () => {
    const startedAt = new Date('2026-11-23T09:00:00Z')
    const due = dueAt('STRATEGY_MEETING', startedAt, withLocalLengths({ STRATEGY_MEETING: 48 }))
    expect(dueSoonAtOf('STRATEGY_MEETING', startedAt, due).toISOString()).toBe('2026-11-24T23:00:00.000Z')
  })
})
