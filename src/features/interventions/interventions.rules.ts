import type { WhenInput } from '../../platform/forms/when.js'
import { checkDate, checkDateTime, type DateParts } from '../../platform/forms/dates.js'
import { type FieldError, type FormResult, text } from '../../platform/forms/forms.js'
import { isAttendance, type Attendance } from '../meetings/index.js'

/**
 * After the AIM assessment: the review meeting and its intervention plan, the HSB panel, the
 * end meeting and closing a case. Pure: no I/O; "now" and the facts about the case are passed in.
 */

/**
 * The Good Lives Model's primary goods, in our own words: what a goal can help the child to
 * have in a healthy way. Framing a goal with one is optional.
 */
export const GLM_NEEDS = {
  LIFE: 'Life: staying healthy, safe and well',
  KNOWLEDGE: 'Knowledge: learning and understanding',
  EXCELLENCE_IN_PLAY: 'Excellence in play: hobbies, sport and fun',
  EXCELLENCE_IN_WORK: 'Excellence in work: doing well at school, college or work',
  AGENCY: 'Agency: making own choices and being independent',
  INNER_PEACE: 'Inner peace: coping with feelings and stress',
  RELATEDNESS: 'Relatedness: close, healthy relationships with family and friends',
  COMMUNITY: 'Community: belonging to a group',
  SPIRITUALITY: 'Spirituality: meaning and purpose',
  PLEASURE: 'Pleasure: enjoying life in healthy ways',
  CREATIVITY: 'Creativity: making things and trying new things',
} as const
export type GlmNeed = keyof typeof GLM_NEEDS
export const isGlmNeed = (v: string): v is GlmNeed => Object.hasOwn(GLM_NEEDS, v)

/** A goal is finished once achieved or stopped; an open goal is unfinished work. */
export const GOAL_STATUSES = { OPEN: 'Under way', ACHIEVED: 'Achieved', STOPPED: 'Ended without being achieved' } as const
export type GoalStatus = keyof typeof GOAL_STATUSES
export const isGoalStatus = (v: string): v is GoalStatus => Object.hasOwn(GOAL_STATUSES, v)

export const CONCERN_LEVELS = { LOW: 'Low', MEDIUM: 'Medium', HIGH: 'High' } as const
export type ConcernLevel = keyof typeof CONCERN_LEVELS
export const isConcernLevel = (v: string): v is ConcernLevel => Object.hasOwn(CONCERN_LEVELS, v)

/** The level of intervention the HSB panel commissions. */
export const PANEL_LEVELS = {
  TARGETED: 'Targeted: community-based work with the child and family',
  SPECIALIST: 'Specialist: an HSB intervention by a specialist service',
  INTENSIVE: 'Intensive: therapeutic or residential provision',
} as const
export type PanelLevel = keyof typeof PANEL_LEVELS
export const isPanelLevel = (v: string): v is PanelLevel => Object.hasOwn(PANEL_LEVELS, v)

export const MAX_GOALS = 20
export const MIN_GOAL_ROWS = 3
export const MAX_TEXT = 6000
export const MAX_SHORT = 200

export type Goal = {
  text: string
  need: GlmNeed | null
  service: string
  provider: string
  startOn: string
  reviewOn: string
  status: GoalStatus
}
export type GoalInput = {
  text: string
  need: string
  service: string
  provider: string
  start: DateParts
  review: DateParts
  status: string
}

/** Dates on the pathway's records are from 2000 on. */
const SINCE_2000 = { minYear: 2000 }
const blank = (...values: string[]) => values.every((v) => !v.trim())

