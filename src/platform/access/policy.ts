import { PRACTITIONER_ROLES, type Role } from './roles.js'

/**
 * The access policy: one pure function decides whether a person may take an action, from
 * their roles, their relationship to the child, and whether the record is restricted.
 * Deny by default: an action or role not named here is refused.
 */

/** How the person stands to the child, closest first. */
export const ALL_RELATIONSHIPS = [
  /** Allocated to the child, or named as involved. */
  'INVOLVED',
  /** A team the person belongs to is allocated or involved. */
  'SAME_TEAM',
  /** The person's agency is involved. */
  'SAME_AGENCY',
  /** Other agencies in the partnership are involved; the person's is not. */
  'OTHER_AGENCY',
  /** Nobody is involved yet. */
  'NONE',
] as const
export type Relationship = (typeof ALL_RELATIONSHIPS)[number]

export type Actor = { id: string; partnershipId: string; agencyId: string; teamIds: readonly string[]; roles: readonly Role[] }

export type ChildResource = {
  kind: 'child'
  partnershipId: string
  relationship: Relationship
  isRestricted: boolean
  /** True when the actor is named on the restricted record's access list. */
  isNamedOnRestriction: boolean
  /**
   * True when the actor has an unexpired break-glass access to this child (break_glass_access,
   * computed in SQL with the child: `breakGlassOpen`). It opens the record to read only, never a
   * restricted one, and only for a role that may break glass.
   */
  breakGlass: boolean
}

export type PartnershipResource = { kind: 'partnership'; partnershipId: string }
export type Resource = ChildResource | PartnershipResource

/** Actions that need a child; the relationship decides. */
export const CHILD_ACTIONS = [
  'child:read',
  'child:view-record-history',
  /** Raise a request for support about a child, known to you or not (you become involved). */
  'child:refer',
  /**
   * The referrer's view of a request they raised: its status and outcome in plain words and what
   * the partnership shares back, never the case. The service also checks that the person raised it.
   */
  'child:view-own-request',
  /** Restrict a child's record to named people, change who is named, or lift the restriction (issue 18). */
  'child:restrict',
  /**
   * Open a record one has no relationship to, for a legitimate reason, for BREAK_GLASS_HOURS:
   * read only, recorded, notified and reviewed. Never a restricted record.
   */
  'child:break-glass',
] as const
export type ChildAction = (typeof CHILD_ACTIONS)[number]

/** Actions on the partnership as a whole; the role decides. */
export const PARTNERSHIP_ACTIONS = [
  'admin:manage-users',
  /** Approve or decline a role that opens children's records, asked for by an administrator (a second person). */
  'admin:approve-roles',
  /** Search for a child and create a child's record (before raising a request for support). */
  'child:find-or-create',
  /** The front-door queue of requests for support waiting for screening and oversight. */
  'work:front-door',
  /** A team's work, for its managers. */
  'work:team',
  /** Every child on the pathway in the partnership. */
  'work:hsb-overview',
  /** Load the partnership's own (licensed) screening catalogue. */
  'screening:manage-catalogue',
  /** Read reviews, their action plans and progress reports (as at any date). */
  'reviews:read',
  /** Create reviews, import and edit every agency's actions, set the RAG key (business manager). */
  'reviews:manage',
  /** Update the actions of one's own agency (agency leads). */
  'reviews:update-agency-actions',
  /** Read the board's meetings, agendas, minutes and action log. */
  'board:read',
  /** Run the board's meetings: agenda, minutes, numbered actions. */
  'board:manage',
  /** Decide requests to read restricted interview material (ABE). */
  'abe:approve',
  /** The partnership's figures: dashboard, workforce, case factors, board report (suppressed for some roles). */
  'insight:read',
  /** Small counts unsuppressed, and figures that link through to the cases behind them (case roles). */
  'insight:unsuppressed',
  /** Keep the provision register, the partnership's own case factors and the suppression threshold. */
  'insight:manage',
  /** Write the board's annual HSB report's text sections. */
  'insight:write-report',
  /** Bring children and their history in from the council's case system (SSD extracts): shows who is in them. */
  'ssd:import',
  /** Download the partnership's HSB episodes, child by child, for the council's data warehouse (SSD CSV, DfE payload). */
  'ssd:export',
  /** Change the length of the partnership's pathway clocks from a date (local timescales), with their history. */
  'timescales:manage',
  /** Add, rename and retire the partnership's agencies and teams, with their history (features/organisations). */
  'organisations:manage',
  /** Subject access requests (UK GDPR Article 15): record a request, gather what is held, redact, submit for approval, release. */
  'subject-access:manage',
  /** Approve or decline the release of a subject access bundle (a second person, never the one who submitted it); read the bundles. */
  'subject-access:approve',
  /** The privacy officer's workspace: review privacy alerts, and every person's access to records (access reports). */
  'privacy:review',
  /** Retention (issue 18): set the partnership's schedules, place and lift legal holds, propose erasing a child's record, run approved erasures. */
  'retention:manage',
  /** Approve or decline a proposed erasure (a second person, never the one who proposed it). */
  'retention:approve',
] as const
export type PartnershipAction = (typeof PARTNERSHIP_ACTIONS)[number]
export type Action = ChildAction | PartnershipAction

