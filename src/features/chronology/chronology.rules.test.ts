import { describe, expect, it } from 'vitest'
import {
  agencyOptions,
  applyFilter,
  buildChronology,
  caseReference,
  describeStep,
  filterQuery,
  idsToName,
  listOf,
  lowerFirst,
  parseFilter,
  recordedLater,
  sortEntries,
  stepEntries,
  summaryOf,
  validateCurated,
  type ChronologyEntry,
  type ChronologyFilter,
  type CuratedFact,
  type EventFact,
  type MeetingFact,
  type Names,
} from './chronology.rules.js'

const entry = (
  type: ChronologyEntry['type'],
  at: string,
  title: string,
  seq = 0,
  dateOnly = false,
  more: Partial<ChronologyEntry> = {},
): ChronologyEntry => ({
  type,
  at: new Date(at),
  dateOnly,
  title,
  outcome: '',
  text: '',
  by: null,
  agency: null,
  agencies: [],
  recordedAt: null,
  lateReason: null,
  significance: 'STANDARD',
  seq,
  ...more,
})

const entries = [
  entry('EVENT', '2026-01-05T10:00:00Z', 'Screened', 1, false, { significance: 'SIGNIFICANT', agencies: ['Police'] }),
  entry('EVENT', '2026-01-05T09:00:00Z', 'Received', 0, false, { significance: 'SIGNIFICANT' }),
  entry('CURATED', '2026-01-05T00:00:00Z', 'Phone call', 0, true),
  entry('MEETING', '2026-01-06T14:00:00Z', 'Strategy meeting held', 0, false, {
    significance: 'SIGNIFICANT',
    agencies: ['Children’s Services', 'Police'],
  }),
  entry('CRIMINAL_PROCESS', '2026-01-02T00:00:00Z', 'Investigation', 0, true, { significance: 'SIGNIFICANT' }),
  entry('EVENT', '2026-01-05T10:00:00Z', 'Allocated', 2),
  entry('EVENT', '2026-01-05T11:00:00Z', 'Strategy meeting arranged', 3, false, { significance: 'ROUTINE' }),
]
const everything: ChronologyFilter = { types: [], from: null, to: null, order: 'oldest', agency: null, show: 'all' }

let ids = 0
const event = (action: string, occurredAt: string, more: Partial<EventFact> = {}): EventFact => ({
  id: `e${++ids}`,
  action,
  actorName: 'Sam Worker',
  agency: 'Children’s Services',
  occurredAt: new Date(occurredAt),
  recordedAt: new Date(occurredAt),
  lateReason: null,
  detail: {},
  ...more,
})

const names: Names = {
  agencies: new Map([
    ['a-yos', 'Youth Offending Service'],
    ['a-csc', 'Children’s Services'],
  ]),
  teams: new Map([['t-1', 'Assessment Team North']]),
  users: new Map([
    ['u-1', 'Dana Social'],
    ['u-2', 'Yusuf Okafor'],
    ['u-3', 'Petra Constable'],
  ]),
}

describe('chronology merging and order', () => {
  it('merges every source in the order things happened, oldest first, stable within the same moment', () => {
    expect(sortEntries(entries).map((e) => e.title)).toEqual([
      'Investigation',
      'Phone call',
      'Received',
      'Screened',
      'Allocated',
      'Strategy meeting arranged',
      'Strategy meeting held',
    ])
    expect(sortEntries(entries, 'newest').map((e) => e.title)).toEqual([
      'Strategy meeting held',
      'Strategy meeting arranged',
      'Allocated',
      'Screened',
      'Received',
      'Phone call',
      'Investigation',
    ])
  })

  it('orders steps by when they happened, not when they were typed in', () => {
    const late = event('RECORD_SCREENING', '2026-01-05T09:00:00Z', { recordedAt: new Date('2026-01-09T09:00:00Z') })
    const first = event('OPEN', '2026-01-04T09:00:00Z', { recordedAt: new Date('2026-01-08T09:00:00Z') })
    const allocated = event('ALLOCATE', '2026-01-06T09:00:00Z', { recordedAt: new Date('2026-01-06T09:00:00Z') })
    expect(stepEntries([allocated, late, first]).map((e) => e.title)).toEqual([
      'Request for support received',
      'Screening recorded',
      'Allocated to a team and a social worker',
    ])
  })
})

