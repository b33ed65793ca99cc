import { describe, expect, it } from 'vitest'
import {
  GLM_NEEDS,
  checkOpenWork,
  describeOpenWork,
  openGoals,
  readGoals,
  validateClosure,
  validateEnd,
  validateGoals,
  validatePanelDecision,
  validateReview,
  type GoalInput,
} from './interventions.rules.js'
import { ACTION_RULES } from '../cases/index.js'

const parts = (iso: string) => {
  const [year, month, day] = iso.split('-')
  return { day: String(Number(day)), month: String(Number(month)), year: year! }
}
const goal = (over: Partial<GoalInput> = {}): GoalInput => ({
  text: 'Understand consent',
  need: 'KNOWLEDGE',
  service: 'HSB sessions',
  provider: 'YOS',
  start: parts('2026-03-02'),
  review: parts('2026-04-13'),
  status: '',
  ...over,
})
const blankGoal = (): GoalInput =>
  goal({ text: '', need: '', service: '', provider: '', start: { day: '', month: '', year: '' }, review: { day: '', month: '', year: '' } })

describe('goals of the intervention plan', () => {
  it('frames goals with the eleven Good Lives needs, optionally', () => {
    expect(Object.keys(GLM_NEEDS)).toHaveLength(11)
    const checked = validateGoals([goal(), goal({ need: '' }), blankGoal()])
    expect(checked.ok && checked.value.map((g) => [g.need, g.status])).toEqual([
      ['KNOWLEDGE', 'OPEN'],
      [null, 'OPEN'],
    ])
  })

  it('needs the goal, a service and both dates, with the review on or after the start', () => {
    const checked = validateGoals([
      goal({ text: ' ', service: '' }),
      goal({ review: parts('2026-03-01') }),
      goal({ start: { day: '31', month: '2', year: '2026' } }),
    ])
    expect(checked.ok ? [] : checked.errors).toEqual([
      { href: '#goal-text-0', text: 'Enter goal 1' },
      { href: '#goal-service-0', text: 'Enter the service for goal 1' },
      { href: '#goal-review-1-day', text: 'The review date of goal 2 must be the same as or after its start date' },
      { href: '#goal-start-2-day', text: 'The start date of goal 3 must be a real date' },
    ])
    expect(validateGoals([goal({ review: parts('2026-03-02') })]).ok).toBe(true)
  })

  it('refuses a need not on the list, and a plan with no goals', () => {
    expect(validateGoals([goal({ need: 'WEALTH' })])).toMatchObject({ ok: false, errors: [{ href: '#goal-need-0' }] })
    expect(validateGoals([blankGoal()])).toEqual({
      ok: false,
      errors: [{ href: '#goal-text-0', text: 'Enter at least one goal for the intervention plan' }],
    })
  })

  it('reads stored goals whatever they hold, and counts only those under way as open', () => {
    const goals = readGoals([{ text: 'a', status: 'ACHIEVED' }, { text: 'b', need: 'nonsense', status: 'weird' }, null])
    expect(goals.map((g) => [g.text, g.need, g.status])).toEqual([
      ['a', null, 'ACHIEVED'],
      ['b', null, 'OPEN'],
      ['', null, 'OPEN'],
    ])
    expect(openGoals(goals)).toHaveLength(2)
    expect(readGoals('not a list')).toEqual([])
  })
})

const facts = {
  referralReceivedAt: new Date('2026-01-05T09:00:00Z'),
  scheduledFor: new Date('2026-03-02T10:00:00Z'),
  now: new Date('2026-03-02T15:00:00Z'),
  invitationIds: ['inv-1'],
}
const held = { ...parts('2026-03-02'), time: '10:00' }

describe('the review meeting', () => {
  const text = { findings: 'Found', concerns: '', strengths: '', roles: 'SW leads' }
  it('needs when it was held (in the past), the findings, roles and at least one goal', () => {
    const ok = validateReview({ held, attendance: { 'inv-1': 'PRESENT' }, text, goals: [goal()] }, facts)
    expect(ok.ok && [ok.value.heldAt.toISOString(), ok.value.attendance]).toEqual(['2026-03-02T10:00:00.000Z', { 'inv-1': 'PRESENT' }])
    const bad = validateReview(
      { held: { ...parts('2026-03-03'), time: '10:00' }, attendance: {}, text: { ...text, findings: '', roles: '' }, goals: [blankGoal()] },
      facts,
    )
    expect(bad.ok ? [] : bad.errors.map((e) => e.href)).toEqual(['#held-day', '#findings', '#roles', '#goal-text-0'])
  })
})

