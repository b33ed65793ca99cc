import { describe, expect, it } from 'vitest'
import { checkWhen, dayOccurredAt, whenFields, whenOf, whenValuesOf, type WhenInput } from './when.js'

// 7 December 2026, 15:00 in London (GMT).
const NOW = new Date('2026-12-07T15:00:00Z')
const rules = { now: NOW, lateAfterDays: 7 }
const typed = (day: string, month: string, year: string, time: string, lateReason = ''): WhenInput => ({
  day,
  month,
  year,
  time,
  lateReason,
})
const hrefs = (r: ReturnType<typeof checkWhen>) => (r.ok ? [] : r.errors.map((e) => e.href))
const texts = (r: ReturnType<typeof checkWhen>) => (r.ok ? [] : r.errors.map((e) => e.text))

describe('when it happened', () => {
  it('blank is now, and not said', () => {
    expect(checkWhen(typed('', '', '', ''), rules)).toEqual({ ok: true, value: { occurredAt: NOW, lateReason: null, given: false } })
  })

  it('a date and time in UK local time (BST in summer)', () => {
    const r = checkWhen(typed('3', '6', '2026', '9:30am', 'Paper file'), rules)
    expect(r).toEqual({ ok: true, value: { occurredAt: new Date('2026-06-03T08:30:00Z'), lateReason: 'Paper file', given: true } })
  })

  it('refuses a time in the future, naming the rule', () => {
    const r = checkWhen(typed('7', '12', '2026', '15:01'), rules)
    expect(hrefs(r)).toEqual(['#occurred-day'])
    expect(texts(r)).toEqual(['The date and time it happened must be now or in the past'])
  })

  it('refuses a time before the step it follows, naming that step and its time', () => {
    const follows = { label: 'the last step on this case (Screening recorded)', at: new Date('2026-12-07T10:15:00Z') }
    const r = checkWhen(typed('7', '12', '2026', '10:14'), { ...rules, follows })
    expect(texts(r)).toEqual([
      'The date and time it happened must be the same as or after the last step on this case (Screening recorded) (10:15am on 7 December 2026)',
    ])
    expect(checkWhen(typed('7', '12', '2026', '10:15'), { ...rules, follows }).ok).toBe(true)
  })

  it('more than the set days back needs the reason it is entered late; within them none is kept', () => {
    const r = checkWhen(typed('29', '11', '2026', '14:59'), rules)
    expect(hrefs(r)).toEqual(['#late-reason'])
    expect(texts(r)).toEqual(['Enter why this is entered more than 7 days after it happened'])
    expect(checkWhen(typed('29', '11', '2026', '14:59', '  Found in the post  '), rules)).toMatchObject({
      ok: true,
      value: { lateReason: 'Found in the post' },
    })
    expect(checkWhen(typed('1', '12', '2026', '9:00', 'not needed'), rules)).toMatchObject({ ok: true, value: { lateReason: null } })
    expect(checkWhen(typed('1', '12', '2026', '9:00'), { ...rules, lateAfterDays: 1 })).toMatchObject({ ok: false })
  })

  it('a date without a time, a time without a date, and a bad time each have their message', () => {
    expect(texts(checkWhen(typed('1', '12', '2026', ''), rules))).toEqual(['Enter the time it happened'])
    expect(texts(checkWhen(typed('', '', '', '9:00'), rules))).toEqual(['Enter the date it happened'])
    expect(texts(checkWhen(typed('31', '2', '2026', '9:00'), rules))).toEqual(['The date it happened must be a real date'])
    expect(texts(checkWhen(typed('1', '12', '2026', '25:00'), rules))).toEqual(['Enter a time like 9:30am or 14:30'])
  })

  it('a reason over 2,000 characters is refused', () => {
    expect(hrefs(checkWhen(typed('1', '1', '2026', '9:00', 'x'.repeat(2001)), rules))).toEqual(['#late-reason'])
  })

  it('reads the fields from a body, and shows them again open when anything is typed or wrong', () => {
    const body = { 'occurred-day': '1', 'occurred-month': '12', 'occurred-year': '2026', 'occurred-time': '9:00', 'late-reason': 'r' }
    expect(whenOf(body)).toEqual({ day: '1', month: '12', year: '2026', time: '9:00', lateReason: 'r' })
    expect(whenFields(body)).toMatchObject({ open: true, time: '9:00', lateReason: 'r' })
    expect(whenFields({})).toMatchObject({ open: false })
    expect(whenFields({}, [{ href: '#late-reason', text: 'x' }])).toMatchObject({ open: true })
    expect(whenOf(whenValuesOf(new Date('2026-06-03T08:30:00Z')))).toEqual({
      day: '3',
      month: '6',
      year: '2026',
      time: '09:30',
      lateReason: '',
    })
  })
})

describe('a step dated by its day', () => {
  it('happens at the end of a past day, and now for today or a day still to come', () => {
    expect(dayOccurredAt('2026-06-03', NOW).toISOString()).toBe('2026-06-03T22:59:59.999Z')
    expect(dayOccurredAt('2026-12-07', NOW)).toBe(NOW)
    expect(dayOccurredAt('2027-01-06', NOW)).toBe(NOW)
  })
})
