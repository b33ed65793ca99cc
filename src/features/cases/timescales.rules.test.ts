import { describe, expect, it } from 'vitest'
import { dueAt } from '../../platform/clocks/clocks.rules.js'
import { changesAfter, checkChange, checkLength, lengthOn, localLengthOn, timescalesAt, type TimescaleChange } from './timescales.rules.js'

const change = (clockKind: string, length: number, effectiveFrom: string, changedAt = '2026-01-01T09:00:00Z'): TimescaleChange => ({
  clockKind,
  length,
  effectiveFrom,
  changedAt: new Date(changedAt),
})
const parts = (iso: string) => {
  const [year, month, day] = iso.split('-') as [string, string, string]
  return { day: String(Number(day)), month: String(Number(month)), year }
}

describe('the length in effect', () => {
  const changes = [change('STRATEGY_MEETING', 48, '2026-06-01'), change('STRATEGY_MEETING', 36, '2026-03-01')]

  it('is the national length before any change, then each change from its date', () => {
    expect(lengthOn(changes, 'STRATEGY_MEETING', '2026-02-28')).toBe(24)
    expect(localLengthOn(changes, 'STRATEGY_MEETING', '2026-02-28')).toBeNull()
    expect(lengthOn(changes, 'STRATEGY_MEETING', '2026-03-01')).toBe(36)
    expect(lengthOn(changes, 'STRATEGY_MEETING', '2026-05-31')).toBe(36)
    expect(lengthOn(changes, 'STRATEGY_MEETING', '2026-06-01')).toBe(48)
    expect(lengthOn(changes, 'ASSESSMENT', '2026-06-01')).toBe(45)
  })

  it('takes the change recorded last when two take effect on the same date', () => {
    const again = [...changes, change('STRATEGY_MEETING', 30, '2026-06-01', '2026-02-01T09:00:00Z')]
    expect(lengthOn(again, 'STRATEGY_MEETING', '2026-06-01')).toBe(30)
    expect(changesAfter(again, 'STRATEGY_MEETING', '2026-04-01')).toEqual([{ effectiveFrom: '2026-06-01', length: 30 }])
  })

  it('goes by the UK calendar date of the instant a clock starts, across midnight in BST', () => {
    const bst = [change('STRATEGY_MEETING', 48, '2026-07-01')]
    // 23:30 on 30 June in London is 22:30 UTC: still 30 June, the national length.
    const before = new Date('2026-06-30T22:30:00Z')
    // 00:30 on 1 July in London is 23:30 UTC on 30 June: already 1 July, the new length.
    const after = new Date('2026-06-30T23:30:00Z')
    expect(timescalesAt(bst, before).STRATEGY_MEETING.length).toBe(24)
    expect(timescalesAt(bst, after).STRATEGY_MEETING.length).toBe(48)
    expect(dueAt('STRATEGY_MEETING', after, timescalesAt(bst, after)).toISOString()).toBe('2026-07-02T23:30:00.000Z')
  })

  it('goes by the UK calendar date in GMT too, and keeps each clock’s unit', () => {
    const gmt = [change('ASSESSMENT', 35, '2026-12-01')]
    expect(timescalesAt(gmt, new Date('2026-11-30T23:59:59Z')).ASSESSMENT).toEqual({ unit: 'working-days', length: 45 })
    expect(timescalesAt(gmt, new Date('2026-12-01T00:00:00Z')).ASSESSMENT).toEqual({ unit: 'working-days', length: 35 })
  })

  it('ignores rows for clocks it does not know', () => {
    expect(timescalesAt([change('NAP_TIME', 3, '2020-01-01')], new Date('2026-01-01T12:00:00Z')).STRATEGY_MEETING.length).toBe(24)
  })
})

