import { field, readText, resultOf, type FieldError } from '../../platform/forms/forms.js'
import { isUuid } from '../../platform/http/errors.js'
import { UPDATE_LIMITS } from './referrer-view.rules.js'

export type ShareCommand = { title: string; body: string; key: string }

/** The share-back form: what it is about, the words shared, and the form's own key (a second send of the same form shares once). */
export type ShareForm = { ok: true; value: ShareCommand } | { ok: false; errors: FieldError[]; incomplete: boolean }

export function readShareForm(body: unknown): ShareForm {
  const key = field(body, 'key').trim()
  if (!isUuid(key)) return { ok: false, errors: [], incomplete: true }
  const title = readText(body, 'title', {
    label: 'What the update is about',
    required: 'Enter what the update is about',
    max: UPDATE_LIMITS.title,
  })
  const text = readText(body, 'body', {
    label: 'The update',
    required: 'Enter what you want to tell the referrer',
    max: UPDATE_LIMITS.body,
  })
  const errors = [title.error, text.error].filter((e): e is FieldError => e !== null)
  const result = resultOf(errors, { title: title.value, body: text.value, key: key.toLowerCase() })
  return result.ok ? result : { ...result, incomplete: false }
}
