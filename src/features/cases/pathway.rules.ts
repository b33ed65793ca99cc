import type { Role } from '../../platform/access/roles.js'
import type { ClockKind } from '../../platform/clocks/clocks.rules.js'

/**
 * The HSB pathway as a typed transition table (seed 002: part 1 from a request for support to
 * the strategy meeting; part 2 the AIM assessment, review meeting, HSB panel and end meeting). Status → the actions allowed from it → who may take them → the
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
  /** Criminal route: police to hold an AIM strategy discussion with children's services and YOS. */
  AIM_STRATEGY_DISCUSSION_DUE: 'AIM_STRATEGY_DISCUSSION_DUE',
  /** The AIM assessment is under way: co-assessors named, interviews, the record, sign-off. */
  AIM_ASSESSMENT: 'AIM_ASSESSMENT',
  /** The strategy meeting decided not to assess; the case waits for its end or closure. */
  NO_AIM_ASSESSMENT: 'NO_AIM_ASSESSMENT',
  /** Both co-assessors signed the assessment off; SQR to chair the review meeting. */
  REVIEW_MEETING_DUE: 'REVIEW_MEETING_DUE',
  /** The review meeting agreed an intervention plan; work is under way. */
  INTERVENTION: 'INTERVENTION',
  /** Specialist intervention needed: the head of service has been asked to convene the HSB panel. */
  PANEL_REQUESTED: 'PANEL_REQUESTED',
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
  DECIDE_AIM_ASSESSMENT: 'DECIDE_AIM_ASSESSMENT',
  DECIDE_NO_AIM_ASSESSMENT: 'DECIDE_NO_AIM_ASSESSMENT',
  HOLD_AIM_STRATEGY_DISCUSSION: 'HOLD_AIM_STRATEGY_DISCUSSION',
  NAME_CO_ASSESSORS: 'NAME_CO_ASSESSORS',
  RECORD_ASSESSMENT_WORK: 'RECORD_ASSESSMENT_WORK',
  EXTEND_AIM_ASSESSMENT: 'EXTEND_AIM_ASSESSMENT',
  SIGN_OFF_ASSESSMENT: 'SIGN_OFF_ASSESSMENT',
  COMPLETE_ASSESSMENT: 'COMPLETE_ASSESSMENT',
  SCHEDULE_REVIEW_MEETING: 'SCHEDULE_REVIEW_MEETING',
  FINALISE_REVIEW_MEETING: 'FINALISE_REVIEW_MEETING',
  UPDATE_INTERVENTION_PLAN: 'UPDATE_INTERVENTION_PLAN',
  REQUEST_HSB_PANEL: 'REQUEST_HSB_PANEL',
  RECORD_PANEL_DECISION: 'RECORD_PANEL_DECISION',
  SCHEDULE_END_MEETING: 'SCHEDULE_END_MEETING',
  FINALISE_END_MEETING: 'FINALISE_END_MEETING',
  CLOSE_CASE: 'CLOSE_CASE',
  RECORD_CRIMINAL_PROCESS: 'RECORD_CRIMINAL_PROCESS',
  COMPLETE_CHILD_AND_FAMILY_ASSESSMENT: 'COMPLETE_CHILD_AND_FAMILY_ASSESSMENT',
  RECORD_SECTION_47_OUTCOME: 'RECORD_SECTION_47_OUTCOME',
} as const
export type CaseAction = (typeof CASE_ACTIONS)[keyof typeof CASE_ACTIONS]

export type Rating = 'GREEN' | 'AMBER' | 'RED'

/** New referral, or a child already open to CSC, YOS or leaving care (the allocated worker screens). */
export type CaseRoute = 'NEW' | 'OPEN_CASE'

/** Who leads after the decision to assess: children's services (welfare) or YOS (criminal). */
export type AssessmentRoute = 'WELFARE' | 'CRIMINAL'

/** What an action's outcome can depend on. */
export type TransitionContext = {
  rating?: Rating | null
  route?: CaseRoute
  outcomes?: readonly string[]
  assessmentRoute?: AssessmentRoute
}

