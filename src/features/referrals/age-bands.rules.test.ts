import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  ageBand,
  ageOn,
  ALL_BROOK_TOOL_VERSIONS,
  BROOK_TOOLS,
  checkAgeBands,
  isBrookToolVersion,
  parseIsoDate,
  type AgeBand,
  type AgeBandResult,
  type BrookToolVersion,
} from './age-bands.rules.js'

const DAY = 24 * 60 * 60 * 1000
const isoFromDayNumber = (n: number) => new Date(n * DAY).toISOString().slice(0, 10)
const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY

describe('parseIsoDate', () => {
  const cases: { input: string | null; expected: ReturnType<typeof parseIsoDate> }[] = [
    { input: '2012-03-04', expected: { year: 2012, month: 3, day: 4 } },
    { input: '2012-02-29', expected: { year: 2012, month: 2, day: 29 } },
    { input: '2013-02-29', expected: null },
    { input: '2012-13-01', expected: null },
    { input: '2012-3-4', expected: null },
    { input: '04/03/2012', expected: null },
    { input: '2012-03-04T10:00:00Z', expected: null },
    { input: '', expected: null },
    { input: null, expected: null },
  ]
  for (const c of cases) {
    it(`${String(c.input)}`, () => expect(parseIsoDate(c.input)).toEqual(c.expected))
  }
})

describe('ageOn', () => {
  const cases: { name: string; dob: string; on: string; expected: number | null }[] = [
    { name: 'on the day of birth', dob: '2012-03-04', on: '2012-03-04', expected: 0 },
    { name: 'the day before the 10th birthday', dob: '2012-03-04', on: '2022-03-03', expected: 9 },
    { name: 'on the 10th birthday', dob: '2012-03-04', on: '2022-03-04', expected: 10 },
    { name: 'later in the month of the birthday', dob: '2012-03-04', on: '2022-03-31', expected: 10 },
    { name: 'an earlier month', dob: '2012-03-04', on: '2022-02-28', expected: 9 },
    { name: 'born 31 December, on 1 January', dob: '2011-12-31', on: '2012-01-01', expected: 0 },
    { name: 'born 29 February: still 0 on 28 February the next year', dob: '2008-02-29', on: '2009-02-28', expected: 0 },
    { name: 'born 29 February: 1 on 1 March the next year (our convention)', dob: '2008-02-29', on: '2009-03-01', expected: 1 },
    { name: 'born 29 February: 3 on 28 February of a leap year', dob: '2008-02-29', on: '2012-02-28', expected: 3 },
    { name: 'born 29 February: 4 on 29 February of a leap year', dob: '2008-02-29', on: '2012-02-29', expected: 4 },
    { name: 'born 29 February: 17 on 28 February 2026, 18 on 1 March', dob: '2008-02-29', on: '2026-02-28', expected: 17 },
    { name: 'born 29 February: 18 on 1 March 2026', dob: '2008-02-29', on: '2026-03-01', expected: 18 },
    {
      name: 'born 29 February: two birthdays 365 days apart (1 March 2003, 29 February 2004)',
      dob: '2000-02-29',
      on: '2004-02-29',
      expected: 4,
    },
    { name: 'the day before birth', dob: '2012-03-04', on: '2012-03-03', expected: null },
    { name: 'a year before birth', dob: '2012-03-04', on: '2011-03-04', expected: null },
    { name: 'not a real date of birth', dob: '2013-02-29', on: '2020-01-01', expected: null },
    { name: 'not a real date', dob: '2012-03-04', on: 'today', expected: null },
  ]
  for (const c of cases) {
    it(c.name, () => expect(ageOn(c.dob, c.on)).toBe(c.expected))
  }

  // At most one in 365 days, not 366: born 29 February 2000, a child turns 3 on 1 March 2003 and
  // 4 on 29 February 2004, 365 days later, so 28 February 2003 → 29 February 2004 goes from 2 to 4.
  it('property: never goes down as the date moves on, and goes up by at most one in 365 days', () => {
    const days = fc.integer({ min: dayNumber('1990-01-01'), max: dayNumber('2040-12-31') })
    fc.assert(
      fc.property(days, fc.integer({ min: 0, max: 40 * 366 }), fc.integer({ min: 0, max: 365 }), (dob, offset, step) => {
        const a = ageOn(isoFromDayNumber(dob), isoFromDayNumber(dob + offset))
        const b = ageOn(isoFromDayNumber(dob), isoFromDayNumber(dob + offset + step))
        return a !== null && b !== null && a <= b && b - a <= 1
      }),
    )
  })
})

const band = (r: AgeBandResult) => (r.ok ? { age: r.age, band: r.band.key, alsoWithin: r.alsoWithin.map((b) => b.key) } : r.error)

