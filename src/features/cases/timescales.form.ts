import { datePartsOf } from '../../platform/forms/dates.js'
import { field } from '../../platform/forms/forms.js'
import type { ChangeForm } from './timescales.service.js'
import { EFFECTIVE_FIELD, LENGTH_FIELD, REASON_FIELD } from './timescales.rules.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The change form as sent: the length as typed, the GOV.UK date input, the reason, and the one-time key (null if missing or mangled). */
export function readChangeForm(body: unknown): ChangeForm {
  const key = field(body, 'form-key')
  return {
    key: UUID.test(key) ? key.toLowerCase() : null,
    input: { length: field(body, LENGTH_FIELD), effective: datePartsOf(body, EFFECTIVE_FIELD), reason: field(body, REASON_FIELD) },
  }
}
