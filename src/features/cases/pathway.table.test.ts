import { describe, expect, it } from 'vitest'
import { ALL_ROLES, type Role } from '../../platform/access/roles.js'
import {
  CASE_ACTIONS,
  CASE_STATUSES,
  CASE_WIDE_RULES,
  STATUS_LABELS,
  decide,
  hasRoleFor,
  mayTake,
  refusalFor,
  type CaseAction,
  type CaseStatus,
  type TransitionContext,
} from './pathway.rules.js'

/**
 * The pathway as written down (seed 002, parts 1 and 2), independently of the table in
 * pathway.rules.ts: every status, every action from it, where it leads, which clocks it starts and
 * stops, and who may take each action. Every status × action × role is checked against it, so a
 * change to the table that is not also a change to the pathway fails here.
 */

// [status, action, context, next status, clocks started, clocks stopped]
const MOVES: [CaseStatus, CaseAction, TransitionContext, CaseStatus, string[], string[]][] = [
  ['REFERRED', 'RECORD_SCREENING', {}, 'AWAITING_OVERSIGHT', [], []],
  ['REFERRED', 'ALLOCATE', {}, 'REFERRED', [], []],
  ['REFERRED', 'RECORD_CLOCK_REASON', {}, 'REFERRED', [], []],
  ['AWAITING_OVERSIGHT', 'CONFIRM_SCREENING', { rating: 'GREEN' }, 'GREEN_DECISION', [], ['REFERRAL_DECISION']],
  [
    'AWAITING_OVERSIGHT',
    'CONFIRM_SCREENING',
    { rating: 'AMBER' },
    'STRATEGY_MEETING_DUE',
    ['STRATEGY_MEETING', 'ASSESSMENT'],
    ['REFERRAL_DECISION'],
  ],
  [
    'AWAITING_OVERSIGHT',
    'CONFIRM_SCREENING',
    { rating: 'RED' },
    'STRATEGY_MEETING_DUE',
    ['STRATEGY_MEETING', 'ASSESSMENT'],
    ['REFERRAL_DECISION'],
  ],
  ['AWAITING_OVERSIGHT', 'RETURN_SCREENING', {}, 'REFERRED', [], []],
  ['AWAITING_OVERSIGHT', 'ALLOCATE', {}, 'AWAITING_OVERSIGHT', [], []],
  ['AWAITING_OVERSIGHT', 'RECORD_CLOCK_REASON', {}, 'AWAITING_OVERSIGHT', [], []],
  ['GREEN_DECISION', 'CLOSE_NO_FURTHER_ACTION', {}, 'CLOSED', [], []],
  ['GREEN_DECISION', 'REQUEST_EARLY_HELP', {}, 'EARLY_HELP', [], []],
  ['GREEN_DECISION', 'ALLOCATE', {}, 'GREEN_DECISION', [], []],
  ['GREEN_DECISION', 'RECORD_CLOCK_REASON', {}, 'GREEN_DECISION', [], []],
  ['STRATEGY_MEETING_DUE', 'SCHEDULE_STRATEGY_MEETING', {}, 'STRATEGY_MEETING_DUE', [], []],
  ['STRATEGY_MEETING_DUE', 'FINALISE_STRATEGY_MEETING', { outcomes: [] }, 'STRATEGY_MEETING_HELD', [], ['STRATEGY_MEETING']],
  [
    'STRATEGY_MEETING_DUE',
    'FINALISE_STRATEGY_MEETING',
    { outcomes: ['INITIAL_CHILD_PROTECTION_CONFERENCE'] },
    'STRATEGY_MEETING_HELD',
    ['INITIAL_CONFERENCE'],
    ['STRATEGY_MEETING'],
  ],
  ['STRATEGY_MEETING_DUE', 'ALLOCATE', {}, 'STRATEGY_MEETING_DUE', [], []],
  ['STRATEGY_MEETING_DUE', 'RECORD_CLOCK_REASON', {}, 'STRATEGY_MEETING_DUE', [], []],
  [
    'STRATEGY_MEETING_HELD',
    'DECIDE_AIM_ASSESSMENT',
    { assessmentRoute: 'WELFARE' },
    'AIM_ASSESSMENT',
    ['AIM_TARGET', 'AIM_INTERVIEWS'],
    [],
  ],
  ['STRATEGY_MEETING_HELD', 'DECIDE_AIM_ASSESSMENT', { assessmentRoute: 'CRIMINAL' }, 'AIM_STRATEGY_DISCUSSION_DUE', [], []],
  ['STRATEGY_MEETING_HELD', 'DECIDE_NO_AIM_ASSESSMENT', {}, 'NO_AIM_ASSESSMENT', [], []],
  ['STRATEGY_MEETING_HELD', 'ALLOCATE', {}, 'STRATEGY_MEETING_HELD', [], []],
  ['STRATEGY_MEETING_HELD', 'RECORD_CLOCK_REASON', {}, 'STRATEGY_MEETING_HELD', [], []],
  ['STRATEGY_MEETING_HELD', 'RECORD_CRIMINAL_PROCESS', {}, 'STRATEGY_MEETING_HELD', [], []],
  ['EARLY_HELP', 'RECORD_CLOCK_REASON', {}, 'EARLY_HELP', [], []],
  ['AIM_STRATEGY_DISCUSSION_DUE', 'HOLD_AIM_STRATEGY_DISCUSSION', {}, 'AIM_ASSESSMENT', ['AIM_TARGET', 'AIM_INTERVIEWS'], []],
  ['AIM_STRATEGY_DISCUSSION_DUE', 'ALLOCATE', {}, 'AIM_STRATEGY_DISCUSSION_DUE', [], []],
  ['AIM_STRATEGY_DISCUSSION_DUE', 'RECORD_CLOCK_REASON', {}, 'AIM_STRATEGY_DISCUSSION_DUE', [], []],
  ['AIM_STRATEGY_DISCUSSION_DUE', 'RECORD_CRIMINAL_PROCESS', {}, 'AIM_STRATEGY_DISCUSSION_DUE', [], []],
  ['AIM_ASSESSMENT', 'NAME_CO_ASSESSORS', {}, 'AIM_ASSESSMENT', [], []],
  ['AIM_ASSESSMENT', 'RECORD_ASSESSMENT_WORK', {}, 'AIM_ASSESSMENT', [], []],
  ['AIM_ASSESSMENT', 'EXTEND_AIM_ASSESSMENT', {}, 'AIM_ASSESSMENT', [], []],
  ['AIM_ASSESSMENT', 'SIGN_OFF_ASSESSMENT', {}, 'AIM_ASSESSMENT', [], []],
  ['AIM_ASSESSMENT', 'COMPLETE_ASSESSMENT', {}, 'REVIEW_MEETING_DUE', [], ['AIM_TARGET', 'AIM_INTERVIEWS']],
  ['AIM_ASSESSMENT', 'ALLOCATE', {}, 'AIM_ASSESSMENT', [], []],
  ['AIM_ASSESSMENT', 'RECORD_CLOCK_REASON', {}, 'AIM_ASSESSMENT', [], []],
  ['AIM_ASSESSMENT', 'RECORD_CRIMINAL_PROCESS', {}, 'AIM_ASSESSMENT', [], []],
  ['NO_AIM_ASSESSMENT', 'CLOSE_CASE', {}, 'CLOSED', [], []],
  ['NO_AIM_ASSESSMENT', 'ALLOCATE', {}, 'NO_AIM_ASSESSMENT', [], []],
  ['NO_AIM_ASSESSMENT', 'RECORD_CLOCK_REASON', {}, 'NO_AIM_ASSESSMENT', [], []],
  ['NO_AIM_ASSESSMENT', 'RECORD_CRIMINAL_PROCESS', {}, 'NO_AIM_ASSESSMENT', [], []],
  ['REVIEW_MEETING_DUE', 'SCHEDULE_REVIEW_MEETING', {}, 'REVIEW_MEETING_DUE', [], []],
  ['REVIEW_MEETING_DUE', 'FINALISE_REVIEW_MEETING', {}, 'INTERVENTION', [], []],
  ['REVIEW_MEETING_DUE', 'ALLOCATE', {}, 'REVIEW_MEETING_DUE', [], []],
  ['REVIEW_MEETING_DUE', 'RECORD_CLOCK_REASON', {}, 'REVIEW_MEETING_DUE', [], []],
  ['REVIEW_MEETING_DUE', 'RECORD_CRIMINAL_PROCESS', {}, 'REVIEW_MEETING_DUE', [], []],
  ['INTERVENTION', 'UPDATE_INTERVENTION_PLAN', {}, 'INTERVENTION', [], []],
  ['INTERVENTION', 'REQUEST_HSB_PANEL', {}, 'PANEL_REQUESTED', [], []],
  ['INTERVENTION', 'SCHEDULE_END_MEETING', {}, 'INTERVENTION', [], []],
  ['INTERVENTION', 'FINALISE_END_MEETING', {}, 'CLOSED', [], []],
  ['INTERVENTION', 'ALLOCATE', {}, 'INTERVENTION', [], []],
  ['INTERVENTION', 'RECORD_CLOCK_REASON', {}, 'INTERVENTION', [], []],
  ['INTERVENTION', 'RECORD_CRIMINAL_PROCESS', {}, 'INTERVENTION', [], []],
  ['PANEL_REQUESTED', 'RECORD_PANEL_DECISION', {}, 'INTERVENTION', [], []],
  ['PANEL_REQUESTED', 'UPDATE_INTERVENTION_PLAN', {}, 'PANEL_REQUESTED', [], []],
  ['PANEL_REQUESTED', 'ALLOCATE', {}, 'PANEL_REQUESTED', [], []],
  ['PANEL_REQUESTED', 'RECORD_CLOCK_REASON', {}, 'PANEL_REQUESTED', [], []],
  ['PANEL_REQUESTED', 'RECORD_CRIMINAL_PROCESS', {}, 'PANEL_REQUESTED', [], []],
  // The child and family assessment can be completed once a concern is confirmed, whatever else is under way.
  ['STRATEGY_MEETING_DUE', 'COMPLETE_CHILD_AND_FAMILY_ASSESSMENT', {}, 'STRATEGY_MEETING_DUE', [], ['ASSESSMENT']],
  ['STRATEGY_MEETING_HELD', 'COMPLETE_CHILD_AND_FAMILY_ASSESSMENT', {}, 'STRATEGY_MEETING_HELD', [], ['ASSESSMENT']],
  ['AIM_STRATEGY_DISCUSSION_DUE', 'COMPLETE_CHILD_AND_FAMILY_ASSESSMENT', {}, 'AIM_STRATEGY_DISCUSSION_DUE', [], ['ASSESSMENT']],
  ['AIM_ASSESSMENT', 'COMPLETE_CHILD_AND_FAMILY_ASSESSMENT', {}, 'AIM_ASSESSMENT', [], ['ASSESSMENT']],
  ['NO_AIM_ASSESSMENT', 'COMPLETE_CHILD_AND_FAMILY_ASSESSMENT', {}, 'NO_AIM_ASSESSMENT', [], ['ASSESSMENT']],
  ['REVIEW_MEETING_DUE', 'COMPLETE_CHILD_AND_FAMILY_ASSESSMENT', {}, 'REVIEW_MEETING_DUE', [], ['ASSESSMENT']],
  ['INTERVENTION', 'COMPLETE_CHILD_AND_FAMILY_ASSESSMENT', {}, 'INTERVENTION', [], ['ASSESSMENT']],
  ['PANEL_REQUESTED', 'COMPLETE_CHILD_AND_FAMILY_ASSESSMENT', {}, 'PANEL_REQUESTED', [], ['ASSESSMENT']],
  // The section 47 enquiry's outcome, once the strategy meeting has been held (it may have started one).
  ['STRATEGY_MEETING_HELD', 'RECORD_SECTION_47_OUTCOME', {}, 'STRATEGY_MEETING_HELD', [], ['INITIAL_CONFERENCE']],
  ['AIM_STRATEGY_DISCUSSION_DUE', 'RECORD_SECTION_47_OUTCOME', {}, 'AIM_STRATEGY_DISCUSSION_DUE', [], ['INITIAL_CONFERENCE']],
  ['AIM_ASSESSMENT', 'RECORD_SECTION_47_OUTCOME', {}, 'AIM_ASSESSMENT', [], ['INITIAL_CONFERENCE']],
  ['NO_AIM_ASSESSMENT', 'RECORD_SECTION_47_OUTCOME', {}, 'NO_AIM_ASSESSMENT', [], ['INITIAL_CONFERENCE']],
  ['REVIEW_MEETING_DUE', 'RECORD_SECTION_47_OUTCOME', {}, 'REVIEW_MEETING_DUE', [], ['INITIAL_CONFERENCE']],
  ['INTERVENTION', 'RECORD_SECTION_47_OUTCOME', {}, 'INTERVENTION', [], ['INITIAL_CONFERENCE']],
  ['PANEL_REQUESTED', 'RECORD_SECTION_47_OUTCOME', {}, 'PANEL_REQUESTED', [], ['INITIAL_CONFERENCE']],
]

