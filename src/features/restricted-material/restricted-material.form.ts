import type { DecisionInput, MaterialInput } from './restricted-material.rules.js'

type Body = Record<string, unknown>
const text = (v: unknown): string => (typeof v === 'string' ? v : '')
const asBody = (body: unknown): Body => (body && typeof body === 'object' ? (body as Body) : {})

export function readMaterialForm(raw: unknown): MaterialInput {
  const body = asBody(raw)
  return {
    harmedChildId: text(body['harmed-child']),
    reference: text(body.reference),
    interviewed: { day: text(body['interviewed-day']), month: text(body['interviewed-month']), year: text(body['interviewed-year']) },
    heldByAgencyId: text(body['held-by']),
    summary: text(body.summary),
  }
}

export function readReason(raw: unknown): string {
  return text(asBody(raw).reason)
}

export function readDecisionForm(raw: unknown): DecisionInput {
  const body = asBody(raw)
  return { decision: text(body.decision), days: text(body.days), note: text(body.note) }
}
