import type { CaseAction } from '../cases/index.js'
import { formatLondonDate, formatLondonTime } from '../../platform/clocks/london-time.js'
import { checkDate, checkDateTime, type DateParts } from '../../platform/forms/dates.js'
import { fieldError, type FieldError, type FormResult, text as typed } from '../../platform/forms/forms.js'

/**
 * Meetings on the pathway (the strategy meeting or discussion, the review meeting after the AIM
 * assessment, the end meeting): what is arranged, the shape of the minutes, and the checks on
 * both. Pure: no I/O; "now" and the facts about the case are passed in.
 */

export const STRATEGY_MEETING_KINDS = { STRATEGY_MEETING: 'Strategy meeting', STRATEGY_DISCUSSION: 'Strategy discussion' } as const
export type StrategyMeetingKind = keyof typeof STRATEGY_MEETING_KINDS
export const isStrategyMeetingKind = (v: string): v is StrategyMeetingKind => Object.hasOwn(STRATEGY_MEETING_KINDS, v)

/** Every kind of meeting the `meeting` table holds. */
export const MEETING_KIND_LABELS = {
  ...STRATEGY_MEETING_KINDS,
  REVIEW_STRATEGY_MEETING: 'Review meeting',
  HSB_PANEL: 'HSB panel',
  END_MEETING: 'End meeting',
} as const
export type MeetingKind = keyof typeof MEETING_KIND_LABELS
export const meetingKindLabel = (kind: string): string => MEETING_KIND_LABELS[kind as MeetingKind] ?? kind

type MeetingTypeRule = {
  kinds: readonly MeetingKind[]
  /** What it is called in a sentence. */
  name: string
  /** The case's steps that arrange it and that record and finalise it (its chair's roles are the latter's). */
  schedule: CaseAction
  finalise: CaseAction
  /** Why a second one cannot be arranged while one is, and what to do instead. */
  alreadyArranged: readonly [string, string]
}

/**
 * The meetings of a case, each arranged and finalised by a step of the pathway: the strategy
 * meeting (or discussion) after screening, the review meeting that agrees the intervention plan,
 * and the end meeting that closes the case.
 */
export const MEETING_TYPES = {
  strategy: {
    kinds: ['STRATEGY_MEETING', 'STRATEGY_DISCUSSION'],
    name: 'strategy meeting',
    schedule: 'SCHEDULE_STRATEGY_MEETING',
    finalise: 'FINALISE_STRATEGY_MEETING',
    alreadyArranged: ['A strategy meeting is already arranged for this case.', 'Record its minutes on the strategy meeting page.'],
  },
  review: {
    kinds: ['REVIEW_STRATEGY_MEETING'],
    name: 'review meeting',
    schedule: 'SCHEDULE_REVIEW_MEETING',
    finalise: 'FINALISE_REVIEW_MEETING',
    alreadyArranged: ['A review meeting is already arranged for this case.', 'Record it on its meeting page.'],
  },
  end: {
    kinds: ['END_MEETING'],
    name: 'end meeting',
    schedule: 'SCHEDULE_END_MEETING',
    finalise: 'FINALISE_END_MEETING',
    alreadyArranged: ['An end meeting is already arranged for this case.', 'Record it on its meeting page.'],
  },
} as const satisfies Record<string, MeetingTypeRule>
export type MeetingType = keyof typeof MEETING_TYPES
/** The meetings after the AIM assessment, recorded by the interventions feature's pages. */
export type FollowUpType = Exclude<MeetingType, 'strategy'>

/** Mirrored by the outcomes the pathway reads (INITIAL_CHILD_PROTECTION_CONFERENCE starts the ICPC clock). */
export const OUTCOMES = {
  EARLY_HELP: 'Early help',
  CHILD_IN_NEED: 'Child in need (section 17)',
  SECTION_47_ENQUIRY: 'Section 47 enquiry (child protection)',
  INITIAL_CHILD_PROTECTION_CONFERENCE: 'Threshold met for an initial child protection conference',
  CRIMINAL_PROSECUTION: 'Criminal prosecution (police lead)',
  CONSIDER_AIM_ASSESSMENT: 'Consider an AIM assessment',
} as const
export type Outcome = keyof typeof OUTCOMES
export const isOutcome = (v: string): v is Outcome => Object.hasOwn(OUTCOMES, v)

export const ATTENDANCE = { PRESENT: 'Present', APOLOGIES: 'Sent apologies', ABSENT: 'Absent' } as const
export type Attendance = keyof typeof ATTENDANCE
export const isAttendance = (v: string): v is Attendance => Object.hasOwn(ATTENDANCE, v)

