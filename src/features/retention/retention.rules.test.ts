import { describe, expect, it } from 'vitest'
import {
  addYears,
  describeRule,
  dueDate,
  isDue,
  mayDecide,
  scheduleInForce,
  validateReason,
  validateSchedule,
  type ChildFacts,
  type Schedule,
} from './retention.rules.js'

const facts = (over: Partial<ChildFacts> = {}): ChildFacts => ({
  dateOfBirth: '2008-06-15',
  lastContact: new Date('2020-03-10T12:00:00Z'),
  hasOpenCase: false,
  kind: 'CHILD_RECORD',
  ...over,
})

describe('addYears', () => {
  it('adds whole years to a date', () => {
    expect(addYears('2008-06-15', 18)).toBe('2026-06-15')
    expect(addYears('2024-12-31', 1)).toBe('2025-12-31')
  })
  it('takes 29 February to 1 March in a year without one, never a day early', () => {
    expect(addYears('2008-02-29', 18)).toBe('2026-03-01')
    expect(addYears('2008-02-29', 16)).toBe('2024-02-29')
    expect(addYears('2007-02-28', 1)).toBe('2008-02-28')
  })
})

describe('dueDate', () => {
  it('is a number of years after the last contact, on the UK calendar date of that contact', () => {
    expect(dueDate(facts(), { yearsAfterLastContact: 6, untilBirthday: null })?.dueOn).toBe('2026-03-10')
    // 23:30 UTC on 31 May in British Summer Time is 1 June in the UK.
    const late = facts({ lastContact: new Date('2019-05-31T23:30:00Z') })
    expect(dueDate(late, { yearsAfterLastContact: 1, untilBirthday: null })?.dueOn).toBe('2020-06-01')
  })
  it('is the child’s Nth birthday, a leap-day birthday landing on 1 March in a common year', () => {
    expect(dueDate(facts(), { yearsAfterLastContact: null, untilBirthday: 25 })?.dueOn).toBe('2033-06-15')
    expect(dueDate(facts({ dateOfBirth: '2004-02-29' }), { yearsAfterLastContact: null, untilBirthday: 25 })?.dueOn).toBe('2029-03-01')
    expect(dueDate(facts({ dateOfBirth: '2004-02-29' }), { yearsAfterLastContact: null, untilBirthday: 20 })?.dueOn).toBe('2024-02-29')
  })
  it('with both rules is whichever is later', () => {
    const both = { yearsAfterLastContact: 6, untilBirthday: 25 }
    expect(dueDate(facts(), both)?.dueOn).toBe('2033-06-15')
    expect(dueDate(facts({ dateOfBirth: '1990-01-01' }), both)?.dueOn).toBe('2026-03-10')
    expect(dueDate(facts(), both)?.basis).toBe(
      '6 years after the last contact or until the child’s 25th birthday, whichever is later: last contact 10 March 2020, due 15 June 2033',
    )
  })
  it('is never while a case is open', () => {
    expect(dueDate(facts({ hasOpenCase: true }), { yearsAfterLastContact: 1, untilBirthday: 18 })).toBeNull()
  })
  it('is due on the date itself and after, not the day before', () => {
    const due = dueDate(facts(), { yearsAfterLastContact: 6, untilBirthday: null })
    expect(isDue(due, '2026-03-09')).toBe(false)
    expect(isDue(due, '2026-03-10')).toBe(true)
    expect(isDue(due, '2030-01-01')).toBe(true)
    expect(isDue(null, '2030-01-01')).toBe(false)
  })
})

describe('describeRule', () => {
  it('says the rule in words', () => {
    expect(describeRule({ yearsAfterLastContact: 1, untilBirthday: null })).toBe('1 year after the last contact')
    expect(describeRule({ yearsAfterLastContact: null, untilBirthday: 21 })).toBe('until the child’s 21st birthday')
    expect(describeRule({ yearsAfterLastContact: null, untilBirthday: 22 })).toBe('until the child’s 22nd birthday')
    expect(describeRule({ yearsAfterLastContact: null, untilBirthday: 23 })).toBe('until the child’s 23rd birthday')
    expect(describeRule({ yearsAfterLastContact: null, untilBirthday: 11 })).toBe('until the child’s 11th birthday')
    expect(describeRule({ yearsAfterLastContact: null, untilBirthday: 18 })).toBe('until the child’s 18th birthday')
  })
})

