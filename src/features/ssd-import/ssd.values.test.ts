import { describe, expect, it } from 'vitest'
import type { ColumnKind } from './ssd.spec.js'
import {
  assessmentFactorsOf,
  ethnicityOf,
  genderOf,
  londonOffsetMs,
  normaliseCell,
  nhsCheckDigitOk,
  personGenderOf,
  referralSourceOf,
  ukDateOf,
  ukLocalToInstant,
} from './ssd.values.js'

const KINDS: ColumnKind[] = ['id', 'text', 'date', 'datetime', 'nhs', 'flag', 'int', 'json']
const ok = (kind: ColumnKind, raw: string) => {
  const result = normaliseCell(kind, raw)
  if (!result.ok) throw new Error(`expected ${kind} '${raw}' to read, got: ${result.error}`)
  return result
}
const valueOf = (kind: ColumnKind, raw: string) => ok(kind, raw).value
const errorOf = (kind: ColumnKind, raw: string) => {
  const result = normaliseCell(kind, raw)
  if (result.ok) throw new Error(`expected ${kind} '${raw}' to be refused, got ${result.value}`)
  return result.error
}

describe('empty cells', () => {
  it('reads empty, spaces only and the word NULL in any case as null, for every kind, without a warning', () => {
    for (const kind of KINDS)
      for (const raw of ['', '   ', '\t', 'NULL', 'null', ' Null ', 'nULL'])
        expect(normaliseCell(kind, raw)).toEqual({ ok: true, value: null })
    expect(normaliseCell('text', null)).toEqual({ ok: true, value: null })
    expect(normaliseCell('id', undefined)).toEqual({ ok: true, value: null })
  })

  it('does not take a value that only contains the word null as empty', () => {
    expect(valueOf('text', 'Nullington')).toBe('Nullington')
    expect(valueOf('text', 'NULL NULL')).toBe('NULL NULL')
  })
})

describe('ids and text', () => {
  it('keeps an id as a string with its leading zeros, trimmed', () => {
    expect(valueOf('id', ' 0071234 ')).toBe('0071234')
    expect(valueOf('id', '000')).toBe('000')
  })

  it('keeps text as written inside: accents, apostrophes, hyphens, other scripts, double spaces', () => {
    expect(valueOf('text', "  Zoë O'Brien-Nuñez ")).toBe("Zoë O'Brien-Nuñez")
    expect(valueOf('text', 'Anne  Marie')).toBe('Anne  Marie')
    expect(valueOf('text', 'Siân ’Ōtā 李')).toBe('Siân ’Ōtā 李')
  })
})