describe('steps in plain words with their outcomes', () => {
  it('says what happened and what came of it, from the step’s detail', () => {
    const say = (action: string, detail: Record<string, unknown> = {}) => {
      const d = describeStep(action, detail, names)
      return summaryOf({ title: d.title, outcome: d.outcome ?? '' })
    }
    expect(say('RECORD_SCREENING', { rating: 'AMBER' })).toBe('Screening recorded: rated amber')
    expect(say('CONFIRM_SCREENING', { rating: 'RED' })).toBe(
      'Screening confirmed (management oversight): rated red; a strategy meeting is due',
    )
    expect(say('CONFIRM_SCREENING', { rating: 'GREEN' })).toBe('Screening confirmed (management oversight): rated green')
    expect(say('ALLOCATE', { teamId: 't-1', userId: 'u-1', reallocation: false })).toBe(
      'Allocated to a team and a social worker: Assessment Team North, Dana Social',
    )
    expect(say('ALLOCATE', { teamId: 't-1', userId: null, reallocation: true })).toBe(
      'Allocated to a team and a social worker: reallocated to Assessment Team North',
    )
    expect(say('DECIDE_AIM_ASSESSMENT', { route: 'WELFARE', leadAgencyId: 'a-yos', administeringAgencyId: 'a-csc' })).toBe(
      'Decided to carry out an AIM assessment: welfare route, led by Youth Offending Service, administered by Children’s Services',
    )
    expect(say('DECIDE_AIM_ASSESSMENT', { route: 'CRIMINAL' })).toBe(
      'Decided to carry out an AIM assessment: criminal route: the police hold an AIM strategy discussion',
    )
    expect(say('NAME_CO_ASSESSORS', { coAssessorUserIds: ['u-1', 'u-2'] })).toBe('Co-assessors named: Dana Social and Yusuf Okafor')
    expect(say('NAME_CO_ASSESSORS', { coAssessorUserIds: ['u-3'], replacedUserId: 'u-2' })).toBe(
      'Co-assessors named: Petra Constable replaced Yusuf Okafor',
    )
    expect(say('EXTEND_AIM_ASSESSMENT', { newDueOn: '2026-03-20' })).toBe(
      'AIM assessment extended for court directions: now due by 20 March 2026',
    )
    expect(say('COMPLETE_ASSESSMENT', { levelOfConcern: 'HIGH' })).toBe('AIM assessment completed: level of concern high')
    expect(say('RECORD_PANEL_DECISION', { level: 'SPECIALIST' })).toBe(
      'HSB panel decided: specialist: an HSB intervention by a specialist service',
    )
    expect(say('CLOSE_CASE', { openWork: 2 })).toBe('Case closed: with 2 pieces of work still open')
    expect(say('RECORD_CLOCK_REASON', { clock: 'STRATEGY_MEETING' })).toBe(
      'Reason for a missed timescale recorded: strategy meeting (24 hours)',
    )
    expect(say('FINALISE_STRATEGY_MEETING', { outcomes: ['SECTION_47_ENQUIRY', 'CONSIDER_AIM_ASSESSMENT'] })).toBe(
      'Strategy meeting held: section 47 enquiry (child protection), consider an AIM assessment',
    )
    expect(say('SOMETHING_NEW')).toBe('SOMETHING_NEW')
  })

  it('keeps free text (a reason, the professionals, interim measures) out of the line and in the entry’s text', () => {
    expect(describeStep('CLOSE_NO_FURTHER_ACTION', { reason: 'Parents acted; school plan in place.' })).toMatchObject({
      title: 'Closed with no further action',
      text: 'Reason: Parents acted; school plan in place.',
      significance: 'SIGNIFICANT',
    })
    expect(describeStep('REQUEST_EARLY_HELP', { earlyHelpAssessmentRequested: true, professionals: 'School nurse' })).toMatchObject({
      outcome: 'an early help assessment was requested',
      text: 'Professionals doing the early help assessment: School nurse',
    })
    expect(describeStep('CLOSE_CASE', { openWork: 0, reason: 'Work complete.' })).toMatchObject({
      outcome: '',
      text: 'Reason: Work complete.',
    })
  })

  it('marks the pathway’s turning points significant, arranging and drafting routine, and anything else neither', () => {
    for (const a of ['OPEN', 'RECORD_SCREENING', 'ALLOCATE', 'DECIDE_AIM_ASSESSMENT', 'COMPLETE_ASSESSMENT', 'CLOSE_CASE'])
      expect(describeStep(a, {}).significance, a).toBe('SIGNIFICANT')
    for (const a of ['SCHEDULE_STRATEGY_MEETING', 'RECORD_ASSESSMENT_WORK', 'UPDATE_INTERVENTION_PLAN', 'STRATEGY_MEETING_MINUTES_SAVED'])
      expect(describeStep(a, {}).significance, a).toBe('ROUTINE')
    for (const a of ['RETURN_SCREENING', 'SIGN_OFF_ASSESSMENT', 'STRATEGY_MEETING_ADDENDUM', 'SOMETHING_NEW'])
      expect(describeStep(a, {}).significance, a).toBe('STANDARD')
  })

  it('names the agencies, teams and people a step refers to by id, so their names can be read', () => {
    expect(
      idsToName([
        { detail: { leadAgencyId: 'a-yos', administeringAgencyId: 'a-csc', agencyIds: ['a-yos', 'a-pol'] } },
        { detail: { teamId: 't-1', userId: 'u-1' } },
        { detail: { coAssessorUserIds: ['u-2', 'u-3'], replacedUserId: 'u-1' } },
      ]),
    ).toEqual({ agencyIds: ['a-yos', 'a-csc', 'a-pol'], teamIds: ['t-1'], userIds: ['u-1', 'u-2', 'u-3'] })
  })

  it('gathers the same routine step repeated one after another into one entry, and leaves the criminal process step to its own entries', () => {
    const work = [
      event('RECORD_ASSESSMENT_WORK', '2026-02-02T10:00:00Z', { actorName: 'Dana Social' }),
      event('RECORD_ASSESSMENT_WORK', '2026-02-03T10:00:00Z', { actorName: 'Yusuf Okafor', agency: 'Youth Offending Service' }),
      event('RECORD_ASSESSMENT_WORK', '2026-02-04T10:00:00Z', { actorName: 'Dana Social' }),
      event('RECORD_ASSESSMENT_WORK', '2026-02-05T10:00:00Z', { actorName: 'Dana Social' }),
      event('SIGN_OFF_ASSESSMENT', '2026-02-06T10:00:00Z', { detail: { signatures: 1 } }),
      event('RECORD_ASSESSMENT_WORK', '2026-02-07T10:00:00Z'),
      event('RECORD_CRIMINAL_PROCESS', '2026-02-08T10:00:00Z'),
    ]
    const got = stepEntries(work)
    expect(got.map((e) => [summaryOf(e), e.significance])).toEqual([
      ['AIM assessment work recorded: 4 times from 2 February 2026 to 5 February 2026', 'ROUTINE'],
      ['AIM assessment signed off: by the first co-assessor', 'STANDARD'],
      ['AIM assessment work recorded', 'ROUTINE'],
    ])
    expect(got[0]).toMatchObject({
      by: 'Dana Social and Yusuf Okafor',
      agency: null,
      agencies: ['Children’s Services', 'Youth Offending Service'],
      recordedAt: null,
      at: new Date('2026-02-02T10:00:00Z'),
    })
    const sameDay = stepEntries([
      event('UPDATE_INTERVENTION_PLAN', '2026-02-02T10:00:00Z'),
      event('UPDATE_INTERVENTION_PLAN', '2026-02-02T15:00:00Z'),
    ])
    expect(summaryOf(sameDay[0]!)).toBe('Intervention plan updated: 2 times on 2 February 2026')
    expect(sameDay[0]!.by).toBe('Sam Worker')
  })
})

