import { endOfLondonDay, isIsoDate, type IsoDate } from '../../platform/clocks/london-time.js'
import type { AuditDetail, AuditSubject } from '../../platform/audit/audit.repository.js'
import { resultOf, type FieldError, type FormResult } from '../../platform/forms/forms.js'
import type { Follows, When } from '../../platform/forms/when.js'

/** Pure rules for reviews and their action plans: no I/O. */

/** What the audit log says of a reviews read or change: `reviews:<action>` on a review, a finding, an action… */
export const reviewsAudit = (action: string, recordType: string, recordId: string | null, detail?: AuditDetail): AuditSubject => ({
  action: `reviews:${action}`,
  recordType,
  recordId,
  ...(detail ? { detail } : {}),
})

export const REVIEW_KINDS = {
  SERIOUS_CASE_REVIEW: 'Serious case review',
  CHILD_SAFEGUARDING_PRACTICE_REVIEW: 'Child safeguarding practice review',
  RAPID_REVIEW: 'Rapid review',
  THEMATIC_AUDIT: 'Thematic audit',
  MULTI_AGENCY_CASE_AUDIT: 'Multi-agency case audit',
  INSPECTION: 'Inspection',
  SINGLE_AGENCY_AUDIT: 'Single-agency audit',
  OTHER: 'Other',
} as const
export type ReviewKind = keyof typeof REVIEW_KINDS
export const isReviewKind = (v: string): v is ReviewKind => Object.hasOwn(REVIEW_KINDS, v)

// ---------------------------------------------------------------- RAG key

export const RAG_KEYS = ['RED', 'AMBER', 'GREEN', 'COMPLETED'] as const
export type RagKey = (typeof RAG_KEYS)[number]
export const isRagKey = (v: unknown): v is RagKey => typeof v === 'string' && (RAG_KEYS as readonly string[]).includes(v)

/** GOV.UK Frontend tag colours (govuk-tag--<colour>). */
export const TAG_COLOURS = ['grey', 'green', 'turquoise', 'blue', 'light-blue', 'purple', 'pink', 'red', 'orange', 'yellow'] as const
export type TagColour = (typeof TAG_COLOURS)[number]
export const isTagColour = (v: unknown): v is TagColour => typeof v === 'string' && (TAG_COLOURS as readonly string[]).includes(v)

export type RagEntry = { key: RagKey; label: string; colour: TagColour; meaning: string }

export const DEFAULT_RAG_KEY: readonly RagEntry[] = [
  { key: 'RED', label: 'Red', colour: 'red', meaning: 'Not on track, remedial action required' },
  { key: 'AMBER', label: 'Amber', colour: 'orange', meaning: 'Needs monitoring to stay on track' },
  { key: 'GREEN', label: 'Green', colour: 'green', meaning: 'On track' },
  { key: 'COMPLETED', label: 'Completed', colour: 'blue', meaning: 'Action completed' },
]

/** The partnership's key: its saved entries over the defaults, always all four keys in order. */
export function ragKeyFrom(rows: readonly { key: string; label: string; colour: string; meaning: string }[]): RagEntry[] {
  return DEFAULT_RAG_KEY.map((d) => {
    const row = rows.find((r) => r.key === d.key)
    return row ? { key: d.key, label: row.label, colour: isTagColour(row.colour) ? row.colour : d.colour, meaning: row.meaning } : { ...d }
  })
}

export const NO_RAG = { label: 'Not set', colour: 'grey' as TagColour, meaning: 'No status recorded yet' }

export function ragEntry(key: readonly RagEntry[], rag: string | null | undefined) {
  return key.find((e) => e.key === rag) ?? null
}

export const RAG_LABEL_MAX = 40
export const RAG_MEANING_MAX = 200

export type RagKeyInput = Record<RagKey, { label: string; colour: string; meaning: string }>

export function validateRagKey(input: RagKeyInput): FormResult<RagEntry[]> {
  const errors: FieldError[] = []
  const labels = new Set<string>()
  const value: RagEntry[] = []
  for (const key of RAG_KEYS) {
    const entry = input[key]
    const label = entry.label.trim()
    const meaning = entry.meaning.trim()
    const id = key.toLowerCase()
    if (!label) errors.push({ href: `#${id}-label`, text: `Enter a label for ${key.toLowerCase()}` })
    else if (label.length > RAG_LABEL_MAX)
      errors.push({ href: `#${id}-label`, text: `The label must be ${RAG_LABEL_MAX} characters or fewer` })
    else if (labels.has(label.toLowerCase())) errors.push({ href: `#${id}-label`, text: 'Each label must be different' })
    labels.add(label.toLowerCase())
    if (!isTagColour(entry.colour)) errors.push({ href: `#${id}-colour`, text: 'Choose a colour' })
    if (!meaning) errors.push({ href: `#${id}-meaning`, text: `Enter what ${label || key.toLowerCase()} means` })
    else if (meaning.length > RAG_MEANING_MAX)
      errors.push({ href: `#${id}-meaning`, text: `The meaning must be ${RAG_MEANING_MAX} characters or fewer` })
    value.push({ key, label, colour: (isTagColour(entry.colour) ? entry.colour : 'grey') as TagColour, meaning })
  }
  return resultOf(errors, value)
}

