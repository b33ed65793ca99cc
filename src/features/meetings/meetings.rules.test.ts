import { describe, expect, it } from 'vitest'
import { checkDate, londonInstant, parseTime } from '../../platform/forms/dates.js'
import {
  checkEndMeetingDate,
  checkFinalisable,
  invitationOpen,
  planInvitations,
  readMinutes,
  sameDraft,
  validateArrangement,
  validateMinutes,
  type ArrangementInput,
  type MinutesInput,
} from './meetings.rules.js'

const received = new Date('2026-06-01T08:00:00Z') // 9am BST
const now = new Date('2026-06-02T12:00:00Z')

describe('parseTime', () => {
  it.each([
    ['14:30', 870],
    ['9:05', 545],
    ['09.05', 545],
    ['2:30pm', 870],
    ['2.30 PM', 870],
    ['9am', 540],
    ['12am', 0],
    ['12pm', 720],
    ['12:15am', 15],
    ['midday', 720],
    ['noon', 720],
    ['midnight', 0],
    ['0:00', 0],
    ['23:59', 1439],
  ])('reads %s', (value, minutes) => expect(parseTime(value)).toBe(minutes))

  it.each(['', '9', '24:00', '12:60', '13pm', '0am', 'half two', '9:5', '-1:00'])('refuses %j', (value) =>
    expect(parseTime(value)).toBeNull(),
  )
})

describe('checkDate', () => {
  it.each([
    [
      { day: '', month: '', year: '' },
      { ok: true, value: null },
    ],
    [
      { day: '5', month: '1', year: '2026' },
      { ok: true, value: '2026-01-05' },
    ],
    [
      { day: '29', month: '2', year: '2028' },
      { ok: true, value: '2028-02-29' },
    ],
    [
      { day: '29', month: '2', year: '2026' },
      { ok: false, message: 'Date must be a real date' },
    ],
    [
      { day: '5', month: '', year: '' },
      { ok: false, message: 'Date must include a month and year' },
    ],
    [
      { day: 'x', month: '1', year: '2026' },
      { ok: false, message: 'Date must be a real date' },
    ],
    [
      { day: '1', month: '1', year: '26' },
      { ok: false, message: 'Date must be a real date' },
    ],
  ])('%j', (parts, expected) => expect(checkDate(parts, 'Date')).toEqual(expected))
})

describe('londonInstant', () => {
  it.each([
    ['2026-06-01', 9 * 60, '2026-06-01T08:00:00.000Z'], // BST
    ['2026-01-15', 9 * 60, '2026-01-15T09:00:00.000Z'], // GMT
    ['2026-03-29', 10 * 60, '2026-03-29T09:00:00.000Z'], // the day the clocks go forward
    ['2026-10-25', 10 * 60, '2026-10-25T10:00:00.000Z'], // the day they go back
  ])('%s at %i minutes', (date, minutes, iso) => expect(londonInstant(date, minutes).toISOString()).toBe(iso))
})

describe('arranging', () => {
  const facts = {
    referralReceivedAt: received,
    chairIds: ['tm'],
    agencyIds: ['csc', 'police', 'yos'],
    people: [
      { id: 'officer', agencyId: 'police' },
      { id: 'yos-worker', agencyId: 'yos' },
    ],
  }
  const input: ArrangementInput = {
    kind: 'STRATEGY_MEETING',
    date: { day: '1', month: '6', year: '2026' },
    time: '11:00',
    chair: 'tm',
    agencies: ['police', 'csc'],
    people: ['officer'],
  }

  it('plans invitations: people by name, and agencies with nobody named as a whole', () => {
    const result = validateArrangement(input, facts)
    expect(result).toEqual({
      ok: true,
      value: {
        kind: 'STRATEGY_MEETING',
        scheduledFor: new Date('2026-06-01T10:00:00Z'),
        chairId: 'tm',
        invitations: [
          { agencyId: 'csc', userId: null },
          { agencyId: 'police', userId: 'officer' },
        ],
      },
    })
    expect(planInvitations([], [{ id: 'yos-worker', agencyId: 'yos' }])).toEqual([{ agencyId: 'yos', userId: 'yos-worker' }])
  })

  it.each<[string, Partial<ArrangementInput>, string, string]>([
    ['no kind', { kind: '' }, '#kind', 'Select whether this is a strategy meeting or a strategy discussion'],
    [
      'before the referral',
      { time: '8:59am' },
      '#date-day',
      'The meeting cannot be before the request for support was received (1 June 2026, 9am)',
    ],
    ['no date', { date: { day: '', month: '', year: '' } }, '#date-day', 'Enter the date of the meeting'],
    ['no time', { time: '' }, '#date-time', 'Enter the time of the meeting'],
    ['an unknown time', { time: '25:00' }, '#date-time', 'Enter a time like 9:30am or 14:30'],
    ['no chair', { chair: '' }, '#chair', 'Select who will chair the meeting'],
    ['a chair who is not a manager', { chair: 'officer' }, '#chair', 'Select a team manager or HSB lead to chair the meeting'],
    ['nobody invited', { agencies: [], people: [] }, '#agencies', 'Select at least one agency to invite'],
    ['an unknown agency', { agencies: ['elsewhere'] }, '#agencies', 'Select agencies from the list'],
    ['an unknown person', { people: ['stranger'] }, '#agencies', 'Select people from the list'],
  ])('refuses %s', (_, change, href, text) => {
    const result = validateArrangement({ ...input, ...change }, facts)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.errors).toContainEqual({ href, text })
  })

  it('arranges the review and end meetings as their own kind, the end meeting after the review meeting was held', () => {
    const review = validateArrangement({ ...input, kind: '' }, { ...facts, type: 'review' })
    expect(review.ok && review.value.kind).toBe('REVIEW_STRATEGY_MEETING')
    const reviewHeldAt = new Date('2026-06-01T12:00:00Z')
    const early = validateArrangement({ ...input, kind: '' }, { ...facts, type: 'end', reviewHeldAt })
    expect(early).toEqual({
      ok: false,
      errors: [{ href: '#date-day', text: 'The end meeting cannot be before the review meeting was held' }],
    })
    const after = validateArrangement({ ...input, kind: '', time: '2pm' }, { ...facts, type: 'end', reviewHeldAt })
    expect(after.ok && after.value.kind).toBe('END_MEETING')
  })

  it('is not arranged for before the review meeting was held', () => {
    expect(checkEndMeetingDate(new Date('2026-03-01T00:00:00Z'), new Date('2026-03-02T00:00:00Z'))).toHaveLength(1)
    expect(checkEndMeetingDate(new Date('2026-03-03T00:00:00Z'), new Date('2026-03-02T00:00:00Z'))).toEqual([])
  })
})

