import type { Role } from '../../platform/access/roles.js'
import type { ClockKind } from '../../platform/clocks/clocks.rules.js'

/**
 * The HSB pathway as a typed transition table (seed 002, part 1: from a request for support to
 * the strategy meeting). Status → the actions allowed from it → who may take them → the
 * clocks each action starts and stops. Pure: no I/O. Part 2 adds statuses and actions here;
 * `satisfies Record<CaseStatus, …>` makes the compiler ask where each new status may go.
 */
export const CASE_STATUSES = {
  /** A request for support is in the front-door queue, waiting to be screened. */
  REFERRED: 'REFERRED',
  /** Screened; waiting for a manager's oversight of the rating. */
  AWAITING_OVERSIGHT: 'AWAITING_OVERSIGHT',
  /** Green confirmed: no further action, or a request for early help. */
  GREEN_DECISION: 'GREEN_DECISION',
  /** Amber or red confirmed: with the assessment team; a strategy meeting is due within 24 hours. */
  STRATEGY_MEETING_DUE: 'STRATEGY_MEETING_DUE',
  /** The strategy meeting's minutes are finalised with its outcomes. */
  STRATEGY_MEETING_HELD: 'STRATEGY_MEETING_HELD',
  /** Early help requested; the pathway's work ends here. */
  EARLY_HELP: 'EARLY_HELP',
  CLOSED: 'CLOSED',
} as const
export type CaseStatus = (typeof CASE_STATUSES)[keyof typeof CASE_STATUSES]

export const CASE_ACTIONS = {
  RECORD_SCREENING: 'RECORD_SCREENING',
  CONFIRM_SCREENING: 'CONFIRM_SCREENING',
  RETURN_SCREENING: 'RETURN_SCREENING',
  CLOSE_NO_FURTHER_ACTION: 'CLOSE_NO_FURTHER_ACTION',
  REQUEST_EARLY_HELP: 'REQUEST_EARLY_HELP',
  ALLOCATE: 'ALLOCATE',
  SCHEDULE_STRATEGY_MEETING: 'SCHEDULE_STRATEGY_MEETING',
  FINALISE_STRATEGY_MEETING: 'FINALISE_STRATEGY_MEETING',
  RECORD_CLOCK_REASON: 'RECORD_CLOCK_REASON',
} as const
export type CaseAction = (typeof CASE_ACTIONS)[keyof typeof CASE_ACTIONS]

export type Rating = 'GREEN' | 'AMBER' | 'RED'

/** New referral, or a child already open to CSC, YOS or leaving care (the allocated worker screens). */
export type CaseRoute = 'NEW' | 'OPEN_CASE'

/** What an action's outcome can depend on. */
export type TransitionContext = { rating?: Rating | null; route?: CaseRoute; outcomes?: readonly string[] }

type ActionRule = {
  label: string
  roles: readonly Role[]
  /** The next status; undefined keeps the current one. */
  to?: (ctx: TransitionContext) => CaseStatus
  starts?: (ctx: TransitionContext) => readonly ClockKind[]
  stops?: readonly ClockKind[]
}

const CASE_WORKERS: readonly Role[] = ['SOCIAL_WORKER', 'TEAM_MANAGER']
const MANAGERS: readonly Role[] = ['TEAM_MANAGER']
const CHAIRS: readonly Role[] = ['TEAM_MANAGER', 'HSB_LEAD']
const isConcern = (ctx: TransitionContext) => ctx.rating === 'AMBER' || ctx.rating === 'RED'

