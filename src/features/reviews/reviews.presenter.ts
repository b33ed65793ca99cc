import { dateInputItems, dateItemsFor, partsOfIsoDate } from '../../platform/forms/dates.js'
import type { FieldError } from '../../platform/forms/forms.js'
import { formatDate, formatDateTime } from '../../platform/http/format.js'
import type { ActionRow, VersionRow } from './reviews.repository.js'
import { NO_RAG, REVIEW_KINDS, TAG_COLOURS, isRagKey, ragEntry, recordedLater, type RagEntry, type ReviewKind } from './reviews.rules.js'

/** View models for the reviews pages. */

type Values = Record<string, string | string[]>

export const kindLabel = (kind: string) => REVIEW_KINDS[kind as ReviewKind] ?? kind

export function ragTag(key: readonly RagEntry[], rag: string | null) {
  const e = ragEntry(key, rag)
  return e ? { text: e.label, classes: `govuk-tag--${e.colour}` } : { text: NO_RAG.label, classes: `govuk-tag--${NO_RAG.colour}` }
}

export function kindItems(selected: string) {
  return Object.entries(REVIEW_KINDS).map(([value, text]) => ({ value, text, checked: value === selected }))
}

export function ragItems(key: readonly RagEntry[], selected: string | null, withNone: boolean) {
  const items = key.map((e) => ({ value: e.key, text: e.label, hint: { text: e.meaning }, checked: e.key === selected }))
  return withNone ? [...items, { value: '', text: NO_RAG.label, hint: { text: NO_RAG.meaning }, checked: !selected }] : items
}

export const colourItems = (selected: string) => TAG_COLOURS.map((c) => ({ value: c, text: c.replace('-', ' '), selected: c === selected }))

/** A date input's items: what was typed when re-shown, else the date as saved. */
const dateItems = (prefix: string, saved: string | null, values: Values | undefined, errors: readonly FieldError[] = []) =>
  values ? dateInputItems(prefix, values, errors) : dateItemsFor(prefix, partsOfIsoDate(saved), errors)

/** The action form's fields: what was typed when re-shown, else the action as saved. */
export function actionFormModel(
  ragKey: readonly RagEntry[],
  people: { id: string; displayName: string }[],
  action: ActionRow | null,
  values?: Values,
  errors?: FieldError[],
) {
  const val = (field: string, saved: string | null | undefined) => (values ? String(values[field] ?? '') : (saved ?? ''))
  const lead = val('lead', action?.leadUserId)
  const rag = values ? String(values.rag ?? '') : (action?.rag ?? '')
  return {
    values: {
      text: val('text', action?.text),
      constraints: val('constraints', action?.constraints),
      targetText: val('target-text', action?.targetText),
      evidence: val('evidence', action?.evidence),
      leadText: val('lead-text', action?.leadText),
      desiredOutcome: val('desired-outcome', action?.desiredOutcome),
    },
    version: values && typeof values.version === 'string' ? values.version : String(action?.version ?? ''),
    ragItems: ragItems(ragKey, isRagKey(rag) ? rag : null, true),
    targetDateItems: dateItems('target-date', action?.targetDate ?? null, values, errors),
    leadItems: [
      { value: '', text: 'Not a user of this service (type the name below)' },
      ...people.map((p) => ({ value: p.id, text: p.displayName, selected: p.id === lead })),
    ],
    errors: errors ?? [],
  }
}

export function reviewFormModel(values?: Values, errors?: FieldError[]) {
  return {
    kindItems: kindItems(String(values?.kind ?? '')),
    name: String(values?.name ?? ''),
    dateItems: dateItems('review-date', null, values, errors),
    errors: errors ?? [],
  }
}

const CHANGE_LABELS: Record<string, string> = {
  CREATED: 'Action added',
  EDITED: 'Action changed',
  PROGRESS: 'Progress update',
  IMPORTED: 'Imported from a plan',
}

/**
 * When a change was recorded, if later than it happened, and why it was entered late:
 * "Recorded 10:00am on 20 March 2025: entered late because …". Empty when recorded as it happened.
 */
export function recordedText(v: Pick<VersionRow, 'occurredAt' | 'recordedAt' | 'lateReason'>): string {
  const late = v.lateReason ? `entered late because ${v.lateReason}` : ''
  if (!recordedLater(v)) return late ? `${late[0]!.toUpperCase()}${late.slice(1)}.` : ''
  return `Recorded ${formatDateTime(v.recordedAt)}${late ? `: ${late}` : ''}.`
}

/** The action's history, newest first: what changed in each version against the one before, and when it happened. */
export function historyModel(ragKey: readonly RagEntry[], history: VersionRow[]) {
  return history.map((v, i) => {
    const before = history[i + 1]
    const changed = before
      ? (['text', 'constraints', 'targetDate', 'targetText', 'evidence', 'leadUserId', 'leadText', 'desiredOutcome'] as const).filter(
          (k) => v[k] !== before[k],
        )
      : []
    return {
      label: CHANGE_LABELS[v.change] ?? v.change,
      at: v.occurredAt,
      recorded: recordedText(v),
      by: v.recordedByName ?? 'Unknown',
      note: v.progressNote,
      ragFrom: v.change === 'CREATED' || v.change === 'IMPORTED' ? null : ragTag(ragKey, v.ragFrom),
      ragTo: ragTag(ragKey, v.rag),
      ragChanged: v.change !== 'CREATED' && v.change !== 'IMPORTED' && v.ragFrom !== v.rag,
      changed: changed.map((k) => FIELD_LABELS[k]),
      targetDate: v.targetDate ? formatDate(v.targetDate) : null,
      version: v.version,
    }
  })
}

const FIELD_LABELS = {
  text: 'action',
  constraints: 'constraints or problems',
  targetDate: 'target date',
  targetText: 'target',
  evidence: 'evidence',
  leadUserId: 'lead person',
  leadText: 'lead person',
  desiredOutcome: 'desired outcome',
} as const