const ANY_RELATIONSHIP: readonly Relationship[] = ALL_RELATIONSHIPS
const WORKING_WITH: readonly Relationship[] = ['INVOLVED', 'SAME_TEAM']
const IN_AGENCY: readonly Relationship[] = ['INVOLVED', 'SAME_TEAM', 'SAME_AGENCY']
const NAMED_ONLY: readonly Relationship[] = ['INVOLVED']
/** Whoever raises a request stays named on the child: their own requests, while they are. */
const OWN_REQUESTS = { 'child:view-own-request': NAMED_ONLY } as const
/** Break-glass: roles that read children at some relationship may open any record in an emergency. */
const BREAK_GLASS = { 'child:break-glass': ANY_RELATIONSHIP } as const

/** role → child action → the relationships that allow it. Missing means deny. */
const CHILD_RULES: Partial<Record<Role, Partial<Record<ChildAction, readonly Relationship[]>>>> = {
  // A referrer who is not working with the child (a school, a GP) sees their own requests, never the case.
  REFERRER: { 'child:refer': ANY_RELATIONSHIP, ...OWN_REQUESTS },
  SOCIAL_WORKER: { 'child:read': WORKING_WITH, 'child:refer': ANY_RELATIONSHIP, ...OWN_REQUESTS, ...BREAK_GLASS },
  TEAM_MANAGER: { 'child:read': IN_AGENCY, 'child:refer': ANY_RELATIONSHIP, ...OWN_REQUESTS, ...BREAK_GLASS },
  HSB_LEAD: {
    'child:read': ANY_RELATIONSHIP,
    'child:view-record-history': ANY_RELATIONSHIP,
    'child:refer': ANY_RELATIONSHIP,
    'child:restrict': ANY_RELATIONSHIP,
    ...OWN_REQUESTS,
  },
  AIM_PRACTITIONER: { 'child:read': NAMED_ONLY, 'child:refer': ANY_RELATIONSHIP, ...OWN_REQUESTS, ...BREAK_GLASS },
  POLICE_OFFICER: { 'child:read': NAMED_ONLY, 'child:refer': ANY_RELATIONSHIP, ...OWN_REQUESTS, ...BREAK_GLASS },
  YOS_OFFICER: { 'child:read': WORKING_WITH, 'child:refer': ANY_RELATIONSHIP, ...OWN_REQUESTS, ...BREAK_GLASS },
  HEAD_OF_SERVICE: {
    'child:read': IN_AGENCY,
    'child:refer': ANY_RELATIONSHIP,
    'child:restrict': ANY_RELATIONSHIP,
    ...OWN_REQUESTS,
    ...BREAK_GLASS,
  },
  LEAD_AUDITOR: {},
  PARTNERSHIP_BUSINESS_MANAGER: {},
  AGENCY_LEAD: {},
  BOARD_MEMBER: {},
  ANALYST: {},
  PRIVACY_OFFICER: { 'child:view-record-history': ANY_RELATIONSHIP },
  SYSTEM_ADMINISTRATOR: {},
}

