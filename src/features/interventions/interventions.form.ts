import { whenOf } from '../../platform/forms/when.js'
import { datePartsOf, dateTimeOf } from '../../platform/forms/dates.js'
import { field, wholeNumber } from '../../platform/forms/forms.js'
import { readAttendance, rowCount } from '../meetings/index.js'
import {
  MAX_GOALS,
  REVIEW_TEXT,
  REVIEW_TEXT_FIELDS,
  type ClosureInput,
  type EndInput,
  type GoalInput,
  type PanelDecisionInput,
  type ReviewInput,
  type ReviewTextField,
} from './interventions.rules.js'

/**
 * Reads the interventions forms into what was typed (every value a string). The version the
 * page put in a hidden field comes back null when missing or mangled.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Goal rows: as many as the form sent (the highest row any of whose fields arrived, even blank). */
function goals(body: unknown): GoalInput[] {
  const count = rowCount(body, ['goal-text', 'goal-need', 'goal-service', 'goal-provider', 'goal-status', 'goal-start'], MAX_GOALS)
  return Array.from({ length: count }, (_, i) => ({
    text: field(body, `goal-text-${i}`),
    need: field(body, `goal-need-${i}`),
    service: field(body, `goal-service-${i}`),
    provider: field(body, `goal-provider-${i}`),
    start: datePartsOf(body, `goal-start-${i}`),
    review: datePartsOf(body, `goal-review-${i}`),
    status: field(body, `goal-status-${i}`),
  }))
}

/** The record's version, and whether "Add another goal" was pressed (the same form again, nothing saved). */
export type Hidden = { version: number | null; addGoal: boolean }
const hidden = (body: unknown): Hidden => ({ version: wholeNumber(field(body, 'version')), addGoal: field(body, 'add') === 'goal' })

export function readReviewForm(body: unknown): Hidden & { input: ReviewInput } {
  const text = Object.fromEntries(REVIEW_TEXT_FIELDS.map((f) => [f, field(body, REVIEW_TEXT[f].id)])) as Record<ReviewTextField, string>
  return { ...hidden(body), input: { held: dateTimeOf(body, 'held'), attendance: readAttendance(body), text, goals: goals(body) } }
}

export function readPlanForm(body: unknown): Hidden & { input: { goals: GoalInput[]; changeNote: string } } {
  return { ...hidden(body), input: { goals: goals(body), changeNote: field(body, 'change-note') } }
}

export function readEndForm(body: unknown): Hidden & { input: EndInput } {
  return {
    ...hidden(body),
    input: {
      held: dateTimeOf(body, 'held'),
      attendance: readAttendance(body),
      workDone: field(body, 'work-done'),
      level: field(body, 'level'),
      reason: field(body, 'reason'),
      openWorkReason: field(body, 'open-work-reason'),
    },
  }
}

export function readPanelRequest(body: unknown): { reason: string } {
  return { reason: field(body, 'reason') }
}

export function readPanelDecision(body: unknown): PanelDecisionInput {
  return {
    service: field(body, 'service'),
    provider: field(body, 'provider'),
    level: field(body, 'level'),
    date: datePartsOf(body, 'panel-date'),
    notes: field(body, 'notes'),
  }
}

export function readClosure(body: unknown): ClosureInput {
  return { reason: field(body, 'reason'), openWorkReason: field(body, 'open-work-reason'), when: whenOf(body) }
}

/** The action a "Mark done" button names, or null. */
export function readActionDone(body: unknown): string | null {
  const id = field(body, 'action')
  return UUID.test(id) ? id.toLowerCase() : null
}