describe('ageBand', () => {
  const DOB = '2010-06-15'
  const cases: { name: string; version: BrookToolVersion; dob?: string; on: string; expected: ReturnType<typeof band> }[] = [
    { name: 'original: on the day of birth', version: 'BROOK_ORIGINAL', on: DOB, expected: { age: 0, band: 'AGE_0_5', alsoWithin: [] } },
    { name: 'original: aged 4', version: 'BROOK_ORIGINAL', on: '2015-06-14', expected: { age: 4, band: 'AGE_0_5', alsoWithin: [] } },
    {
      name: 'original: on the 5th birthday, in both 0–5 and 5–9',
      version: 'BROOK_ORIGINAL',
      on: '2015-06-15',
      expected: { age: 5, band: 'AGE_5_9', alsoWithin: ['AGE_0_5'] },
    },
    { name: 'original: aged 7', version: 'BROOK_ORIGINAL', on: '2017-09-01', expected: { age: 7, band: 'AGE_5_9', alsoWithin: [] } },
    {
      name: 'original: aged 9, in both 5–9 and 9–13',
      version: 'BROOK_ORIGINAL',
      on: '2019-06-15',
      expected: { age: 9, band: 'AGE_9_13', alsoWithin: ['AGE_5_9'] },
    },
    {
      name: 'original: aged 13, in both 9–13 and 13–17',
      version: 'BROOK_ORIGINAL',
      on: '2023-06-15',
      expected: { age: 13, band: 'AGE_13_17', alsoWithin: ['AGE_9_13'] },
    },
    {
      name: 'original: the day before the 18th birthday',
      version: 'BROOK_ORIGINAL',
      on: '2028-06-14',
      expected: { age: 17, band: 'AGE_13_17', alsoWithin: [] },
    },
    { name: 'original: on the 18th birthday', version: 'BROOK_ORIGINAL', on: '2028-06-15', expected: 'AGED_18_OR_OVER' },
    { name: 'original: before birth', version: 'BROOK_ORIGINAL', on: '2010-06-14', expected: 'BEFORE_BIRTH' },
    { name: 'original: not a real date', version: 'BROOK_ORIGINAL', on: '2019-02-29', expected: 'INVALID_DATE' },
    {
      name: 'original: date of birth not a real date',
      version: 'BROOK_ORIGINAL',
      dob: '2010-06-31',
      on: '2019-01-01',
      expected: 'INVALID_DATE',
    },
    { name: '2020: aged 4', version: 'BROOK_2020', on: '2015-06-14', expected: { age: 4, band: 'AGE_0_4', alsoWithin: [] } },
    { name: '2020: aged 5', version: 'BROOK_2020', on: '2015-06-15', expected: { age: 5, band: 'AGE_5_9', alsoWithin: [] } },
    { name: '2020: aged 10', version: 'BROOK_2020', on: '2020-06-15', expected: { age: 10, band: 'AGE_10_13', alsoWithin: [] } },
    { name: '2020: aged 14', version: 'BROOK_2020', on: '2024-06-15', expected: { age: 14, band: 'AGE_14_17', alsoWithin: [] } },
    { name: '2020: aged 18', version: 'BROOK_2020', on: '2028-06-15', expected: 'AGED_18_OR_OVER' },
    {
      name: 'born 29 February, behaviour on 28 February aged "5": still 4',
      version: 'BROOK_2020',
      dob: '2008-02-29',
      on: '2013-02-28',
      expected: { age: 4, band: 'AGE_0_4', alsoWithin: [] },
    },
  ]
  for (const c of cases) {
    it(c.name, () => expect(band(ageBand(c.version, c.dob ?? DOB, c.on))).toEqual(c.expected))
  }

  it('uses the age at the time of the behaviour, not today', () => {
    // A child born in 2000 is an adult now; the behaviour in 2008 was at 8.
    expect(band(ageBand('BROOK_ORIGINAL', '2000-01-01', '2008-05-01'))).toEqual({ age: 8, band: 'AGE_5_9', alsoWithin: [] })
  })

  it('errors come with a plain-English message', () => {
    const r = ageBand('BROOK_ORIGINAL', DOB, '2001-01-01')
    expect(r).toEqual({ ok: false, error: 'BEFORE_BIRTH', message: 'The date of the behaviour is before the child’s date of birth' })
  })

  it('a partnership can supply its own bands; an age they do not cover is NO_BAND', () => {
    const own: AgeBand[] = [
      { key: 'YOUNG', label: '0 to 9', minAge: 0, maxAge: 9 },
      { key: 'OLDER', label: '12 to 17', minAge: 12, maxAge: 17 },
    ]
    expect(band(ageBand('BROOK_2020', DOB, '2015-06-15', own))).toEqual({ age: 5, band: 'YOUNG', alsoWithin: [] })
    expect(ageBand('BROOK_2020', DOB, '2020-06-15', own)).toMatchObject({
      ok: false,
      error: 'NO_BAND',
      message: 'No age band in this version of the tool covers age 10',
    })
  })

  const rank = (version: BrookToolVersion, r: AgeBandResult) => {
    if (r.ok) return BROOK_TOOLS[version].bands.findIndex((b) => b.key === r.band.key)
    return r.error === 'BEFORE_BIRTH' ? -1 : r.error === 'AGED_18_OR_OVER' ? Number.POSITIVE_INFINITY : Number.NaN
  }

  it('property: monotone in the behaviour date (a later behaviour is never in a younger band)', () => {
    const days = fc.integer({ min: dayNumber('1995-01-01'), max: dayNumber('2035-12-31') })
    fc.assert(
      fc.property(
        fc.constantFrom(...ALL_BROOK_TOOL_VERSIONS),
        days,
        fc.integer({ min: -400, max: 20 * 366 }),
        fc.integer({ min: 0, max: 3 * 366 }),
        (version, dob, offset, step) => {
          const earlier = rank(version, ageBand(version, isoFromDayNumber(dob), isoFromDayNumber(dob + offset)))
          const later = rank(version, ageBand(version, isoFromDayNumber(dob), isoFromDayNumber(dob + offset + step)))
          return !Number.isNaN(earlier) && !Number.isNaN(later) && earlier <= later
        },
      ),
    )
  })

  it('property: every age from 0 to 17 has a band in every version', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALL_BROOK_TOOL_VERSIONS), fc.integer({ min: 0, max: 17 }), (version, years) => {
        const r = ageBand(version, '2000-01-01', `${2000 + years}-07-01`)
        return r.ok && r.age === years && r.band.minAge <= years && years <= r.band.maxAge
      }),
    )
  })
})

