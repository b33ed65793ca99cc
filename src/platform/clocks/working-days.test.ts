import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ENGLAND_AND_WALES_BANK_HOLIDAYS as HOLIDAYS } from './bank-holidays.js'
import { endOfLondonDay, formatLondonTime, londonDate, startOfLondonDay } from './london-time.js'
import { addHours, addWorkingDays, isWorkingDay, nthWorkingDayAfter, workingDaysBetween } from './working-days.js'

describe('londonDate and the ends of London days', () => {
  it.each([
    ['2026-03-31T23:30:00Z', '2026-04-01', 'BST: 23:30 UTC is 00:30 the next day'],
    ['2026-01-31T23:30:00Z', '2026-01-31', 'GMT: 23:30 UTC is 23:30 the same day'],
    ['2026-03-28T23:30:00Z', '2026-03-28', 'the night before BST starts'],
    ['2026-03-29T00:30:00Z', '2026-03-29', 'BST starts at 01:00 UTC'],
    ['2026-10-24T23:30:00Z', '2026-10-25', 'the night BST ends, still BST'],
    ['2026-10-25T23:30:00Z', '2026-10-25', 'the day BST ended, now GMT'],
    ['2026-06-01T00:00:00+01:00', '2026-06-01', 'an explicit offset'],
    ['2026-04-01', '2026-04-01', 'a calendar date is itself'],
  ])('%s is %s in London (%s)', (value, expected) => {
    expect(londonDate(value)).toBe(expected)
  })

  it.each([
    ['2026-01-15', '2026-01-15T00:00:00.000Z', '2026-01-15T23:59:59.999Z'],
    ['2026-07-15', '2026-07-14T23:00:00.000Z', '2026-07-15T22:59:59.999Z'],
    ['2026-03-29', '2026-03-29T00:00:00.000Z', '2026-03-29T22:59:59.999Z'], // a 23-hour day
    ['2026-10-25', '2026-10-24T23:00:00.000Z', '2026-10-25T23:59:59.999Z'], // a 25-hour day
  ])('%s runs from %s to %s', (date, start, end) => {
    expect(startOfLondonDay(date).toISOString()).toBe(start)
    expect(endOfLondonDay(date).toISOString()).toBe(end)
  })

  it.each(['2026-02-30', '2026-13-01', '26-01-01', '2026-03-31T23:30:00', 'yesterday', ''])('refuses %j', (value) => {
    expect(() => londonDate(value)).toThrow(RangeError)
  })

  it.each([
    ['2026-11-24T09:05:00Z', '9:05am'],
    ['2026-11-24T17:00:00Z', '5pm'],
    ['2026-11-24T12:00:00Z', 'midday'],
    ['2026-11-24T00:00:00Z', 'midnight'],
    ['2026-07-24T16:30:00Z', '5:30pm'],
  ])('formats %s as %s', (instant, expected) => {
    expect(formatLondonTime(new Date(instant))).toBe(expected)
  })
})

describe('isWorkingDay', () => {
  it.each([
    ['2026-11-23', true, 'a Monday'],
    ['2026-11-28', false, 'a Saturday'],
    ['2026-11-29', false, 'a Sunday'],
    ['2026-12-25', false, 'Christmas Day'],
    ['2026-12-28', false, 'Boxing Day substitute (Monday)'],
    ['2026-12-29', true, 'the Tuesday after'],
    ['2026-04-03', false, 'Good Friday'],
    ['2026-04-06', false, 'Easter Monday'],
    ['2023-05-08', false, 'the coronation'],
    ['2026-03-27T23:30:00Z', true, 'Friday 23:30 GMT'],
    ['2026-05-29T23:30:00Z', false, 'Friday 23:30 UTC is Saturday in BST'],
  ])('%s → %s (%s)', (date, expected) => {
    expect(isWorkingDay(date, HOLIDAYS)).toBe(expected)
  })
})

