import { formatLondonDate, formatLondonTime, londonOffsetMs } from '../../platform/clocks/london-time.js'
import type { FieldError } from '../../platform/forms/forms.js'

/**
 * Meetings on the pathway (strategy meeting or discussion now; review, panel and end meetings
 * in part 2): what is arranged, the shape of the minutes, and the checks on both. Pure: no I/O;
 * "now" and the facts about the case are passed in.
 */

export const STRATEGY_MEETING_KINDS = {
  STRATEGY_MEETING: 'Strategy meeting',
  STRATEGY_DISCUSSION: 'Strategy discussion',
} as const
export type StrategyMeetingKind = keyof typeof STRATEGY_MEETING_KINDS
export const isStrategyMeetingKind = (v: string): v is StrategyMeetingKind => Object.hasOwn(STRATEGY_MEETING_KINDS, v)

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

export type DateParts = { day: string; month: string; year: string }

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

type Result<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] }

// ---------------------------------------------------------------------------------------------
// Dates and times (UK time)
// ---------------------------------------------------------------------------------------------

type DateCheck = { ok: true; value: string | null } | { ok: false; message: string }

/** GOV.UK date input rules: every part present, digits only, a real date; all blank is no date. */
export function checkDate(parts: DateParts, label: string): DateCheck {
  const [day, month, year] = [parts.day.trim(), parts.month.trim(), parts.year.trim()]
  if (!day && !month && !year) return { ok: true, value: null }
  const missing = (['day', 'month', 'year'] as const).filter((p) => !parts[p].trim())
  if (missing.length) return { ok: false, message: `${label} must include a ${missing.join(' and ')}` }
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return { ok: false, message: `${label} must be a real date` }
  const [d, m, y] = [Number(day), Number(month), Number(year)]
  const date = new Date(Date.UTC(y, m - 1, d))
  if (y < 2000 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return { ok: false, message: `${label} must be a real date` }
  }
  return { ok: true, value: date.toISOString().slice(0, 10) }
}

/** A time as people write it: 14:30, 2:30pm, 2.30 pm, 9am, midday, noon, midnight. Minutes after midnight, or null. */
export function parseTime(value: string): number | null {
  const v = value.trim().toLowerCase().replace(/\s+/g, '')
  if (v === 'midday' || v === 'noon' || v === '12noon') return 12 * 60
  if (v === 'midnight') return 0
  const match = /^(\d{1,2})(?:[:.](\d{2}))?(am|pm)?$/.exec(v)
  if (!match) return null
  const [hour, minute, half] = [Number(match[1]), match[2] === undefined ? 0 : Number(match[2]), match[3]]
  if (minute > 59) return null
  if (half) {
    if (hour < 1 || hour > 12) return null
    return ((hour % 12) + (half === 'pm' ? 12 : 0)) * 60 + minute
  }
  // Without am or pm, a bare hour is ambiguous (is "9" morning or evening?): ask for minutes.
  if (match[2] === undefined || hour > 23) return null
  return hour * 60 + minute
}

/** The instant a UK wall-clock date and time stand for (BST or GMT as it was that day). */
export function londonInstant(isoDate: string, minutesAfterMidnight: number): Date {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number]
  const asIfUtc = Date.UTC(y, m - 1, d, Math.floor(minutesAfterMidnight / 60), minutesAfterMidnight % 60)
  const first = asIfUtc - londonOffsetMs(new Date(asIfUtc))
  return new Date(asIfUtc - londonOffsetMs(new Date(first)))
}

const when = (instant: Date) => `${formatLondonDate(instant)}, ${formatLondonTime(instant)}`

type DateTimeCheck = { ok: true; value: Date | null } | { ok: false; errors: FieldError[] }

/** A date input (`<id>-day` …) with a time field (`<id>-time`); both blank is no date. */
export function checkDateTime(input: DateParts & { time: string }, id: string, label: string, required: boolean): DateTimeCheck {
  const date = checkDate(input, `The date ${label}`)
  const blank = date.ok && date.value === null && !input.time.trim()
  if (blank) return required ? { ok: false, errors: [{ href: `#${id}-day`, text: `Enter the date and time ${label}` }] } : { ok: true, value: null }
  const errors: FieldError[] = []
  if (!date.ok) errors.push({ href: `#${id}-day`, text: date.message })
  else if (date.value === null) errors.push({ href: `#${id}-day`, text: `Enter the date ${label}` })
  const minutes = parseTime(input.time)
  if (!input.time.trim()) errors.push({ href: `#${id}-time`, text: `Enter the time ${label}` })
  else if (minutes === null) errors.push({ href: `#${id}-time`, text: 'Enter a time like 9:30am or 14:30' })
  if (errors.length || !date.ok || date.value === null || minutes === null) return { ok: false, errors }
  return { ok: true, value: londonInstant(date.value, minutes) }
}

// ---------------------------------------------------------------------------------------------
// Arranging a strategy meeting
// ---------------------------------------------------------------------------------------------