const blank: MinutesInput = {
  held: { day: '', month: '', year: '', time: '' },
  attendance: {},
  text: {
    informationShared: '',
    risks: '',
    vulnerabilities: '',
    protectiveFactors: '',
    worries: '',
    workingWell: '',
    needsToHappen: '',
    dangerStatements: '',
    safetyGoals: '',
    decisions: '',
  },
  scores: [],
  outcomes: [],
  actions: [],
}
const facts = { referralReceivedAt: received, now, invitations: [{ id: 'inv-police', label: 'Fixture Police' }], ownerIds: ['tm'] }
const minutesWith = (change: Partial<MinutesInput>) => validateMinutes({ ...blank, ...change }, facts)
const score = (value: string, name = 'Dana') => ({ scores: [{ name, agency: 'CSC', score: value }] })
const held = (day: string, time: string) => ({ held: { day, month: '6', year: '2026', time } })
const action = (text: string, owner = '', due = { day: '', month: '', year: '' }) => ({ actions: [{ text, owner, ownerText: '', due }] })

describe('the minutes', () => {
  it('accept a blank draft, skipping empty rows', () => {
    const result = minutesWith({
      scores: [{ name: '', agency: '', score: '' }],
      actions: [{ text: ' ', owner: '', ownerText: '', due: { day: '', month: '', year: '' } }],
    })
    expect(result.ok && result.value).toMatchObject({
      heldAt: null,
      attendance: { 'inv-police': null },
      outcomes: [],
      actions: [],
      minutes: { scores: [] },
    })
  })

  it.each([['0'], ['10'], ['7'], [' 5 ']])('accept the score %j', (value) => {
    const result = minutesWith(score(value))
    expect(result.ok && result.value.minutes.scores).toEqual([{ name: 'Dana', agency: 'CSC', score: Number(value) }])
  })

  it.each<[string, Partial<MinutesInput>, string, string]>([
    ['a score of 11', score('11'), '#score-value-0', 'Score 1 must be a whole number from 0 to 10'],
    ['a negative score', score('-1'), '#score-value-0', 'Score 1 must be a whole number from 0 to 10'],
    ['a fractional score', score('4.5'), '#score-value-0', 'Score 1 must be a whole number from 0 to 10'],
    ['a score in words', score('five'), '#score-value-0', 'Score 1 must be a whole number from 0 to 10'],
    ['a name without a score', score(''), '#score-value-0', 'Enter score 1, a whole number from 0 to 10'],
    ['a score without a name', score('4', ' '), '#score-name-0', 'Enter the name of the person giving score 1'],
    ['a meeting held in the future', held('2', '1:01pm'), '#held-day', 'The date and time the meeting was held must be in the past'],
    [
      'a meeting held before the referral',
      held('1', '8:30am'),
      '#held-day',
      'The meeting cannot have been held before the request for support was received (1 June 2026, 9am)',
    ],
    ['a held date without a time', held('1', ''), '#held-time', 'Enter the time the meeting was held'],
    [
      'an unknown attendance',
      { attendance: { 'inv-police': 'MAYBE' } },
      '#attendance-inv-police',
      'Select whether Fixture Police was present, sent apologies or was absent',
    ],
    ['an unknown outcome', { outcomes: ['ARREST'] }, '#outcomes', 'Select outcomes from the list'],
    ['an action with no text', action('', 'tm'), '#action-text-0', 'Enter what action 1 is'],
    ['an action owner not offered', action('Visit', 'stranger'), '#action-owner-0', 'Select the owner of action 1 from the list'],
    [
      'an impossible due date',
      action('Visit', '', { day: '31', month: '2', year: '2026' }),
      '#action-due-0-day',
      'The due date of action 1 must be a real date',
    ],
    ['text that is too long', { text: { ...blank.text, risks: 'x'.repeat(6001) } }, '#risks', 'Risks must be 6000 characters or fewer'],
  ])('refuse %s', (_, change, href, text) => {
    const result = minutesWith(change)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.errors).toContainEqual({ href, text })
  })

  it('take a held time in UK time, with attendance, outcomes and actions', () => {
    const result = minutesWith({
      ...held('1', '2:30pm'),
      attendance: { 'inv-police': 'PRESENT', 'not-invited': 'PRESENT' },
      outcomes: ['SECTION_47_ENQUIRY', 'CONSIDER_AIM_ASSESSMENT', 'SECTION_47_ENQUIRY'],
      ...action(' Start the enquiry ', 'tm', { day: '3', month: '6', year: '2026' }),
    })
    expect(result.ok && result.value).toMatchObject({
      heldAt: new Date('2026-06-01T13:30:00Z'),
      attendance: { 'inv-police': 'PRESENT' },
      outcomes: ['SECTION_47_ENQUIRY', 'CONSIDER_AIM_ASSESSMENT'],
      actions: [{ text: 'Start the enquiry', ownerUserId: 'tm', ownerText: null, dueOn: '2026-06-03' }],
    })
  })
})

