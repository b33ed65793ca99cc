import { describe, expect, it } from 'vitest'
import { bailHoldingUp, emptyEntry, entryFacts, isCurrentBail, validateEntry, type EntryInput } from './criminal-process.rules.js'

const d = (iso: string) => {
  const [year, month, day] = iso.split('-') as [string, string, string]
  return { day, month, year }
}
const input = (over: Partial<EntryInput>): EntryInput => ({
  ...emptyEntry('INVESTIGATION', d('2026-01-10')),
  policeReference: 'NP/1',
  ...over,
})
const facts = { today: '2026-02-01', investigationStartedOn: null, firstChargedOn: null }

describe('criminal process entries', () => {
  it('needs a known kind, a real date and the fields of its kind', () => {
    expect(validateEntry(input({ kind: 'ARREST' }), facts)).toMatchObject({ ok: false, errors: [{ href: '#kind' }] })
    expect(validateEntry(input({ date: d('2026-02-30') }), facts)).toMatchObject({
      ok: false,
      errors: [{ href: '#date-day', text: 'The date the investigation started must be a real date' }],
    })
    expect(validateEntry(input({ policeReference: ' ' }), facts)).toMatchObject({ ok: false, errors: [{ href: '#police-reference' }] })
    expect(validateEntry(input({ kind: 'CHARGE', offence: '' }), facts)).toMatchObject({ ok: false, errors: [{ href: '#offence' }] })
    expect(validateEntry(input({ kind: 'COURT_HEARING', court: 'Youth court', hearingType: '' }), facts)).toMatchObject({
      ok: false,
      errors: [{ href: '#hearing-type' }],
    })
    expect(validateEntry(input({ kind: 'OUTCOME', outcome: 'Referral order' }), facts)).toMatchObject({
      ok: true,
      value: { kind: 'OUTCOME', outcome: 'Referral order', occurredOn: '2026-01-10' },
    })
  })

  it('refuses future dates except for court hearings', () => {
    expect(validateEntry(input({ date: d('2026-03-01') }), facts).ok).toBe(false)
    expect(
      validateEntry(input({ kind: 'COURT_HEARING', date: d('2026-03-01'), court: 'Youth court', hearingType: 'Trial' }), facts).ok,
    ).toBe(true)
  })

  it('keeps dates in order: bail ends on or after it starts, the charge on or after the investigation started', () => {
    const bail = (end: string) =>
      validateEntry(input({ kind: 'BAIL', date: d('2026-01-10'), endDate: d(end), conditions: 'No contact' }), facts)
    expect(bail('2026-01-09')).toMatchObject({ ok: false, errors: [{ href: '#end-date-day' }] })
    expect(bail('2026-01-10')).toMatchObject({ ok: true, value: { endsOn: '2026-01-10' } })
    const started = { ...facts, investigationStartedOn: '2026-01-10' }
    expect(validateEntry(input({ kind: 'CHARGE', date: d('2026-01-09'), offence: 'x' }), started).ok).toBe(false)
    expect(validateEntry(input({ kind: 'CHARGE', date: d('2026-01-10'), offence: 'x' }), started).ok).toBe(true)
    expect(validateEntry(input({ date: d('2026-01-12') }), { ...facts, firstChargedOn: '2026-01-11' }).ok).toBe(false)
  })

  it('asks for a note when bail holds up intervention, and only bail can', () => {
    expect(validateEntry(input({ kind: 'BAIL', conditions: 'Curfew', holdsUp: true }), facts)).toMatchObject({
      ok: false,
      errors: [{ href: '#hold-up-note' }],
    })
    expect(validateEntry(input({ kind: 'CHARGE', offence: 'x', holdsUp: true }), facts)).toMatchObject({
      ok: true,
      value: { holdsUpIntervention: false },
    })
  })

  it('finds the earliest investigation and charge', () => {
    expect(
      entryFacts(
        [
          { kind: 'CHARGE', occurredOn: '2026-01-05' },
          { kind: 'INVESTIGATION', occurredOn: '2026-01-03' },
          { kind: 'INVESTIGATION', occurredOn: '2026-01-01' },
        ],
        '2026-02-01',
      ),
    ).toEqual({ today: '2026-02-01', investigationStartedOn: '2026-01-01', firstChargedOn: '2026-01-05' })
  })
})

describe('bail holding up intervention', () => {
  const bail = (occurredOn: string, endsOn: string | null, holdsUpIntervention = true) => ({
    kind: 'BAIL',
    occurredOn,
    endsOn,
    holdsUpIntervention,
  })
  it('holds up while current: started, with no end date or an end date not yet passed', () => {
    expect(isCurrentBail(bail('2026-01-01', null), '2026-02-01')).toBe(true)
    expect(isCurrentBail(bail('2026-01-01', '2026-02-01'), '2026-02-01')).toBe(true)
    expect(isCurrentBail(bail('2026-01-01', '2026-01-31'), '2026-02-01')).toBe(false)
    expect(isCurrentBail(bail('2026-02-02', null), '2026-02-01')).toBe(false)
    expect(
      bailHoldingUp([bail('2026-01-01', null), bail('2026-01-01', null, false), bail('2025-01-01', '2025-02-01')], '2026-02-01'),
    ).toHaveLength(1)
  })
})
