import { londonDate, startOfLondonDay, type IsoDate } from '../../platform/clocks/london-time.js'
import { CLOCK_LABELS, type ClockKind } from '../../platform/clocks/clocks.rules.js'
import { checkDate, datePartsOf, partsOfIsoDate, type DateParts } from '../../platform/forms/dates.js'
import { fields, text, type FieldError, type FormResult } from '../../platform/forms/forms.js'
import { formatDate } from '../../platform/http/format.js'
import { CFA_OUTCOMES, doneLabel, S47_OUTCOMES } from '../cases/index.js'
import { CONCERN_LEVELS, PANEL_LEVELS } from '../interventions/index.js'
import { OUTCOMES } from '../meetings/index.js'

/**
 * The child's chronology: what happened on the case in plain words with its outcomes (the
 * pathway's steps, meetings held with their outcomes and who attended, the criminal process, and
 * what practitioners add), in the order it happened, each with who recorded it, their agency and
 * when it was recorded. Routine steps (arranging a meeting, saving a draft) are left out unless
 * asked for, and repeated ones are gathered into one entry. Pure: no I/O.
 */

export const ENTRY_TYPES = ['EVENT', 'MEETING', 'CRIMINAL_PROCESS', 'CURATED'] as const
export type EntryType = (typeof ENTRY_TYPES)[number]

export const TYPE_LABELS: Record<EntryType, string> = {
  EVENT: 'Pathway steps',
  MEETING: 'Meetings',
  CRIMINAL_PROCESS: 'Criminal process',
  CURATED: 'Entries added by practitioners',
}

/** How much an entry matters to the child's story: a significant event, any other, or a routine step (left out unless asked for). */
export type Significance = 'SIGNIFICANT' | 'STANDARD' | 'ROUTINE'

export type ChronologyEntry = {
  type: EntryType
  /** When it happened; a date-only entry is at the start of its UK day. */
  at: Date
  dateOnly: boolean
  /** What happened, in plain words ("Strategy meeting held"). */
  title: string
  /** Its outcome in a few words ("rated amber"), or ''. */
  outcome: string
  /** More about it (a reason, who chaired), or ''. */
  text: string
  /** Who recorded it. */
  by: string | null
  /** Their agency, where known. */
  agency: string | null
  /** Every agency the entry involves (its own, then those it names or who attended): what the agency filter matches. */
  agencies: string[]
  /** When it was recorded; null for an entry that gathers several records. */
  recordedAt: Date | null
  /** Why it was entered late, when it was. */
  lateReason: string | null
  significance: Significance
  /** Order within its source (to keep entries at the same moment in the order they were made). */
  seq: number
}

/** What happened and its outcome, as one line: "Screening recorded: rated amber". */
export const summaryOf = (e: Pick<ChronologyEntry, 'title' | 'outcome'>): string => (e.outcome ? `${e.title}: ${e.outcome}` : e.title)

/** Recorded more than this after it happened, an entry shows when it was recorded too (as the case's history does). */
export const SAME_TIME_MS = 5 * 60_000

/** Whether an entry was recorded later than it happened: a timed one more than 5 minutes later, a dated one on a later UK day. */
export function recordedLater(e: Pick<ChronologyEntry, 'at' | 'dateOnly' | 'recordedAt'>): boolean {
  if (!e.recordedAt) return false
  return e.dateOnly ? londonDate(e.recordedAt) > londonDate(e.at) : e.recordedAt.getTime() - e.at.getTime() > SAME_TIME_MS
}

// ---------------------------------------------------------------------------------------------
// Words

/** "A", "A and B", "A, B and C". */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? ''
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
}

/** A label inside a sentence: "Section 47 enquiry" → "section 47 enquiry"; an acronym ("AIM", "HSB") stays. */
export const lowerFirst = (s: string): string => (/^[A-Z][a-z ]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s)

const unique = (items: readonly (string | null | undefined)[]): string[] => [...new Set(items.filter((x): x is string => !!x))]

const RATING_WORDS: Record<string, string> = { GREEN: 'green', AMBER: 'amber', RED: 'red' }

// ---------------------------------------------------------------------------------------------
// Facts: what the service reads, as plain data

/** One step in the case's history, with its recorder's agency. */
export type EventFact = {
  id: string
  action: string
  actorName: string | null
  agency: string | null
  occurredAt: Date
  recordedAt: Date
  lateReason: string | null
  detail: Record<string, unknown>
}

