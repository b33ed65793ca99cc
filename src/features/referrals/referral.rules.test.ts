import { describe, expect, it } from 'vitest'
import { dateFromParts, isSharingBasis, londonInstant, londonParts, parseClockTime } from './referral.rules.js'

describe('dateFromParts', () => {
  const cases: { name: string; parts: [string, string, string]; required: boolean; expected: ReturnType<typeof dateFromParts> }[] = [
    { name: 'a real date', parts: ['7', '3', '2026'], required: true, expected: { ok: true, value: '2026-03-07' } },
    { name: 'spaces around the parts', parts: [' 07 ', '03', ' 2026'], required: true, expected: { ok: true, value: '2026-03-07' } },
    { name: 'blank and optional', parts: ['', '', ''], required: false, expected: { ok: true, value: null } },
    { name: 'blank and required', parts: ['', '', ''], required: true, expected: { ok: false, message: 'Enter the date received' } },
    { name: 'missing the month', parts: ['7', '', '2026'], required: false, expected: { ok: false, message: 'Date received must include a month' } },
    { name: 'missing day and year', parts: ['', '3', ''], required: true, expected: { ok: false, message: 'Date received must include a day and year' } },
    { name: '30 February', parts: ['30', '2', '2026'], required: true, expected: { ok: false, message: 'Date received must be a real date' } },
    { name: 'letters', parts: ['x', '2', '2026'], required: true, expected: { ok: false, message: 'Date received must be a real date' } },
    { name: 'a two-digit year', parts: ['1', '2', '26'], required: true, expected: { ok: false, message: 'Date received must be a real date' } },
    { name: 'before 1900', parts: ['1', '2', '1899'], required: true, expected: { ok: false, message: 'Date received must be a real date' } },
  ]
  for (const c of cases) {
    it(c.name, () => expect(dateFromParts({ day: c.parts[0], month: c.parts[1], year: c.parts[2] }, 'Date received', c.required)).toEqual(c.expected))
  }
})

describe('parseClockTime', () => {
  const cases: { input: string; expected: ReturnType<typeof parseClockTime> }[] = [
    { input: '14:30', expected: { hour: 14, minute: 30 } },
    { input: '9:05', expected: { hour: 9, minute: 5 } },
    { input: '09.05', expected: { hour: 9, minute: 5 } },
    { input: ' 00:00 ', expected: { hour: 0, minute: 0 } },
    { input: '23:59', expected: { hour: 23, minute: 59 } },
    { input: '24:00', expected: null },
    { input: '12:60', expected: null },
    { input: '2pm', expected: null },
    { input: '1430', expected: null },
    { input: '', expected: null },
  ]
  for (const c of cases) {
    it(JSON.stringify(c.input), () => expect(parseClockTime(c.input)).toEqual(c.expected))
  }
})

describe('londonInstant and londonParts', () => {
  const cases: { name: string; date: string; time: [number, number]; iso: string }[] = [
    { name: 'winter (GMT)', date: '2026-01-15', time: [14, 30], iso: '2026-01-15T14:30:00.000Z' },
    { name: 'summer (BST)', date: '2026-07-15', time: [14, 30], iso: '2026-07-15T13:30:00.000Z' },
    { name: 'just after midnight in BST is the day before in UTC', date: '2026-07-15', time: [0, 30], iso: '2026-07-14T23:30:00.000Z' },
    { name: 'the day the clocks go forward, after the change', date: '2026-03-29', time: [3, 0], iso: '2026-03-29T02:00:00.000Z' },
    { name: 'a time skipped when the clocks go forward reads an hour later', date: '2026-03-29', time: [1, 30], iso: '2026-03-29T01:30:00.000Z' },
    { name: 'the repeated hour when the clocks go back is taken as GMT', date: '2026-10-25', time: [1, 30], iso: '2026-10-25T01:30:00.000Z' },
    { name: 'the day the clocks go back, before the change', date: '2026-10-25', time: [0, 30], iso: '2026-10-24T23:30:00.000Z' },
  ]
  for (const c of cases) {
    it(c.name, () => expect(londonInstant(c.date, { hour: c.time[0], minute: c.time[1] }).toISOString()).toBe(c.iso))
  }

  it('reads back as the wall clock showed it', () => {
    expect(londonParts(new Date('2026-07-14T23:30:00Z'))).toEqual({ day: '15', month: '7', year: '2026', time: '00:30' })
    expect(londonParts(new Date('2026-01-05T09:05:00Z'))).toEqual({ day: '5', month: '1', year: '2026', time: '09:05' })
  })
})

describe('isSharingBasis', () => {
  it('knows the three bases and nothing else', () => {
    expect(['CONSENT', 'PUBLIC_TASK_WITHOUT_CONSENT', 'SAFEGUARDING_WITHOUT_CONSENT'].every(isSharingBasis)).toBe(true)
    expect(isSharingBasis('consent')).toBe(false)
    expect(isSharingBasis('toString')).toBe(false)
    expect(isSharingBasis(undefined)).toBe(false)
  })
})