describe('dates (a calendar date, no time)', () => {
  it('reads ISO, SQL Server date-times (time dropped) and UK day-first dates, to YYYY-MM-DD', () => {
    expect(valueOf('date', '2020-02-13')).toBe('2020-02-13')
    expect(valueOf('date', '2020-02-13 00:00:00.000')).toBe('2020-02-13')
    expect(valueOf('date', '2020-02-13 23:59:59.997')).toBe('2020-02-13')
    expect(valueOf('date', '2020-02-13T10:00')).toBe('2020-02-13')
    expect(valueOf('date', '13/02/2020')).toBe('2020-02-13')
    expect(valueOf('date', '3/2/2020')).toBe('2020-02-03')
    expect(valueOf('date', '03/2/2020')).toBe('2020-02-03')
    expect(valueOf('date', '13/02/2020 10:15')).toBe('2020-02-13')
  })

  it('never reads a date month first: 02/13/2020 is refused, saying dates are read day first', () => {
    expect(valueOf('date', '02/03/2020')).toBe('2020-03-02')
    const error = errorOf('date', '02/13/2020')
    expect(error).toContain('no month 13')
    expect(error).toContain('DD/MM/YYYY')
  })

  it('refuses dates that do not exist, and leap days only in leap years', () => {
    expect(errorOf('date', '31/02/2020')).toContain('not a real date')
    expect(errorOf('date', '2020-13-01')).toContain('no month 13')
    expect(errorOf('date', '2020-00-10')).toContain('no month 0')
    expect(errorOf('date', '00/01/2020')).toContain('not a real date')
    expect(errorOf('date', '31/04/2021')).toContain('not a real date')
    expect(valueOf('date', '29/02/2020')).toBe('2020-02-29')
    expect(valueOf('date', '2000-02-29')).toBe('2000-02-29')
    expect(errorOf('date', '29/02/2019')).toContain('not a real date')
    expect(errorOf('date', '1900-02-29')).toContain('not a real date')
    expect(errorOf('date', '2020-02-13 25:00:00')).toContain('not a real time')
  })

  it('refuses text that is not a date in a shape we read', () => {
    for (const raw of ['yesterday', '2020/02/13', '13-02-2020', '13.02.2020', '20200213', '13 Feb 2020', '2020-2-13', '13/02/20'])
      expect(errorOf('date', raw)).toContain('is not a date')
  })

  it('reads placeholder dates as empty, with a warning', () => {
    for (const raw of ['1900-01-01', '1899-12-30', '9999-12-31', '0001-01-01', '01/01/1900', '1900-01-01 00:00:00.000', '31/12/9999']) {
      const result = ok('date', raw)
      expect(result.value).toBeNull()
      expect(result.warning).toMatch(/placeholder/)
    }
  })

  it('refuses a year before 1800 that is not a placeholder', () => {
    expect(errorOf('date', '0002-01-01')).toContain('before 1800')
  })

  it('with a zone, takes the UK date of that instant', () => {
    expect(valueOf('date', '2010-05-04T23:00:00Z')).toBe('2010-05-05')
    expect(valueOf('date', '2024-01-15T23:30:00Z')).toBe('2024-01-15')
  })
})