/** A meeting that was held, with who attended (agencies, from its invitations). */
export type MeetingFact = {
  id: string
  kind: string
  heldAt: Date
  finalised: boolean
  chairName: string
  attended: string[]
  apologies: string[]
  /** The end meeting's reason for closing the case, from its minutes. */
  closureReason?: string | null
}

export type CriminalProcessFact = { occurredOn: IsoDate; title: string; text: string; by: string; recordedAt: Date }

export type CuratedFact = {
  id: string
  occurredOn: IsoDate
  title: string
  text: string
  correctsEntryId: string | null
  authorName: string
  authorAgency: string | null
  createdAt: Date
  isSignificant: boolean
}

/** Names of the agencies, teams and people a step's detail refers to by id. */
export type Names = { agencies: ReadonlyMap<string, string>; teams: ReadonlyMap<string, string>; users: ReadonlyMap<string, string> }
export const NO_NAMES: Names = { agencies: new Map(), teams: new Map(), users: new Map() }

export type ChronologyFacts = {
  events: readonly EventFact[]
  meetings: readonly MeetingFact[]
  criminalProcess: readonly CriminalProcessFact[]
  curated: readonly CuratedFact[]
  names: Names
}

type Detail = Record<string, unknown>
const str = (d: Detail, key: string): string | null => (typeof d[key] === 'string' && (d[key] as string).trim() ? (d[key] as string) : null)
const strs = (d: Detail, key: string): string[] =>
  Array.isArray(d[key]) ? (d[key] as unknown[]).filter((v): v is string => typeof v === 'string') : []
const num = (d: Detail, key: string): number | null => (typeof d[key] === 'number' ? (d[key] as number) : null)

/** The ids a step's detail names, so the service can read their names in one go. */
export function idsToName(events: readonly Pick<EventFact, 'detail'>[]): { agencyIds: string[]; teamIds: string[]; userIds: string[] } {
  const agencyIds = new Set<string>()
  const teamIds = new Set<string>()
  const userIds = new Set<string>()
  for (const { detail: d } of events) {
    for (const k of ['leadAgencyId', 'administeringAgencyId']) if (str(d, k)) agencyIds.add(str(d, k)!)
    for (const id of strs(d, 'agencyIds')) agencyIds.add(id)
    if (str(d, 'teamId')) teamIds.add(str(d, 'teamId')!)
    for (const k of ['userId', 'replacedUserId']) if (str(d, k)) userIds.add(str(d, k)!)
    for (const id of strs(d, 'coAssessorUserIds')) userIds.add(id)
  }
  return { agencyIds: [...agencyIds], teamIds: [...teamIds], userIds: [...userIds] }
}

// ---------------------------------------------------------------------------------------------
// Steps in words

/** A step's outcome, anything more to say, the agencies it names, and how much it matters. */
type Described = { outcome?: string; text?: string; agencies?: string[]; significance: Significance }
type Describe = (d: Detail, names: Names) => Described

const SIGNIFICANT: Described = { significance: 'SIGNIFICANT' }
const ROUTINE: Described = { significance: 'ROUTINE' }

const concern = (d: Detail) => {
  const level = str(d, 'levelOfConcern')
  return level && level in CONCERN_LEVELS ? `level of concern ${CONCERN_LEVELS[level as keyof typeof CONCERN_LEVELS].toLowerCase()}` : ''
}
const outcomeWords = (d: Detail) => strs(d, 'outcomes').map((o) => lowerFirst(OUTCOMES[o as keyof typeof OUTCOMES] ?? o))
const agencyName = (names: Names, id: string | null) => (id ? (names.agencies.get(id) ?? null) : null)
const userName = (names: Names, id: string | null) => (id ? (names.users.get(id) ?? null) : null)

/**
 * What each step says in a chronology beyond what happened (`doneLabel`): its outcome from the
 * step's detail, and whether it is significant. A step not named here is shown, not significant.
 */