/** Goals with their services, providers and dates; blank rows are left out; start on or before review. */
export function validateGoals(rows: readonly GoalInput[]): FormResult<Goal[]> {
  const errors: FieldError[] = []
  const goals: Goal[] = []
  rows.slice(0, MAX_GOALS).forEach((row, i) => {
    if (
      blank(
        row.text,
        row.need,
        row.service,
        row.provider,
        row.start.day,
        row.start.month,
        row.start.year,
        row.review.day,
        row.review.month,
        row.review.year,
      )
    )
      return
    const n = i + 1
    const before = errors.length
    const fail = (id: string, text: string) => errors.push({ href: `#goal-${id}-${i}`, text })
    if (!row.text.trim()) fail('text', `Enter goal ${n}`)
    else if (row.text.length > MAX_TEXT) fail('text', `Goal ${n} must be ${MAX_TEXT} characters or fewer`)
    if (row.need && !isGlmNeed(row.need)) fail('need', `Select the Good Lives Model need for goal ${n} from the list`)
    if (!row.service.trim()) fail('service', `Enter the service for goal ${n}`)
    else if (row.service.length > MAX_SHORT) fail('service', `The service for goal ${n} must be ${MAX_SHORT} characters or fewer`)
    if (row.provider.length > MAX_SHORT) fail('provider', `The provider for goal ${n} must be ${MAX_SHORT} characters or fewer`)
    const start = checkDate(row.start, `The start date of goal ${n}`, SINCE_2000)
    const review = checkDate(row.review, `The review date of goal ${n}`, SINCE_2000)
    if (!start.ok) errors.push({ href: `#goal-start-${i}-day`, text: start.message })
    else if (!start.value) errors.push({ href: `#goal-start-${i}-day`, text: `Enter the start date of goal ${n}` })
    if (!review.ok) errors.push({ href: `#goal-review-${i}-day`, text: review.message })
    else if (!review.value) errors.push({ href: `#goal-review-${i}-day`, text: `Enter the review date of goal ${n}` })
    else if (start.ok && start.value && review.value < start.value) {
      errors.push({ href: `#goal-review-${i}-day`, text: `The review date of goal ${n} must be the same as or after its start date` })
    }
    const status = row.status || 'OPEN'
    if (!isGoalStatus(status)) fail('status', `Select whether goal ${n} is under way, achieved or ended`)
    if (errors.length > before || !start.ok || !review.ok || !start.value || !review.value || !isGoalStatus(status)) return
    goals.push({
      text: row.text.trim(),
      need: row.need ? (row.need as GlmNeed) : null,
      service: row.service.trim(),
      provider: row.provider.trim(),
      startOn: start.value,
      reviewOn: review.value,
      status,
    })
  })
  if (!errors.length && goals.length === 0) errors.push({ href: '#goal-text-0', text: 'Enter at least one goal for the intervention plan' })
  return errors.length ? { ok: false, errors } : { ok: true, value: goals }
}

/** Goals as stored (jsonb), whatever an older version holds. */
export function readGoals(stored: unknown): Goal[] {
  if (!Array.isArray(stored)) return []
  const str = text
  return stored.map((g: unknown) => {
    const r = (g ?? {}) as Record<string, unknown>
    const need = str(r.need)
    const status = str(r.status)
    return {
      text: str(r.text),
      need: isGlmNeed(need) ? need : null,
      service: str(r.service),
      provider: str(r.provider),
      startOn: str(r.startOn),
      reviewOn: str(r.reviewOn),
      status: isGoalStatus(status) ? status : 'OPEN',
    }
  })
}

export const openGoals = (goals: readonly Goal[]) => goals.filter((g) => g.status === 'OPEN')

// ---------------------------------------------------------------------------------------------
// The review and end meetings
// ---------------------------------------------------------------------------------------------

export type HeldInput = DateParts & { time: string }
export type MeetingFacts = { referralReceivedAt: Date; scheduledFor: Date; now: Date; invitationIds: readonly string[] }

function checkHeld(input: HeldInput, facts: MeetingFacts, errors: FieldError[]): Date | null {
  const held = checkDateTime(input, 'held', 'the meeting was held', true, SINCE_2000)
  if (!held.ok) {
    errors.push(...held.errors)
    return null
  }
  const at = held.value!
  if (at < facts.referralReceivedAt)
    errors.push({ href: '#held-day', text: 'The meeting cannot have been held before the request for support was received' })
  else if (at > facts.now) errors.push({ href: '#held-day', text: 'The date and time the meeting was held must be in the past' })
  return at
}

function checkAttendance(input: Record<string, string>, ids: readonly string[], errors: FieldError[]): Record<string, Attendance | null> {
  const attendance: Record<string, Attendance | null> = {}
  for (const id of ids) {
    const value = (input[id] ?? '').trim()
    if (value && !isAttendance(value))
      errors.push({ href: `#attendance-${id}`, text: 'Select whether they were present, sent apologies or were absent' })
    attendance[id] = value && isAttendance(value) ? value : null
  }
  return attendance
}

