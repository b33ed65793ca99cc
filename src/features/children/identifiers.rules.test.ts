import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  isTemporaryUpn,
  isTestRangeNhsNumber,
  isValidNhsNumber,
  isValidUpn,
  matchScore,
  matchStrength,
  MATCH_SCORES,
  nhsCheckDigit,
  normaliseNhsNumber,
  normaliseUpn,
  upnCheckLetter,
  type ChildIdentity,
} from './identifiers.rules.js'

/** Written out again here, independently of the code under test. */
function withNhsCheckDigit(nine: string): string | null {
  const sum = [...nine].reduce((s, d, i) => s + Number(d) * (10 - i), 0)
  const check = (11 - (sum % 11)) % 11
  return check === 10 ? null : `${nine}${check}`
}

/** The first nine-digit prefix from `start` up whose check digit would be `wanted` (10 = none). */
function prefixWithCheck(start: number, wanted: number): string {
  for (let n = start; ; n++) {
    const nine = String(n).padStart(9, '0')
    const sum = [...nine].reduce((s, d, i) => s + Number(d) * (10 - i), 0)
    if ((11 - (sum % 11)) % 11 === wanted) return nine
  }
}

const VALID_TEST_RANGE = withNhsCheckDigit('999000001') as string
const CHECK_ELEVEN_TO_ZERO = `${prefixWithCheck(999_000_000, 0)}0`
const CHECK_TEN_PREFIX = prefixWithCheck(999_000_000, 10)

describe('normaliseNhsNumber', () => {
  const cases: { input: string | null | undefined; expected: string | null }[] = [
    { input: '9434765919', expected: '9434765919' },
    { input: '943 476 5919', expected: '9434765919' },
    { input: ' 943-476-5919 ', expected: '9434765919' },
    { input: '943\u00a0476\u00a05919', expected: '9434765919' },
    { input: '943–476–5919', expected: '9434765919' },
    { input: '943476591', expected: null },
    { input: '94347659190', expected: null },
    { input: '943476591A', expected: null },
    { input: '943.476.5919', expected: null },
    { input: '', expected: null },
    { input: null, expected: null },
    { input: undefined, expected: null },
  ]
  for (const c of cases) {
    it(`${JSON.stringify(c.input)} → ${String(c.expected)}`, () => expect(normaliseNhsNumber(c.input)).toBe(c.expected))
  }
})

describe('isValidNhsNumber', () => {
  const cases: { name: string; input: string | null; expected: boolean }[] = [
    { name: 'the published example 943 476 5919', input: '943 476 5919', expected: true },
    { name: 'a computed number in the test range', input: VALID_TEST_RANGE, expected: true },
    { name: 'check digit 11 becomes 0', input: CHECK_ELEVEN_TO_ZERO, expected: true },
    { name: 'the published example with the wrong check digit', input: '9434765918', expected: false },
    { name: 'check digit 10: no valid number has this prefix (0)', input: `${CHECK_TEN_PREFIX}0`, expected: false },
    { name: 'check digit 10: no valid number has this prefix (1)', input: `${CHECK_TEN_PREFIX}1`, expected: false },
    { name: 'adjacent digits swapped', input: '9434769519', expected: false },
    { name: 'too short', input: '943476591', expected: false },
    { name: 'letters', input: 'ABCDEFGHIJ', expected: false },
    { name: 'empty', input: '', expected: false },
    { name: 'null', input: null, expected: false },
    { name: 'all zeros passes the check (not a real number, but not our check to make)', input: '0000000000', expected: true },
  ]
  for (const c of cases) {
    it(c.name, () => expect(isValidNhsNumber(c.input)).toBe(c.expected))
  }

  it('nhsCheckDigit agrees with the independent calculation and rejects bad prefixes', () => {
    expect(nhsCheckDigit('943476591')).toBe(9)
    expect(nhsCheckDigit(CHECK_TEN_PREFIX)).toBeNull()
    expect(nhsCheckDigit('12345678')).toBeNull()
    expect(nhsCheckDigit('12345678X')).toBeNull()
  })

  const validNhsNumber = fc
    .array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 })
    .map((digits) => withNhsCheckDigit(digits.join('')))
    .filter((n): n is string => n !== null)

  it('property: every number built with the check digit is valid', () => {
    fc.assert(fc.property(validNhsNumber, (nhs) => isValidNhsNumber(nhs)))
  })

  /**
   * Holds for every position with no exceptions: changing digit i by δ (1 ≤ |δ| ≤ 9) changes the
   * weighted sum by wᵢ·δ, with wᵢ in 1..10 (the check digit's weight is 1, as sum + check ≡ 0
   * mod 11), and 11 is prime, so the sum mod 11 always moves. The next test checks that fact
   * exhaustively.
   */
  it('property: changing any single digit of a valid number makes it invalid', () => {
    const change = validNhsNumber.chain((nhs) => fc.tuple(fc.constant(nhs), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 })))
    fc.assert(
      fc.property(change, ([nhs, position, step]) => {
        const digit = (Number(nhs[position]) + step) % 10
        const changed = `${nhs.slice(0, position)}${digit}${nhs.slice(position + 1)}`
        return changed !== nhs && !isValidNhsNumber(changed)
      }),
      { numRuns: 2000 },
    )
  })

  it('exhaustively: no weight (1..10) times a digit change (±1..±9) is a multiple of 11', () => {
    for (let weight = 1; weight <= 10; weight++) {
      for (let delta = -9; delta <= 9; delta++) {
        if (delta !== 0) expect((weight * delta) % 11).not.toBe(0)
      }
    }
  })

  it('property: swapping two different adjacent digits makes it invalid', () => {
    const swap = validNhsNumber.chain((nhs) => fc.tuple(fc.constant(nhs), fc.integer({ min: 0, max: 8 })))
    fc.assert(
      fc.property(swap, ([nhs, i]) => {
        fc.pre(nhs[i] !== nhs[i + 1])
        const swapped = `${nhs.slice(0, i)}${nhs[i + 1]}${nhs[i]}${nhs.slice(i + 2)}`
        return !isValidNhsNumber(swapped)
      }),
    )
  })
})