// ---------------------------------------------------------------- overdue and as-at

/** Overdue: a real target date before `today` and not completed. Free-text targets are never overdue. */
export function isOverdue(action: { rag: string | null; targetDate: IsoDate | null }, today: IsoDate): boolean {
  return !!action.targetDate && action.targetDate < today && action.rag !== 'COMPLETED'
}

/**
 * What "as at" a date means: the end of that day, UK time. The plan's findings, questions and
 * responses as recorded by then; its actions as they stood after every change that happened by
 * then (a progress update entered later, dated to when it happened, counts from that date).
 */
export function asAtCutoff(asAt: IsoDate): Date {
  return endOfLondonDay(asAt)
}

/** A report date from a query string: a valid date not in the future, else null. */
export function readAsAt(value: unknown, today: IsoDate): { ok: true; value: IsoDate } | { ok: false; error: string } {
  if (value === undefined || value === '') return { ok: true, value: today }
  if (typeof value !== 'string' || !isIsoDate(value)) return { ok: false, error: 'Enter a real date, for example 2026-03-31' }
  if (value > today) return { ok: false, error: 'The date must be today or in the past' }
  return { ok: true, value }
}

// ---------------------------------------------------------------- when a change happened

/**
 * What a progress update cannot have happened before: the action's latest version (its last
 * update, or its being added), which the update changes. Null for an action with no version.
 */
export function progressFollows(latest: { occurredAt: Date } | undefined): Follows | null {
  return latest ? { label: 'the last update to this action', at: latest.occurredAt } : null
}

/** What the audit entry adds for a change said to have happened at a given time: when (ISO), and why it is entered late. */
export function whenAuditDetail(when: When): { occurredAt?: string; lateReason?: string } {
  return {
    ...(when.given ? { occurredAt: when.occurredAt.toISOString() } : {}),
    ...(when.lateReason ? { lateReason: when.lateReason } : {}),
  }
}

/** Recorded within this of when it happened, a change shows one time only. */
export const SAME_TIME_MS = 5 * 60_000

/** Whether a change was recorded later than it happened (more than 5 minutes later). */
export const recordedLater = (v: { occurredAt: Date; recordedAt: Date }) => v.recordedAt.getTime() - v.occurredAt.getTime() > SAME_TIME_MS

// ---------------------------------------------------------------- text

/** Spreadsheet formula injection (one rule for every export, in platform/exports). */
export { escapeFormula } from '../../platform/exports/formula.js'

/** The text an action is matched by on import: case, spacing and trailing punctuation ignored. */
export function normaliseActionText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s.;,:]+$/, '')
}

/** Finding numbers and question codes in reading order: 2 before 10, 1a before 1b. */
export const naturalCompare = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' })

/** DD/MM/YYYY for tables and exports. */
export function ukShortDate(date: IsoDate): string {
  const [y, m, d] = date.split('-')
  return `${d}/${m}/${y}`
}

/** "Target Date/Evidence" as the board writes it: the date (or the words), then the evidence. */
export function targetEvidenceCell(a: { targetDate: IsoDate | null; targetText: string | null; evidence: string | null }): string {
  const target = a.targetDate ? ukShortDate(a.targetDate) : (a.targetText ?? '')
  return [target, a.evidence ?? ''].filter((s) => s.trim()).join('\n\n')
}

// ---------------------------------------------------------------- the plan as a tree

export type PlanAction = {
  id: string
  responseId: string
  position: number
  text: string
  rag: string | null
  constraints: string | null
  targetDate: IsoDate | null
  targetText: string | null
  evidence: string | null
  leadUserId: string | null
  leadText: string | null
  leadName: string | null
  desiredOutcome: string | null
  version: number
  recordedAt: Date
  overdue: boolean
}
export type PlanResponse = { id: string; questionId: string; agencyId: string; agencyName: string; response: string; actions: PlanAction[] }
export type PlanQuestion = { id: string; findingId: string; code: string; text: string; responses: PlanResponse[] }
export type PlanFinding = { id: string; number: string; title: string; narrative: string | null; questions: PlanQuestion[] }

export type ItemState =
  | { itemType: 'FINDING'; itemId: string; parentId: null; data: { number: string; title: string; narrative: string | null } }
  | { itemType: 'QUESTION'; itemId: string; parentId: string; data: { code: string; text: string } }
  | { itemType: 'RESPONSE'; itemId: string; parentId: string; data: { agencyId: string; agencyName: string; response: string } }

/** Puts each child in its parent's list, leaving out a child whose parent is missing; those placed, by id. */
function placed<C extends { id: string }>(children: readonly C[], listOf: (child: C) => C[] | undefined): Map<string, C> {
  const kept = new Map<string, C>()
  for (const c of children) {
    const list = listOf(c)
    if (!list) continue
    list.push(c)
    kept.set(c.id, c)
  }
  return kept
}