export const SCORE_MIN = 0
export const SCORE_MAX = 10
/** The most rows of scores or actions one form may carry (and the fewest it shows). */
export const MAX_ROWS = 20
export const MIN_ROWS = 4
export const MAX_TEXT = 6000
const MAX_SHORT = 200

/** The minutes' free text, with the id of each field on the form. */
export const MINUTES_TEXT = {
  informationShared: { id: 'information-shared', label: 'Information shared' },
  risks: { id: 'risks', label: 'Risks' },
  vulnerabilities: { id: 'vulnerabilities', label: 'Vulnerabilities' },
  protectiveFactors: { id: 'protective-factors', label: 'Protective factors' },
  worries: { id: 'worries', label: 'What are we worried about?' },
  workingWell: { id: 'working-well', label: 'What’s working well?' },
  needsToHappen: { id: 'needs-to-happen', label: 'What needs to happen?' },
  dangerStatements: { id: 'danger-statements', label: 'Danger statements' },
  safetyGoals: { id: 'safety-goals', label: 'Safety goals' },
  decisions: { id: 'decisions', label: 'Decisions' },
} as const
export type MinutesTextField = keyof typeof MINUTES_TEXT
export const MINUTES_TEXT_FIELDS = Object.keys(MINUTES_TEXT) as MinutesTextField[]

/** One person's answer on the Signs of Safety scale: 0 (the child is not safe) to 10 (safe enough to close). */
export type SafetyScore = { name: string; agency: string; score: number }

/** What the `minutes` jsonb column holds. */
export type Minutes = Record<MinutesTextField, string> & { scores: SafetyScore[] }

export type MeetingActionItem = { text: string; ownerUserId: string | null; ownerText: string | null; dueOn: string | null }

/** A draft of the minutes, checked: what a save writes. */
export type MinutesDraft = {
  heldAt: Date | null
  attendance: Record<string, Attendance | null>
  minutes: Minutes
  outcomes: Outcome[]
  actions: MeetingActionItem[]
}

/** The minutes as typed: every value a string, so a refused form shows exactly what was sent. */
export type MinutesInput = {
  held: DateParts & { time: string }
  attendance: Record<string, string>
  text: Record<MinutesTextField, string>
  scores: { name: string; agency: string; score: string }[]
  outcomes: string[]
  actions: { text: string; owner: string; ownerText: string; due: DateParts }[]
}

export type Invitee = { id: string; label: string }
export type MinutesFacts = { referralReceivedAt: Date; now: Date; invitations: readonly Invitee[]; ownerIds: readonly string[] }

const when = (instant: Date) => `${formatLondonDate(instant)}, ${formatLondonTime(instant)}`
/** Meetings' dates are from 2000 on. */
const SINCE_2000 = { minYear: 2000 }

// ---------------------------------------------------------------------------------------------
// Arranging a meeting
// ---------------------------------------------------------------------------------------------

export type ArrangementInput = { kind: string; date: DateParts; time: string; chair: string; agencies: string[]; people: string[] }
export type ArrangementFacts = {
  /** Which meeting (default the strategy meeting, whose kind is chosen: a meeting or a discussion). */
  type?: MeetingType
  referralReceivedAt: Date
  /** When the review meeting was held: the end meeting is arranged for after it. */
  reviewHeldAt?: Date | null
  chairIds: readonly string[]
  agencyIds: readonly string[]
  people: readonly { id: string; agencyId: string }[]
}
export type InvitationPlan = { agencyId: string; userId: string | null }
export type Arrangement = { kind: MeetingKind; scheduledFor: Date; chairId: string; invitations: InvitationPlan[] }

/**
 * Invitations by agency, and optionally by person: a person chosen invites them (and so their
 * agency); an agency ticked with nobody chosen from it invites the agency as a whole.
 */
export function planInvitations(agencies: readonly string[], people: readonly { id: string; agencyId: string }[]): InvitationPlan[] {
  const named = people.map((p) => ({ agencyId: p.agencyId, userId: p.id }))
  const withPeople = new Set(people.map((p) => p.agencyId))
  const whole = [...new Set(agencies)].filter((a) => !withPeople.has(a)).map((agencyId) => ({ agencyId, userId: null }))
  return [...whole, ...named]
}

/**
 * An invitation to an agency as a whole can be accepted (the person commits to attend, and is then
 * invited by name, which opens the meeting's record to them) until the time the meeting was arranged
 * for, and never once its minutes are finalised: accepting is not a way to read a meeting afterwards.
 */