describe('the whole chronology', () => {
  const meeting: MeetingFact = {
    id: 'm1',
    kind: 'STRATEGY_MEETING',
    heldAt: new Date('2026-01-06T14:00:00Z'),
    finalised: true,
    chairName: 'Tess Manager',
    attended: ['Police', 'YOS', 'children’s social care'],
    apologies: ['School'],
  }
  const finalise = event('FINALISE_STRATEGY_MEETING', '2026-01-06T14:00:00Z', {
    actorName: 'Tess Manager',
    recordedAt: new Date('2026-01-07T09:30:00Z'),
    detail: { meetingId: 'm1', outcomes: ['SECTION_47_ENQUIRY', 'CONSIDER_AIM_ASSESSMENT'] },
  })
  const curated = (more: Partial<CuratedFact>): CuratedFact => ({
    id: 'c1',
    occurredOn: '2026-01-08',
    title: 'Home visit',
    text: 'Saw the child.',
    correctsEntryId: null,
    authorName: 'Dana Social',
    authorAgency: 'Children’s Services',
    createdAt: new Date('2026-01-08T16:00:00Z'),
    isSignificant: false,
    ...more,
  })
  const all = buildChronology({
    events: [event('OPEN', '2026-01-05T09:00:00Z'), event('SCHEDULE_STRATEGY_MEETING', '2026-01-05T12:00:00Z'), finalise],
    meetings: [meeting],
    criminalProcess: [
      {
        occurredOn: '2026-01-02',
        title: 'Police investigation started',
        text: 'Police reference: NP/1',
        by: 'Pat Police',
        recordedAt: new Date(),
      },
    ],
    curated: [curated({}), curated({ id: 'c2', title: 'Home visit (corrected)', correctsEntryId: 'c1', isSignificant: true })],
    names,
  })

  it('makes a meeting and the step that finalised it one entry, with its outcomes and who attended', () => {
    const held = all.filter((e) => e.type === 'MEETING' || e.title === 'Strategy meeting held')
    expect(held).toHaveLength(1)
    expect(summaryOf(held[0]!)).toBe(
      'Strategy meeting held: section 47 enquiry (child protection), consider an AIM assessment; Police, YOS and children’s social care attended',
    )
    expect(held[0]).toMatchObject({
      text: 'Chaired by Tess Manager. School sent apologies.',
      by: 'Tess Manager',
      agency: 'Children’s Services',
      agencies: ['Children’s Services', 'Police', 'YOS', 'children’s social care'],
      recordedAt: new Date('2026-01-07T09:30:00Z'),
      significance: 'SIGNIFICANT',
    })
  })

  it('carries each curated entry’s significance, and names the entry a correction corrects', () => {
    const added = all.filter((e) => e.type === 'CURATED')
    expect(added.map((e) => [e.title, e.significance, e.agency])).toEqual([
      ['Home visit', 'STANDARD', 'Children’s Services'],
      ['Home visit (corrected)', 'SIGNIFICANT', 'Children’s Services'],
    ])
    expect(added[1]!.text).toBe('Correction to “Home visit” (8 January 2026). Saw the child.')
  })

  it('shows all but routine steps by default; significant events only; everything; and entries involving one agency', () => {
    const titles = (show: ChronologyFilter['show'], agency: string | null = null) =>
      applyFilter(all, { ...everything, show, agency }).map((e) => e.title)
    expect(titles('usual')).toEqual([
      'Police investigation started',
      'Request for support received',
      'Strategy meeting held',
      'Home visit',
      'Home visit (corrected)',
    ])
    expect(titles('significant')).toEqual([
      'Police investigation started',
      'Request for support received',
      'Strategy meeting held',
      'Home visit (corrected)',
    ])
    expect(titles('all')).toContain('Strategy meeting arranged')
    expect(titles('all', 'Police')).toEqual(['Strategy meeting held'])
    expect(agencyOptions(all)).toEqual(['Children’s Services', 'children’s social care', 'Police', 'YOS'])
  })
})

