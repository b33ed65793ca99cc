import { describe, expect, it } from 'vitest'
import { checkDate, checkDateTime, dateItemsFor, londonInstant, londonParts, parseTime, partsOfIsoDate } from './dates.js'

describe('checkDate: the GOV.UK date input', () => {
  const cases: { name: string; parts: [string, string, string]; required: boolean; expected: ReturnType<typeof checkDate> }[] = [
    { name: 'a real date', parts: ['7', '3', '2026'], required: true, expected: { ok: true, value: '2026-03-07' } },
    { name: 'spaces around the parts', parts: [' 07 ', '03', ' 2026'], required: true, expected: { ok: true, value: '2026-03-07' } },
    { name: 'blank and optional', parts: ['', '', ''], required: false, expected: { ok: true, value: null } },
    { name: 'blank and required', parts: ['', '', ''], required: true, expected: { ok: false, message: 'Enter the date received' } },
    {
      name: 'missing the month',
      parts: ['7', '', '2026'],
      required: false,
      expected: { ok: false, message: 'Date received must include a month' },
    },
    {
      name: 'missing day and year',
      parts: ['', '3', ''],
      required: true,
      expected: { ok: false, message: 'Date received must include a day and year' },
    },
    {
      name: '30 February',
      parts: ['30', '2', '2026'],
      required: true,
      expected: { ok: false, message: 'Date received must be a real date' },
    },
    { name: 'letters', parts: ['x', '2', '2026'], required: true, expected: { ok: false, message: 'Date received must be a real date' } },
    {
      name: 'a two-digit year',
      parts: ['1', '2', '26'],
      required: true,
      expected: { ok: false, message: 'Date received must be a real date' },
    },
    {
      name: 'before 1900',
      parts: ['1', '2', '1899'],
      required: true,
      expected: { ok: false, message: 'Date received must be a real date' },
    },
  ]
  for (const c of cases) {
    it(c.name, () =>
      expect(checkDate({ day: c.parts[0], month: c.parts[1], year: c.parts[2] }, 'Date received', { required: c.required })).toEqual(
        c.expected,
      ),
    )
  }
  it('refuses years before the form’s minimum', () => {
    expect(checkDate({ day: '1', month: '2', year: '1999' }, 'The date', { minYear: 2000 })).toEqual({
      ok: false,
      message: 'The date must be a real date',
    })
    expect(checkDate({ day: '1', month: '2', year: '2000' }, 'The date', { minYear: 2000 })).toEqual({ ok: true, value: '2000-02-01' })
  })
})

describe('parseTime', () => {
  const strict: { input: string; minutes: number | null }[] = [
    { input: '14:30', minutes: 14 * 60 + 30 },
    { input: '9:05', minutes: 9 * 60 + 5 },
    { input: '09.05', minutes: 9 * 60 + 5 },
    { input: ' 00:00 ', minutes: 0 },
    { input: '23:59', minutes: 23 * 60 + 59 },
    { input: '24:00', minutes: null },
    { input: '12:60', minutes: null },
    { input: '2pm', minutes: null },
    { input: '1430', minutes: null },
    { input: '', minutes: null },
  ]
  for (const c of strict) it(`24-hour ${JSON.stringify(c.input)}`, () => expect(parseTime(c.input, '24-hour')).toBe(c.minutes))

  const any: { input: string; minutes: number | null }[] = [
    { input: '2:30pm', minutes: 14 * 60 + 30 },
    { input: '2.30 pm', minutes: 14 * 60 + 30 },
    { input: '9am', minutes: 9 * 60 },
    { input: '12am', minutes: 0 },
    { input: 'midday', minutes: 12 * 60 },
    { input: 'midnight', minutes: 0 },
    { input: '14:30', minutes: 14 * 60 + 30 },
    { input: '9', minutes: null },
    { input: '13pm', minutes: null },
  ]
  for (const c of any) it(`as people write it ${JSON.stringify(c.input)}`, () => expect(parseTime(c.input)).toBe(c.minutes))
})

describe('londonInstant and londonParts', () => {
  const cases: { name: string; date: string; time: [number, number]; iso: string }[] = [
    { name: 'winter (GMT)', date: '2026-01-15', time: [14, 30], iso: '2026-01-15T14:30:00.000Z' },
    { name: 'summer (BST)', date: '2026-07-15', time: [14, 30], iso: '2026-07-15T13:30:00.000Z' },
    { name: 'just after midnight in BST is the day before in UTC', date: '2026-07-15', time: [0, 30], iso: '2026-07-14T23:30:00.000Z' },
    { name: 'the day the clocks go forward, after the change', date: '2026-03-29', time: [3, 0], iso: '2026-03-29T02:00:00.000Z' },
    {
      name: 'a time skipped when the clocks go forward reads an hour later',
      date: '2026-03-29',
      time: [1, 30],
      iso: '2026-03-29T01:30:00.000Z',
    },
    {
      name: 'the repeated hour when the clocks go back is taken as GMT',
      date: '2026-10-25',
      time: [1, 30],
      iso: '2026-10-25T01:30:00.000Z',
    },
    { name: 'the day the clocks go back, before the change', date: '2026-10-25', time: [0, 30], iso: '2026-10-24T23:30:00.000Z' },
  ]
  for (const c of cases) {
    it(c.name, () => expect(londonInstant(c.date, c.time[0] * 60 + c.time[1]).toISOString()).toBe(c.iso))
  }

  it('reads back as the wall clock showed it', () => {
    expect(londonParts(new Date('2026-07-14T23:30:00Z'))).toEqual({ day: '15', month: '7', year: '2026', time: '00:30' })
    expect(londonParts(new Date('2026-01-05T09:05:00Z'))).toEqual({ day: '5', month: '1', year: '2026', time: '09:05' })
  })
})

describe('checkDateTime', () => {
  it('is one instant in UK time, or errors linked to the day and time fields', () => {
    expect(checkDateTime({ day: '15', month: '7', year: '2026', time: '2:30pm' }, 'held', 'the meeting was held', true)).toEqual({
      ok: true,
      value: new Date('2026-07-15T13:30:00Z'),
    })
    expect(checkDateTime({ day: '', month: '', year: '', time: '' }, 'held', 'the meeting was held', true)).toEqual({
      ok: false,
      errors: [{ href: '#held-day', text: 'Enter the date and time the meeting was held' }],
    })
    expect(checkDateTime({ day: '', month: '', year: '', time: '' }, 'held', 'the meeting was held', false)).toEqual({
      ok: true,
      value: null,
    })
    expect(checkDateTime({ day: '31', month: '2', year: '2026', time: 'later' }, 'held', 'the meeting was held', true)).toEqual({
      ok: false,
      errors: [
        { href: '#held-day', text: 'The date the meeting was held must be a real date' },
        { href: '#held-time', text: 'Enter a time like 9:30am or 14:30' },
      ],
    })
  })
})

describe('date input items', () => {
  it('show what was typed, and mark all three boxes when the date is in error', () => {
    expect(dateItemsFor('due', partsOfIsoDate('2026-03-07'))).toEqual([
      { name: 'day', value: '7', classes: 'govuk-input--width-2' },
      { name: 'month', value: '3', classes: 'govuk-input--width-2' },
      { name: 'year', value: '2026', classes: 'govuk-input--width-4' },
    ])
    expect(
      dateItemsFor('due', partsOfIsoDate(null), [{ href: '#due-day', text: 'Enter the due date' }]).every((i) =>
        i.classes.endsWith(' govuk-input--error'),
      ),
    ).toBe(true)
  })
})
