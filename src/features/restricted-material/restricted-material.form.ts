import { field } from '../../platform/forms/forms.js'
import { datePartsOf } from '../../platform/forms/dates.js'
import type { DecisionInput, MaterialInput } from './restricted-material.rules.js'

export function readMaterialForm(body: unknown): MaterialInput {
  return {
    harmedChildId: field(body, 'harmed-child'),
    reference: field(body, 'reference'),
    interviewed: datePartsOf(body, 'interviewed'),
    heldByAgencyId: field(body, 'held-by'),
    summary: field(body, 'summary'),
  }
}

export function readReason(body: unknown): string {
  return field(body, 'reason')
}

export function readDecisionForm(body: unknown): DecisionInput {
  return { decision: field(body, 'decision'), days: field(body, 'days'), note: field(body, 'note') }
}