describe('date-times (an instant; a time without a zone is UK time)', () => {
  it('reads a naive time as BST in summer and GMT in winter', () => {
    expect(valueOf('datetime', '2024-07-01 10:00')).toBe('2024-07-01T09:00:00.000Z')
    expect(valueOf('datetime', '2024-07-01T10:00')).toBe('2024-07-01T09:00:00.000Z')
    expect(valueOf('datetime', '2024-01-15 10:00')).toBe('2024-01-15T10:00:00.000Z')
    expect(valueOf('datetime', '2024-01-15T10:00:00')).toBe('2024-01-15T10:00:00.000Z')
  })

  it('reads SQL Server date-times and UK day-first date-times', () => {
    expect(valueOf('datetime', '2024-07-01 10:00:00.123')).toBe('2024-07-01T09:00:00.123Z')
    expect(valueOf('datetime', '2024-07-01 10:00:00.1234567')).toBe('2024-07-01T09:00:00.123Z')
    expect(valueOf('datetime', '01/07/2024 10:00')).toBe('2024-07-01T09:00:00.000Z')
    expect(valueOf('datetime', '1/7/2024 9:05:30')).toBe('2024-07-01T08:05:30.000Z')
    expect(valueOf('datetime', '15/01/2024 10:00:00')).toBe('2024-01-15T10:00:00.000Z')
  })

  it('honours an explicit Z or offset', () => {
    expect(valueOf('datetime', '2024-07-01T10:00:00Z')).toBe('2024-07-01T10:00:00.000Z')
    expect(valueOf('datetime', '2024-07-01T10:00:00.5z')).toBe('2024-07-01T10:00:00.500Z')
    expect(valueOf('datetime', '2024-07-01T10:00:00+02:00')).toBe('2024-07-01T08:00:00.000Z')
    expect(valueOf('datetime', '2024-07-01T10:00:00-0500')).toBe('2024-07-01T15:00:00.000Z')
    expect(valueOf('datetime', '2024-01-15T10:00:00+01')).toBe('2024-01-15T09:00:00.000Z')
  })

  it('takes a date without a time as the start of that day in the UK, without a warning', () => {
    expect(ok('datetime', '2024-07-01')).toEqual({ ok: true, value: '2024-06-30T23:00:00.000Z' })
    expect(ok('datetime', '15/01/2024')).toEqual({ ok: true, value: '2024-01-15T00:00:00.000Z' })
    expect(ok('datetime', '2024-07-01 00:00:00.000')).toEqual({ ok: true, value: '2024-06-30T23:00:00.000Z' })
  })

  it('on the day the clocks go forward (31 March 2024), reads the missing hour as GMT with a warning', () => {
    expect(ok('datetime', '2024-03-31')).toEqual({ ok: true, value: '2024-03-31T00:00:00.000Z' })
    expect(ok('datetime', '2024-03-31 00:30')).toEqual({ ok: true, value: '2024-03-31T00:30:00.000Z' })
    const missing = ok('datetime', '2024-03-31 01:30')
    expect(missing.value).toBe('2024-03-31T01:30:00.000Z')
    expect(missing.warning).toContain('clocks went forward')
    expect(ok('datetime', '2024-03-31 02:30')).toEqual({ ok: true, value: '2024-03-31T01:30:00.000Z' })
    expect(ok('datetime', '2024-04-01')).toEqual({ ok: true, value: '2024-03-31T23:00:00.000Z' })
  })

  it('on the day the clocks go back (27 October 2024), reads the repeated hour as the first (BST) with a warning', () => {
    expect(ok('datetime', '2024-10-27')).toEqual({ ok: true, value: '2024-10-26T23:00:00.000Z' })
    expect(ok('datetime', '2024-10-27 00:30')).toEqual({ ok: true, value: '2024-10-26T23:30:00.000Z' })
    const twice = ok('datetime', '27/10/2024 01:30')
    expect(twice.value).toBe('2024-10-27T00:30:00.000Z')
    expect(twice.warning).toContain('clocks went back')
    expect(ok('datetime', '2024-10-27 02:30')).toEqual({ ok: true, value: '2024-10-27T02:30:00.000Z' })
    expect(ok('datetime', '2024-10-28')).toEqual({ ok: true, value: '2024-10-28T00:00:00.000Z' })
  })

  it('refuses impossible dates and times, month-first dates, and reads placeholders as empty', () => {
    expect(errorOf('datetime', '2024-07-01 24:00')).toContain('not a real time')
    expect(errorOf('datetime', '2024-07-01 10:61')).toContain('not a real time')
    expect(errorOf('datetime', '31/02/2020 10:00')).toContain('not a real date')
    expect(errorOf('datetime', '02/13/2020 10:00')).toContain('DD/MM/YYYY')
    expect(errorOf('datetime', 'soon')).toContain('is not a date')
    expect(ok('datetime', '1900-01-01 00:00:00.000').value).toBeNull()
    expect(ok('datetime', '9999-12-31T23:59:59Z').warning).toMatch(/placeholder/)
  })

  it('agrees with Intl for every hour of three years, except the hour that does not exist', () => {
    const london = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/London', dateStyle: 'short', timeStyle: 'short' })
    let checked = 0
    for (let wall = Date.UTC(2023, 0, 1); wall < Date.UTC(2026, 0, 1); wall += 3_600_000 + 60_000 * 7) {
      const { instant, warning } = ukLocalToInstant(wall)
      const shown = london.format(new Date(instant)).replace(' ', 'T')
      if (warning?.includes('forward')) continue
      expect(shown).toBe(new Date(wall).toISOString().slice(0, 16))
      checked++
    }
    expect(checked).toBeGreaterThan(20_000)
  })

  it('knows the UK offset and the UK date of an instant', () => {
    expect(londonOffsetMs(Date.UTC(2024, 6, 1, 12))).toBe(3_600_000)
    expect(londonOffsetMs(Date.UTC(2024, 0, 1, 12))).toBe(0)
    expect(ukDateOf(Date.UTC(2024, 5, 30, 23, 30))).toBe('2024-07-01')
    expect(ukDateOf(Date.UTC(2024, 0, 15, 23, 30))).toBe('2024-01-15')
  })
})

