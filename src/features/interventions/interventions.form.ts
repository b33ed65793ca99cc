import { readArrangementForm } from '../meetings/meetings.form.js'
import type { ArrangementInput } from '../meetings/meetings.rules.js'
import { MAX_GOALS, REVIEW_TEXT, REVIEW_TEXT_FIELDS, type ClosureInput, type EndInput, type GoalInput, type PanelDecisionInput, type ReviewInput, type ReviewTextField } from './interventions.rules.js'

/**
 * Reads the interventions forms into what was typed (every value a string). Hidden fields the
 * person cannot put right (the version, the form's key) come back null when missing or mangled.
 */

type Body = Record<string, unknown>
const text = (v: unknown): string => (typeof v === 'string' ? v : '')
const asBody = (body: unknown): Body => (body && typeof body === 'object' ? (body as Body) : {})
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const formKey = (body: Body) => (UUID.test(text(body['form-key'])) ? text(body['form-key']).toLowerCase() : null)
const formVersion = (body: Body) => (/^\d{1,9}$/.test(text(body.version)) ? Number(text(body.version)) : null)
const date = (body: Body, prefix: string) => ({ day: text(body[`${prefix}-day`]), month: text(body[`${prefix}-month`]), year: text(body[`${prefix}-year`]) })
const held = (body: Body) => ({ ...date(body, 'held'), time: text(body['held-time']) })

function attendance(body: Body): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(body)) {
    const id = /^attendance-(.+)$/.exec(name)?.[1]
    if (id) out[id.toLowerCase()] = text(value)
  }
  return out
}

/** Goal rows: as many as the form sent (the highest row any of whose fields arrived, even blank). */
function goals(body: Body): GoalInput[] {
  let count = 0
  for (let i = 0; i < MAX_GOALS; i++) {
    if (['text', 'need', 'service', 'provider', 'status'].some((f) => `goal-${f}-${i}` in body) || `goal-start-${i}-day` in body) count = i + 1
  }
  return Array.from({ length: count }, (_, i) => ({
    text: text(body[`goal-text-${i}`]),
    need: text(body[`goal-need-${i}`]),
    service: text(body[`goal-service-${i}`]),
    provider: text(body[`goal-provider-${i}`]),
    start: date(body, `goal-start-${i}`),
    review: date(body, `goal-review-${i}`),
    status: text(body[`goal-status-${i}`]),
  }))
}

export type Hidden = { version: number | null; key: string | null; addGoal: boolean }
const hidden = (body: Body): Hidden => ({ version: formVersion(body), key: formKey(body), addGoal: text(body.add) === 'goal' })

export function readArrangement(raw: unknown): { input: ArrangementInput; key: string | null } {
  return readArrangementForm(raw)
}

export function readReviewForm(raw: unknown): Hidden & { input: ReviewInput } {
  const body = asBody(raw)
  const textValues = Object.fromEntries(REVIEW_TEXT_FIELDS.map((f) => [f, text(body[REVIEW_TEXT[f].id])])) as Record<ReviewTextField, string>
  return { ...hidden(body), input: { held: held(body), attendance: attendance(body), text: textValues, goals: goals(body) } }
}

export function readPlanForm(raw: unknown): Hidden & { input: { goals: GoalInput[]; changeNote: string } } {
  const body = asBody(raw)
  return { ...hidden(body), input: { goals: goals(body), changeNote: text(body['change-note']) } }
}

export function readEndForm(raw: unknown): Hidden & { input: EndInput } {
  const body = asBody(raw)
  return {
    ...hidden(body),
    input: { held: held(body), attendance: attendance(body), workDone: text(body['work-done']), level: text(body.level), reason: text(body.reason), openWorkReason: text(body['open-work-reason']) },
  }
}

export function readPanelRequest(raw: unknown): { reason: string } {
  return { reason: text(asBody(raw).reason) }
}

export function readPanelDecision(raw: unknown): PanelDecisionInput {
  const body = asBody(raw)
  return { service: text(body.service), provider: text(body.provider), level: text(body.level), date: date(body, 'panel-date'), notes: text(body.notes) }
}

export function readClosure(raw: unknown): ClosureInput {
  const body = asBody(raw)
  return { reason: text(body.reason), openWorkReason: text(body['open-work-reason']) }
}

export function readActionDone(raw: unknown): string | null {
  const id = text(asBody(raw).action)
  return UUID.test(id) ? id.toLowerCase() : null
}