function requiredText(value: string, id: string, label: string, errors: FieldError[], required = true): string {
  if (required && !value.trim()) errors.push({ href: `#${id}`, text: `Enter the ${label}` })
  else if (value.length > MAX_TEXT) errors.push({ href: `#${id}`, text: `The ${label} must be ${MAX_TEXT} characters or fewer` })
  return value.trim()
}

export const REVIEW_TEXT = {
  findings: { id: 'findings', label: 'Findings of the assessment', noun: 'findings' },
  concerns: { id: 'concerns', label: 'Concerns', noun: 'concerns' },
  strengths: { id: 'strengths', label: 'Strengths', noun: 'strengths' },
  roles: { id: 'roles', label: 'Roles and responsibilities', noun: 'roles and responsibilities' },
} as const
export type ReviewTextField = keyof typeof REVIEW_TEXT
export const REVIEW_TEXT_FIELDS = Object.keys(REVIEW_TEXT) as ReviewTextField[]

export type ReviewInput = { held: HeldInput; attendance: Record<string, string>; text: Record<ReviewTextField, string>; goals: GoalInput[] }
export type ReviewRecord = {
  heldAt: Date
  attendance: Record<string, Attendance | null>
  minutes: Record<ReviewTextField, string>
  goals: Goal[]
}

/** The review meeting's record and the intervention plan it agrees: everything needed to finalise it. */
export function validateReview(input: ReviewInput, facts: MeetingFacts): FormResult<ReviewRecord> {
  const errors: FieldError[] = []
  const heldAt = checkHeld(input.held, facts, errors)
  const attendance = checkAttendance(input.attendance, facts.invitationIds, errors)
  const minutes = {} as Record<ReviewTextField, string>
  for (const f of REVIEW_TEXT_FIELDS)
    minutes[f] = requiredText(input.text[f] ?? '', REVIEW_TEXT[f].id, REVIEW_TEXT[f].noun, errors, f === 'findings' || f === 'roles')
  const goals = validateGoals(input.goals)
  if (!goals.ok) errors.push(...goals.errors)
  if (errors.length || !heldAt || !goals.ok) return { ok: false, errors }
  return { ok: true, value: { heldAt, attendance, minutes, goals: goals.value } }
}

export type EndInput = {
  held: HeldInput
  attendance: Record<string, string>
  workDone: string
  level: string
  reason: string
  openWorkReason: string
}
export type EndRecord = {
  heldAt: Date
  attendance: Record<string, Attendance | null>
  workDone: string
  level: ConcernLevel
  reason: string
  openWorkReason: string | null
}

export function validateEnd(input: EndInput, facts: MeetingFacts & { reviewHeldAt: Date | null }): FormResult<EndRecord> {
  const errors: FieldError[] = []
  const heldAt = checkHeld(input.held, facts, errors)
  if (heldAt && facts.reviewHeldAt && heldAt < facts.reviewHeldAt) {
    errors.push({ href: '#held-day', text: 'The end meeting cannot have been held before the review meeting' })
  }
  const attendance = checkAttendance(input.attendance, facts.invitationIds, errors)
  const workDone = requiredText(input.workDone, 'work-done', 'work done', errors)
  if (!isConcernLevel(input.level)) errors.push({ href: '#level', text: 'Select the level of concern at the end of the work' })
  const reason = requiredText(input.reason, 'reason', 'reason for closing the case', errors)
  const openWorkReason = requiredText(input.openWorkReason, 'open-work-reason', 'reason for closing with open work', errors, false)
  if (errors.length || !heldAt || !isConcernLevel(input.level)) return { ok: false, errors }
  return { ok: true, value: { heldAt, attendance, workDone, level: input.level, reason, openWorkReason: openWorkReason || null } }
}

// ---------------------------------------------------------------------------------------------
// Closing with open work
// ---------------------------------------------------------------------------------------------

export type OpenWorkFacts = { openClocks: readonly string[]; openActions: readonly string[]; openGoals: readonly string[] }

