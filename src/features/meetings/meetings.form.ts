import { datePartsOf, dateTimeOf } from '../../platform/forms/dates.js'
import { field, fields, wholeNumber } from '../../platform/forms/forms.js'
import {
  MAX_ROWS,
  MINUTES_TEXT,
  MINUTES_TEXT_FIELDS,
  type ArrangementInput,
  type MinutesInput,
  type MinutesTextField,
} from './meetings.rules.js'

/**
 * Reads the meetings' form bodies into what was typed (every value a string). Checking what
 * it means is for meetings.rules.ts. Hidden fields the person cannot put right (the version,
 * the form's key) come back null when missing or mangled: the service refuses them as a bad
 * request, after it has decided whether the person may act at all.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The hidden key a form that creates something carries (a second click of it finds the first's record), or null. */
export function formKey(body: unknown): string | null {
  const key = field(body, 'form-key')
  return UUID.test(key) ? key.toLowerCase() : null
}

/** Checkboxes send nothing, one value, or several. */
const ticked = (body: unknown, name: string): string[] => fields(body, name).filter((v) => v !== '')

export function readArrangementForm(body: unknown): { input: ArrangementInput; key: string | null } {
  return {
    key: formKey(body),
    input: {
      kind: field(body, 'kind'),
      date: datePartsOf(body, 'date'),
      time: field(body, 'time'),
      chair: field(body, 'chair'),
      agencies: ticked(body, 'agencies'),
      people: ticked(body, 'people'),
    },
  }
}

/** Attendance radios (`attendance-<invitation id>`), whatever invitations the form was made for. */
export function readAttendance(body: unknown): Record<string, string> {
  const attendance: Record<string, string> = {}
  for (const name of Object.keys(body && typeof body === 'object' ? body : {})) {
    const id = /^attendance-(.+)$/.exec(name)?.[1]
    if (id) attendance[id.toLowerCase()] = field(body, name)
  }
  return attendance
}

/** Rows are as many as the form sent: the highest row any of whose fields arrived, even blank. */
export function rowCount(body: unknown, prefixes: readonly string[], max: number): number {
  const names = body && typeof body === 'object' ? (body as Record<string, unknown>) : {}
  let count = 0
  for (let i = 0; i < max; i++) if (prefixes.some((p) => `${p}-${i}` in names || `${p}-${i}-day` in names)) count = i + 1
  return count
}

export type AddRow = 'score' | 'action' | null

export function readMinutesForm(body: unknown): { input: MinutesInput; version: number | null; key: string | null; add: AddRow } {
  const textValues = Object.fromEntries(MINUTES_TEXT_FIELDS.map((f) => [f, field(body, MINUTES_TEXT[f].id)])) as Record<
    MinutesTextField,
    string
  >
  const scores = Array.from({ length: rowCount(body, ['score-name', 'score-agency', 'score-value'], MAX_ROWS) }, (_, i) => ({
    name: field(body, `score-name-${i}`),
    agency: field(body, `score-agency-${i}`),
    score: field(body, `score-value-${i}`),
  }))
  const actions = Array.from(
    { length: rowCount(body, ['action-text', 'action-owner', 'action-owner-text', 'action-due'], MAX_ROWS) },
    (_, i) => ({
      text: field(body, `action-text-${i}`),
      owner: field(body, `action-owner-${i}`),
      ownerText: field(body, `action-owner-text-${i}`),
      due: datePartsOf(body, `action-due-${i}`),
    }),
  )
  const add = field(body, 'add')
  return {
    version: wholeNumber(field(body, 'version')),
    key: formKey(body),
    add: add === 'score' || add === 'action' ? add : null,
    input: {
      held: dateTimeOf(body, 'held'),
      attendance: readAttendance(body),
      text: textValues,
      scores,
      outcomes: ticked(body, 'outcomes'),
      actions,
    },
  }
}

export function readAddendumForm(body: unknown): { text: string; key: string | null } {
  return { key: formKey(body), text: field(body, 'addendum') }
}