describe('scheduleInForce', () => {
  const v = (over: Partial<Schedule>): Schedule => ({
    id: 'x',
    kind: 'CHILD_RECORD',
    yearsAfterLastContact: 6,
    untilBirthday: null,
    effectiveFrom: '2025-01-01',
    decidedAt: new Date('2024-12-01T00:00:00Z'),
    ...over,
  })
  it('is the latest effective version that has come, the latest decision on a day', () => {
    const versions = [
      v({ id: 'a' }),
      v({ id: 'b', effectiveFrom: '2026-01-01' }),
      v({ id: 'c', effectiveFrom: '2025-01-01', decidedAt: new Date('2024-12-02T00:00:00Z') }),
    ]
    expect(scheduleInForce(versions, 'CHILD_RECORD', '2025-06-01')?.id).toBe('c')
    expect(scheduleInForce(versions, 'CHILD_RECORD', '2026-01-01')?.id).toBe('b')
    expect(scheduleInForce(versions, 'CHILD_RECORD', '2024-12-31')).toBeNull()
  })
  it('has no default: nothing until the partnership decides; a front-door record follows the child’s record until it has its own', () => {
    expect(scheduleInForce([], 'CHILD_RECORD', '2030-01-01')).toBeNull()
    expect(scheduleInForce([v({ id: 'a' })], 'FRONT_DOOR_NFA', '2025-06-01')?.id).toBe('a')
    expect(scheduleInForce([v({ id: 'a' }), v({ id: 'f', kind: 'FRONT_DOOR_NFA' })], 'FRONT_DOOR_NFA', '2025-06-01')?.id).toBe('f')
  })
})

describe('validateSchedule', () => {
  const input = {
    kind: 'CHILD_RECORD',
    yearsAfterLastContact: '6',
    untilBirthday: '',
    effectiveFrom: { day: '1', month: '4', year: '2025' },
    note: 'Decided by the executive on 20 March 2025.',
  }
  it('reads a rule, the date and the note', () => {
    expect(validateSchedule(input)).toEqual({
      ok: true,
      value: {
        kind: 'CHILD_RECORD',
        yearsAfterLastContact: 6,
        untilBirthday: null,
        effectiveFrom: '2025-04-01',
        note: 'Decided by the executive on 20 March 2025.',
      },
    })
  })
  it('needs at least one rule, whole years, a real date and a note', () => {
    const r = validateSchedule({
      kind: 'X',
      yearsAfterLastContact: '',
      untilBirthday: '',
      effectiveFrom: { day: '31', month: '2', year: '2025' },
      note: ' ',
    })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.errors.map((e) => e.href)).toEqual(['#kind', '#years-after-last-contact', '#effective-from-day', '#note'])
    const bad = validateSchedule({ ...input, yearsAfterLastContact: '2.5', untilBirthday: '0' })
    expect(bad.ok ? [] : bad.errors.map((e) => e.text)).toEqual([
      'Years after the last contact must be a whole number of years from 1 to 100',
      'The birthday must be a whole number of years from 1 to 100',
    ])
  })
})

describe('validateReason and mayDecide', () => {
  it('needs a reason', () => {
    expect(validateReason('  ', 'reason', 'Enter the reason')).toEqual({
      ok: false,
      errors: [{ href: '#reason', text: 'Enter the reason' }],
    })
    expect(validateReason(' Litigation ', 'reason', 'x')).toEqual({ ok: true, value: 'Litigation' })
  })
  it('never lets the proposer decide their own proposal', () => {
    expect(mayDecide('u1', { proposedBy: 'u1' })).toBe(false)
    expect(mayDecide('u2', { proposedBy: 'u1' })).toBe(true)
  })
})