describe('isTestRangeNhsNumber', () => {
  const cases: { name: string; input: string; expected: boolean }[] = [
    { name: 'valid, starting 999', input: VALID_TEST_RANGE, expected: true },
    {
      name: 'valid, starting 999, with spaces',
      input: `${VALID_TEST_RANGE.slice(0, 3)} ${VALID_TEST_RANGE.slice(3, 6)} ${VALID_TEST_RANGE.slice(6)}`,
      expected: true,
    },
    {
      name: 'starting 999 but the wrong check digit',
      input: `${VALID_TEST_RANGE.slice(0, 9)}${(Number(VALID_TEST_RANGE[9]) + 1) % 10}`,
      expected: false,
    },
    { name: 'valid but not in the test range', input: '9434765919', expected: false },
    { name: 'not a number', input: '999', expected: false },
  ]
  for (const c of cases) {
    it(c.name, () => expect(isTestRangeNhsNumber(c.input)).toBe(c.expected))
  }
})

const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ'

describe('UPN', () => {
  // B801200005001 is the published example (python-stdnum); M…A and Y…Z worked by hand:
  // 8·2 + 1·4 + 2·5 + 5·10 = 80; + A(0)·13 = 80 ≡ 11 (M); + Z(22)·13 = 366 ≡ 21 (Y) mod 23.
  const cases: { name: string; input: string | null; normalised: string | null; valid: boolean; temporary: boolean }[] = [
    { name: 'published example', input: 'B801200005001', normalised: 'B801200005001', valid: true, temporary: false },
    { name: 'lower case, spaces and hyphens', input: ' b801-2000-05001 ', normalised: 'B801200005001', valid: true, temporary: false },
    { name: 'wrong check letter', input: 'A801200005001', normalised: 'A801200005001', valid: false, temporary: false },
    { name: 'temporary UPN ending A', input: 'M80120000500A', normalised: 'M80120000500A', valid: true, temporary: true },
    { name: 'temporary UPN ending Z', input: 'Y80120000500Z', normalised: 'Y80120000500Z', valid: true, temporary: true },
    {
      name: 'temporary UPN with the wrong check letter',
      input: 'N80120000500A',
      normalised: 'N80120000500A',
      valid: false,
      temporary: true,
    },
    { name: 'a letter in the middle', input: 'X80120000A001', normalised: null, valid: false, temporary: false },
    { name: 'check letter I is not used', input: 'I801200005001', normalised: null, valid: false, temporary: false },
    { name: 'final letter O is not used', input: 'M80120000500O', normalised: null, valid: false, temporary: false },
    { name: 'final letter S is not used', input: 'M80120000500S', normalised: null, valid: false, temporary: false },
    { name: 'twelve characters', input: 'B80120000500', normalised: null, valid: false, temporary: false },
    { name: 'fourteen characters', input: 'B8012000050011', normalised: null, valid: false, temporary: false },
    { name: 'starts with a digit', input: '1801200005001', normalised: null, valid: false, temporary: false },
    { name: 'empty', input: '', normalised: null, valid: false, temporary: false },
    { name: 'null', input: null, normalised: null, valid: false, temporary: false },
  ]
  for (const c of cases) {
    it(c.name, () => {
      expect(normaliseUpn(c.input)).toBe(c.normalised)
      expect(isValidUpn(c.input)).toBe(c.valid)
      expect(isTemporaryUpn(c.input)).toBe(c.temporary)
    })
  }

  const letterCases: { input: string; expected: string | null }[] = [
    { input: '801200005001', expected: 'B' },
    { input: '80120000500A', expected: 'M' },
    { input: '80120000500a', expected: 'M' },
    { input: '80120000500Z', expected: 'Y' },
    { input: '000000000000', expected: 'A' },
    { input: '80120000500I', expected: null },
    { input: '8012000050', expected: null },
    { input: '8012000A5001', expected: null },
  ]
  for (const c of letterCases) {
    it(`upnCheckLetter(${c.input}) = ${String(c.expected)}`, () => expect(upnCheckLetter(c.input)).toBe(c.expected))
  }

  const lastChar = fc.constantFrom(...'0123456789', ...UPN_LETTERS)
  const validUpn = fc.tuple(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 11, maxLength: 11 }), lastChar).map(([digits, last]) => {
    const twelve = `${digits.join('')}${last}`
    return `${upnCheckLetter(twelve)}${twelve}`
  })
  const value = (c: string) => (/\d/.test(c) ? Number(c) : UPN_LETTERS.indexOf(c))

  it('property: a UPN built with upnCheckLetter is valid', () => {
    fc.assert(fc.property(validUpn, (upn) => isValidUpn(upn)))
  })

  it('property: changing one character makes it invalid, except a final digit swapped for the letter of the same value', () => {
    const allowedAt = (position: number) =>
      position === 0 ? [...UPN_LETTERS] : position === 12 ? [...'0123456789', ...UPN_LETTERS] : [...'0123456789']
    const change = validUpn.chain((upn) =>
      fc
        .integer({ min: 0, max: 12 })
        .chain((position) =>
          fc.tuple(fc.constant(upn), fc.constant(position), fc.constantFrom(...allowedAt(position).filter((c) => c !== upn[position]))),
        ),
    )
    fc.assert(
      fc.property(change, ([upn, position, replacement]) => {
        const changed = `${upn.slice(0, position)}${replacement}${upn.slice(position + 1)}`
        const isTheException = position === 12 && value(replacement) === value(upn[12] as string)
        return isValidUpn(changed) === isTheException
      }),
      { numRuns: 2000 },
    )
  })

  it('the exception is real: …001 and …00B share a check letter', () => {
    expect(isValidUpn('B801200005001')).toBe(true)
    expect(isValidUpn('B80120000500B')).toBe(true)
  })
})