describe('when it was recorded', () => {
  it('differs from when it happened: a timed entry more than 5 minutes later, a dated one on a later day', () => {
    const at = '2026-01-05T10:00:00Z'
    expect(recordedLater(entry('EVENT', at, 'x', 0, false, { recordedAt: new Date('2026-01-05T10:04:00Z') }))).toBe(false)
    expect(recordedLater(entry('EVENT', at, 'x', 0, false, { recordedAt: new Date('2026-01-05T10:06:00Z') }))).toBe(true)
    expect(recordedLater(entry('CURATED', '2026-01-05T00:00:00Z', 'x', 0, true, { recordedAt: new Date('2026-01-05T22:00:00Z') }))).toBe(
      false,
    )
    expect(recordedLater(entry('CURATED', '2026-01-05T00:00:00Z', 'x', 0, true, { recordedAt: new Date('2026-01-06T08:00:00Z') }))).toBe(
      true,
    )
    expect(recordedLater(entry('EVENT', at, 'x'))).toBe(false)
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
    expect(filter).toEqual({ types: ['EVENT'], from: '2026-01-05', to: '2026-01-05', order: 'oldest', agency: null, show: 'usual' })
    expect(applyFilter(entries, filter).map((e) => e.title)).toEqual(['Received', 'Screened', 'Allocated'])
    expect(applyFilter(entries, { ...everything, to: '2026-01-02' }).map((e) => e.title)).toEqual(['Investigation'])
  })

  it('reads the agency and what to show; anything else shows all but routine steps', () => {
    expect(parseFilter({ agency: ' Police ', show: 'significant' }).filter).toMatchObject({ agency: 'Police', show: 'significant' })
    expect(parseFilter({ agency: '', show: 'bogus' }).filter).toMatchObject({ agency: null, show: 'usual' })
    expect(applyFilter(entries, parseFilter({ show: 'significant' }).filter).map((e) => e.title)).toEqual([
      'Investigation',
      'Received',
      'Screened',
      'Strategy meeting held',
    ])
    expect(applyFilter(entries, parseFilter({ agency: 'Police' }).filter).map((e) => e.title)).toEqual([
      'Screened',
      'Strategy meeting held',
    ])
    expect(applyFilter(entries, parseFilter({}).filter).map((e) => e.title)).not.toContain('Strategy meeting arranged')
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
    const filter: ChronologyFilter = {
      types: ['CURATED'],
      from: '2026-01-05',
      to: null,
      order: 'newest',
      agency: 'Fixture Police',
      show: 'significant',
    }
    const q = Object.fromEntries(new URLSearchParams(filterQuery(filter).slice(1)))
    expect(parseFilter(q).filter).toEqual(filter)
    expect(filterQuery({ types: [], from: null, to: null, order: 'oldest', agency: null, show: 'usual' })).toBe('')
  })
})