describe('NHS numbers', () => {
  it('takes digits with spaces or hyphens, as 10 digits', () => {
    expect(valueOf('nhs', '943 476 5919')).toBe('9434765919')
    expect(valueOf('nhs', '943-476-5919')).toBe('9434765919')
    expect(valueOf('nhs', ' 9434765919 ')).toBe('9434765919')
    expect(valueOf('nhs', '999\u00a0000\u00a00018')).toBe('9990000018')
  })

  it('leaves a number that fails its check empty, with a warning that does not repeat it', () => {
    const wrong = ok('nhs', '943 476 5918')
    expect(wrong.value).toBeNull()
    expect(wrong.warning).toContain('not a valid NHS number')
    expect(wrong.warning).not.toContain('5918')
    for (const raw of ['12345', '94347659190', 'ABC1234567']) {
      const result = ok('nhs', raw)
      expect(result.value).toBeNull()
      expect(result.warning).toContain('not a valid NHS number')
    }
  })

  it('checks the modulus 11 digit, and a remainder of 10 is never valid', () => {
    expect(nhsCheckDigitOk('9434765919')).toBe(true)
    expect(nhsCheckDigitOk('9990000018')).toBe(true)
    expect(nhsCheckDigitOk('4010232137')).toBe(true)
    expect(nhsCheckDigitOk('4010232138')).toBe(false)
    // 000000001 weighs 2: 11 − 2 = 9; 000000006 weighs 12 → 11 − 1 = 10: no valid check digit.
    expect(nhsCheckDigitOk('0000000019')).toBe(true)
    for (let d = 0; d <= 9; d++) expect(nhsCheckDigitOk(`000000006${d}`)).toBe(false)
  })
})

describe('flags, whole numbers and JSON', () => {
  it('reads yes and no in the ways systems write them', () => {
    for (const raw of ['Y', 'y', 'Yes', 'YES', '1', 'true', 'TRUE']) expect(valueOf('flag', raw)).toBe('Y')
    for (const raw of ['N', 'n', 'No', '0', 'false', 'False']) expect(valueOf('flag', raw)).toBe('N')
    expect(errorOf('flag', 'maybe')).toContain('not a yes or no')
    expect(errorOf('flag', '2')).toContain('not a yes or no')
  })

  it('reads whole numbers, and a float column’s 12.0 as 12', () => {
    expect(valueOf('int', '12')).toBe('12')
    expect(valueOf('int', '+3')).toBe('3')
    expect(valueOf('int', '007')).toBe('7')
    expect(valueOf('int', '-4')).toBe('-4')
    expect(valueOf('int', '12.0')).toBe('12')
    expect(errorOf('int', '1.5')).toContain('not a whole number')
    expect(errorOf('int', 'twelve')).toContain('not a whole number')
    expect(errorOf('int', '99999999999999999999')).toContain('not a whole number')
  })

  it('keeps JSON as written once it parses, and refuses what does not', () => {
    expect(valueOf('json', ' {"NFA_FLAG": "Y", "TOTAL_NO_OF_OUTCOMES": 1} ')).toBe('{"NFA_FLAG": "Y", "TOTAL_NO_OF_OUTCOMES": 1}')
    expect(valueOf('json', '["1A", "19B"]')).toBe('["1A", "19B"]')
    expect(errorOf('json', '{ NFA_FLAG: "" }')).toContain('not valid JSON')
    expect(errorOf('json', '["1A",')).toContain('not valid JSON')
  })
})