const STEPS: Record<string, Describe> = {
  OPEN: (d) => ({ significance: 'SIGNIFICANT', outcome: d.route === 'OPEN_CASE' ? 'the child is already open to a service' : '' }),
  RECORD_SCREENING: (d) => ({
    significance: 'SIGNIFICANT',
    outcome: RATING_WORDS[str(d, 'rating') ?? ''] ? `rated ${RATING_WORDS[d.rating as string]}` : '',
  }),
  CONFIRM_SCREENING: (d) => {
    const rating = str(d, 'rating')
    const words = rating ? RATING_WORDS[rating] : undefined
    if (!words) return SIGNIFICANT
    return { significance: 'SIGNIFICANT', outcome: rating === 'GREEN' ? 'rated green' : `rated ${words}; a strategy meeting is due` }
  },
  CLOSE_NO_FURTHER_ACTION: (d) => ({ significance: 'SIGNIFICANT', text: str(d, 'reason') ? `Reason: ${str(d, 'reason')}` : '' }),
  REQUEST_EARLY_HELP: (d) => ({
    significance: 'SIGNIFICANT',
    outcome: d.earlyHelpAssessmentRequested === true ? 'an early help assessment was requested' : '',
    text: str(d, 'professionals') ? `Professionals doing the early help assessment: ${str(d, 'professionals')}` : '',
  }),
  ALLOCATE: (d, names) => {
    const to = [str(d, 'teamId') ? names.teams.get(str(d, 'teamId')!) : null, userName(names, str(d, 'userId'))].filter(Boolean).join(', ')
    return {
      significance: 'SIGNIFICANT',
      outcome: d.reallocation === true && to ? `reallocated to ${to}` : to,
      text: str(d, 'interimMeasures') ? `Interim safeguarding measures: ${str(d, 'interimMeasures')}` : '',
    }
  },
  SCHEDULE_STRATEGY_MEETING: () => ROUTINE,
  SCHEDULE_REVIEW_MEETING: () => ROUTINE,
  SCHEDULE_END_MEETING: () => ROUTINE,
  STRATEGY_MEETING_MINUTES_SAVED: () => ROUTINE,
  RECORD_ASSESSMENT_WORK: () => ROUTINE,
  UPDATE_INTERVENTION_PLAN: () => ROUTINE,
  // A meeting's finalise step is its meeting's entry; these say it only if the meeting cannot be read.
  FINALISE_STRATEGY_MEETING: (d) => ({ significance: 'SIGNIFICANT', outcome: outcomeWords(d).join(', ') }),
  FINALISE_REVIEW_MEETING: () => SIGNIFICANT,
  FINALISE_END_MEETING: (d) => ({ significance: 'SIGNIFICANT', outcome: concern(d) }),
  RECORD_CLOCK_REASON: (d) => {
    const clock = str(d, 'clock')
    return { significance: 'STANDARD', outcome: clock && clock in CLOCK_LABELS ? lowerFirst(CLOCK_LABELS[clock as ClockKind]) : '' }
  },
  DECIDE_AIM_ASSESSMENT: (d, names) => {
    if (d.route === 'CRIMINAL')
      return { significance: 'SIGNIFICANT', outcome: 'criminal route: the police hold an AIM strategy discussion' }
    const lead = agencyName(names, str(d, 'leadAgencyId'))
    const admin = agencyName(names, str(d, 'administeringAgencyId'))
    const parts = ['welfare route', lead ? `led by ${lead}` : '', admin && admin !== lead ? `administered by ${admin}` : '']
    return { significance: 'SIGNIFICANT', outcome: parts.filter(Boolean).join(', '), agencies: unique([lead, admin]) }
  },
  DECIDE_NO_AIM_ASSESSMENT: () => SIGNIFICANT,
  HOLD_AIM_STRATEGY_DISCUSSION: (d, names) => {
    const lead = agencyName(names, str(d, 'leadAgencyId'))
    const with_ = unique(strs(d, 'agencyIds').map((id) => agencyName(names, id)))
    return {
      significance: 'SIGNIFICANT',
      outcome: lead ? `led by ${lead}` : '',
      text: with_.length ? `Agencies: ${listOf(with_)}.` : '',
      agencies: unique([lead, agencyName(names, str(d, 'administeringAgencyId')), ...with_]),
    }
  },
  NAME_CO_ASSESSORS: (d, names) => {
    const named = unique(strs(d, 'coAssessorUserIds').map((id) => userName(names, id)))
    const replaced = userName(names, str(d, 'replacedUserId'))
    return { significance: 'STANDARD', outcome: replaced && named.length ? `${listOf(named)} replaced ${replaced}` : listOf(named) }
  },
  EXTEND_AIM_ASSESSMENT: (d) => ({
    significance: 'SIGNIFICANT',
    outcome: str(d, 'newDueOn') ? `now due by ${formatDate(str(d, 'newDueOn'))}` : '',
  }),
  SIGN_OFF_ASSESSMENT: (d) => ({
    significance: 'STANDARD',
    outcome: num(d, 'signatures') === 2 ? 'by the second co-assessor' : num(d, 'signatures') === 1 ? 'by the first co-assessor' : '',
  }),
  COMPLETE_ASSESSMENT: (d) => ({ significance: 'SIGNIFICANT', outcome: concern(d) }),
  REQUEST_HSB_PANEL: () => SIGNIFICANT,
  RECORD_PANEL_DECISION: (d) => {
    const level = str(d, 'level')
    return {
      significance: 'SIGNIFICANT',
      outcome: level && level in PANEL_LEVELS ? lowerFirst(PANEL_LEVELS[level as keyof typeof PANEL_LEVELS]) : '',
    }
  },
  CLOSE_CASE: (d) => {
    const open = num(d, 'openWork') ?? 0
    return {
      significance: 'SIGNIFICANT',
      outcome: open ? `with ${open} ${open === 1 ? 'piece' : 'pieces'} of work still open` : '',
      text: str(d, 'reason') ? `Reason: ${str(d, 'reason')}` : '',
    }
  },
  RECORD_SECTION_47_OUTCOME: (d) => {
    const outcome = str(d, 'outcome')
    return {
      significance: 'SIGNIFICANT',
      outcome: outcome && outcome in S47_OUTCOMES ? lowerFirst(S47_OUTCOMES[outcome as keyof typeof S47_OUTCOMES]) : '',
    }
  },
  COMPLETE_CHILD_AND_FAMILY_ASSESSMENT: (d) => {
    const outcome = str(d, 'outcome')
    return {
      significance: 'SIGNIFICANT',
      outcome: outcome && outcome in CFA_OUTCOMES ? `outcome: ${lowerFirst(CFA_OUTCOMES[outcome as keyof typeof CFA_OUTCOMES])}` : '',
    }
  },
}