type ActionRule = {
  label: string
  roles: readonly Role[]
  /** The sentence that refuses someone whose role may never take this step (default: "Your role cannot do this"). */
  whoMay?: string
  /** Where the step is taken: a path under /cases/:caseId/, and the link's words if not the label. */
  page?: { path: string; text?: string }
  /** Why the step cannot be taken from some statuses, said before the list of what can be done. */
  notNow?: Partial<Record<CaseStatus, string>>
  /** The next status; undefined keeps the current one. */
  to?: (ctx: TransitionContext) => CaseStatus
  starts?: (ctx: TransitionContext) => readonly ClockKind[]
  stops?: readonly ClockKind[]
}

const CASE_WORKERS: readonly Role[] = ['SOCIAL_WORKER', 'TEAM_MANAGER']
const MANAGERS: readonly Role[] = ['TEAM_MANAGER']
/** Who chairs a strategy meeting (and may be named its chair); the review and end meetings are chaired by SQR. */
const CHAIRS: readonly Role[] = ['TEAM_MANAGER', 'HSB_LEAD']
const isConcern = (ctx: TransitionContext) => ctx.rating === 'AMBER' || ctx.rating === 'RED'
/** SQR (the HSB lead) chairs the review and end meetings; team managers stand in. */
const SQR: readonly Role[] = ['HSB_LEAD', 'TEAM_MANAGER']
/** Managers from the agencies who name the co-assessors. */
const ASSESSMENT_MANAGERS: readonly Role[] = ['TEAM_MANAGER', 'HSB_LEAD', 'HEAD_OF_SERVICE']
/** Who does the assessment work: the named co-assessors (the service also checks they are named). */
const ASSESSORS: readonly Role[] = ['AIM_PRACTITIONER', 'SOCIAL_WORKER', 'YOS_OFFICER', 'TEAM_MANAGER']
const CASE_PARTNERS: readonly Role[] = ['SOCIAL_WORKER', 'TEAM_MANAGER', 'HSB_LEAD', 'AIM_PRACTITIONER', 'POLICE_OFFICER', 'YOS_OFFICER']
const BEFORE_INTERVENTION = {
  STRATEGY_MEETING_HELD: 'The end meeting comes after the review meeting has agreed an intervention plan.',
  AIM_STRATEGY_DISCUSSION_DUE: 'The end meeting comes after the review meeting has agreed an intervention plan.',
  AIM_ASSESSMENT: 'The end meeting comes after the review meeting has agreed an intervention plan.',
  REVIEW_MEETING_DUE: 'The end meeting comes after the review meeting has agreed an intervention plan.',
} as const
const CRIMINAL_PROCESS_FROM = 'It can be recorded from the strategy meeting onwards, while the case is open.'
const AFTER_SIGN_OFF = { AIM_ASSESSMENT: 'The review meeting comes after both co-assessors have signed the AIM assessment off.' } as const

