import { describe, expect, it } from 'vitest'
import { applyCatalogueChoices, checkScreening, chosenCatalogueIds, readScreeningForm } from './screening.form.js'

const CHILD = { dateOfBirth: '2012-04-01', referralDate: '2026-03-02', today: '2026-03-02' }
const row = (n: number, over: Record<string, string> = {}) => {
  const base = {
    description: `Behaviour ${n} in my words`,
    'date-day': '10',
    'date-month': '1',
    'date-year': '2026',
    context: 'SCHOOL',
    hackett: 'PROBLEMATIC',
    rating: 'AMBER',
    rationale: 'Because.',
  }
  return Object.fromEntries(Object.entries({ ...base, ...over }).map(([k, v]) => [`behaviour-${n}-${k}`, v]))
}
const body = (extra: Record<string, string> = {}) => ({
  'tool-version': 'BROOK_ORIGINAL',
  'overall-rationale': 'Overall.',
  version: '3',
  rows: '3',
  ...extra,
})

describe('readScreeningForm', () => {
  it('drops blank rows and renumbers the rest; shows at least three rows', () => {
    const form = readScreeningForm(body({ ...row(2), ...row(3, { rating: 'RED' }) }))
    expect(form.rows.map((r) => r.rating)).toEqual(['AMBER', 'RED'])
    expect(form.rowCount).toBe(3)
    expect(form.version).toBe(3)
    expect(form.addBehaviour).toBe(false)
  })

  it('"Add another behaviour" asks for one more row, up to thirty', () => {
    expect(readScreeningForm(body({ 'add-behaviour': '1' })).rowCount).toBe(4)
    expect(readScreeningForm(body({ rows: '30', 'add-behaviour': '1' })).rowCount).toBe(30)
    expect(readScreeningForm(body({ rows: 'lots' })).rowCount).toBe(3)
  })

  it('a missing version is kept as missing', () => {
    expect(readScreeningForm({ ...body(), version: 'x' }).version).toBeNull()
  })
})

describe('checkScreening', () => {
  it('works out the overall rating and the age band at the earliest behaviour', () => {
    const form = readScreeningForm(body({ ...row(1, { rating: 'GREEN' }), ...row(2, { rating: 'RED', 'date-year': '2021' }) }))
    const r = checkScreening(form, CHILD)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.value.overallRating).toBe('RED')
    // Born 1 April 2012: 8 on 10 January 2021 (5 to 9), 13 on 10 January 2026.
    expect(r.value.ageBand).toBe('AGE_5_9')
    expect(r.value.behaviours[1]).toEqual({
      description: 'Behaviour 2 in my words',
      date: '2021-01-10',
      context: 'SCHOOL',
      hackett: 'PROBLEMATIC',
      rating: 'RED',
      rationale: 'Because.',
    })
  })

  it('with no dates, uses the age when the request for support was received', () => {
    const r = checkScreening(
      readScreeningForm(body(row(1, { 'date-day': '', 'date-month': '', 'date-year': '', context: '', hackett: '' }))),
      CHILD,
    )
    expect(r.ok && r.value.ageBand).toBe('AGE_13_17')
    expect(r.ok && r.value.behaviours[0]).toMatchObject({ date: null, context: null, hackett: null })
  })

  const errorsOf = (extra: Record<string, string>) => {
    const r = checkScreening(readScreeningForm(body(extra)), CHILD)
    return r.ok ? [] : r.errors.map((e) => `${e.href} ${e.text}`)
  }
  const cases: { name: string; extra: Record<string, string>; expected: string[] }[] = [
    { name: 'no behaviours', extra: {}, expected: ['#behaviour-1-description Add at least one behaviour'] },
    {
      name: 'a rating without its rationale',
      extra: row(1, { rationale: ' ' }),
      expected: ['#behaviour-1-rationale Enter the rationale for the rating of behaviour 1'],
    },
    {
      name: 'a behaviour before birth',
      extra: row(1, { 'date-year': '2011' }),
      expected: ['#behaviour-1-date-day Date of behaviour 1 must be on or after the child’s date of birth'],
    },
    {
      name: 'half a date',
      extra: row(1, { 'date-month': '' }),
      expected: ['#behaviour-1-date-day Date of behaviour 1 must include a month'],
    },
    {
      name: 'no tool version',
      extra: { ...row(1), 'tool-version': '' },
      expected: ['#tool-version Select which version of the Brook Traffic Light Tool you used'],
    },
    {
      name: 'no overall rationale',
      extra: { ...row(1), 'overall-rationale': '' },
      expected: ['#overall-rationale Enter the rationale for the rating'],
    },
    {
      name: 'problems in page order across rows',
      extra: { ...row(1, { 'date-month': '', rating: '' }), ...row(2, { description: '' }), 'overall-rationale': '' },
      expected: [
        '#behaviour-1-date-day Date of behaviour 1 must include a month',
        '#behaviour-1-rating Select a rating for behaviour 1',
        '#behaviour-2-description Enter a description of behaviour 2',
        '#overall-rationale Enter the rationale for the rating',
      ],
    },
  ]
  for (const c of cases) it(c.name, () => expect(errorsOf(c.extra)).toEqual(c.expected))

  it('a young person of 18 or over at the earliest behaviour cannot be screened with the tool', () => {
    expect(checkScreening(readScreeningForm(body(row(1))), { ...CHILD, dateOfBirth: '2007-01-01' })).toMatchObject({
      ok: false,
      errors: [{ href: '#behaviour-1-date-day', text: 'The young person was 18 or over at the time of the behaviour' }],
    })
  })

  it('a missing version is an incomplete form', () => {
    expect(checkScreening(readScreeningForm({ ...body(row(1)), version: '' }), CHILD)).toEqual({ ok: false, errors: [], incomplete: true })
  })
})

