import type { EntryInput } from './criminal-process.rules.js'

type Body = Record<string, unknown>
const text = (v: unknown): string => (typeof v === 'string' ? v : '')
const asBody = (body: unknown): Body => (body && typeof body === 'object' ? (body as Body) : {})
const dateParts = (body: Body, id: string) => ({ day: text(body[`${id}-day`]), month: text(body[`${id}-month`]), year: text(body[`${id}-year`]) })

/** Reads the criminal process form as typed (every value a string); criminal-process.rules.ts decides what it means. */
export function readEntryForm(raw: unknown): EntryInput {
  const body = asBody(raw)
  return {
    kind: text(body.kind),
    date: dateParts(body, 'date'),
    endDate: dateParts(body, 'end-date'),
    policeReference: text(body['police-reference']),
    conditions: text(body.conditions),
    holdsUp: text(body['holds-up']) === 'yes',
    holdUpNote: text(body['hold-up-note']),
    offence: text(body.offence),
    court: text(body.court),
    hearingType: text(body['hearing-type']),
    outcome: text(body.outcome),
  }
}