export function invitationOpen(meeting: { status: 'SCHEDULED' | 'FINALISED'; scheduledFor: Date }, now: Date): boolean {
  return meeting.status === 'SCHEDULED' && now.getTime() < meeting.scheduledFor.getTime()
}

/** An end meeting is arranged for after the review meeting was held. */
export function checkEndMeetingDate(scheduledFor: Date, reviewHeldAt: Date | null): FieldError[] {
  return reviewHeldAt && scheduledFor < reviewHeldAt
    ? [fieldError('date-day', 'The end meeting cannot be before the review meeting was held')]
    : []
}

export function validateArrangement(input: ArrangementInput, facts: ArrangementFacts): FormResult<Arrangement> {
  const type = facts.type ?? 'strategy'
  // The strategy meeting may be a meeting or a discussion; the others are of one kind.
  const kind = type === 'strategy' ? (isStrategyMeetingKind(input.kind) ? input.kind : null) : MEETING_TYPES[type].kinds[0]
  const errors: FieldError[] = []
  if (!kind) errors.push(fieldError('kind', 'Select whether this is a strategy meeting or a strategy discussion'))
  const at = checkDateTime({ ...input.date, time: input.time }, 'date', 'of the meeting', true, SINCE_2000)
  if (!at.ok) errors.push(...at.errors)
  else if (at.value && at.value < facts.referralReceivedAt) {
    errors.push(
      fieldError('date-day', `The meeting cannot be before the request for support was received (${when(facts.referralReceivedAt)})`),
    )
  }
  if (!input.chair) errors.push(fieldError('chair', 'Select who will chair the meeting'))
  else if (!facts.chairIds.includes(input.chair)) errors.push(fieldError('chair', 'Select a team manager or HSB lead to chair the meeting'))
  const unknownAgency = input.agencies.some((a) => !facts.agencyIds.includes(a))
  const chosen = input.people.map((id) => facts.people.find((p) => p.id === id))
  if (unknownAgency) errors.push(fieldError('agencies', 'Select agencies from the list'))
  else if (chosen.some((p) => p === undefined)) errors.push(fieldError('agencies', 'Select people from the list'))
  else if (input.agencies.length === 0 && input.people.length === 0)
    errors.push(fieldError('agencies', 'Select at least one agency to invite'))
  if (errors.length || !at.ok || !at.value || !kind) return { ok: false, errors }
  const order = type === 'end' ? checkEndMeetingDate(at.value, facts.reviewHeldAt ?? null) : []
  if (order.length) return { ok: false, errors: order }
  const people = chosen.filter((p): p is { id: string; agencyId: string } => p !== undefined)
  return { ok: true, value: { kind, scheduledFor: at.value, chairId: input.chair, invitations: planInvitations(input.agencies, people) } }
}

// ---------------------------------------------------------------------------------------------
// The minutes
// ---------------------------------------------------------------------------------------------

const isBlank = (...values: string[]) => values.every((v) => !v.trim())