describe('code sets', () => {
  it('maps the spec’s gender codes and the deployed M/F/U/I to what the child record stores', () => {
    const cases: [string, string | null][] = [
      ['0', 'NOT_KNOWN'],
      ['00', 'NOT_KNOWN'],
      ['1', 'MALE'],
      ['01', 'MALE'],
      ['2', 'FEMALE'],
      ['02', 'FEMALE'],
      ['9', 'OTHER'],
      ['09', 'OTHER'],
      ['11', 'OTHER'],
      ['M', 'MALE'],
      ['f', 'FEMALE'],
      ['U', 'NOT_KNOWN'],
      ['I', 'OTHER'],
      ['Unknown', 'NOT_KNOWN'],
      ['Girl', 'FEMALE'],
    ]
    for (const [raw, stored] of cases) expect(genderOf(raw)).toEqual({ value: stored, code: raw })
    expect(genderOf('NULL')).toEqual({ value: null, code: null })
    const unknown = genderOf(' Q ')
    expect(unknown.value).toBeNull()
    expect(unknown.code).toBe('Q')
    expect(unknown.warning).toContain("'Q'")
  })

  it('takes a person’s sex when their gender is empty or not known', () => {
    expect(personGenderOf('01', 'F').value).toBe('MALE')
    expect(personGenderOf(null, 'F').value).toBe('FEMALE')
    expect(personGenderOf('00', 'M').value).toBe('MALE')
    expect(personGenderOf('00', 'U').value).toBe('NOT_KNOWN')
    expect(personGenderOf(null, null).value).toBeNull()
  })

  it('maps DfE ethnicity codes to the ONS 2021 groups, any case', () => {
    const cases: [string, string][] = [
      ['WBRI', 'WHITE'],
      ['wiri', 'WHITE'],
      ['WROM', 'WHITE'],
      ['MWBA', 'MIXED'],
      ['MWBa', 'MIXED'],
      ['APKN', 'ASIAN'],
      ['CNHE', 'ASIAN'],
      ['BAFR', 'BLACK'],
      ['OOTH', 'OTHER'],
      ['ORAB', 'OTHER'],
      ['REFU', 'NOT_STATED'],
      ['NOBT', 'NOT_KNOWN'],
      ['WHITE', 'WHITE'],
    ]
    for (const [raw, group] of cases) expect(ethnicityOf(raw)).toEqual({ value: group, code: raw })
  })

  it('reads a DfE extended code by its first letter with a warning, and keeps an unknown code as given with a warning', () => {
    const extended = ethnicityOf('WENG')
    expect(extended.value).toBe('WHITE')
    expect(extended.warning).toContain('first letter')
    expect(ethnicityOf('BSOM').value).toBe('BLACK')
    const unknown = ethnicityOf('tbc')
    expect(unknown).toMatchObject({ value: null, code: 'tbc' })
    expect(unknown.warning).toContain('kept as given')
    expect(ethnicityOf('ZZZZ').value).toBeNull()
    expect(ethnicityOf('')).toEqual({ value: null, code: null })
  })

  it('keeps a CIN referral source code (upper case, no leading zero); an unknown one as given with a warning', () => {
    expect(referralSourceOf('1a')).toEqual({ value: '1A', code: '1a' })
    expect(referralSourceOf('06')).toEqual({ value: '6', code: '06' })
    expect(referralSourceOf('10')).toEqual({ value: '10', code: '10' })
    const unknown = referralSourceOf('POLICE')
    expect(unknown.value).toBe('POLICE')
    expect(unknown.warning).toContain('kept as given')
    expect(referralSourceOf(null)).toEqual({ value: null, code: null })
  })

  it('reads assessment factors as a JSON array (nulls dropped) or an object of yes answers', () => {
    expect(assessmentFactorsOf('["1A", null, "19b", "1A"]')).toEqual(['1A', '19B'])
    expect(assessmentFactorsOf('{"1A": "Yes", "2B": "No", "19B": "Y", "11A": true}')).toEqual(['1A', '19B', '11A'])
    expect(assessmentFactorsOf('[20, 21]')).toEqual(['20', '21'])
    expect(assessmentFactorsOf(null)).toEqual([])
    expect(assessmentFactorsOf('not json')).toEqual([])
  })
})
