import { MAX_ROWS, MINUTES_TEXT, MINUTES_TEXT_FIELDS, type ArrangementInput, type MinutesInput, type MinutesTextField } from './meetings.rules.js'

/**
 * Reads the meetings' form bodies into what was typed (every value a string). Checking what
 * it means is for meetings.rules.ts. Hidden fields the person cannot put right (the version,
 * the form's key) come back null when missing or mangled: the service refuses them as a bad
 * request, after it has decided whether the person may act at all.
 */

type Body = Record<string, unknown>

const text = (v: unknown): string => (typeof v === 'string' ? v : '')
/** Checkboxes send nothing, one string, or several. */
const ticked = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]).filter((x): x is string => typeof x === 'string' && x !== '')
const asBody = (body: unknown): Body => (body && typeof body === 'object' ? (body as Body) : {})

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function formKey(body: Body): string | null {
  const key = text(body['form-key'])
  return UUID.test(key) ? key.toLowerCase() : null
}

function formVersion(body: Body): number | null {
  const version = text(body.version)
  return /^\d{1,9}$/.test(version) ? Number(version) : null
}

export function readArrangementForm(raw: unknown): { input: ArrangementInput; key: string | null } {
  const body = asBody(raw)
  return {
    key: formKey(body),
    input: {
      kind: text(body.kind),
      date: { day: text(body['date-day']), month: text(body['date-month']), year: text(body['date-year']) },
      time: text(body.time),
      chair: text(body.chair),
      agencies: ticked(body.agencies),
      people: ticked(body.people),
    },
  }
}

/** Rows are as many as the form sent: the highest row any of whose fields arrived, even blank. */
function rowCount(body: Body, prefixes: readonly string[]): number {
  let count = 0
  for (let i = 0; i < MAX_ROWS; i++) if (prefixes.some((p) => `${p}-${i}` in body || `${p}-${i}-day` in body)) count = i + 1
  return count
}

export type AddRow = 'score' | 'action' | null

export function readMinutesForm(raw: unknown): { input: MinutesInput; version: number | null; key: string | null; add: AddRow } {
  const body = asBody(raw)
  const attendance: Record<string, string> = {}
  for (const [name, value] of Object.entries(body)) {
    const id = /^attendance-(.+)$/.exec(name)?.[1]
    if (id) attendance[id.toLowerCase()] = text(value)
  }
  const textValues = Object.fromEntries(MINUTES_TEXT_FIELDS.map((f) => [f, text(body[MINUTES_TEXT[f].id])])) as Record<MinutesTextField, string>
  const scores = Array.from({ length: rowCount(body, ['score-name', 'score-agency', 'score-value']) }, (_, i) => ({
    name: text(body[`score-name-${i}`]),
    agency: text(body[`score-agency-${i}`]),
    score: text(body[`score-value-${i}`]),
  }))
  const actions = Array.from({ length: rowCount(body, ['action-text', 'action-owner', 'action-owner-text', 'action-due']) }, (_, i) => ({
    text: text(body[`action-text-${i}`]),
    owner: text(body[`action-owner-${i}`]),
    ownerText: text(body[`action-owner-text-${i}`]),
    due: { day: text(body[`action-due-${i}-day`]), month: text(body[`action-due-${i}-month`]), year: text(body[`action-due-${i}-year`]) },
  }))
  const add = text(body.add)
  return {
    version: formVersion(body),
    key: formKey(body),
    add: add === 'score' || add === 'action' ? add : null,
    input: {
      held: { day: text(body['held-day']), month: text(body['held-month']), year: text(body['held-year']), time: text(body['held-time']) },
      attendance,
      text: textValues,
      scores,
      outcomes: ticked(body.outcomes),
      actions,
    },
  }
}

export function readAddendumForm(raw: unknown): { text: string; key: string | null } {
  const body = asBody(raw)
  return { key: formKey(body), text: text(body.addendum) }
}
