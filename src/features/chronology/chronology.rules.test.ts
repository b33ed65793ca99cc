import { describe, expect, it } from 'vitest'
import {
  applyFilter,
  chronologyLabel,
  filterQuery,
  parseFilter,
  sortEntries,
  validateCurated,
  type ChronologyEntry,
} from './chronology.rules.js'

const entry = (type: ChronologyEntry['type'], at: string, title: string, seq = 0, dateOnly = false): ChronologyEntry => ({
  type,
  at: new Date(at),
  dateOnly,
  title,
  text: '',
  by: null,
  seq,
})

const entries = [
  entry('EVENT', '2026-01-05T10:00:00Z', 'Screened', 1),
  entry('EVENT', '2026-01-05T09:00:00Z', 'Received', 0),
  entry('CURATED', '2026-01-05T00:00:00Z', 'Phone call', 0, true),
  entry('MEETING', '2026-01-06T14:00:00Z', 'Strategy meeting held'),
  entry('CRIMINAL_PROCESS', '2026-01-02T00:00:00Z', 'Investigation', 0, true),
  entry('EVENT', '2026-01-05T10:00:00Z', 'Allocated', 2),
]

describe('chronology merging and order', () => {
  it('merges every source oldest first, stable within the same moment', () => {
    expect(sortEntries(entries).map((e) => e.title)).toEqual([
      'Investigation',
      'Phone call',
      'Received',
      'Screened',
      'Allocated',
      'Strategy meeting held',
    ])
    expect(sortEntries(entries, 'newest').map((e) => e.title)).toEqual([
      'Strategy meeting held',
      'Allocated',
      'Screened',
      'Received',
      'Phone call',
      'Investigation',
    ])
  })

  it('labels part 2 steps as what happened, and falls back to the case page’s labels', () => {
    expect(chronologyLabel('DECIDE_AIM_ASSESSMENT')).toBe('Decided to carry out an AIM assessment')
    expect(chronologyLabel('OPEN')).toBe('Request for support received')
    expect(chronologyLabel('SOMETHING_NEW')).toBe('SOMETHING_NEW')
  })
})

describe('chronology filters', () => {
  it('filters by type and by UK date range, inclusive', () => {
    const { filter } = parseFilter({
      type: ['EVENT', 'BOGUS'],
      'from-day': '5',
      'from-month': '1',
      'from-year': '2026',
      'to-day': '5',
      'to-month': '1',
      'to-year': '2026',
    })
    expect(filter).toEqual({ types: ['EVENT'], from: '2026-01-05', to: '2026-01-05', order: 'oldest' })
    expect(applyFilter(entries, filter).map((e) => e.title)).toEqual(['Received', 'Screened', 'Allocated'])
    expect(applyFilter(entries, { types: [], from: null, to: '2026-01-02', order: 'oldest' }).map((e) => e.title)).toEqual([
      'Investigation',
    ])
  })

  it('refuses bad dates and a range the wrong way round', () => {
    expect(parseFilter({ 'from-day': '30', 'from-month': '2', 'from-year': '2026' }).errors).toEqual([
      { href: '#from-day', text: 'The ‘from’ date must be a real date' },
    ])
    expect(
      parseFilter({ 'from-day': '3', 'from-month': '1', 'from-year': '2026', 'to-day': '2', 'to-month': '1', 'to-year': '2026' }).errors[0]!
        .href,
    ).toBe('#to-day')
  })

  it('round-trips the filter through a query string (for print and PDF)', () => {
    const filter = { types: ['CURATED' as const], from: '2026-01-05', to: null, order: 'newest' as const }
    const q = Object.fromEntries(new URLSearchParams(filterQuery(filter).slice(1)))
    expect(parseFilter(q).filter).toEqual(filter)
    expect(filterQuery({ types: [], from: null, to: null, order: 'oldest' })).toBe('')
  })
})

describe('curated entries', () => {
  it('need a past date, a title and text; a correction names an existing entry', () => {
    const base = { date: { day: '1', month: '1', year: '2026' }, title: 'Visit', text: 'Saw the child', corrects: '' }
    expect(validateCurated(base, { today: '2026-01-02', entryIds: [] })).toEqual({
      ok: true,
      value: { occurredOn: '2026-01-01', title: 'Visit', text: 'Saw the child', correctsEntryId: null },
    })
    expect(validateCurated({ ...base, date: { day: '3', month: '1', year: '2026' } }, { today: '2026-01-02', entryIds: [] }).ok).toBe(false)
    expect(validateCurated({ ...base, corrects: 'e9' }, { today: '2026-01-02', entryIds: ['e1'] })).toMatchObject({
      ok: false,
      errors: [{ href: '#corrects' }],
    })
    expect(validateCurated({ ...base, corrects: 'e1' }, { today: '2026-01-02', entryIds: ['e1'] })).toMatchObject({
      ok: true,
      value: { correctsEntryId: 'e1' },
    })
  })
})