export const ACTION_RULES = {
  RECORD_SCREENING: { label: 'Record the screening', roles: CASE_WORKERS, to: () => 'AWAITING_OVERSIGHT' },
  CONFIRM_SCREENING: {
    label: 'Confirm the screening (management oversight)',
    roles: MANAGERS,
    to: (ctx) => (isConcern(ctx) ? 'STRATEGY_MEETING_DUE' : 'GREEN_DECISION'),
    starts: (ctx) => (isConcern(ctx) ? ['STRATEGY_MEETING', 'ASSESSMENT'] : []),
    stops: ['REFERRAL_DECISION'],
  },
  RETURN_SCREENING: { label: 'Return the screening to the worker', roles: MANAGERS, to: () => 'REFERRED' },
  CLOSE_NO_FURTHER_ACTION: { label: 'Close with no further action', roles: CASE_WORKERS, to: () => 'CLOSED' },
  REQUEST_EARLY_HELP: { label: 'Request early help', roles: CASE_WORKERS, to: () => 'EARLY_HELP' },
  ALLOCATE: { label: 'Allocate to a team and a social worker', roles: MANAGERS },
  SCHEDULE_STRATEGY_MEETING: { label: 'Arrange the strategy meeting', roles: CHAIRS },
  FINALISE_STRATEGY_MEETING: {
    label: 'Finalise the strategy meeting',
    roles: CHAIRS,
    to: () => 'STRATEGY_MEETING_HELD',
    starts: (ctx) => (ctx.outcomes?.includes('INITIAL_CHILD_PROTECTION_CONFERENCE') ? ['INITIAL_CONFERENCE'] : []),
    stops: ['STRATEGY_MEETING'],
  },
  RECORD_CLOCK_REASON: { label: 'Record why a timescale was missed', roles: [...CASE_WORKERS, 'HSB_LEAD'] },
} as const satisfies Record<CaseAction, ActionRule>

/** What may happen from each status. An action not listed is refused, naming these. */
export const TRANSITIONS = {
  REFERRED: ['RECORD_SCREENING', 'ALLOCATE', 'RECORD_CLOCK_REASON'],
  AWAITING_OVERSIGHT: ['CONFIRM_SCREENING', 'RETURN_SCREENING', 'ALLOCATE', 'RECORD_CLOCK_REASON'],
  GREEN_DECISION: ['CLOSE_NO_FURTHER_ACTION', 'REQUEST_EARLY_HELP', 'ALLOCATE', 'RECORD_CLOCK_REASON'],
  STRATEGY_MEETING_DUE: ['SCHEDULE_STRATEGY_MEETING', 'FINALISE_STRATEGY_MEETING', 'ALLOCATE', 'RECORD_CLOCK_REASON'],
  STRATEGY_MEETING_HELD: ['ALLOCATE', 'RECORD_CLOCK_REASON'],
  EARLY_HELP: ['RECORD_CLOCK_REASON'],
  CLOSED: [],
} as const satisfies Record<CaseStatus, readonly CaseAction[]>

export type Decision =
  | { ok: true; to: CaseStatus; starts: readonly ClockKind[]; stops: readonly ClockKind[] }
  | { ok: false; reason: 'NOT_ALLOWED_NOW'; status: CaseStatus; allowed: readonly CaseAction[] }
  | { ok: false; reason: 'NOT_YOUR_ROLE'; status: CaseStatus; roles: readonly Role[] }

export function allowedActions(status: CaseStatus): readonly CaseAction[] {
  return TRANSITIONS[status]
}

/** Actions from this status that someone with these roles may take. */
export function actionsFor(status: CaseStatus, roles: readonly Role[]): CaseAction[] {
  return TRANSITIONS[status].filter((a) => (ACTION_RULES[a].roles as readonly Role[]).some((r) => roles.includes(r)))
}

/** Decides one move: the next status and clocks, or why not (naming what is allowed). */
export function decide(status: CaseStatus, action: CaseAction, roles: readonly Role[], ctx: TransitionContext = {}): Decision {
  const allowed = TRANSITIONS[status] as readonly CaseAction[]
  if (!allowed.includes(action)) return { ok: false, reason: 'NOT_ALLOWED_NOW', status, allowed }
  const rule: ActionRule = ACTION_RULES[action]
  if (!rule.roles.some((r) => roles.includes(r))) return { ok: false, reason: 'NOT_YOUR_ROLE', status, roles: rule.roles }
  return { ok: true, to: rule.to?.(ctx) ?? status, starts: rule.starts?.(ctx) ?? [], stops: rule.stops ?? [] }
}

export const STATUS_LABELS = {
  REFERRED: 'Waiting for screening',
  AWAITING_OVERSIGHT: 'Waiting for management oversight',
  GREEN_DECISION: 'Green: decide next steps',
  STRATEGY_MEETING_DUE: 'Strategy meeting due',
  STRATEGY_MEETING_HELD: 'Strategy meeting held',
  EARLY_HELP: 'Early help requested',
  CLOSED: 'Closed',
} as const satisfies Record<CaseStatus, string>

export const isOpen = (status: CaseStatus) => status !== 'CLOSED' && status !== 'EARLY_HELP'