export type ArrangementInput = { kind: string; date: DateParts; time: string; chair: string; agencies: string[]; people: string[] }
export type ArrangementFacts = {
  referralReceivedAt: Date
  chairIds: readonly string[]
  agencyIds: readonly string[]
  people: readonly { id: string; agencyId: string }[]
}
export type InvitationPlan = { agencyId: string; userId: string | null }
export type Arrangement = { kind: StrategyMeetingKind; scheduledFor: Date; chairId: string; invitations: InvitationPlan[] }

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

export function validateArrangement(input: ArrangementInput, facts: ArrangementFacts): Result<Arrangement> {
  const errors: FieldError[] = []
  if (!isStrategyMeetingKind(input.kind)) errors.push({ href: '#kind', text: 'Select whether this is a strategy meeting or a strategy discussion' })
  const at = checkDateTime({ ...input.date, time: input.time }, 'date', 'of the meeting', true)
  if (!at.ok) errors.push(...at.errors)
  else if (at.value && at.value < facts.referralReceivedAt) {
    errors.push({ href: '#date-day', text: `The meeting cannot be before the request for support was received (${when(facts.referralReceivedAt)})` })
  }
  if (!input.chair) errors.push({ href: '#chair', text: 'Select who will chair the meeting' })
  else if (!facts.chairIds.includes(input.chair)) errors.push({ href: '#chair', text: 'Select a team manager or HSB lead to chair the meeting' })
  const unknownAgency = input.agencies.some((a) => !facts.agencyIds.includes(a))
  const chosen = input.people.map((id) => facts.people.find((p) => p.id === id))
  if (unknownAgency) errors.push({ href: '#agencies', text: 'Select agencies from the list' })
  else if (chosen.some((p) => p === undefined)) errors.push({ href: '#agencies', text: 'Select people from the list' })
  else if (input.agencies.length === 0 && input.people.length === 0) errors.push({ href: '#agencies', text: 'Select at least one agency to invite' })
  if (errors.length || !at.ok || !at.value || !isStrategyMeetingKind(input.kind)) return { ok: false, errors }
  const people = chosen.filter((p): p is { id: string; agencyId: string } => p !== undefined)
  return { ok: true, value: { kind: input.kind, scheduledFor: at.value, chairId: input.chair, invitations: planInvitations(input.agencies, people) } }
}

// ---------------------------------------------------------------------------------------------
// The minutes
// ---------------------------------------------------------------------------------------------

const isBlank = (...values: string[]) => values.every((v) => !v.trim())

export function validateMinutes(input: MinutesInput, facts: MinutesFacts): Result<MinutesDraft> {
  const errors: FieldError[] = []
  const fail = (id: string, text: string) => errors.push({ href: `#${id}`, text })

  const held = checkDateTime(input.held, 'held', 'the meeting was held', false)
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
    else if (row.name.length > MAX_SHORT || row.agency.length > MAX_SHORT) fail(`score-name-${i}`, `Name and agency for score ${n} must be ${MAX_SHORT} characters or fewer`)
    const value = row.score.trim()
    if (!value) fail(`score-value-${i}`, `Enter score ${n}, a whole number from ${SCORE_MIN} to ${SCORE_MAX}`)
    else if (!/^\d{1,2}$/.test(value) || Number(value) > SCORE_MAX) fail(`score-value-${i}`, `Score ${n} must be a whole number from ${SCORE_MIN} to ${SCORE_MAX}`)
    else scores.push({ name: row.name.trim(), agency: row.agency.trim(), score: Number(value) })
  })

  const outcomes = [...new Set(input.outcomes)]
  if (outcomes.some((o) => !isOutcome(o))) fail('outcomes', 'Select outcomes from the list')

  const actions: MeetingActionItem[] = []
  input.actions.slice(0, MAX_ROWS).forEach((row, i) => {
    if (isBlank(row.text, row.owner, row.ownerText, row.due.day, row.due.month, row.due.year)) return
    const n = i + 1
    const due = checkDate(row.due, `The due date of action ${n}`)
    const rowErrors = errors.length
    if (!row.text.trim()) fail(`action-text-${i}`, `Enter what action ${n} is`)
    else if (row.text.length > MAX_TEXT) fail(`action-text-${i}`, `Action ${n} must be ${MAX_TEXT} characters or fewer`)
    if (row.owner && !facts.ownerIds.includes(row.owner)) fail(`action-owner-${i}`, `Select the owner of action ${n} from the list`)
    if (row.ownerText.length > MAX_SHORT) fail(`action-owner-text-${i}`, `The owner of action ${n} must be ${MAX_SHORT} characters or fewer`)
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
    if (!draft.attendance[inv.id]) errors.push({ href: `#attendance-${inv.id}`, text: `Select whether ${inv.label} was present, sent apologies or was absent` })
  }
  if (draft.outcomes.length === 0) errors.push({ href: '#outcomes', text: 'Select at least one outcome to finalise the minutes' })
  return errors
}

/** Reads stored minutes back, whatever an older or partial document holds. */
export function readMinutes(stored: Record<string, unknown>): Minutes {
  const str = (v: unknown) => (typeof v === 'string' ? v : '')
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
      Object.keys(d.attendance).sort().map((k) => [k, d.attendance[k] ?? null]),
      d.minutes,
      [...d.outcomes].sort(),
      d.actions,
    ])
  return key(a) === key(b)
}
