import { type FieldError, text } from '../../platform/forms/forms.js'
import { whenOf, type WhenInput } from '../../platform/forms/when.js'
import type { Parsed } from './request-for-support.form.js'

/** Forms for management oversight, the green decision and allocation. Hidden fields: the case version (and the screening shown). */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** A field as typed, without surrounding spaces. */
const trimmed = (value: unknown) => text(value).trim()
const fields = (body: unknown) => (body ?? {}) as Record<string, unknown>
const versionOf = (b: Record<string, unknown>) => (/^\d{1,9}$/.test(trimmed(b.version)) ? Number(trimmed(b.version)) : null)

function finish<T>(errors: FieldError[], version: number | null, value: () => T): Parsed<T> {
  if (version === null) return { ok: false, errors, incomplete: true }
  return errors.length ? { ok: false, errors, incomplete: false } : { ok: true, value: value() }
}

function tooLong(errors: FieldError[], field: string, value: string, max: number, label: string) {
  if (value.length > max) errors.push({ href: `#${field}`, text: `${label} must be ${max.toLocaleString('en-GB')} characters or fewer` })
}

export type OversightOutcome = 'CONFIRM' | 'RETURN'
export type OversightCommand = { outcome: OversightOutcome; note: string | null; screeningId: string; version: number }

/** Each step's form also says when it happened (checked against the case by the kernel). */
export type WithWhen = { when: WhenInput }

export function parseOversight(body: unknown): Parsed<OversightCommand> & { outcome: OversightOutcome | null } & WithWhen {
  const b = fields(body)
  const outcome = trimmed(b.outcome) === 'CONFIRM' || trimmed(b.outcome) === 'RETURN' ? (trimmed(b.outcome) as OversightOutcome) : null
  const note = trimmed(b.note)
  const screeningId = trimmed(b['screening-id'])
  const errors: FieldError[] = []
  if (!outcome) errors.push({ href: '#outcome', text: 'Select whether you confirm the screening or return it to the worker' })
  if (outcome === 'RETURN' && !note) errors.push({ href: '#note', text: 'Enter what the worker needs to look at again' })
  tooLong(errors, 'note', note, 2000, 'The note')
  const version = UUID.test(screeningId) ? versionOf(b) : null
  return {
    ...finish(errors, version, () => ({
      outcome: outcome!,
      note: note || null,
      screeningId: screeningId.toLowerCase(),
      version: version!,
    })),
    outcome,
    when: whenOf(body),
  }
}

export type GreenDecision = 'NO_FURTHER_ACTION' | 'EARLY_HELP'
export type GreenDecisionCommand =
  | { decision: 'NO_FURTHER_ACTION'; reason: string; version: number }
  | { decision: 'EARLY_HELP'; professionals: string; earlyHelpAssessmentRequested: boolean; version: number }

export function parseGreenDecision(body: unknown): Parsed<GreenDecisionCommand> & { decision: GreenDecision | null } & WithWhen {
  const b = fields(body)
  const raw = trimmed(b.decision)
  const decision = raw === 'NO_FURTHER_ACTION' || raw === 'EARLY_HELP' ? raw : null
  const [reason, professionals, eha] = [trimmed(b.reason), trimmed(b.professionals), trimmed(b['eha-requested'])]
  const errors: FieldError[] = []
  if (!decision) errors.push({ href: '#decision', text: 'Select no further action or a request for early help' })
  if (decision === 'NO_FURTHER_ACTION' && !reason) errors.push({ href: '#reason', text: 'Enter the reason for no further action' })
  tooLong(errors, 'reason', reason, 2000, 'The reason')
  if (decision === 'EARLY_HELP') {
    if (!professionals) errors.push({ href: '#professionals', text: 'Enter the professionals who will do the early help assessment' })
    if (eha !== 'yes' && eha !== 'no')
      errors.push({ href: '#eha-requested', text: 'Select whether an early help assessment has been requested' })
  }
  tooLong(errors, 'professionals', professionals, 2000, 'Professionals')
  const version = versionOf(b)
  const value = (): GreenDecisionCommand =>
    decision === 'NO_FURTHER_ACTION'
      ? { decision, reason, version: version! }
      : { decision: 'EARLY_HELP', professionals, earlyHelpAssessmentRequested: eha === 'yes', version: version! }
  return { ...finish(errors, version, value), decision, when: whenOf(body) }
}

export type AllocationCommand = { teamId: string; userId: string; interimMeasures: string | null; version: number }

export function parseAllocation(body: unknown): Parsed<AllocationCommand> & WithWhen {
  const b = fields(body)
  const [team, worker, interim] = [trimmed(b.team), trimmed(b.worker), trimmed(b['interim-measures'])]
  const errors: FieldError[] = []
  if (!UUID.test(team)) errors.push({ href: '#team', text: 'Select the team' })
  if (!UUID.test(worker)) errors.push({ href: '#worker', text: 'Select the social worker' })
  tooLong(errors, 'interim-measures', interim, 5000, 'Interim safeguarding measures')
  const version = versionOf(b)
  return {
    ...finish(errors, version, () => ({
      teamId: team.toLowerCase(),
      userId: worker.toLowerCase(),
      interimMeasures: interim || null,
      version: version!,
    })),
    when: whenOf(body),
  }
}