describe('the end meeting and closing', () => {
  const input = { held, attendance: {}, workDone: 'Sessions done', level: 'LOW', reason: 'Goals met', openWorkReason: '' }
  it('needs the work done, a level of concern and a reason, and cannot be held before the review meeting', () => {
    expect(validateEnd(input, { ...facts, reviewHeldAt: new Date('2026-02-01T10:00:00Z') }).ok).toBe(true)
    const early = validateEnd(input, { ...facts, reviewHeldAt: new Date('2026-03-02T11:00:00Z') })
    expect(early.ok ? [] : early.errors).toEqual([
      { href: '#held-day', text: 'The end meeting cannot have been held before the review meeting' },
    ])
    const bad = validateEnd({ ...input, workDone: '', level: 'SEVERE', reason: '' }, { ...facts, reviewHeldAt: null })
    expect(bad.ok ? [] : bad.errors.map((e) => e.href)).toEqual(['#work-done', '#level', '#reason'])
  })

  it('names the open work, and needs a reason to close with it', () => {
    const open = describeOpenWork({ openClocks: ['Child and family assessment'], openActions: ['a1', 'a2'], openGoals: ['g'] })
    expect(open).toEqual([
      '1 timescale still running (Child and family assessment)',
      '2 meeting actions not marked done',
      '1 intervention plan goal still under way',
    ])
    expect(describeOpenWork({ openClocks: [], openActions: [], openGoals: [] })).toEqual([])
    expect(checkOpenWork(open, null)[0]!.text).toContain('This case still has open work: 1 timescale still running')
    expect(checkOpenWork(open, '  ')).toHaveLength(1)
    expect(checkOpenWork(open, 'Handed to locality team')).toEqual([])
    expect(checkOpenWork([], null)).toEqual([])
    expect(validateClosure({ reason: 'No assessment needed', openWorkReason: '' }, [])).toEqual({
      ok: true,
      value: { reason: 'No assessment needed', openWorkReason: null },
    })
    expect(validateClosure({ reason: '', openWorkReason: '' }, open)).toMatchObject({
      ok: false,
      errors: [{ href: '#reason' }, { href: '#open-work-reason' }],
    })
  })
})

describe('the HSB panel decision', () => {
  const decision = { service: 'Therapy', provider: '', level: 'SPECIALIST', date: parts('2026-03-10'), notes: '' }
  it('needs the service, a level and the date, on or after the request and not in the future', () => {
    expect(validatePanelDecision(decision, { requestedOn: '2026-03-09', today: '2026-03-10' })).toEqual({
      ok: true,
      value: { serviceCommissioned: 'Therapy', provider: null, level: 'SPECIALIST', panelDate: '2026-03-10', notes: null },
    })
    const before = validatePanelDecision(decision, { requestedOn: '2026-03-11', today: '2026-03-12' })
    expect(before.ok ? [] : before.errors[0]!.text).toBe('The panel cannot have met before it was asked for')
    const future = validatePanelDecision(decision, { requestedOn: '2026-03-01', today: '2026-03-09' })
    expect(future.ok ? [] : future.errors[0]!.text).toBe('The date of the panel must be today or in the past')
    const bad = validatePanelDecision({ ...decision, service: '', level: '' }, { requestedOn: '2026-03-01', today: '2026-03-20' })
    expect(bad.ok ? [] : bad.errors.map((e) => e.href)).toEqual(['#service', '#level'])
  })
})

describe('why a step cannot be taken yet', () => {
  it('says the end meeting follows the review meeting', () => {
    // The hints are the transition table's now: the kernel's refusals add them.
    const hint = (action: keyof typeof ACTION_RULES, status: string) =>
      (ACTION_RULES[action] as { notNow?: Record<string, string> }).notNow?.[status] ?? null
    expect(hint('SCHEDULE_END_MEETING', 'REVIEW_MEETING_DUE')).toContain('after the review meeting')
    expect(hint('SCHEDULE_END_MEETING', 'INTERVENTION')).toBeNull()
    expect(hint('REQUEST_HSB_PANEL', 'PANEL_REQUESTED')).toContain('already been asked for')
  })
})
