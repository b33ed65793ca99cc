import { datePartsOf, readDate } from '../../platform/forms/dates.js'
import { field, readText, resultOf, type FieldError, type FormResult } from '../../platform/forms/forms.js'
import type { ActionState } from './reviews.repository.js'
import { isRagKey, isReviewKind, type RagKey, type RagKeyInput, RAG_KEYS, type ReviewKind } from './reviews.rules.js'

/** Reads and checks the reviews forms (the platform's forms kit). Everything typed comes back as strings for re-display. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const MAX_SHORT = 200
export const MAX_TEXT = 10_000

type Rule = { label: string; required?: string; max?: number }

/** A text answer, trimmed; its error (missing, too long) added to `errors`. */
function answer(errors: FieldError[], body: unknown, id: string, { label, required, max = MAX_TEXT }: Rule): string {
  const read = readText(body, id, { label, max, ...(required ? { required } : {}) })
  if (read.error) errors.push(read.error)
  return read.value
}

/** A GOV.UK date input: all blank is no date; anything else must be a real date. */
function dateAnswer(errors: FieldError[], body: unknown, id: string, label: string): string | null {
  const read = readDate(datePartsOf(body, id), id, label)
  if (read.error) errors.push(read.error)
  return read.value
}

export function readReviewForm(body: unknown): FormResult<{ kind: ReviewKind; name: string; reviewDate: string | null }> {
  const errors: FieldError[] = []
  const kind = field(body, 'kind')
  if (!isReviewKind(kind)) errors.push({ href: '#kind', text: 'Select the kind of review' })
  const name = answer(errors, body, 'name', { label: 'The name of the review', required: 'Enter the name of the review', max: MAX_SHORT })
  const reviewDate = dateAnswer(errors, body, 'review-date', 'The date of the review')
  return resultOf(errors, { kind: kind as ReviewKind, name, reviewDate })
}

export function readFindingForm(body: unknown): FormResult<{ number: string; title: string; narrative: string | null }> {
  const errors: FieldError[] = []
  const number = answer(errors, body, 'number', { label: 'The finding’s number', required: 'Enter the finding’s number', max: 20 })
  const title = answer(errors, body, 'title', { label: 'The finding’s title', required: 'Enter the finding’s title', max: MAX_SHORT })
  const narrative = answer(errors, body, 'narrative', { label: 'The narrative' }) || null
  return resultOf(errors, { number, title, narrative })
}

export function readQuestionForm(body: unknown): FormResult<{ code: string; text: string }> {
  const errors: FieldError[] = []
  const code = answer(errors, body, 'code', { label: 'The code', required: 'Enter the code, for example 1a', max: 20 })
  if (code && !/^[\p{L}\p{N}.()-]+$/u.test(code))
    errors.push({ href: '#code', text: 'The code can only have letters, numbers, dots, brackets and hyphens' })
  const text = answer(errors, body, 'text', { label: 'The question or recommendation', required: 'Enter the question or recommendation' })
  return resultOf(errors, { code, text })
}

export function readResponseForm(
  body: unknown,
  agencyIds: readonly string[],
  editing: boolean,
): FormResult<{ agencyId: string; response: string }> {
  const errors: FieldError[] = []
  const agencyId = field(body, 'agency').toLowerCase()
  if (!editing && (!UUID.test(agencyId) || !agencyIds.includes(agencyId))) errors.push({ href: '#agency', text: 'Select the agency' })
  const response = answer(errors, body, 'response', { label: 'The agency’s response', required: 'Enter the agency’s response' })
  return resultOf(errors, { agencyId, response })
}

/** An action's details as the form gives them: a RAG key of the key's four, or none. */
export type ActionInput = ActionState & { rag: RagKey | null }

export function readActionForm(body: unknown, peopleIds: readonly string[]): FormResult<ActionInput> {
  const errors: FieldError[] = []
  const text = answer(errors, body, 'text', { label: 'The action', required: 'Enter the action' })
  const rag = field(body, 'rag')
  if (rag && !isRagKey(rag)) errors.push({ href: '#rag', text: 'Select a status from the RAG key' })
  const constraints = answer(errors, body, 'constraints', { label: 'The constraints or problems' }) || null
  const targetDate = dateAnswer(errors, body, 'target-date', 'The target date')
  const targetText = answer(errors, body, 'target-text', { label: 'The target', max: MAX_SHORT }) || null
  if (targetDate && targetText) errors.push({ href: '#target-text', text: 'Enter a target date or describe the target, not both' })
  const evidence = answer(errors, body, 'evidence', { label: 'The evidence' }) || null
  const lead = field(body, 'lead').toLowerCase()
  if (lead && !peopleIds.includes(lead)) errors.push({ href: '#lead', text: 'Select a person from the list' })
  const leadText = answer(errors, body, 'lead-text', { label: 'The lead person', max: MAX_SHORT }) || null
  const desiredOutcome = answer(errors, body, 'desired-outcome', { label: 'The desired outcome' }) || null
  return resultOf(errors, {
    text,
    rag: isRagKey(rag) ? rag : null,
    constraints,
    targetDate,
    targetText,
    evidence,
    leadUserId: lead || null,
    leadText: lead ? null : leadText,
    desiredOutcome,
  })
}

export function readProgressForm(body: unknown): FormResult<{ note: string; rag: RagKey }> {
  const errors: FieldError[] = []
  const note = answer(errors, body, 'note', { label: 'The progress update', required: 'Enter the progress update' })
  const rag = field(body, 'rag')
  if (!isRagKey(rag)) errors.push({ href: '#rag', text: 'Select the status after this update' })
  return resultOf(errors, { note, rag: rag as RagKey })
}

export function readRagKeyForm(body: unknown): RagKeyInput {
  return Object.fromEntries(
    RAG_KEYS.map((k) => {
      const id = k.toLowerCase()
      return [k, { label: field(body, `${id}-label`), colour: field(body, `${id}-colour`), meaning: field(body, `${id}-meaning`) }]
    }),
  ) as RagKeyInput
}