describe('applyCatalogueChoices', () => {
  const ID = '0b6f2a8e-1c1d-4c3e-9a7b-2f1e0d9c8b7a'
  const item = { id: ID, behaviour: 'Example behaviour (test)', rating: 'RED', toolVersion: 'BROOK_ORIGINAL' }
  const formWith = (row: Record<string, string>, toolVersion = 'BROOK_ORIGINAL') =>
    readScreeningForm(
      body({ 'tool-version': toolVersion, ...Object.fromEntries(Object.entries(row).map(([k, v]) => [`behaviour-1-${k}`, v])) }),
    )

  it.each<{ name: string; row: Record<string, string>; want: Record<string, string> }>([
    {
      name: 'fills an empty description and rating',
      row: { catalogue: ID },
      want: { description: 'Example behaviour (test)', rating: 'RED' },
    },
    {
      name: 'keeps a rating the practitioner chose',
      row: { catalogue: ID, rating: 'AMBER' },
      want: { description: 'Example behaviour (test)', rating: 'AMBER' },
    },
    { name: 'keeps typed words', row: { catalogue: ID, description: 'Own words' }, want: { description: 'Own words', rating: '' } },
    { name: 'ignores an unknown id', row: { catalogue: 'nonsense' }, want: { description: '', rating: '' } },
  ])('$name', ({ row, want }) => {
    const form = formWith(row)
    expect(applyCatalogueChoices(form, [item]).rows[0]).toMatchObject(want)
  })

  it('ignores an item of another tool version, and asks only for well-formed ids on empty rows', () => {
    expect(applyCatalogueChoices(formWith({ catalogue: ID }, 'BROOK_2020'), [item]).rows[0]).toMatchObject({ description: '' })
    expect(chosenCatalogueIds(formWith({ catalogue: ID.toUpperCase() }))).toEqual([ID])
    expect(chosenCatalogueIds(formWith({ catalogue: ID, description: 'typed' }))).toEqual([])
    expect(chosenCatalogueIds(formWith({ catalogue: 'x' }))).toEqual([])
  })
})