/**
 * Builds the plan from the state of each item (as now, or as at a date). An item whose parent is
 * missing from the states is left out; actions are flagged overdue against `today` (the report date).
 */
export function buildPlan(items: readonly ItemState[], actions: readonly Omit<PlanAction, 'overdue'>[], today: IsoDate): PlanFinding[] {
  const of = <T extends ItemState['itemType']>(type: T) =>
    items.filter((i): i is Extract<ItemState, { itemType: T }> => i.itemType === type)
  const findings = new Map(of('FINDING').map((i) => [i.itemId, { id: i.itemId, ...i.data, questions: [] as PlanQuestion[] }]))
  const questions = placed(
    of('QUESTION').map((i) => ({ id: i.itemId, findingId: i.parentId, ...i.data, responses: [] as PlanResponse[] })),
    (q) => findings.get(q.findingId)?.questions,
  )
  const responses = placed(
    of('RESPONSE').map((i) => ({ id: i.itemId, questionId: i.parentId, ...i.data, actions: [] as PlanAction[] })),
    (r) => questions.get(r.questionId)?.responses,
  )
  placed(
    actions.map((a) => ({ ...a, overdue: isOverdue(a, today) })),
    (a) => responses.get(a.responseId)?.actions,
  )
  const list = [...findings.values()].sort((a, b) => naturalCompare(a.number, b.number))
  for (const f of list) {
    f.questions.sort((a, b) => naturalCompare(a.code, b.code))
    for (const q of f.questions) {
      q.responses.sort((a, b) => a.agencyName.localeCompare(b.agencyName))
      for (const r of q.responses) r.actions.sort((a, b) => a.position - b.position || a.id.localeCompare(b.id))
    }
  }
  return list
}

export const allActions = (plan: readonly PlanFinding[]) =>
  plan.flatMap((f) => f.questions.flatMap((q) => q.responses.flatMap((r) => r.actions.map((a) => ({ ...a, agencyName: r.agencyName })))))

export type PlanSummary = {
  total: number
  byRag: { key: string; label: string; colour: string; count: number }[]
  byAgency: { agencyName: string; total: number; counts: Record<string, number>; overdue: number }[]
  overdue: number
}

/** Actions by RAG (in key order, then "not set"), by agency, and overdue. */
export function summarise(plan: readonly PlanFinding[], key: readonly RagEntry[]): PlanSummary {
  const actions = allActions(plan)
  const slot = (rag: string | null) => (isRagKey(rag) ? rag : 'NONE')
  const byRag = [
    ...key.map((e) => ({ key: e.key as string, label: e.label, colour: e.colour as string })),
    { key: 'NONE', label: NO_RAG.label, colour: NO_RAG.colour as string },
  ].map((e) => ({ ...e, count: actions.filter((a) => slot(a.rag) === e.key).length }))
  const agencies = new Map<string, PlanSummary['byAgency'][number]>()
  for (const a of actions) {
    const row = agencies.get(a.agencyName) ?? { agencyName: a.agencyName, total: 0, counts: {}, overdue: 0 }
    row.total++
    row.counts[slot(a.rag)] = (row.counts[slot(a.rag)] ?? 0) + 1
    if (a.overdue) row.overdue++
    agencies.set(a.agencyName, row)
  }
  return {
    total: actions.length,
    byRag: byRag.filter((r) => r.key !== 'NONE' || r.count > 0),
    byAgency: [...agencies.values()].sort((a, b) => a.agencyName.localeCompare(b.agencyName)),
    overdue: actions.filter((a) => a.overdue).length,
  }
}

/** One row per action in the board's layout (a response without actions, or a question without responses, still has a row). */
export type BoardRow = {
  finding: string
  question: string
  agency: string
  response: string
  action: string
  rag: string
  constraints: string
  targetEvidence: string
  lead: string
  desiredOutcome: string
  overdue: boolean
}

export function boardRows(plan: readonly PlanFinding[], key: readonly RagEntry[]): BoardRow[] {
  const rows: BoardRow[] = []
  const blank = {
    agency: '',
    response: '',
    action: '',
    rag: '',
    constraints: '',
    targetEvidence: '',
    lead: '',
    desiredOutcome: '',
    overdue: false,
  }
  for (const f of plan) {
    const finding = `${f.number}. ${f.title}`
    if (!f.questions.length) rows.push({ finding, question: '', ...blank })
    for (const q of f.questions) {
      const question = `${q.code} ${q.text}`
      if (!q.responses.length) rows.push({ finding, question, ...blank })
      for (const r of q.responses) {
        const base = { finding, question, agency: r.agencyName, response: r.response }
        if (!r.actions.length) rows.push({ ...blank, ...base })
        for (const a of r.actions) {
          rows.push({
            ...base,
            action: a.text,
            rag: ragEntry(key, a.rag)?.label ?? '',
            constraints: a.constraints ?? '',
            targetEvidence: targetEvidenceCell(a),
            lead: a.leadName ?? a.leadText ?? '',
            desiredOutcome: a.desiredOutcome ?? '',
            overdue: a.overdue,
          })
        }
      }
    }
  }
  return rows
}