describe('matchScore', () => {
  const child: ChildIdentity = { givenNames: 'Jayden Lee', familyName: 'Smith', dateOfBirth: '2012-03-04' }
  const cases: { name: string; candidate: ChildIdentity; query: ChildIdentity; score: number; reasons: string[] }[] = [
    {
      name: 'same NHS number, written differently',
      candidate: { nhsNumber: '9434765919' },
      query: { nhsNumber: '943 476 5919', familyName: 'Other' },
      score: 1,
      reasons: ['Same NHS number'],
    },
    { name: 'same UPN', candidate: { upn: 'B801200005001' }, query: { upn: 'b801 2000 05001' }, score: 1, reasons: ['Same UPN'] },
    {
      name: 'same local case number',
      candidate: { localCaseId: 'MOS 12345' },
      query: { localCaseId: 'mos12345' },
      score: 1,
      reasons: ['Same local case number'],
    },
    {
      name: 'same NHS number but a different UPN: still certain, conflict shown',
      candidate: { nhsNumber: '9434765919', upn: 'B801200005001' },
      query: { nhsNumber: '9434765919', upn: 'M80120000500A' },
      score: 1,
      reasons: ['Same NHS number', 'Different UPN'],
    },
    {
      name: 'an invalid NHS number is not trusted, even when equal',
      candidate: { nhsNumber: '9434765918' },
      query: { nhsNumber: '9434765918' },
      score: 0,
      reasons: [],
    },
    {
      name: 'same date of birth, same names (case and accents aside)',
      candidate: { givenNames: 'Zoë', familyName: 'O’Brien', dateOfBirth: '2012-03-04' },
      query: { givenNames: 'ZOE', familyName: "o'brien", dateOfBirth: '2012-03-04' },
      score: MATCH_SCORES.DOB_AND_SAME_NAMES,
      reasons: ['Same date of birth', 'Same family name', 'Same first name'],
    },
    {
      name: 'same date of birth, similar names (Jaden Smyth)',
      candidate: child,
      query: { givenNames: 'Jaden', familyName: 'Smyth', dateOfBirth: '2012-03-04' },
      score: MATCH_SCORES.DOB_AND_SIMILAR_NAMES,
      reasons: ['Same date of birth', 'Similar family name', 'Similar first name'],
    },
    {
      name: 'same date of birth, known by a middle name',
      candidate: child,
      query: { givenNames: 'Lee', familyName: 'Smith', dateOfBirth: '2012-03-04' },
      score: MATCH_SCORES.DOB_AND_SIMILAR_NAMES,
      reasons: ['Same date of birth', 'Same family name', 'Similar first name'],
    },
    {
      name: 'same date of birth, McDonald/Macdonald, different first name (a twin?)',
      candidate: { givenNames: 'Amelia', familyName: 'McDonald', dateOfBirth: '2012-03-04' },
      query: { givenNames: 'Oliver', familyName: 'Macdonald', dateOfBirth: '2012-03-04' },
      score: MATCH_SCORES.DOB_AND_FAMILY_NAME,
      reasons: ['Same date of birth', 'Similar family name'],
    },
    {
      name: 'same date of birth and first name, family name changed',
      candidate: child,
      query: { givenNames: 'Jayden', familyName: 'Okafor', dateOfBirth: '2012-03-04' },
      score: MATCH_SCORES.DOB_AND_FIRST_NAME,
      reasons: ['Same date of birth', 'Same first name'],
    },
    {
      name: 'same names, different date of birth',
      candidate: child,
      query: { givenNames: 'Jayden', familyName: 'Smith', dateOfBirth: '2013-03-04' },
      score: MATCH_SCORES.NAMES_ONLY,
      reasons: ['Same family name', 'Same first name'],
    },
    {
      name: 'same names, no date of birth given',
      candidate: child,
      query: { givenNames: 'Jayden', familyName: 'Smith' },
      score: MATCH_SCORES.NAMES_ONLY,
      reasons: ['Same family name', 'Same first name'],
    },
    {
      name: 'date of birth only',
      candidate: child,
      query: { givenNames: 'Priya', familyName: 'Patel', dateOfBirth: '2012-03-04' },
      score: MATCH_SCORES.DOB_ONLY,
      reasons: ['Same date of birth'],
    },
    {
      name: 'nothing in common',
      candidate: child,
      query: { givenNames: 'Priya', familyName: 'Patel', dateOfBirth: '2010-01-01' },
      score: 0,
      reasons: [],
    },
    {
      name: 'same names and date of birth but a different NHS number: capped',
      candidate: { ...child, nhsNumber: '9434765919' },
      query: { ...child, nhsNumber: VALID_TEST_RANGE },
      score: MATCH_SCORES.CAP_WHEN_IDENTIFIERS_DIFFER,
      reasons: ['Same date of birth', 'Same family name', 'Same first name', 'Different NHS number'],
    },
    {
      name: 'an impossible date of birth does not count as the same',
      candidate: { familyName: 'Smith', dateOfBirth: '2012-02-30' },
      query: { familyName: 'Smith', dateOfBirth: '2012-02-30' },
      score: 0,
      reasons: ['Same family name'],
    },
    { name: 'empty records', candidate: {}, query: {}, score: 0, reasons: [] },
  ]
  for (const c of cases) {
    it(c.name, () => expect(matchScore(c.candidate, c.query)).toEqual({ score: c.score, reasons: c.reasons }))
  }

  const identity: fc.Arbitrary<ChildIdentity> = fc.record({
    givenNames: fc.constantFrom('Jayden', 'Jaden', 'Lee', 'Amelia', 'Dan', 'Daniel', '', null),
    familyName: fc.constantFrom('Smith', 'Smyth', 'McDonald', 'Macdonald', 'Smith-Jones', '', null),
    dateOfBirth: fc.constantFrom('2012-03-04', '2013-03-04', '2012-02-30', null),
    nhsNumber: fc.constantFrom('9434765919', VALID_TEST_RANGE, '9434765918', null),
    upn: fc.constantFrom('B801200005001', 'M80120000500A', null),
    localCaseId: fc.constantFrom('MOS1', 'MOS2', null),
  })

  it('property: the score is between 0 and 1, symmetric, and 1 only with a reason naming an identifier', () => {
    fc.assert(
      fc.property(identity, identity, (a, b) => {
        const ab = matchScore(a, b)
        const ba = matchScore(b, a)
        expect(ab.score).toBeGreaterThanOrEqual(0)
        expect(ab.score).toBeLessThanOrEqual(1)
        expect(ba.score).toBe(ab.score)
        expect(ab.score === 1).toBe(ab.reasons.some((r) => /^Same (NHS number|UPN|local case number)$/.test(r)))
      }),
    )
  })
})

describe('matchStrength', () => {
  const cases: [number, string][] = [
    [1, 'CERTAIN'],
    [0.95, 'HIGH'],
    [0.8, 'HIGH'],
    [0.6, 'MEDIUM'],
    [0.5, 'MEDIUM'],
    [0.4, 'LOW'],
    [0.1, 'LOW'],
    [0, 'NONE'],
  ]
  for (const [score, expected] of cases) {
    it(`${score} → ${expected}`, () => expect(matchStrength(score)).toBe(expected))
  }
})