describe('Brook tool versions', () => {
  it('isBrookToolVersion', () => {
    expect(isBrookToolVersion('BROOK_ORIGINAL')).toBe(true)
    expect(isBrookToolVersion('BROOK_2020')).toBe(true)
    expect(isBrookToolVersion('brook_2020')).toBe(false)
    expect(isBrookToolVersion('toString')).toBe(false)
    expect(isBrookToolVersion(undefined)).toBe(false)
  })

  it('the 2020 band edges are marked unconfirmed until checked against the licensed tool', () => {
    expect(BROOK_TOOLS.BROOK_ORIGINAL.bandsConfirmed).toBe(true)
    expect(BROOK_TOOLS.BROOK_2020.bandsConfirmed).toBe(false)
  })
})

describe('checkAgeBands', () => {
  for (const version of ALL_BROOK_TOOL_VERSIONS) {
    it(`the built-in ${version} bands are fine`, () => expect(checkAgeBands(BROOK_TOOLS[version].bands)).toEqual([]))
  }

  const b = (key: string, minAge: number, maxAge: number): AgeBand => ({ key, label: `${minAge} to ${maxAge}`, minAge, maxAge })
  const cases: { name: string; bands: AgeBand[]; expected: string[] }[] = [
    { name: 'empty', bands: [], expected: ['There must be at least one age band'] },
    { name: 'overlapping is fine', bands: [b('A', 0, 5), b('B', 5, 17)], expected: [] },
    { name: 'not whole years', bands: [b('A', 0, 4.5)], expected: ['Age band 1 (0 to 4.5) must use whole years'] },
    { name: 'beyond 17', bands: [b('A', 0, 18)], expected: ['Age band 1 (0 to 18) must be within 0 to 17'] },
    { name: 'below 0', bands: [b('A', -1, 5)], expected: ['Age band 1 (-1 to 5) must be within 0 to 17'] },
    { name: 'ends before it starts', bands: [b('A', 9, 5)], expected: ['Age band 1 (9 to 5) must not end before it starts'] },
    { name: 'repeated key', bands: [b('A', 0, 5), b('A', 6, 9)], expected: ['Age band 2 (6 to 9) has the same key as another band'] },
    {
      name: 'out of order',
      bands: [b('A', 5, 9), b('B', 0, 4)],
      expected: ['Age band 2 (0 to 4) must start no earlier than the band before it'],
    },
    { name: 'a gap', bands: [b('A', 0, 4), b('B', 6, 9)], expected: ['There is a gap between age band 1 and age band 2'] },
  ]
  for (const c of cases) {
    it(c.name, () => expect(checkAgeBands(c.bands)).toEqual(c.expected))
  }
})
