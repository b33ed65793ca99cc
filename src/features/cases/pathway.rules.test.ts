import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ALL_ROLES } from '../../platform/access/roles.js'
import {
  ACTION_RULES,
  CASE_ACTIONS,
  CASE_STATUSES,
  TRANSITIONS,
  actionsFor,
  allowedActions,
  decide,
  type CaseAction,
  type CaseStatus,
} from './pathway.rules.js'

const STATUSES = Object.values(CASE_STATUSES) as CaseStatus[]
const ACTIONS = Object.values(CASE_ACTIONS) as CaseAction[]

describe('the pathway transition table', () => {
  it('names every status and only known actions', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...STATUSES].sort())
    for (const status of STATUSES) for (const a of allowedActions(status)) expect(ACTIONS).toContain(a)
  })

  // [from, action, role, context, expected status, clocks started, clocks stopped]
  const moves: [CaseStatus, CaseAction, string, object, CaseStatus, string[], string[]][] = [
    ['REFERRED', 'RECORD_SCREENING', 'SOCIAL_WORKER', {}, 'AWAITING_OVERSIGHT', [], []],
    ['AWAITING_OVERSIGHT', 'CONFIRM_SCREENING', 'TEAM_MANAGER', { rating: 'GREEN' }, 'GREEN_DECISION', [], ['REFERRAL_DECISION']],
    [
      'AWAITING_OVERSIGHT',
      'CONFIRM_SCREENING',
      'TEAM_MANAGER',
      { rating: 'AMBER' },
      'STRATEGY_MEETING_DUE',
      ['STRATEGY_MEETING', 'ASSESSMENT'],
      ['REFERRAL_DECISION'],
    ],
    [
      'AWAITING_OVERSIGHT',
      'CONFIRM_SCREENING',
      'TEAM_MANAGER',
      { rating: 'RED', route: 'OPEN_CASE' },
      'STRATEGY_MEETING_DUE',
      ['STRATEGY_MEETING', 'ASSESSMENT'],
      ['REFERRAL_DECISION'],
    ],
    ['AWAITING_OVERSIGHT', 'RETURN_SCREENING', 'TEAM_MANAGER', {}, 'REFERRED', [], []],
    ['GREEN_DECISION', 'CLOSE_NO_FURTHER_ACTION', 'SOCIAL_WORKER', {}, 'CLOSED', [], []],
    ['GREEN_DECISION', 'REQUEST_EARLY_HELP', 'TEAM_MANAGER', {}, 'EARLY_HELP', [], []],
    ['STRATEGY_MEETING_DUE', 'SCHEDULE_STRATEGY_MEETING', 'HSB_LEAD', {}, 'STRATEGY_MEETING_DUE', [], []],
    [
      'STRATEGY_MEETING_DUE',
      'FINALISE_STRATEGY_MEETING',
      'TEAM_MANAGER',
      { outcomes: ['SECTION_47_ENQUIRY', 'CONSIDER_AIM_ASSESSMENT'] },
      'STRATEGY_MEETING_HELD',
      [],
      ['STRATEGY_MEETING'],
    ],
    [
      'STRATEGY_MEETING_DUE',
      'FINALISE_STRATEGY_MEETING',
      'TEAM_MANAGER',
      { outcomes: ['INITIAL_CHILD_PROTECTION_CONFERENCE'] },
      'STRATEGY_MEETING_HELD',
      ['INITIAL_CONFERENCE'],
      ['STRATEGY_MEETING'],
    ],
    ['STRATEGY_MEETING_HELD', 'ALLOCATE', 'TEAM_MANAGER', {}, 'STRATEGY_MEETING_HELD', [], []],
  ]
  for (const [from, action, role, ctx, to, starts, stops] of moves) {
    it(`${from} --${action} (${role})--> ${to}`, () => {
      expect(decide(from, action, [role as never], ctx)).toEqual({ ok: true, to, starts, stops })
    })
  }

  it('refuses an action not allowed now, naming the status and the allowed actions', () => {
    expect(decide('REFERRED', 'FINALISE_STRATEGY_MEETING', ['TEAM_MANAGER'])).toEqual({
      ok: false,
      reason: 'NOT_ALLOWED_NOW',
      status: 'REFERRED',
      allowed: ['RECORD_SCREENING', 'ALLOCATE', 'RECORD_CLOCK_REASON'],
    })
    expect(decide('CLOSED', 'ALLOCATE', ['TEAM_MANAGER'])).toMatchObject({ ok: false, allowed: [] })
  })

  it('refuses a role that may not take the action', () => {
    expect(decide('AWAITING_OVERSIGHT', 'CONFIRM_SCREENING', ['SOCIAL_WORKER'])).toMatchObject({
      ok: false,
      reason: 'NOT_YOUR_ROLE',
      roles: ['TEAM_MANAGER'],
    })
    for (const role of ['BOARD_MEMBER', 'ANALYST', 'SYSTEM_ADMINISTRATOR'] as const) {
      for (const status of STATUSES) expect(actionsFor(status, [role])).toEqual([])
    }
    // Police record the criminal process alongside the pathway and instigate the AIM strategy discussion; nothing else.
    const police = new Set(STATUSES.flatMap((status) => actionsFor(status, ['POLICE_OFFICER'])))
    expect([...police].sort()).toEqual(['HOLD_AIM_STRATEGY_DISCUSSION', 'RECORD_CRIMINAL_PROCESS'])
  })

  it('never lets any action leave a closed case, and every decision lands on a known status', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STATUSES),
        fc.constantFrom(...ACTIONS),
        fc.subarray([...ALL_ROLES]),
        fc.constantFrom('GREEN', 'AMBER', 'RED', null),
        (status, action, roles, rating) => {
          const d = decide(status, action, roles, { rating: rating as never })
          if (status === 'CLOSED') expect(d.ok).toBe(false)
          if (d.ok) {
            expect(STATUSES).toContain(d.to)
            expect(ACTION_RULES[action].roles.some((r) => roles.includes(r))).toBe(true)
          }
        },
      ),
    )
  })
})