export const ACTION_RULES = {
  RECORD_SCREENING: { label: 'Record the screening', page: { path: 'screening' }, roles: CASE_WORKERS, to: () => 'AWAITING_OVERSIGHT' },
  CONFIRM_SCREENING: {
    label: 'Confirm the screening (management oversight)',
    page: { path: 'screening/oversight', text: 'Confirm or return the screening' },
    roles: MANAGERS,
    to: (ctx) => (isConcern(ctx) ? 'STRATEGY_MEETING_DUE' : 'GREEN_DECISION'),
    starts: (ctx) => (isConcern(ctx) ? ['STRATEGY_MEETING', 'ASSESSMENT'] : []),
    stops: ['REFERRAL_DECISION'],
  },
  RETURN_SCREENING: {
    label: 'Return the screening to the worker',
    page: { path: 'screening/oversight', text: 'Confirm or return the screening' },
    roles: MANAGERS,
    to: () => 'REFERRED',
  },
  CLOSE_NO_FURTHER_ACTION: {
    label: 'Close with no further action',
    page: { path: 'decision', text: 'Decide: no further action or early help' },
    roles: CASE_WORKERS,
    to: () => 'CLOSED',
  },
  REQUEST_EARLY_HELP: {
    label: 'Request early help',
    page: { path: 'decision', text: 'Decide: no further action or early help' },
    roles: CASE_WORKERS,
    to: () => 'EARLY_HELP',
  },
  ALLOCATE: { label: 'Allocate to a team and a social worker', page: { path: 'allocation' }, roles: MANAGERS },
  SCHEDULE_STRATEGY_MEETING: {
    label: 'Arrange the strategy meeting',
    page: { path: 'strategy-meeting/new' },
    roles: CHAIRS,
    whoMay: 'Only a team manager or the HSB lead can arrange a strategy meeting.',
  },
  FINALISE_STRATEGY_MEETING: {
    label: 'Finalise the strategy meeting',
    page: { path: 'strategy-meeting', text: 'Record and finalise the strategy meeting' },
    roles: CHAIRS,
    to: () => 'STRATEGY_MEETING_HELD',
    starts: (ctx) => (ctx.outcomes?.includes('INITIAL_CHILD_PROTECTION_CONFERENCE') ? ['INITIAL_CONFERENCE'] : []),
    stops: ['STRATEGY_MEETING'],
  },
  RECORD_CLOCK_REASON: { label: 'Record why a timescale was missed', roles: [...CASE_WORKERS, 'HSB_LEAD'] },
  DECIDE_AIM_ASSESSMENT: {
    label: 'Decide to carry out an AIM assessment',
    page: { path: 'assessment/decision', text: 'Decide whether to carry out an AIM assessment' },
    roles: SQR,
    whoMay: 'Only the HSB lead (SQR) or a team manager can decide whether to carry out an AIM assessment.',
    to: (ctx) => (ctx.assessmentRoute === 'CRIMINAL' ? 'AIM_STRATEGY_DISCUSSION_DUE' : 'AIM_ASSESSMENT'),
    starts: (ctx) => (ctx.assessmentRoute === 'CRIMINAL' ? [] : ['AIM_TARGET', 'AIM_INTERVIEWS']),
  },
  DECIDE_NO_AIM_ASSESSMENT: {
    label: 'Decide not to carry out an AIM assessment',
    page: { path: 'assessment/decision', text: 'Decide whether to carry out an AIM assessment' },
    roles: SQR,
    whoMay: 'Only the HSB lead (SQR) or a team manager can decide whether to carry out an AIM assessment.',
    to: () => 'NO_AIM_ASSESSMENT',
  },
  HOLD_AIM_STRATEGY_DISCUSSION: {
    label: 'Record the AIM strategy discussion',
    page: { path: 'assessment/strategy-discussion' },
    roles: ['POLICE_OFFICER', 'YOS_OFFICER', 'HSB_LEAD'],
    whoMay: 'Only a police officer, a youth offending service officer or the HSB lead can record the AIM strategy discussion.',
    to: () => 'AIM_ASSESSMENT',
    starts: () => ['AIM_TARGET', 'AIM_INTERVIEWS'],
  },
  NAME_CO_ASSESSORS: {
    label: 'Name the co-assessors',
    page: { path: 'assessment/co-assessors' },
    roles: ASSESSMENT_MANAGERS,
    whoMay: 'Only a manager can name the co-assessors.',
  },
  RECORD_ASSESSMENT_WORK: {
    label: 'Record the assessment',
    page: { path: 'assessment', text: 'Work on the AIM assessment' },
    roles: ASSESSORS,
    whoMay: 'Your role cannot record an AIM assessment.',
  },
  EXTEND_AIM_ASSESSMENT: {
    label: 'Extend the assessment for court directions',
    page: { path: 'assessment', text: 'Work on the AIM assessment' },
    roles: ASSESSMENT_MANAGERS,
    whoMay: 'Only a manager can extend the assessment.',
  },
  SIGN_OFF_ASSESSMENT: {
    label: 'Sign off the assessment',
    page: { path: 'assessment', text: 'Work on the AIM assessment' },
    roles: ASSESSORS,
    whoMay: 'Your role cannot sign off an AIM assessment.',
  },
  COMPLETE_ASSESSMENT: {
    label: 'Complete the assessment (both co-assessors signed off)',
    roles: ASSESSORS,
    to: () => 'REVIEW_MEETING_DUE',
    stops: ['AIM_TARGET', 'AIM_INTERVIEWS'],
  },
  SCHEDULE_REVIEW_MEETING: {
    label: 'Arrange the review meeting',
    page: { path: 'review-meeting/new' },
    roles: SQR,
    notNow: AFTER_SIGN_OFF,
  },
  FINALISE_REVIEW_MEETING: {
    label: 'Finalise the review meeting and intervention plan',
    page: { path: 'review-meeting', text: 'Record the review meeting and intervention plan' },
    roles: SQR,
    notNow: AFTER_SIGN_OFF,
    to: () => 'INTERVENTION',
  },
  UPDATE_INTERVENTION_PLAN: {
    label: 'Update the intervention plan',
    page: { path: 'intervention-plan' },
    roles: [...SQR, 'SOCIAL_WORKER', 'YOS_OFFICER', 'AIM_PRACTITIONER'],
  },
  REQUEST_HSB_PANEL: {
    label: 'Ask the head of service to convene the HSB panel',
    page: { path: 'panel', text: 'Ask for the HSB panel' },
    roles: SQR,
    notNow: { PANEL_REQUESTED: 'The HSB panel has already been asked for: its decision is waiting.' },
    to: () => 'PANEL_REQUESTED',
  },
  RECORD_PANEL_DECISION: {
    label: 'Record the HSB panel’s decision',
    page: { path: 'panel' },
    roles: ['HEAD_OF_SERVICE', 'HSB_LEAD'],
    to: () => 'INTERVENTION',
  },
  SCHEDULE_END_MEETING: { label: 'Arrange the end meeting', page: { path: 'end-meeting/new' }, roles: SQR, notNow: BEFORE_INTERVENTION },
  FINALISE_END_MEETING: {
    label: 'Finalise the end meeting and close the case',
    page: { path: 'end-meeting', text: 'Record the end meeting and close the case' },
    roles: SQR,
    notNow: BEFORE_INTERVENTION,
    to: () => 'CLOSED',
  },
  CLOSE_CASE: { label: 'Close the case', page: { path: 'closure' }, roles: SQR, to: () => 'CLOSED' },
  RECORD_CRIMINAL_PROCESS: {
    label: 'Record the criminal process',
    page: { path: 'criminal-process' },
    roles: CASE_PARTNERS,
    whoMay: 'Your role cannot record the criminal process on this case.',
    notNow: {
      REFERRED: CRIMINAL_PROCESS_FROM,
      AWAITING_OVERSIGHT: CRIMINAL_PROCESS_FROM,
      GREEN_DECISION: CRIMINAL_PROCESS_FROM,
      STRATEGY_MEETING_DUE: CRIMINAL_PROCESS_FROM,
      EARLY_HELP: CRIMINAL_PROCESS_FROM,
      CLOSED: CRIMINAL_PROCESS_FROM,
    },
  },
  /** Children's social care's assessment, due 45 working days from the referral (the ASSESSMENT clock). */
  COMPLETE_CHILD_AND_FAMILY_ASSESSMENT: {
    label: 'Complete the child and family assessment',
    page: { path: 'child-and-family-assessment' },
    roles: CASE_WORKERS,
    stops: ['ASSESSMENT'],
  },
  /**
   * The section 47 enquiry's end: an initial child protection conference held, or not needed. It
   * stops the INITIAL_CONFERENCE clock the strategy meeting started.
   */
  RECORD_SECTION_47_OUTCOME: {
    label: 'Record the outcome of the section 47 enquiry',
    page: { path: 'section-47-enquiry' },
    roles: CASE_WORKERS,
    stops: ['INITIAL_CONFERENCE'],
  },
} as const satisfies Record<CaseAction, ActionRule>