const PRACTITIONERS = PRACTITIONER_ROLES

const PARTNERSHIP_RULES: Record<PartnershipAction, readonly Role[]> = {
  'admin:manage-users': ['SYSTEM_ADMINISTRATOR'],
  'admin:approve-roles': ['HEAD_OF_SERVICE', 'HSB_LEAD'],
  'child:find-or-create': PRACTITIONERS,
  'work:front-door': ['SOCIAL_WORKER', 'TEAM_MANAGER', 'HSB_LEAD'],
  'work:team': ['TEAM_MANAGER', 'HEAD_OF_SERVICE'],
  'work:hsb-overview': ['HSB_LEAD', 'HEAD_OF_SERVICE'],
  'screening:manage-catalogue': ['HSB_LEAD'],
  'reviews:read': ['PARTNERSHIP_BUSINESS_MANAGER', 'AGENCY_LEAD', 'BOARD_MEMBER', 'HSB_LEAD', 'HEAD_OF_SERVICE', 'LEAD_AUDITOR', 'ANALYST'],
  'reviews:manage': ['PARTNERSHIP_BUSINESS_MANAGER'],
  'reviews:update-agency-actions': ['AGENCY_LEAD', 'PARTNERSHIP_BUSINESS_MANAGER'],
  'board:read': ['PARTNERSHIP_BUSINESS_MANAGER', 'BOARD_MEMBER', 'AGENCY_LEAD', 'HEAD_OF_SERVICE'],
  'board:manage': ['PARTNERSHIP_BUSINESS_MANAGER'],
  'abe:approve': ['HEAD_OF_SERVICE', 'HSB_LEAD'],
  'insight:read': ['HSB_LEAD', 'HEAD_OF_SERVICE', 'TEAM_MANAGER', 'PARTNERSHIP_BUSINESS_MANAGER', 'BOARD_MEMBER', 'ANALYST'],
  'insight:unsuppressed': ['HSB_LEAD', 'HEAD_OF_SERVICE', 'TEAM_MANAGER'],
  'insight:manage': ['HSB_LEAD', 'HEAD_OF_SERVICE', 'PARTNERSHIP_BUSINESS_MANAGER'],
  'insight:write-report': ['PARTNERSHIP_BUSINESS_MANAGER', 'HSB_LEAD'],
  'ssd:import': ['HSB_LEAD', 'HEAD_OF_SERVICE'],
  'ssd:export': ['HSB_LEAD', 'HEAD_OF_SERVICE', 'ANALYST'],
  'timescales:manage': ['HSB_LEAD', 'HEAD_OF_SERVICE'],
  'privacy:review': ['PRIVACY_OFFICER'],
  'organisations:manage': ['SYSTEM_ADMINISTRATOR', 'PARTNERSHIP_BUSINESS_MANAGER'],
  'subject-access:manage': ['PRIVACY_OFFICER'],
  'subject-access:approve': ['PRIVACY_OFFICER', 'HEAD_OF_SERVICE'],
  'retention:manage': ['HSB_LEAD', 'HEAD_OF_SERVICE', 'PRIVACY_OFFICER'],
  'retention:approve': ['HEAD_OF_SERVICE', 'PRIVACY_OFFICER'],
}