/** Steps that are only the record of another entry (the criminal process has its own entries, on the date they happened). */
const NOT_SHOWN = new Set(['RECORD_CRIMINAL_PROCESS'])

/** Routine steps that repeat: one after another, they are gathered into one entry ("recorded 4 times"). */
const GATHERED = new Set(['RECORD_ASSESSMENT_WORK', 'UPDATE_INTERVENTION_PLAN', 'STRATEGY_MEETING_MINUTES_SAVED'])

/** A step in words: what happened, its outcome, and how much it matters. */
export function describeStep(action: string, detail: Detail, names: Names = NO_NAMES): Described & { title: string } {
  const described = STEPS[action]?.(detail, names) ?? { significance: 'STANDARD' }
  return { title: doneLabel(action), ...described }
}

function stepEntry(e: EventFact, names: Names, seq: number): ChronologyEntry {
  const d = describeStep(e.action, e.detail, names)
  return {
    type: 'EVENT',
    at: e.occurredAt,
    dateOnly: false,
    title: d.title,
    outcome: d.outcome ?? '',
    text: d.text ?? '',
    by: e.actorName,
    agency: e.agency,
    agencies: unique([e.agency, ...(d.agencies ?? [])]),
    recordedAt: e.recordedAt,
    lateReason: e.lateReason,
    significance: d.significance,
    seq,
  }
}

/** Several of the same routine step, one after another, as one entry: how many, over which days, by whom. */
function gatheredEntry(run: readonly EventFact[], seq: number): ChronologyEntry {
  const first = run[0]!
  const last = run[run.length - 1]!
  const [from, to] = [londonDate(first.occurredAt), londonDate(last.occurredAt)]
  const when = from === to ? `on ${formatDate(first.occurredAt)}` : `from ${formatDate(first.occurredAt)} to ${formatDate(last.occurredAt)}`
  const agencies = unique(run.map((e) => e.agency))
  return {
    type: 'EVENT',
    at: first.occurredAt,
    dateOnly: false,
    title: doneLabel(first.action),
    outcome: `${run.length} times ${when}`,
    text: '',
    by: listOf(unique(run.map((e) => e.actorName))) || null,
    agency: agencies.length === 1 ? agencies[0]! : null,
    agencies,
    recordedAt: null,
    lateReason: null,
    significance: 'ROUTINE',
    seq,
  }
}