const ROLES: Record<CaseAction, Role[]> = {
  RECORD_SCREENING: ['SOCIAL_WORKER', 'TEAM_MANAGER'],
  RECORD_SECTION_47_OUTCOME: ['SOCIAL_WORKER', 'TEAM_MANAGER'],
  CONFIRM_SCREENING: ['TEAM_MANAGER'],
  RETURN_SCREENING: ['TEAM_MANAGER'],
  CLOSE_NO_FURTHER_ACTION: ['SOCIAL_WORKER', 'TEAM_MANAGER'],
  REQUEST_EARLY_HELP: ['SOCIAL_WORKER', 'TEAM_MANAGER'],
  ALLOCATE: ['TEAM_MANAGER'],
  SCHEDULE_STRATEGY_MEETING: ['HSB_LEAD', 'TEAM_MANAGER'],
  FINALISE_STRATEGY_MEETING: ['HSB_LEAD', 'TEAM_MANAGER'],
  RECORD_CLOCK_REASON: ['HSB_LEAD', 'SOCIAL_WORKER', 'TEAM_MANAGER'],
  DECIDE_AIM_ASSESSMENT: ['HSB_LEAD', 'TEAM_MANAGER'],
  DECIDE_NO_AIM_ASSESSMENT: ['HSB_LEAD', 'TEAM_MANAGER'],
  HOLD_AIM_STRATEGY_DISCUSSION: ['HSB_LEAD', 'POLICE_OFFICER', 'YOS_OFFICER'],
  NAME_CO_ASSESSORS: ['HEAD_OF_SERVICE', 'HSB_LEAD', 'TEAM_MANAGER'],
  RECORD_ASSESSMENT_WORK: ['AIM_PRACTITIONER', 'SOCIAL_WORKER', 'TEAM_MANAGER', 'YOS_OFFICER'],
  EXTEND_AIM_ASSESSMENT: ['HEAD_OF_SERVICE', 'HSB_LEAD', 'TEAM_MANAGER'],
  SIGN_OFF_ASSESSMENT: ['AIM_PRACTITIONER', 'SOCIAL_WORKER', 'TEAM_MANAGER', 'YOS_OFFICER'],
  COMPLETE_ASSESSMENT: ['AIM_PRACTITIONER', 'SOCIAL_WORKER', 'TEAM_MANAGER', 'YOS_OFFICER'],
  SCHEDULE_REVIEW_MEETING: ['HSB_LEAD', 'TEAM_MANAGER'],
  FINALISE_REVIEW_MEETING: ['HSB_LEAD', 'TEAM_MANAGER'],
  UPDATE_INTERVENTION_PLAN: ['AIM_PRACTITIONER', 'HSB_LEAD', 'SOCIAL_WORKER', 'TEAM_MANAGER', 'YOS_OFFICER'],
  REQUEST_HSB_PANEL: ['HSB_LEAD', 'TEAM_MANAGER'],
  RECORD_PANEL_DECISION: ['HEAD_OF_SERVICE', 'HSB_LEAD'],
  SCHEDULE_END_MEETING: ['HSB_LEAD', 'TEAM_MANAGER'],
  FINALISE_END_MEETING: ['HSB_LEAD', 'TEAM_MANAGER'],
  CLOSE_CASE: ['HSB_LEAD', 'TEAM_MANAGER'],
  RECORD_CRIMINAL_PROCESS: ['AIM_PRACTITIONER', 'HSB_LEAD', 'POLICE_OFFICER', 'SOCIAL_WORKER', 'TEAM_MANAGER', 'YOS_OFFICER'],
  COMPLETE_CHILD_AND_FAMILY_ASSESSMENT: ['SOCIAL_WORKER', 'TEAM_MANAGER'],
}

