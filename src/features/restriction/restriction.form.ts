import { BREAK_GLASS_REASONS, type BreakGlassReason } from '../../platform/access/break-glass.js'
import { field, fieldError, fields, readText, type FieldError, type FormResult } from '../../platform/forms/forms.js'
import { isUuid } from '../../platform/http/errors.js'

export const REASON_MAX = 2000

/** What restricting (or changing who is named on) a record asks for. */
export type RestrictionInput = { reason: string; named: string[]; formKey: string | null }

/**
 * The restriction form: a reason (required) and the people who keep access, chosen from those
 * offered. The person restricting must stay named: the policy lets only people named on a
 * restricted record change or lift it, so removing oneself would leave them unable to.
 */
export function readRestriction(
  body: unknown,
  c: { offered: ReadonlySet<string>; selfId: string; changing: boolean },
): FormResult<RestrictionInput> & { named: string[] } {
  const errors: FieldError[] = []
  const reason = readText(body, 'reason', {
    label: 'Reason',
    required: c.changing ? 'Enter why you are changing who can see this record' : 'Enter why this record is being restricted',
    max: REASON_MAX,
  })
  if (reason.error) errors.push(reason.error)
  const named = [...new Set(fields(body, 'named').filter((id) => isUuid(id)))]
  if (named.some((id) => !c.offered.has(id))) errors.push(fieldError('named', 'Choose people from the list'))
  else if (!named.includes(c.selfId))
    errors.push(
      fieldError(
        'named',
        'Keep yourself on the list of people who can see this record: otherwise you could not change or remove the restriction',
      ),
    )
  const key = field(body, 'form-key')
  if (errors.length) return { ok: false, errors, named }
  return { ok: true, value: { reason: reason.value, named, formKey: isUuid(key) ? key : null }, named }
}

/** Removing the restriction asks why. */
export function readRemoval(body: unknown): FormResult<{ reason: string; formKey: string | null }> {
  const reason = readText(body, 'reason', { label: 'Reason', required: 'Enter why the restriction is being removed', max: REASON_MAX })
  if (reason.error) return { ok: false, errors: [reason.error] }
  const key = field(body, 'form-key')
  return { ok: true, value: { reason: reason.value, formKey: isUuid(key) ? key : null } }
}

export type BreakGlassInput = { reasonCode: BreakGlassReason; details: string }

/** Break-glass: why (one of the reasons), the details (required), and the confirmation that the access is recorded and reviewed. */
export function readBreakGlass(body: unknown): FormResult<BreakGlassInput> {
  const errors: FieldError[] = []
  const code = field(body, 'reason')
  // Own keys only: `in` would take "constructor" or "toString" from the prototype as a reason.
  if (!Object.hasOwn(BREAK_GLASS_REASONS, code)) errors.push(fieldError('reason', 'Select why you need to open this record'))
  const details = readText(body, 'details', {
    label: 'Details',
    required: 'Enter the details of why you need to open this record now',
    max: REASON_MAX,
  })
  if (details.error) errors.push(details.error)
  if (field(body, 'confirm') !== 'yes')
    errors.push(fieldError('confirm', 'Confirm that you understand your access is recorded and reviewed'))
  if (errors.length) return { ok: false, errors }
  return { ok: true, value: { reasonCode: code as BreakGlassReason, details: details.value } }
}
