import { field, wholeNumber } from '../../platform/forms/forms.js'
import type { AgencyInput, TeamInput } from './organisations.rules.js'

/**
 * Reads the organisation forms into what was typed (strings). The hidden fields a person cannot
 * put right (the version an edit started from, the key of a form that adds) come back null when
 * missing or mangled: the service refuses those as an incomplete form.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The hidden key a form that adds carries (sent twice, it finds what the first added), or null. */
export function formKey(body: unknown): string | null {
  const key = field(body, 'form-key')
  return UUID.test(key) ? key.toLowerCase() : null
}

export type Sent<T> = T & { version: number | null; key: string | null }

export function readAgencyForm(body: unknown): Sent<AgencyInput> {
  return { name: field(body, 'name'), kind: field(body, 'kind'), version: wholeNumber(field(body, 'version')), key: formKey(body) }
}

export function readTeamForm(body: unknown): Sent<TeamInput> {
  return {
    name: field(body, 'name'),
    agencyId: field(body, 'agency'),
    frontDoor: field(body, 'frontDoor'),
    version: wholeNumber(field(body, 'version')),
    key: formKey(body),
  }
}

/** A retirement: the version the page showed. */
export function readRetireForm(body: unknown): { version: number | null } {
  return { version: wholeNumber(field(body, 'version')) }
}