/** The partnership actions that show children's records (queues of cases, restricted material). */
const CHILD_RECORD_PARTNERSHIP_ACTIONS: readonly PartnershipAction[] = [
  'work:front-door',
  'work:team',
  'work:hsb-overview',
  'abe:approve',
  'ssd:import',
  'ssd:export',
  'subject-access:manage',
  'subject-access:approve',
  // The retention review list names the children whose records are due.
  'retention:manage',
]

/**
 * The child actions that open what others have recorded about a child. Raising a request and
 * following one's own requests show only what the person sent and what is shared back to them.
 */
const CHILD_RECORD_ACTIONS: readonly ChildAction[] = ['child:read', 'child:view-record-history']

/**
 * Whether holding `role` lets someone open any child's record, as this policy says: a child
 * action that opens records, or a partnership action that lists cases. Granting such a role needs
 * a second person.
 */
export function opensChildRecords(role: Role): boolean {
  const rules = CHILD_RULES[role] ?? {}
  return (
    CHILD_RECORD_ACTIONS.some((a) => (rules[a]?.length ?? 0) > 0) ||
    CHILD_RECORD_PARTNERSHIP_ACTIONS.some((a) => PARTNERSHIP_RULES[a].includes(role))
  )
}

export function isChildAction(action: Action): action is ChildAction {
  return (CHILD_ACTIONS as readonly string[]).includes(action)
}

export function can(actor: Actor, action: Action, resource: Resource): boolean {
  if (resource.partnershipId !== actor.partnershipId) return false
  if (resource.kind === 'partnership') {
    if (isChildAction(action)) return false
    return actor.roles.some((role) => PARTNERSHIP_RULES[action].includes(role))
  }
  if (!isChildAction(action)) return false
  if (resource.isRestricted && !resource.isNamedOnRestriction && !seesRestrictedHistory(actor, action)) return false
  if (actor.roles.some((role) => CHILD_RULES[role]?.[action]?.includes(resource.relationship) ?? false)) return true
  // Break-glass opens the record to read, nothing else: never a restricted one (even to someone
  // named on it, who reads it by their relationship or not at all), and only to a role that may break glass.
  return action === 'child:read' && resource.breakGlass && !resource.isRestricted && mayBreakGlass(actor)
}

/**
 * A restricted record is closed to anyone not named on it, except its access history to the
 * privacy officer: who has opened a restricted record is what they are there to check.
 */
function seesRestrictedHistory(actor: Actor, action: ChildAction): boolean {
  return action === 'child:view-record-history' && actor.roles.includes('PRIVACY_OFFICER')
}

/** Whether the actor holds a role that may break glass (open a record in an emergency). */
export function mayBreakGlass(actor: Actor): boolean {
  return actor.roles.some((role) => (CHILD_RULES[role]?.['child:break-glass']?.length ?? 0) > 0)
}

/**
 * Whether the actor reads this child's record only through break-glass: refused without it,
 * allowed with it. Such a read is read only (no steps on the case, not the record history) and
 * raises a privacy alert.
 */
export function readsOnlyThroughBreakGlass(actor: Actor, child: ChildResource): boolean {
  return child.breakGlass && can(actor, 'child:read', child) && !can(actor, 'child:read', { ...child, breakGlass: false })
}

/**
 * Whether being named on a child (after creating their record or raising a request about them)
 * opens the child's record to this person: their roles decide; a referrer's do not. On a
 * restricted record they are named on the restriction too, or they could not have referred.
 */
export function readsChildWhenNamed(actor: Actor): boolean {
  return can(actor, 'child:read', {
    kind: 'child',
    partnershipId: actor.partnershipId,
    relationship: 'INVOLVED',
    isRestricted: false,
    isNamedOnRestriction: false,
    breakGlass: false,
  })
}

/** Roles that may take a partnership action: drives navigation and the route guard. */
export function canInPartnership(actor: Actor, action: PartnershipAction): boolean {
  return can(actor, action, { kind: 'partnership', partnershipId: actor.partnershipId })
}
