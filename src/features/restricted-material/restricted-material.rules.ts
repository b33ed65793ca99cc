import type { IsoDate } from '../../platform/clocks/london-time.js'
import { checkDate, type DateParts } from '../../platform/forms/dates.js'
import type { FieldError, FormResult } from '../../platform/forms/forms.js'
import type { AbeRequestStatus } from './restricted-material.tables.js'

/**
 * Restricted interview material (Achieving Best Evidence): recording that it exists, asking to
 * read it, deciding, and whether a grant is in force. Pure: no I/O.
 */

export const DEFAULT_GRANT_DAYS = 14
export const MAX_GRANT_DAYS = 90
export const MAX_REASON = 2000
export const MAX_SUMMARY = 10_000
export const MAX_REFERENCE = 100
const DAY_MS = 86_400_000

export type MaterialInput = { harmedChildId: string; reference: string; interviewed: DateParts; heldByAgencyId: string; summary: string }
export type MaterialDraft = {
  harmedChildId: string
  reference: string
  interviewedOn: IsoDate
  heldByAgencyId: string
  summary: string | null
}

export function validateMaterial(
  input: MaterialInput,
  facts: { today: IsoDate; harmedChildIds: readonly string[]; agencyIds: readonly string[] },
): FormResult<MaterialDraft> {
  const errors: FieldError[] = []
  const harmedChildId = input.harmedChildId.trim().toLowerCase()
  if (!facts.harmedChildIds.includes(harmedChildId))
    errors.push({ href: '#harmed-child', text: 'Select the harmed child the interview was with' })
  const reference = input.reference.trim()
  if (!reference) errors.push({ href: '#reference', text: 'Enter the reference for the interview material' })
  else if (reference.length > MAX_REFERENCE)
    errors.push({ href: '#reference', text: `The reference must be ${MAX_REFERENCE} characters or fewer` })
  const date = checkDate(input.interviewed, 'The date of the interview', { minYear: 2000 })
  let interviewedOn: IsoDate | null = null
  if (!date.ok) errors.push({ href: '#interviewed-day', text: date.message })
  else if (date.value === null) errors.push({ href: '#interviewed-day', text: 'Enter the date of the interview' })
  else if (date.value > facts.today)
    errors.push({ href: '#interviewed-day', text: 'The date of the interview must be today or in the past' })
  else interviewedOn = date.value
  const heldByAgencyId = input.heldByAgencyId.trim().toLowerCase()
  if (!facts.agencyIds.includes(heldByAgencyId)) errors.push({ href: '#held-by', text: 'Select the agency that holds the material' })
  const summary = input.summary.trim()
  if (summary.length > MAX_SUMMARY) errors.push({ href: '#summary', text: `The summary must be ${MAX_SUMMARY} characters or fewer` })
  if (errors.length || interviewedOn === null) return { ok: false, errors }
  return { ok: true, value: { harmedChildId, reference, interviewedOn, heldByAgencyId, summary: summary || null } }
}

export function validateReason(reason: string): FormResult<string> {
  const r = reason.trim()
  if (!r) return { ok: false, errors: [{ href: '#reason', text: 'Enter why you need to read the interview material' }] }
  if (r.length > MAX_REASON)
    return { ok: false, errors: [{ href: '#reason', text: `The reason must be ${MAX_REASON} characters or fewer` }] }
  return { ok: true, value: r }
}

export type DecisionInput = { decision: string; days: string; note: string }
export type Decision = { approve: true; days: number; note: string | null } | { approve: false; note: string }

/** Approve for a number of days (default 14, at most 90), or refuse with a reason. */
export function validateDecision(input: DecisionInput): FormResult<Decision> {
  if (input.decision !== 'APPROVE' && input.decision !== 'REFUSE')
    return { ok: false, errors: [{ href: '#decision', text: 'Select whether to approve or refuse the request' }] }
  const note = input.note.trim()
  if (note.length > MAX_REASON)
    return { ok: false, errors: [{ href: '#note', text: `The note must be ${MAX_REASON} characters or fewer` }] }
  if (input.decision === 'REFUSE') {
    if (!note) return { ok: false, errors: [{ href: '#note', text: 'Enter why the request is refused' }] }
    return { ok: true, value: { approve: false, note } }
  }
  const raw = input.days.trim()
  if (!raw) return { ok: true, value: { approve: true, days: DEFAULT_GRANT_DAYS, note: note || null } }
  if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_GRANT_DAYS) {
    return { ok: false, errors: [{ href: '#days', text: `Access must last between 1 and ${MAX_GRANT_DAYS} days` }] }
  }
  return { ok: true, value: { approve: true, days: Number(raw), note: note || null } }
}

export function grantExpiry(decidedAt: Date, days: number): Date {
  return new Date(decidedAt.getTime() + days * DAY_MS)
}

export type RequestFacts = { requestedBy: string; status: AbeRequestStatus; expiresAt: Date | null }
export type RequestState = 'PENDING' | 'ACTIVE' | 'EXPIRED' | 'REFUSED' | 'REVOKED'

export function requestState(r: RequestFacts, now: Date): RequestState {
  if (r.status === 'APPROVED') return r.expiresAt && r.expiresAt.getTime() > now.getTime() ? 'ACTIVE' : 'EXPIRED'
  return r.status
}

/** A grant in force for this person: approved, and not yet expired or revoked. */
export function hasActiveGrant(requests: readonly RequestFacts[], userId: string, now: Date): boolean {
  return requests.some((r) => r.requestedBy === userId && requestState(r, now) === 'ACTIVE')
}

/** Someone may decide a request if their role approves ABE access and they did not ask for it. */
export function mayDecide(approverId: string, request: { requestedBy: string }): boolean {
  return approverId !== request.requestedBy
}

export const STATE_LABELS: Record<RequestState, { text: string; classes: string }> = {
  PENDING: { text: 'Waiting for a decision', classes: 'govuk-tag--yellow' },
  ACTIVE: { text: 'Approved', classes: 'govuk-tag--green' },
  EXPIRED: { text: 'Expired', classes: 'govuk-tag--grey' },
  REFUSED: { text: 'Refused', classes: 'govuk-tag--red' },
  REVOKED: { text: 'Revoked', classes: 'govuk-tag--grey' },
}
