import { describe, expect, it } from 'vitest'
import { duplicateIdentifiers, isExactMatch, needsConfirmation, rankMatches } from './matches.rules.js'

const query = { givenNames: 'Jaden', familyName: 'Smyth', dateOfBirth: '2013-05-06', nhsNumber: '9434765919' }

describe('rankMatches', () => {
  const candidates = [
    { id: 'dob-only', givenNames: 'Amelia', familyName: 'Patel', dateOfBirth: '2013-05-06' },
    { id: 'similar', givenNames: 'Jayden', familyName: 'Smith', dateOfBirth: '2013-05-06' },
    { id: 'nothing', givenNames: 'Oliver', familyName: 'Jones', dateOfBirth: '2001-01-01' },
    { id: 'same-nhs', givenNames: 'Zed', familyName: 'Other', dateOfBirth: '2010-01-01', nhsNumber: '943 476 5919' },
    { id: 'names-only', givenNames: 'Jayden', familyName: 'Smith', dateOfBirth: '2012-01-01' },
  ]

  it('keeps name and identifier evidence, strongest first, and drops a shared date of birth alone', () => {
    const ranked = rankMatches(candidates, query)
    expect(ranked.map((m) => [m.id, m.strength])).toEqual([
      ['same-nhs', 'CERTAIN'],
      ['similar', 'HIGH'],
      ['names-only', 'LOW'],
    ])
    expect(ranked[0]?.reasons).toEqual(['Same NHS number'])
    expect(ranked[1]?.reasons).toEqual(['Same date of birth', 'Similar family name', 'Similar first name'])
  })

  it('returns nothing for no candidates', () => expect(rankMatches([], query)).toEqual([]))
})

describe('duplicateIdentifiers', () => {
  const cases: { reasons: string[][]; expected: string[] }[] = [
    { reasons: [['Same NHS number']], expected: ['nhs-number'] },
    { reasons: [['Same UPN', 'Different NHS number']], expected: ['upn'] },
    { reasons: [['Same local case number'], ['Same NHS number', 'Same UPN']], expected: ['local-case-id', 'nhs-number', 'upn'] },
    { reasons: [['Same date of birth', 'Same family name']], expected: [] },
    { reasons: [], expected: [] },
  ]
  for (const c of cases) {
    it(`${JSON.stringify(c.reasons)} → ${c.expected.join(', ') || 'none'}`, () => {
      expect(duplicateIdentifiers(c.reasons.map((reasons) => ({ reasons }))).map((d) => d.field)).toEqual(c.expected)
    })
  }
})

describe('needsConfirmation', () => {
  const cases: { strengths: ('CERTAIN' | 'HIGH' | 'MEDIUM' | 'LOW' | 'NONE')[]; expected: boolean }[] = [
    { strengths: [], expected: false },
    { strengths: ['LOW', 'MEDIUM'], expected: false },
    { strengths: ['LOW', 'HIGH'], expected: true },
    { strengths: ['CERTAIN'], expected: true },
  ]
  for (const c of cases) {
    it(`${c.strengths.join(', ') || 'none'} → ${c.expected}`, () =>
      expect(needsConfirmation(c.strengths.map((strength) => ({ strength })))).toBe(c.expected))
  }
})

describe('isExactMatch', () => {
  const record = {
    givenNames: 'Robin Alex',
    familyName: 'Quayle',
    dateOfBirth: '2012-07-08',
    nhsNumber: '9434765919',
    upn: 'B801200005001',
    localCaseId: 'LL-40021',
  }

  it('is never exact on an identifier alone (a run of case numbers would list the children behind them)', () => {
    expect(isExactMatch(record, { nhsNumber: '943 476 5919' })).toBe(false)
    expect(isExactMatch(record, { upn: 'b801200005001' })).toBe(false)
    expect(isExactMatch(record, { localCaseId: 'll-40021' })).toBe(false)
    expect(
      isExactMatch(record, { localCaseId: 'LL-40021', givenNames: 'Robin Alex', familyName: 'Quayle', dateOfBirth: '2012-07-08' }),
    ).toBe(true)
  })

  it('is exact on all the first names, the family name and the date of birth, letter case aside', () => {
    expect(isExactMatch(record, { givenNames: 'robin alex', familyName: 'QUAYLE', dateOfBirth: '2012-07-08' })).toBe(true)
    expect(isExactMatch(record, { givenNames: ' Robin  Alex ', familyName: 'Quayle', dateOfBirth: '2012-07-08' })).toBe(true)
  })

  it('is not exact on part of a name, a similar name, an initial, a name without the date of birth or another identifier', () => {
    expect(isExactMatch(record, { givenNames: 'Robin', familyName: 'Quayle', dateOfBirth: '2012-07-08' })).toBe(false)
    expect(isExactMatch(record, { givenNames: 'Robin Alex', familyName: 'Quail', dateOfBirth: '2012-07-08' })).toBe(false)
    expect(isExactMatch(record, { givenNames: 'R', familyName: 'Quayle', dateOfBirth: '2012-07-08' })).toBe(false)
    expect(isExactMatch(record, { givenNames: 'Robin Alex', familyName: 'Quayle', dateOfBirth: '2012-07-09' })).toBe(false)
    expect(isExactMatch(record, { givenNames: 'Robin Alex', familyName: 'Quayle' })).toBe(false)
    expect(isExactMatch(record, { nhsNumber: '9990001015' })).toBe(false)
    expect(isExactMatch({ ...record, localCaseId: null }, { localCaseId: '' })).toBe(false)
    expect(
      isExactMatch(
        { givenNames: '', familyName: '', dateOfBirth: '2012-07-08' },
        { givenNames: '', familyName: '', dateOfBirth: '2012-07-08' },
      ),
    ).toBe(false)
  })
})