const STATUSES = Object.values(CASE_STATUSES) as CaseStatus[]
const ACTIONS = Object.values(CASE_ACTIONS) as CaseAction[]
const allowedFrom = (status: CaseStatus) => [...new Set(MOVES.filter((m) => m[0] === status).map((m) => m[1]))]

describe('the transition table, status by status and action by action', () => {
  it('names every action and its roles here', () => {
    expect(Object.keys(ROLES).sort()).toEqual([...ACTIONS].sort())
  })

  for (const [from, action, ctx, to, starts, stops] of MOVES) {
    it(`${from} --${action} ${JSON.stringify(ctx)}--> ${to}`, () => {
      for (const role of ROLES[action]) expect(decide(from, action, [role], ctx)).toEqual({ ok: true, to, starts, stops })
    })
  }

  for (const status of STATUSES) {
    it(`from ${status}: only ${allowedFrom(status).join(', ') || 'nothing'}, and each only for its roles`, () => {
      const allowed = allowedFrom(status)
      for (const action of ACTIONS) {
        for (const role of ALL_ROLES) {
          const d = decide(status, action, [role])
          if (!allowed.includes(action))
            expect(d, `${status} ${action} ${role}`).toEqual({ ok: false, reason: 'NOT_ALLOWED_NOW', status, allowed })
          else if (!ROLES[action].includes(role))
            expect(d, `${status} ${action} ${role}`).toMatchObject({ ok: false, reason: 'NOT_YOUR_ROLE' })
          else expect(d.ok, `${status} ${action} ${role}`).toBe(true)
        }
      }
    })
  }
})