/**
 * What is still open on a case: a clock not met (case_clock.met_at IS NULL), an action from a
 * finalised meeting not marked done, a goal of the current intervention plan still under way.
 */
export function describeOpenWork(facts: OpenWorkFacts): string[] {
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`
  const out: string[] = []
  if (facts.openClocks.length)
    out.push(`${plural(facts.openClocks.length, 'timescale', 'timescales')} still running (${facts.openClocks.join('; ')})`)
  if (facts.openActions.length) out.push(`${plural(facts.openActions.length, 'meeting action', 'meeting actions')} not marked done`)
  if (facts.openGoals.length)
    out.push(`${plural(facts.openGoals.length, 'intervention plan goal', 'intervention plan goals')} still under way`)
  return out
}

/** Closing with anything open needs its own reason, naming what is open. */
export function checkOpenWork(open: readonly string[], openWorkReason: string | null): FieldError[] {
  if (open.length === 0 || (openWorkReason && openWorkReason.trim())) return []
  return [
    { href: '#open-work-reason', text: `This case still has open work: ${open.join(', ')}. Give a reason for closing with open work` },
  ]
}

/** `when`: when the case closed, as typed (the kernel checks it). */
export type ClosureInput = { reason: string; openWorkReason: string; when?: WhenInput }
export function validateClosure(
  input: Pick<ClosureInput, 'reason' | 'openWorkReason'>,
  open: readonly string[],
): FormResult<{ reason: string; openWorkReason: string | null }> {
  const errors: FieldError[] = []
  const reason = requiredText(input.reason, 'reason', 'reason for closing the case', errors)
  const openWorkReason = requiredText(input.openWorkReason, 'open-work-reason', 'reason for closing with open work', errors, false)
  errors.push(...checkOpenWork(open, openWorkReason || null))
  return errors.length ? { ok: false, errors } : { ok: true, value: { reason, openWorkReason: openWorkReason || null } }
}

// ---------------------------------------------------------------------------------------------
// The HSB panel
// ---------------------------------------------------------------------------------------------

export function validatePanelRequest(reason: string): FormResult<string> {
  const errors: FieldError[] = []
  const value = requiredText(reason, 'reason', 'reason the HSB panel is needed', errors)
  return errors.length ? { ok: false, errors } : { ok: true, value }
}

export type PanelDecisionInput = { service: string; provider: string; level: string; date: DateParts; notes: string }
export type PanelDecision = {
  serviceCommissioned: string
  provider: string | null
  level: PanelLevel
  panelDate: string
  notes: string | null
}

/** The panel's decision; the panel sits on or after the day it was asked for, and not in the future. */
export function validatePanelDecision(input: PanelDecisionInput, facts: { requestedOn: string; today: string }): FormResult<PanelDecision> {
  const errors: FieldError[] = []
  const service = input.service.trim()
  if (!service) errors.push({ href: '#service', text: 'Enter the service commissioned' })
  else if (input.service.length > MAX_SHORT)
    errors.push({ href: '#service', text: `The service commissioned must be ${MAX_SHORT} characters or fewer` })
  if (input.provider.length > MAX_SHORT) errors.push({ href: '#provider', text: `The provider must be ${MAX_SHORT} characters or fewer` })
  if (!isPanelLevel(input.level)) errors.push({ href: '#level', text: 'Select the level of intervention' })
  const date = checkDate(input.date, 'The date of the panel', SINCE_2000)
  if (!date.ok) errors.push({ href: '#panel-date-day', text: date.message })
  else if (!date.value) errors.push({ href: '#panel-date-day', text: 'Enter the date of the panel' })
  else if (date.value < facts.requestedOn)
    errors.push({ href: '#panel-date-day', text: 'The panel cannot have met before it was asked for' })
  else if (date.value > facts.today) errors.push({ href: '#panel-date-day', text: 'The date of the panel must be today or in the past' })
  const notes = requiredText(input.notes, 'notes', 'notes', errors, false)
  if (errors.length || !date.ok || !date.value || !isPanelLevel(input.level)) return { ok: false, errors }
  return {
    ok: true,
    value: {
      serviceCommissioned: service,
      provider: input.provider.trim() || null,
      level: input.level,
      panelDate: date.value,
      notes: notes || null,
    },
  }
}