/** The case's steps as entries, in the order they happened: repeated routine steps one after another gathered into one. */
export function stepEntries(events: readonly EventFact[], names: Names = NO_NAMES): ChronologyEntry[] {
  const ordered = [...events]
    .filter((e) => !NOT_SHOWN.has(e.action))
    .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.recordedAt.getTime() - b.recordedAt.getTime())
  const entries: ChronologyEntry[] = []
  for (let i = 0; i < ordered.length;) {
    const e = ordered[i]!
    let j = i + 1
    if (GATHERED.has(e.action)) while (j < ordered.length && ordered[j]!.action === e.action) j++
    entries.push(j - i > 1 ? gatheredEntry(ordered.slice(i, j), entries.length) : stepEntry(e, names, entries.length))
    i = j
  }
  return entries
}

export const MEETING_LABELS: Record<string, string> = {
  STRATEGY_MEETING: 'Strategy meeting held',
  STRATEGY_DISCUSSION: 'Strategy discussion held',
  REVIEW_STRATEGY_MEETING: 'Review meeting held',
  HSB_PANEL: 'HSB panel held',
  END_MEETING: 'End meeting held',
}

/** What a meeting decided, from its finalise step's detail. */
function meetingOutcome(kind: string, d: Detail): string {
  if (kind === 'STRATEGY_MEETING' || kind === 'STRATEGY_DISCUSSION') return outcomeWords(d).join(', ')
  if (kind === 'REVIEW_STRATEGY_MEETING') {
    const goals = num(d, 'goals')
    return goals === null ? 'intervention plan agreed' : `intervention plan agreed with ${goals} ${goals === 1 ? 'goal' : 'goals'}`
  }
  if (kind === 'END_MEETING') return ['case closed', concern(d)].filter(Boolean).join(', ')
  return ''
}

/**
 * A meeting held, as one entry with its outcome and who attended ("Strategy meeting held:
 * section 47 enquiry; Police and YOS attended"): its finalise step (found by the meeting's id)
 * says who recorded it, when, and its outcomes.
 */
export function meetingEntry(m: MeetingFact, finalised: EventFact | undefined, seq: number): ChronologyEntry {
  const decided = finalised ? meetingOutcome(m.kind, finalised.detail) : ''
  const outcome = [m.finalised ? decided : 'minutes not finalised yet', m.attended.length ? `${listOf(m.attended)} attended` : '']
  const text = [
    `Chaired by ${m.chairName}.`,
    m.apologies.length ? `${listOf(m.apologies)} sent apologies.` : '',
    m.closureReason ? `Reason for closing: ${m.closureReason}` : '',
  ]
  const agency = finalised?.agency ?? null
  return {
    type: 'MEETING',
    at: m.heldAt,
    dateOnly: false,
    title: MEETING_LABELS[m.kind] ?? 'Meeting held',
    outcome: outcome.filter(Boolean).join('; '),
    text: text.filter(Boolean).join(' '),
    by: finalised?.actorName ?? m.chairName,
    agency,
    agencies: unique([agency, ...m.attended]),
    recordedAt: finalised?.recordedAt ?? null,
    lateReason: finalised?.lateReason ?? null,
    significance: m.finalised ? 'SIGNIFICANT' : 'STANDARD',
    seq,
  }
}

const FINALISE_STEPS = new Set(['FINALISE_STRATEGY_MEETING', 'FINALISE_REVIEW_MEETING', 'FINALISE_END_MEETING'])