describe('refusals in the table’s words', () => {
  it('refuses a role that may never take a step with 403 and its sentence, whatever the status', () => {
    for (const status of STATUSES) {
      expect(refusalFor(status, 'SCHEDULE_STRATEGY_MEETING', ['SOCIAL_WORKER'])).toEqual({
        status: 403,
        reason: 'NOT_YOUR_ROLE',
        message: 'Only a team manager or the HSB lead can arrange a strategy meeting.',
      })
    }
    expect(refusalFor('AIM_ASSESSMENT', 'NAME_CO_ASSESSORS', ['SOCIAL_WORKER'])).toMatchObject({
      status: 403,
      message: 'Only a manager can name the co-assessors.',
    })
    expect(refusalFor('REFERRED', 'CONFIRM_SCREENING', ['SOCIAL_WORKER'])).toMatchObject({
      status: 403,
      message: 'Your role cannot do this: “Confirm the screening (management oversight)”.',
    })
  })

  it('refuses a step the pathway does not allow now with 409, naming the status, the reason and what can be done', () => {
    expect(refusalFor('REFERRED', 'CONFIRM_SCREENING', ['TEAM_MANAGER'])).toEqual({
      status: 409,
      reason: 'NOT_ALLOWED_NOW',
      message: 'This case is “Waiting for screening”, so “Confirm the screening (management oversight)” cannot be done now.',
      details: [
        'You can: Record the screening',
        'You can: Allocate to a team and a social worker',
        'You can: Record why a timescale was missed',
      ],
    })
    expect(refusalFor('REVIEW_MEETING_DUE', 'SCHEDULE_END_MEETING', ['HSB_LEAD'])).toMatchObject({
      status: 409,
      details: expect.arrayContaining([
        'The end meeting comes after the review meeting has agreed an intervention plan.',
        'You can: Arrange the review meeting',
      ]),
    })
    expect(refusalFor('CLOSED', 'RECORD_CRIMINAL_PROCESS', ['POLICE_OFFICER'])).toMatchObject({
      status: 409,
      message: `This case is “${STATUS_LABELS.CLOSED}”, so “Record the criminal process” cannot be done now.`,
      details: ['It can be recorded from the strategy meeting onwards, while the case is open.', 'Nothing more can be done on this case.'],
    })
  })

  it('allows case-wide steps in every status, by role only', () => {
    for (const status of STATUSES) {
      expect(mayTake(status, 'ADD_CHRONOLOGY_ENTRY', ['POLICE_OFFICER'])).toBe(true)
      expect(refusalFor(status, 'ADD_CHRONOLOGY_ENTRY', ['BOARD_MEMBER'])).toMatchObject({
        status: 403,
        message: CASE_WIDE_RULES.ADD_CHRONOLOGY_ENTRY.whoMay,
      })
      expect(mayTake(status, 'RECORD_ABE_MATERIAL', ['YOS_OFFICER'])).toBe(false)
    }
    expect(hasRoleFor(['SOCIAL_WORKER'], 'EDIT_MEETING_MINUTES')).toBe(true)
    expect(hasRoleFor(['POLICE_OFFICER'], 'EDIT_MEETING_MINUTES')).toBe(false)
  })
})