describe('checking a length', () => {
  it.each([
    ['hours', '', 'Enter the length in hours'],
    ['hours', 'abc', 'The length must be a whole number of hours, like 24'],
    ['hours', '36.5', 'The length must be a whole number of hours'],
    ['hours', '0', 'The length must be at least 1 hour'],
    ['hours', '-4', 'The length must be at least 1 hour'],
    ['hours', '169', 'The length must be 168 hours or fewer'],
    ['working-days', '131', 'The length must be 130 working days or fewer'],
    ['weeks', '53', 'The length must be 52 weeks or fewer'],
    ['weeks', '1e3', 'The length must be a whole number of weeks, like 24'],
  ] as const)('refuses %s “%s”', (unit, typed, message) => {
    expect(checkLength(unit, typed)).toEqual({ ok: false, message })
  })

  it('takes a whole number within the bounds, with spaces around it', () => {
    expect(checkLength('hours', ' 48 ')).toEqual({ ok: true, value: 48 })
    expect(checkLength('working-days', '1')).toEqual({ ok: true, value: 1 })
  })
})

describe('checking a change', () => {
  const today = '2026-04-15'
  const ok = { length: '48', effective: parts('2026-04-16'), reason: ' Strategy meetings within two working days ' }

  it('gives the change with the length it replaces on its date', () => {
    expect(checkChange('STRATEGY_MEETING', ok, { today, changes: [] })).toEqual({
      ok: true,
      value: { length: 48, effectiveFrom: '2026-04-16', reason: 'Strategy meetings within two working days', previousLength: 24 },
    })
    expect(checkChange('STRATEGY_MEETING', { ...ok, effective: parts(today), reason: '' }, { today, changes: [] })).toMatchObject({
      ok: true,
      value: { effectiveFrom: today, reason: null },
    })
  })

  it('refuses a date before today, saying that clocks already started keep their length', () => {
    const result = checkChange('STRATEGY_MEETING', { ...ok, effective: parts('2026-04-14') }, { today, changes: [] })
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          href: '#effective-day',
          text: 'The date the change takes effect must be today or in the future: clocks already started keep the length they started with',
        },
      ],
    })
  })

  it('refuses a missing, unreal or far-off date', () => {
    const errorFor = (effective: { day: string; month: string; year: string }) =>
      checkChange('STRATEGY_MEETING', { ...ok, effective }, { today, changes: [] })
    expect(errorFor({ day: '', month: '', year: '' })).toMatchObject({ errors: [{ text: 'Enter the date the change takes effect' }] })
    expect(errorFor({ day: '31', month: '4', year: '2026' })).toMatchObject({
      errors: [{ text: 'The date the change takes effect must be a real date' }],
    })
    expect(errorFor(parts('2029-01-01'))).toMatchObject({
      errors: [{ text: 'The date the change takes effect must be within the next 2 years' }],
    })
  })

  it('refuses the length already in effect on that date, including one a change to come will set', () => {
    expect(checkChange('STRATEGY_MEETING', { ...ok, length: '24' }, { today, changes: [] })).toMatchObject({
      ok: false,
      errors: [{ href: '#length', text: 'The strategy meeting timescale is already 24 hours on that date. Enter a different length' }],
    })
    const planned = [change('STRATEGY_MEETING', 48, '2026-04-16')]
    expect(checkChange('STRATEGY_MEETING', ok, { today, changes: planned })).toMatchObject({ ok: false })
    // Putting the national length back on the same date undoes a change to come.
    expect(checkChange('STRATEGY_MEETING', { ...ok, length: '24' }, { today, changes: planned })).toMatchObject({
      ok: true,
      value: { length: 24, previousLength: 48 },
    })
  })

  it('refuses a reason over 500 characters, and gives every error at once in the form’s order', () => {
    const result = checkChange(
      'ASSESSMENT',
      { length: 'x', effective: parts('2020-01-01'), reason: 'r'.repeat(501) },
      { today, changes: [] },
    )
    expect(result.ok ? [] : result.errors.map((e) => e.href)).toEqual(['#length', '#effective-day', '#reason'])
  })
})