/** Every entry of the case, unsorted: a meeting and the step that finalised it are one entry. */
export function buildChronology(facts: ChronologyFacts): ChronologyEntry[] {
  const meetingIds = new Set(facts.meetings.map((m) => m.id))
  const finaliseOf = new Map<string, EventFact>()
  for (const e of facts.events) {
    const meetingId = str(e.detail, 'meetingId')
    if (FINALISE_STEPS.has(e.action) && meetingId && meetingIds.has(meetingId)) finaliseOf.set(meetingId, e)
  }
  const absorbed = new Set([...finaliseOf.values()].map((e) => e.id))
  const entries = stepEntries(
    facts.events.filter((e) => !absorbed.has(e.id)),
    facts.names,
  )
  ;[...facts.meetings]
    .sort((a, b) => a.heldAt.getTime() - b.heldAt.getTime() || (a.id < b.id ? -1 : 1))
    .forEach((m, i) => entries.push(meetingEntry(m, finaliseOf.get(m.id), i)))
  facts.criminalProcess.forEach((c, i) =>
    entries.push({
      type: 'CRIMINAL_PROCESS',
      at: startOfLondonDay(c.occurredOn),
      dateOnly: true,
      title: c.title,
      outcome: '',
      text: c.text,
      by: c.by,
      agency: null,
      agencies: [],
      recordedAt: c.recordedAt,
      lateReason: null,
      significance: 'SIGNIFICANT',
      seq: i,
    }),
  )
  facts.curated.forEach((c, i) => {
    const corrected = c.correctsEntryId ? facts.curated.find((x) => x.id === c.correctsEntryId) : undefined
    const prefix = corrected ? `Correction to “${corrected.title}” (${formatDate(corrected.occurredOn)}). ` : ''
    entries.push({
      type: 'CURATED',
      at: startOfLondonDay(c.occurredOn),
      dateOnly: true,
      title: c.title,
      outcome: '',
      text: `${prefix}${c.text}`,
      by: c.authorName,
      agency: c.authorAgency,
      agencies: unique([c.authorAgency]),
      recordedAt: c.createdAt,
      lateReason: null,
      significance: c.isSignificant ? 'SIGNIFICANT' : 'STANDARD',
      seq: i,
    })
  })
  return entries
}

/** The case named for people, never by its id: the child, their date of birth, and when the request for support was received. */
export function caseReference(kase: { childName: string; childDateOfBirth: Date; referralReceivedAt: Date }): string {
  return `${kase.childName}, born ${formatDate(kase.childDateOfBirth)}: request for support received ${formatDate(kase.referralReceivedAt)}`
}

// ---------------------------------------------------------------------------------------------
// Order and filter

export type Order = 'oldest' | 'newest'

/** Which entries to show: significant events only, all but routine steps (the default), or everything. */
export const SHOW_LABELS = {
  significant: 'Significant events only',
  usual: 'All events except routine steps',
  all: 'Everything, including routine steps',
} as const
export type Show = keyof typeof SHOW_LABELS

export type ChronologyFilter = {
  types: EntryType[]
  from: IsoDate | null
  to: IsoDate | null
  order: Order
  /** An agency's name: entries it recorded, or that name it or it attended. */
  agency: string | null
  show: Show
}

const TYPE_ORDER: Record<EntryType, number> = { CURATED: 0, CRIMINAL_PROCESS: 1, MEETING: 2, EVENT: 3 }

/** Merges entries in the order they happened (oldest first, or newest first), stable within the same moment. */
export function sortEntries(entries: readonly ChronologyEntry[], order: Order = 'oldest'): ChronologyEntry[] {
  const sorted = [...entries].sort((a, b) => a.at.getTime() - b.at.getTime() || TYPE_ORDER[a.type] - TYPE_ORDER[b.type] || a.seq - b.seq)
  return order === 'newest' ? sorted.reverse() : sorted
}

const shown = (e: ChronologyEntry, show: Show) =>
  show === 'all' || (show === 'significant' ? e.significance === 'SIGNIFICANT' : e.significance !== 'ROUTINE')

export function applyFilter(entries: readonly ChronologyEntry[], filter: ChronologyFilter): ChronologyEntry[] {
  const kept = entries.filter((e) => {
    if (!shown(e, filter.show)) return false
    if (filter.types.length && !filter.types.includes(e.type)) return false
    if (filter.agency && !e.agencies.includes(filter.agency)) return false
    const day = londonDate(e.at)
    if (filter.from && day < filter.from) return false
    if (filter.to && day > filter.to) return false
    return true
  })
  return sortEntries(kept, filter.order)
}

/** The agencies the filter offers: every one an entry names, in alphabetical order. */
export function agencyOptions(entries: readonly ChronologyEntry[]): string[] {
  return unique(entries.flatMap((e) => e.agencies)).sort((a, b) => a.localeCompare(b, 'en-GB'))
}

type Query = Record<string, unknown>
/** Dates in a chronology are this century: a year before 2000 is a typing mistake. */
const DATES = { minYear: 2000 } as const
const MAX_AGENCY = 200

