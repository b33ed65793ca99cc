import { isUuid } from '../../platform/http/errors.js'
import { datePartsOf } from '../../platform/forms/dates.js'
import { field } from '../../platform/forms/forms.js'
import type { RangeInput, ReviewInput } from './privacy.rules.js'

/** Reading the privacy officer's forms and query strings: every value a string; meaning is for privacy.rules.ts. */

export function readReviewForm(body: unknown): ReviewInput {
  const key = field(body, 'form-key')
  return { outcome: field(body, 'outcome'), note: field(body, 'note'), key: isUuid(key) ? key.toLowerCase() : null }
}

export const readQueueQuery = (query: unknown) => ({
  kind: field(query, 'kind'),
  status: field(query, 'status'),
  page: field(query, 'page'),
})

export const readRangeQuery = (query: unknown): RangeInput & { page: string } => ({
  from: datePartsOf(query, 'from'),
  to: datePartsOf(query, 'to'),
  page: field(query, 'page'),
})