describe('addWorkingDays: day 1 is the first working day after the start date; due at the end of day N', () => {
  it.each([
    ['2026-11-23T10:00:00Z', 1, '2026-11-24T23:59:59.999Z', 'Monday referral: decision due by end of Tuesday'],
    ['2026-11-23T00:00:00Z', 1, '2026-11-24T23:59:59.999Z', 'the time of day does not matter'],
    ['2026-11-27T16:00:00Z', 1, '2026-11-30T23:59:59.999Z', 'Friday: due Monday'],
    ['2026-11-28T09:00:00Z', 1, '2026-11-30T23:59:59.999Z', 'Saturday: due Monday'],
    ['2026-11-29T09:00:00Z', 1, '2026-11-30T23:59:59.999Z', 'Sunday: due Monday'],
    ['2026-11-23', 5, '2026-11-30T23:59:59.999Z', 'five working days from a Monday is the next Monday'],
    ['2026-12-24T10:00:00Z', 1, '2026-12-29T23:59:59.999Z', 'Christmas Friday, Boxing Day substitute Monday'],
    ['2021-12-24T10:00:00Z', 1, '2021-12-29T23:59:59.999Z', '2021: both substitutes (Mon 27, Tue 28)'],
    ['2022-12-23T10:00:00Z', 1, '2022-12-28T23:59:59.999Z', '2022: Boxing Day Mon 26, Christmas substitute Tue 27'],
    ['2021-12-31T10:00:00Z', 1, '2022-01-04T23:59:59.999Z', 'New Year’s Day substitute Mon 3 January 2022'],
    ['2026-04-02T10:00:00Z', 1, '2026-04-07T22:59:59.999Z', 'Easter: Good Friday and Easter Monday, due in BST'],
    ['2026-03-31T23:30:00Z', 1, '2026-04-02T22:59:59.999Z', '23:30 UTC 31 March is 1 April in BST: due end of 2 April'],
    ['2026-03-27T10:00:00Z', 1, '2026-03-30T22:59:59.999Z', 'across the start of BST'],
    ['2026-10-23T10:00:00Z', 1, '2026-10-26T23:59:59.999Z', 'across the end of BST'],
    ['2026-10-24T23:30:00Z', 1, '2026-10-26T23:59:59.999Z', '23:30 UTC Saturday is Sunday in BST: due Monday'],
    ['2026-10-22T10:00:00Z', 1, '2026-10-23T22:59:59.999Z', 'due on a BST Friday'],
    ['2026-11-02T10:00:00Z', 45, '2027-01-07T23:59:59.999Z', 'a 45-day assessment across Christmas and New Year'],
    ['2026-11-23T10:00:00Z', 0, '2026-11-23T23:59:59.999Z', 'zero days: the end of the start date'],
  ])('%s + %i → %s (%s)', (start, n, expected) => {
    expect(addWorkingDays(start, n, HOLIDAYS).toISOString()).toBe(expected)
  })

  it('accepts a Date as well as a string', () => {
    expect(addWorkingDays(new Date('2026-11-23T10:00:00Z'), 1, HOLIDAYS)).toEqual(new Date('2026-11-24T23:59:59.999Z'))
  })

  it('ignores bank holidays it is not given', () => {
    expect(nthWorkingDayAfter('2026-12-24', 1, new Set())).toBe('2026-12-25')
  })

  it.each([-1, 1.5, Number.NaN])('refuses %s working days', (n) => {
    expect(() => addWorkingDays('2026-11-23', n, HOLIDAYS)).toThrow(RangeError)
  })
})

describe('workingDaysBetween: working days after a’s date up to and including b’s', () => {
  it.each([
    ['2026-11-23', '2026-11-23', 0],
    ['2026-11-23', '2026-11-24', 1],
    ['2026-11-27', '2026-11-28', 0],
    ['2026-11-27', '2026-11-30', 1],
    ['2026-11-24', '2026-11-23', -1],
    ['2026-11-30', '2026-11-27', -1],
    ['2026-12-24', '2026-12-29', 1],
    ['2026-04-02', '2026-04-07', 1],
    ['2026-11-02', '2027-01-07', 45],
    ['2026-03-31T23:30:00Z', '2026-04-02T22:59:59.999Z', 1],
    ['2026-11-24T23:59:59.999Z', '2026-11-26T09:00:00Z', 2],
  ])('%s → %s is %i', (a, b, expected) => {
    expect(workingDaysBetween(a, b, HOLIDAYS)).toBe(expected)
  })
})

describe('addHours: elapsed time, no working-day logic', () => {
  it.each([
    ['2026-11-27T16:00:00Z', 24, '2026-11-28T16:00:00.000Z', 'Friday 4pm → Saturday 4pm'],
    ['2026-11-28T10:00:00Z', 24, '2026-11-29T10:00:00.000Z', 'Saturday → Sunday'],
    ['2026-12-24T18:00:00Z', 24, '2026-12-25T18:00:00.000Z', 'into Christmas Day'],
    ['2026-03-28T10:00:00Z', 24, '2026-03-29T10:00:00.000Z', 'across the start of BST (10am GMT → 11am BST)'],
    ['2026-10-24T09:00:00Z', 24, '2026-10-25T09:00:00.000Z', 'across the end of BST (10am BST → 9am GMT)'],
  ])('%s + %i hours → %s (%s)', (start, hours, expected) => {
    expect(addHours(start, hours).toISOString()).toBe(expected)
  })

  it('a 24-hour clock across the start of BST is due an hour later on the wall clock', () => {
    expect(formatLondonTime(addHours('2026-03-28T10:00:00Z', 24))).toBe('11am')
  })
})

describe('properties', () => {
  const starts = fc.date({ min: new Date('2018-01-01T00:00:00Z'), max: new Date('2028-09-30T23:59:59Z'), noInvalidDate: true })
  const counts = fc.integer({ min: 1, max: 60 })

  it('addWorkingDays lands at the end of a working day, and workingDaysBetween undoes it', () => {
    fc.assert(
      fc.property(starts, counts, (start, n) => {
        const due = addWorkingDays(start, n, HOLIDAYS)
        expect(isWorkingDay(due, HOLIDAYS)).toBe(true)
        expect(londonDate(new Date(due.getTime() + 1))).not.toBe(londonDate(due))
        expect(workingDaysBetween(start, due, HOLIDAYS)).toBe(n)
        expect(due.getTime()).toBeGreaterThan(start.getTime())
      }),
      { numRuns: 500 },
    )
  })

  it('one more working day is always later', () => {
    fc.assert(
      fc.property(starts, counts, (start, n) => {
        expect(addWorkingDays(start, n + 1, HOLIDAYS).getTime()).toBeGreaterThan(addWorkingDays(start, n, HOLIDAYS).getTime())
      }),
    )
  })
})