/** Reads the filter from the query string; unknown types and show values are ignored, bad dates are errors. */
export function parseFilter(query: Query): { filter: ChronologyFilter; errors: FieldError[] } {
  const errors: FieldError[] = []
  const types = fields(query, 'type').filter((t): t is EntryType => (ENTRY_TYPES as readonly string[]).includes(t))
  const from = checkDate(datePartsOf(query, 'from'), 'The ‘from’ date', DATES)
  const to = checkDate(datePartsOf(query, 'to'), 'The ‘to’ date', DATES)
  if (!from.ok) errors.push({ href: '#from-day', text: from.message })
  if (!to.ok) errors.push({ href: '#to-day', text: to.message })
  const fromDate = from.ok ? from.value : null
  const toDate = to.ok ? to.value : null
  if (fromDate && toDate && toDate < fromDate)
    errors.push({ href: '#to-day', text: 'The ‘to’ date must be the same as or after the ‘from’ date' })
  const order: Order = text(query.order) === 'newest' ? 'newest' : 'oldest'
  const agency = text(query.agency).trim().slice(0, MAX_AGENCY) || null
  const asked = text(query.show)
  const show: Show = Object.hasOwn(SHOW_LABELS, asked) ? (asked as Show) : 'usual'
  return {
    filter: { types: [...new Set(types)], from: errors.length ? null : fromDate, to: errors.length ? null : toDate, order, agency, show },
    errors,
  }
}

/** The filter as a query string, for the print and PDF links. */
export function filterQuery(filter: ChronologyFilter): string {
  const q = new URLSearchParams()
  for (const t of filter.types) q.append('type', t)
  const add = (id: string, date: IsoDate | null) => {
    if (!date) return
    const { day, month, year } = partsOfIsoDate(date)
    q.append(`${id}-day`, day)
    q.append(`${id}-month`, month)
    q.append(`${id}-year`, year)
  }
  add('from', filter.from)
  add('to', filter.to)
  if (filter.order === 'newest') q.append('order', 'newest')
  if (filter.agency) q.append('agency', filter.agency)
  if (filter.show !== 'usual') q.append('show', filter.show)
  const s = q.toString()
  return s ? `?${s}` : ''
}

// ---------------------------------------------------------------------------------------------
// Practitioners' entries

export const MAX_TITLE = 200
export const MAX_TEXT = 5000

/** `significant`: the author marked it a significant event (the demo seed leaves it out: not significant). */
export type CuratedInput = { date: DateParts; title: string; text: string; corrects: string; significant?: boolean }
export type CuratedDraft = { occurredOn: IsoDate; title: string; text: string; correctsEntryId: string | null; isSignificant: boolean }

/** A practitioner's entry: a real date not in the future, a title and text; a correction names an existing entry. */
export function validateCurated(input: CuratedInput, facts: { today: IsoDate; entryIds: readonly string[] }): FormResult<CuratedDraft> {
  const errors: FieldError[] = []
  const date = checkDate(input.date, 'The date', DATES)
  let occurredOn: IsoDate | null = null
  if (!date.ok) errors.push({ href: '#date-day', text: date.message })
  else if (date.value === null) errors.push({ href: '#date-day', text: 'Enter the date it happened' })
  else if (date.value > facts.today) errors.push({ href: '#date-day', text: 'The date must be today or in the past' })
  else occurredOn = date.value
  const title = input.title.trim()
  if (!title) errors.push({ href: '#title', text: 'Enter a title' })
  else if (title.length > MAX_TITLE) errors.push({ href: '#title', text: `The title must be ${MAX_TITLE} characters or fewer` })
  const happened = input.text.trim()
  if (!happened) errors.push({ href: '#text', text: 'Enter what happened' })
  else if (happened.length > MAX_TEXT) errors.push({ href: '#text', text: `What happened must be ${MAX_TEXT} characters or fewer` })
  const corrects = input.corrects.trim().toLowerCase()
  if (corrects && !facts.entryIds.includes(corrects)) errors.push({ href: '#corrects', text: 'Select an entry from the list, or none' })
  if (errors.length || occurredOn === null) return { ok: false, errors }
  return {
    ok: true,
    value: { occurredOn, title, text: happened, correctsEntryId: corrects || null, isSignificant: input.significant === true },
  }
}