export function validateMinutes(input: MinutesInput, facts: MinutesFacts): FormResult<MinutesDraft> {
  const errors: FieldError[] = []
  const fail = (id: string, text: string) => errors.push({ href: `#${id}`, text })

  const held = checkDateTime(input.held, 'held', 'the meeting was held', false, SINCE_2000)
  if (!held.ok) errors.push(...held.errors)
  else if (held.value && held.value < facts.referralReceivedAt) {
    fail('held-day', `The meeting cannot have been held before the request for support was received (${when(facts.referralReceivedAt)})`)
  } else if (held.value && held.value > facts.now) fail('held-day', 'The date and time the meeting was held must be in the past')

  const attendance: Record<string, Attendance | null> = {}
  for (const inv of facts.invitations) {
    const value = (input.attendance[inv.id] ?? '').trim()
    if (value && !isAttendance(value)) fail(`attendance-${inv.id}`, `Select whether ${inv.label} was present, sent apologies or was absent`)
    attendance[inv.id] = value && isAttendance(value) ? value : null
  }

  const text = {} as Record<MinutesTextField, string>
  for (const field of MINUTES_TEXT_FIELDS) {
    const value = input.text[field] ?? ''
    if (value.length > MAX_TEXT) fail(MINUTES_TEXT[field].id, `${MINUTES_TEXT[field].label} must be ${MAX_TEXT} characters or fewer`)
    text[field] = value.trim()
  }

  const scores: SafetyScore[] = []
  input.scores.slice(0, MAX_ROWS).forEach((row, i) => {
    if (isBlank(row.name, row.agency, row.score)) return
    const n = i + 1
    if (!row.name.trim()) fail(`score-name-${i}`, `Enter the name of the person giving score ${n}`)
    else if (row.name.length > MAX_SHORT || row.agency.length > MAX_SHORT)
      fail(`score-name-${i}`, `Name and agency for score ${n} must be ${MAX_SHORT} characters or fewer`)
    const value = row.score.trim()
    if (!value) fail(`score-value-${i}`, `Enter score ${n}, a whole number from ${SCORE_MIN} to ${SCORE_MAX}`)
    else if (!/^\d{1,2}$/.test(value) || Number(value) > SCORE_MAX)
      fail(`score-value-${i}`, `Score ${n} must be a whole number from ${SCORE_MIN} to ${SCORE_MAX}`)
    else scores.push({ name: row.name.trim(), agency: row.agency.trim(), score: Number(value) })
  })

  const outcomes = [...new Set(input.outcomes)]
  if (outcomes.some((o) => !isOutcome(o))) fail('outcomes', 'Select outcomes from the list')

  const actions: MeetingActionItem[] = []
  input.actions.slice(0, MAX_ROWS).forEach((row, i) => {
    if (isBlank(row.text, row.owner, row.ownerText, row.due.day, row.due.month, row.due.year)) return
    const n = i + 1
    const due = checkDate(row.due, `The due date of action ${n}`, SINCE_2000)
    const rowErrors = errors.length
    if (!row.text.trim()) fail(`action-text-${i}`, `Enter what action ${n} is`)
    else if (row.text.length > MAX_TEXT) fail(`action-text-${i}`, `Action ${n} must be ${MAX_TEXT} characters or fewer`)
    if (row.owner && !facts.ownerIds.includes(row.owner)) fail(`action-owner-${i}`, `Select the owner of action ${n} from the list`)
    if (row.ownerText.length > MAX_SHORT)
      fail(`action-owner-text-${i}`, `The owner of action ${n} must be ${MAX_SHORT} characters or fewer`)
    if (!due.ok) fail(`action-due-${i}-day`, due.message)
    if (errors.length > rowErrors || !due.ok) return
    actions.push({ text: row.text.trim(), ownerUserId: row.owner || null, ownerText: row.ownerText.trim() || null, dueOn: due.value })
  })

  if (errors.length) return { ok: false, errors }
  return {
    ok: true,
    value: { heldAt: held.ok ? held.value : null, attendance, minutes: { ...text, scores }, outcomes: outcomes.filter(isOutcome), actions },
  }
}

/** What finalising needs beyond a valid draft: when it was held, who came, and at least one outcome. */
export function checkFinalisable(draft: MinutesDraft, invitations: readonly Invitee[]): FieldError[] {
  const errors: FieldError[] = []
  if (!draft.heldAt) errors.push({ href: '#held-day', text: 'Enter the date and time the meeting was held' })
  for (const inv of invitations) {
    if (!draft.attendance[inv.id])
      errors.push({ href: `#attendance-${inv.id}`, text: `Select whether ${inv.label} was present, sent apologies or was absent` })
  }
  if (draft.outcomes.length === 0) errors.push({ href: '#outcomes', text: 'Select at least one outcome to finalise the minutes' })
  return errors
}

/** Reads stored minutes back, whatever an older or partial document holds. */
export function readMinutes(stored: Record<string, unknown>): Minutes {
  const str = typed
  const text = Object.fromEntries(MINUTES_TEXT_FIELDS.map((f) => [f, str(stored[f])])) as Record<MinutesTextField, string>
  const scores = Array.isArray(stored.scores)
    ? stored.scores.flatMap((s: unknown) => {
        const r = (s ?? {}) as Record<string, unknown>
        return typeof r.score === 'number' ? [{ name: str(r.name), agency: str(r.agency), score: r.score }] : []
      })
    : []
  return { ...text, scores }
}

/** Whether a draft says exactly what is saved: a second click of the same save changes nothing. */
export function sameDraft(a: MinutesDraft, b: MinutesDraft): boolean {
  const key = (d: MinutesDraft) =>
    JSON.stringify([
      d.heldAt?.getTime() ?? null,
      Object.keys(d.attendance)
        .sort()
        .map((k) => [k, d.attendance[k] ?? null]),
      d.minutes,
      [...d.outcomes].sort(),
      d.actions,
    ])
  return key(a) === key(b)
}