describe('words', () => {
  it('lists and lowers labels inside a sentence, leaving acronyms', () => {
    expect([listOf([]), listOf(['A']), listOf(['A', 'B']), listOf(['A', 'B', 'C'])]).toEqual(['', 'A', 'A and B', 'A, B and C'])
    expect([lowerFirst('Section 47 enquiry'), lowerFirst('AIM assessment'), lowerFirst('HSB panel')]).toEqual([
      'section 47 enquiry',
      'AIM assessment',
      'HSB panel',
    ])
  })

  it('names the case by the child, their date of birth and when the request was received, never by its id', () => {
    const kase = {
      id: '3f1c2b9e-1111-4222-8333-444455556666',
      childName: 'Ash Fernley',
      childDateOfBirth: new Date('2012-07-08T00:00:00Z'),
      referralReceivedAt: new Date('2026-03-02T09:15:00Z'),
    }
    expect(caseReference(kase)).toBe('Ash Fernley, born 8 July 2012: request for support received 2 March 2026')
    expect(caseReference(kase)).not.toContain(kase.id)
  })
})

describe('curated entries', () => {
  it('need a past date, a title and text; a correction names an existing entry; significant only when ticked', () => {
    const base = { date: { day: '1', month: '1', year: '2026' }, title: 'Visit', text: 'Saw the child', corrects: '' }
    expect(validateCurated(base, { today: '2026-01-02', entryIds: [] })).toEqual({
      ok: true,
      value: { occurredOn: '2026-01-01', title: 'Visit', text: 'Saw the child', correctsEntryId: null, isSignificant: false },
    })
    expect(validateCurated({ ...base, significant: true }, { today: '2026-01-02', entryIds: [] })).toMatchObject({
      ok: true,
      value: { isSignificant: true },
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
