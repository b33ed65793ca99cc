import { describe, expect, it } from 'vitest'
import type { CaseForAccess } from '../cases/index.js'
import { describeFilter, presentChronology, presentCuratedForm, recordedText, whoOf } from './chronology.presenter.js'
import type { ChronologyEntry } from './chronology.rules.js'

const entry = (more: Partial<ChronologyEntry> = {}): ChronologyEntry => ({
  type: 'EVENT',
  at: new Date('2026-01-05T10:00:00Z'),
  dateOnly: false,
  title: 'Screening recorded',
  outcome: 'rated amber',
  text: '',
  by: 'Sam Worker',
  agency: 'Children’s Services',
  agencies: ['Children’s Services'],
  recordedAt: new Date('2026-01-05T10:00:00Z'),
  lateReason: null,
  significance: 'SIGNIFICANT',
  seq: 0,
  ...more,
})

const kase = {
  id: '3f1c2b9e-1111-4222-8333-444455556666',
  childName: 'Ash Fernley',
  childDateOfBirth: new Date('2012-07-08T00:00:00Z'),
  referralReceivedAt: new Date('2026-01-04T09:00:00Z'),
} as CaseForAccess

describe('the chronology presented', () => {
  it('shows when an entry was recorded only when it was later than it happened, with why it was entered late', () => {
    expect(recordedText(entry())).toBe('')
    expect(recordedText(entry({ recordedAt: new Date('2026-01-08T15:30:00Z') }))).toBe('Recorded 8 January 2026, 3:30pm.')
    expect(recordedText(entry({ recordedAt: new Date('2026-01-08T15:30:00Z'), lateReason: 'the worker was on leave' }))).toBe(
      'Recorded 8 January 2026, 3:30pm: entered late because the worker was on leave.',
    )
  })

  it('names who recorded it with their agency, where known', () => {
    expect(whoOf(entry())).toBe('Sam Worker (Children’s Services)')
    expect(whoOf(entry({ agency: null }))).toBe('Sam Worker')
    expect(whoOf(entry({ by: null }))).toBe('')
  })

  it('says what the filter shows, in words', () => {
    expect(describeFilter({ types: [], from: null, to: null, order: 'oldest', agency: null, show: 'usual' })).toBe(
      'Showing all events except routine steps: every kind of entry, oldest first.',
    )
    expect(
      describeFilter({ types: ['MEETING'], from: '2026-01-05', to: null, order: 'newest', agency: 'Police', show: 'significant' }),
    ).toBe('Showing significant events only: meetings, involving Police from 5 January 2026, newest first.')
  })

  it('gives each entry its outcome in its heading, its agency in its byline, and the case by its reference; the filter keeps its agency', () => {
    const late = entry({ recordedAt: new Date('2026-01-08T15:30:00Z'), lateReason: 'on leave' })
    const page = presentChronology({
      kase,
      entries: [late],
      total: 3,
      agencies: ['Children’s Services', 'Police'],
      filter: { types: [], from: null, to: null, order: 'oldest', agency: 'Police', show: 'all' },
      canAdd: true,
      generatedAt: new Date('2026-01-09T09:00:00Z'),
    })
    expect(page.timeline[0]).toMatchObject({
      label: { text: 'Screening recorded: rated amber' },
      byline: { text: 'Sam Worker (Children’s Services)' },
      significant: true,
      recorded: 'Recorded 8 January 2026, 3:30pm: entered late because on leave.',
    })
    expect(page.rows[0]).toMatchObject({ when: '5 January 2026, 10:00am', summary: 'Screening recorded: rated amber', significant: true })
    expect(page.reference).toBe('Ash Fernley, born 8 July 2012: request for support received 4 January 2026')
    expect(page.marking).toBe('OFFICIAL-SENSITIVE')
    expect(page.agencyItems.filter((i) => i.selected).map((i) => i.value)).toEqual(['Police'])
    expect(page.showItems.filter((i) => i.checked).map((i) => i.value)).toEqual(['all'])
    expect(page.printHref).toBe(`/cases/${kase.id}/chronology/print?agency=Police&show=all`)
  })

  it('offers the significance checkbox on the entry form, ticked again when the form comes back', () => {
    expect(presentCuratedForm({ kase, curated: [] }).significantItems[0]).toMatchObject({ value: 'yes', checked: false })
    expect(presentCuratedForm({ kase, curated: [] }, { significant: 'yes' }).significantItems[0]).toMatchObject({ checked: true })
  })
})