/** What may happen from each status. An action not listed is refused, naming these. */
export const TRANSITIONS = {
  REFERRED: ['RECORD_SCREENING', 'ALLOCATE', 'RECORD_CLOCK_REASON'],
  AWAITING_OVERSIGHT: ['CONFIRM_SCREENING', 'RETURN_SCREENING', 'ALLOCATE', 'RECORD_CLOCK_REASON'],
  GREEN_DECISION: ['CLOSE_NO_FURTHER_ACTION', 'REQUEST_EARLY_HELP', 'ALLOCATE', 'RECORD_CLOCK_REASON'],
  STRATEGY_MEETING_DUE: [
    'SCHEDULE_STRATEGY_MEETING',
    'FINALISE_STRATEGY_MEETING',
    'ALLOCATE',
    'RECORD_CLOCK_REASON',
    'COMPLETE_CHILD_AND_FAMILY_ASSESSMENT',
  ],
  STRATEGY_MEETING_HELD: [
    'DECIDE_AIM_ASSESSMENT',
    'DECIDE_NO_AIM_ASSESSMENT',
    'ALLOCATE',
    'RECORD_CLOCK_REASON',
    'RECORD_CRIMINAL_PROCESS',
    'COMPLETE_CHILD_AND_FAMILY_ASSESSMENT',
    'RECORD_SECTION_47_OUTCOME',
  ],
  EARLY_HELP: ['RECORD_CLOCK_REASON'],
  AIM_STRATEGY_DISCUSSION_DUE: [
    'HOLD_AIM_STRATEGY_DISCUSSION',
    'ALLOCATE',
    'RECORD_CLOCK_REASON',
    'RECORD_CRIMINAL_PROCESS',
    'COMPLETE_CHILD_AND_FAMILY_ASSESSMENT',
    'RECORD_SECTION_47_OUTCOME',
  ],
  AIM_ASSESSMENT: [
    'NAME_CO_ASSESSORS',
    'RECORD_ASSESSMENT_WORK',
    'EXTEND_AIM_ASSESSMENT',
    'SIGN_OFF_ASSESSMENT',
    'COMPLETE_ASSESSMENT',
    'ALLOCATE',
    'RECORD_CLOCK_REASON',
    'RECORD_CRIMINAL_PROCESS',
    'COMPLETE_CHILD_AND_FAMILY_ASSESSMENT',
    'RECORD_SECTION_47_OUTCOME',
  ],
  NO_AIM_ASSESSMENT: [
    'CLOSE_CASE',
    'ALLOCATE',
    'RECORD_CLOCK_REASON',
    'RECORD_CRIMINAL_PROCESS',
    'COMPLETE_CHILD_AND_FAMILY_ASSESSMENT',
    'RECORD_SECTION_47_OUTCOME',
  ],
  REVIEW_MEETING_DUE: [
    'SCHEDULE_REVIEW_MEETING',
    'FINALISE_REVIEW_MEETING',
    'ALLOCATE',
    'RECORD_CLOCK_REASON',
    'RECORD_CRIMINAL_PROCESS',
    'COMPLETE_CHILD_AND_FAMILY_ASSESSMENT',
    'RECORD_SECTION_47_OUTCOME',
  ],
  INTERVENTION: [
    'UPDATE_INTERVENTION_PLAN',
    'REQUEST_HSB_PANEL',
    'SCHEDULE_END_MEETING',
    'FINALISE_END_MEETING',
    'ALLOCATE',
    'RECORD_CLOCK_REASON',
    'RECORD_CRIMINAL_PROCESS',
    'COMPLETE_CHILD_AND_FAMILY_ASSESSMENT',
    'RECORD_SECTION_47_OUTCOME',
  ],
  PANEL_REQUESTED: [
    'RECORD_PANEL_DECISION',
    'UPDATE_INTERVENTION_PLAN',
    'ALLOCATE',
    'RECORD_CLOCK_REASON',
    'RECORD_CRIMINAL_PROCESS',
    'COMPLETE_CHILD_AND_FAMILY_ASSESSMENT',
    'RECORD_SECTION_47_OUTCOME',
  ],
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

/**
 * Steps on a case that do not depend on where it is on the pathway (any status, closed too):
 * who may take them is still decided here, by role, once they may read the case.
 */
export const CASE_WIDE_RULES = {
  ADD_CHRONOLOGY_ENTRY: {
    label: 'Add an entry to the chronology',
    roles: [...CASE_PARTNERS, 'HEAD_OF_SERVICE'],
    whoMay: 'Your role cannot add entries to the chronology.',
  },
  RECORD_CASE_FACTORS: { label: 'Record case factors', roles: CASE_PARTNERS, whoMay: 'Your role cannot record case factors.' },
  RECORD_ABE_MATERIAL: {
    label: 'Record restricted interview material',
    roles: ['POLICE_OFFICER', 'SOCIAL_WORKER', 'TEAM_MANAGER', 'HSB_LEAD'],
    whoMay: 'Your role cannot record restricted interview material.',
  },
  /** What the person who raised the request is told (a safety plan for a school, the outcome in words): all they see besides its status. */
  SHARE_WITH_REFERRER: {
    label: 'Share an update with the referrer',
    roles: ['SOCIAL_WORKER', 'TEAM_MANAGER', 'HSB_LEAD'],
    whoMay: 'Only the child’s social worker, a team manager or the HSB lead can share an update with the referrer.',
  },
  /** Besides these roles, a meeting's chair may always change its draft minutes. */
  EDIT_MEETING_MINUTES: {
    label: 'Change the minutes of a meeting',
    roles: ['TEAM_MANAGER', 'HSB_LEAD', 'SOCIAL_WORKER'],
    whoMay: 'Your role cannot change the minutes of this meeting.',
  },
} as const satisfies Record<string, Pick<ActionRule, 'label' | 'roles' | 'whoMay'>>
export type CaseWideAction = keyof typeof CASE_WIDE_RULES
export type CaseStep = CaseAction | CaseWideAction

const isCaseWide = (step: CaseStep): step is CaseWideAction => step in CASE_WIDE_RULES
const ruleOf = (step: CaseStep): Pick<ActionRule, 'label' | 'roles' | 'whoMay' | 'notNow'> =>
  isCaseWide(step) ? CASE_WIDE_RULES[step] : ACTION_RULES[step]

/** The roles that may take a step (for choosing people, e.g. who may chair or be a co-assessor). */
export const rolesFor = (step: CaseStep): readonly Role[] => ruleOf(step).roles
export const labelOf = (step: CaseStep): string => ruleOf(step).label

/** Whether someone with these roles could ever take this step, whatever the case's status. */
export const hasRoleFor = (roles: readonly Role[], step: CaseStep): boolean => ruleOf(step).roles.some((r) => roles.includes(r))

/** Why a step cannot be taken now (for a page that says so instead of refusing), or null if it can. */
export type NotNow = { status: CaseStatus; action: CaseAction; allowed: readonly CaseAction[] }

export function notNow(status: CaseStatus, step: CaseStep, roles: readonly Role[], ctx: TransitionContext = {}): NotNow | null {
  if (isCaseWide(step)) return null
  const d = decide(status, step, roles, ctx)
  return d.ok || d.reason !== 'NOT_ALLOWED_NOW' ? null : { status, action: step, allowed: d.allowed }
}

/** A refusal in words: 403 for a role that may never take the step, 409 naming the status and what can be done. */
export type StepRefusal =
  { status: 403; message: string; reason: 'NOT_YOUR_ROLE' } | { status: 409; message: string; details: string[]; reason: 'NOT_ALLOWED_NOW' }

/** The role first (someone who could never take the step is refused whatever the status), then the pathway. */
export function refusalFor(status: CaseStatus, step: CaseStep, roles: readonly Role[], ctx: TransitionContext = {}): StepRefusal | null {
  const rule = ruleOf(step)
  if (!hasRoleFor(roles, step))
    return { status: 403, reason: 'NOT_YOUR_ROLE', message: rule.whoMay ?? `Your role cannot do this: “${rule.label}”.` }
  const blocked = notNow(status, step, roles, ctx)
  if (!blocked) return null
  const hint = rule.notNow?.[status]
  const allowed = blocked.allowed.map((a) => `You can: ${ACTION_RULES[a].label}`)
  return {
    status: 409,
    reason: 'NOT_ALLOWED_NOW',
    message: `This case is “${STATUS_LABELS[status]}”, so “${rule.label}” cannot be done now.`,
    details: [...(hint ? [hint] : []), ...(allowed.length ? allowed : ['Nothing more can be done on this case.'])],
  }
}

/** Whether this person may take this step on a case in this status now. */
export const mayTake = (status: CaseStatus, step: CaseStep, roles: readonly Role[], ctx: TransitionContext = {}): boolean =>
  refusalFor(status, step, roles, ctx) === null

export const STATUS_LABELS = {
  REFERRED: 'Waiting for screening',
  AWAITING_OVERSIGHT: 'Waiting for management oversight',
  GREEN_DECISION: 'Green: decide next steps',
  STRATEGY_MEETING_DUE: 'Strategy meeting due',
  STRATEGY_MEETING_HELD: 'Strategy meeting held',
  EARLY_HELP: 'Early help requested',
  AIM_STRATEGY_DISCUSSION_DUE: 'AIM strategy discussion due (criminal route)',
  AIM_ASSESSMENT: 'AIM assessment under way',
  NO_AIM_ASSESSMENT: 'No AIM assessment: to close',
  REVIEW_MEETING_DUE: 'Review meeting due',
  INTERVENTION: 'Intervention under way',
  PANEL_REQUESTED: 'HSB panel requested',
  CLOSED: 'Closed',
} as const satisfies Record<CaseStatus, string>

export const isOpen = (status: CaseStatus) => status !== 'CLOSED' && status !== 'EARLY_HELP'

/**
 * Each step as something that happened, for the history, the chronology and the message that
 * names the step a new one follows ("the screening was recorded"). Events that are not actions
 * (the case opening, minutes saved) are named here too.
 */
export const DONE_LABELS: Readonly<Record<string, string>> = {
  OPEN: 'Request for support received',
  RECORD_SCREENING: 'Screening recorded',
  CONFIRM_SCREENING: 'Screening confirmed (management oversight)',
  RETURN_SCREENING: 'Screening returned to the worker',
  CLOSE_NO_FURTHER_ACTION: 'Closed with no further action',
  REQUEST_EARLY_HELP: 'Early help requested',
  ALLOCATE: 'Allocated to a team and a social worker',
  SCHEDULE_STRATEGY_MEETING: 'Strategy meeting arranged',
  FINALISE_STRATEGY_MEETING: 'Strategy meeting held',
  RECORD_CLOCK_REASON: 'Reason for a missed timescale recorded',
  DECIDE_AIM_ASSESSMENT: 'Decided to carry out an AIM assessment',
  DECIDE_NO_AIM_ASSESSMENT: 'Decided not to carry out an AIM assessment',
  HOLD_AIM_STRATEGY_DISCUSSION: 'AIM strategy discussion held',
  NAME_CO_ASSESSORS: 'Co-assessors named',
  RECORD_ASSESSMENT_WORK: 'AIM assessment work recorded',
  EXTEND_AIM_ASSESSMENT: 'AIM assessment extended for court directions',
  SIGN_OFF_ASSESSMENT: 'AIM assessment signed off',
  COMPLETE_ASSESSMENT: 'AIM assessment completed',
  SCHEDULE_REVIEW_MEETING: 'Review meeting arranged',
  FINALISE_REVIEW_MEETING: 'Review meeting held and intervention plan agreed',
  UPDATE_INTERVENTION_PLAN: 'Intervention plan updated',
  REQUEST_HSB_PANEL: 'HSB panel requested',
  RECORD_PANEL_DECISION: 'HSB panel decided',
  SCHEDULE_END_MEETING: 'End meeting arranged',
  FINALISE_END_MEETING: 'End meeting held and case closed',
  CLOSE_CASE: 'Case closed',
  RECORD_CRIMINAL_PROCESS: 'Criminal process recorded',
  COMPLETE_CHILD_AND_FAMILY_ASSESSMENT: 'Child and family assessment completed',
  RECORD_SECTION_47_OUTCOME: 'Section 47 enquiry concluded',
  ADD_CHRONOLOGY_ENTRY: 'Chronology entry added',
  RECORD_CASE_FACTORS: 'Case factors recorded',
  RECORD_ABE_MATERIAL: 'Restricted interview material recorded',
  SHARE_WITH_REFERRER: 'Update shared with the referrer',
  EDIT_MEETING_MINUTES: 'Meeting minutes changed',
  STRATEGY_MEETING_MINUTES_SAVED: 'Strategy meeting minutes saved',
  STRATEGY_MEETING_ADDENDUM: 'Addendum added to the strategy meeting minutes',
  // Brought in from the council's case management system (features/ssd-import).
  IMPORTED_REFERRAL: 'Referral received (from the council’s case system)',
  IMPORTED_STRATEGY_DISCUSSION: 'Strategy discussion held, section 47 enquiry started (from the council’s case system)',
  IMPORTED_SECTION_47_END: 'Section 47 enquiry concluded (from the council’s case system)',
  IMPORTED_ASSESSMENT_STARTED: 'Assessment started (from the council’s case system)',
  IMPORTED_ASSESSMENT: 'Assessment completed (from the council’s case system)',
  IMPORTED_CONFERENCE: 'Initial child protection conference held (from the council’s case system)',
  IMPORTED_INVOLVEMENT: 'Worker involved (from the council’s case system)',
  IMPORTED_CLOSURE: 'Episode closed (from the council’s case system)',
}

/** A history entry in words: what was done, for any event on a case. */
export const doneLabel = (action: string): string =>
  DONE_LABELS[action] ?? (ACTION_RULES as Record<string, { label: string }>)[action]?.label ?? action

/** The step a new one follows, for the message refusing a time before it: "the last step on this case (Screening recorded)". */
export const followsLabel = (action: string): string => `the last step on this case (${doneLabel(action)})`