describe('finalising', () => {
  it('needs when it was held, everyone’s attendance and at least one outcome', () => {
    const draft = minutesWith({})
    if (!draft.ok) throw new Error('draft refused')
    expect(checkFinalisable(draft.value, facts.invitations)).toEqual([
      { href: '#held-day', text: 'Enter the date and time the meeting was held' },
      { href: '#attendance-inv-police', text: 'Select whether Fixture Police was present, sent apologies or was absent' },
      { href: '#outcomes', text: 'Select at least one outcome to finalise the minutes' },
    ])
    const ready = minutesWith({ ...held('1', '10:00'), attendance: { 'inv-police': 'APOLOGIES' }, outcomes: ['EARLY_HELP'] })
    if (!ready.ok) throw new Error('ready refused')
    expect(checkFinalisable(ready.value, facts.invitations)).toEqual([])
  })
})

describe('stored minutes', () => {
  it('read back whatever an older or partial document holds', () => {
    expect(readMinutes({ risks: 'Some', scores: [{ name: 'A', score: 3 }, { name: 'B' }, 'junk'], extra: 1 })).toMatchObject({
      risks: 'Some',
      decisions: '',
      scores: [{ name: 'A', agency: '', score: 3 }],
    })
  })

  it('recognise the same draft sent twice, in any order of attendance and outcomes', () => {
    const a = minutesWith({ attendance: { 'inv-police': 'PRESENT' }, outcomes: ['EARLY_HELP', 'CHILD_IN_NEED'] })
    const b = minutesWith({ attendance: { 'inv-police': 'PRESENT' }, outcomes: ['CHILD_IN_NEED', 'EARLY_HELP'] })
    const c = minutesWith({ attendance: { 'inv-police': 'ABSENT' }, outcomes: ['EARLY_HELP', 'CHILD_IN_NEED'] })
    if (!a.ok || !b.ok || !c.ok) throw new Error('refused')
    expect(sameDraft(a.value, b.value)).toBe(true)
    expect(sameDraft(a.value, c.value)).toBe(false)
  })
})

describe('accepting an agency’s invitation', () => {
  const at = new Date('2026-06-02T14:00:00Z')
  it('is open until the time the meeting was arranged for, and never once its minutes are finalised', () => {
    expect(invitationOpen({ status: 'SCHEDULED', scheduledFor: at }, new Date('2026-06-02T13:59:00Z'))).toBe(true)
    expect(invitationOpen({ status: 'SCHEDULED', scheduledFor: at }, at)).toBe(false)
    expect(invitationOpen({ status: 'SCHEDULED', scheduledFor: at }, new Date('2026-06-03T09:00:00Z'))).toBe(false)
    expect(invitationOpen({ status: 'FINALISED', scheduledFor: at }, new Date('2026-06-01T09:00:00Z'))).toBe(false)
  })
})
