import { datePartsOf } from '../../platform/forms/dates.js'
import { field } from '../../platform/forms/forms.js'
import type { EntryInput } from './criminal-process.rules.js'

/** Reads the criminal process form as typed (every value a string); criminal-process.rules.ts decides what it means. */
export function readEntryForm(body: unknown): EntryInput {
  return {
    kind: field(body, 'kind'),
    date: datePartsOf(body, 'date'),
    endDate: datePartsOf(body, 'end-date'),
    policeReference: field(body, 'police-reference'),
    conditions: field(body, 'conditions'),
    holdsUp: field(body, 'holds-up') === 'yes',
    holdUpNote: field(body, 'hold-up-note'),
    offence: field(body, 'offence'),
    court: field(body, 'court'),
    hearingType: field(body, 'hearing-type'),
    outcome: field(body, 'outcome'),
  }
}
