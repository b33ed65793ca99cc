import { randomUUID } from 'node:crypto'
import { dateItemsFor, type DateParts } from '../../platform/forms/dates.js'
import type { FieldError } from '../../platform/forms/forms.js'
import { formatDate, formatDateTime } from '../../platform/http/format.js'
import { KIND_LABELS, RECORD_KINDS, describeRule, type ScheduleInput } from './retention.rules.js'
import type { Overview } from './retention.service.js'

/** Data for the retention pages (the templates make the HTML). */

const ruleOf = (s: { yearsAfterLastContact: number | null; untilBirthday: number | null }) => describeRule(s)

export function presentOverview(o: Overview) {
  return {
    pageTitle: 'Retention',
    today: formatDate(o.today),
    mayApprove: o.mayApprove,
    kinds: RECORD_KINDS.map((kind) => {
      const s = o.inForce[kind]
      return {
        kind,
        label: KIND_LABELS[kind],
        inForce: s
          ? {
              rule: ruleOf(s),
              effectiveFrom: formatDate(s.effectiveFrom),
              decidedBy: s.decidedByName,
              decidedAt: formatDateTime(s.decidedAt),
              note: s.decisionNote,
            }
          : null,
      }
    }),
    history: o.schedules.map((s) => ({
      kind: KIND_LABELS[s.kind],
      rule: ruleOf(s),
      effectiveFrom: formatDate(s.effectiveFrom),
      decidedBy: s.decidedByName,
      decidedAt: formatDateTime(s.decidedAt),
      note: s.decisionNote,
    })),
    due: o.due.map((d) => ({
      childId: d.childId,
      reference: d.reference,
      name: d.name,
      kind: d.kind === 'FRONT_DOOR_NFA' ? 'Closed at the front door' : 'Child’s record',
      basis: d.due.basis,
      dueOn: formatDate(d.due.dueOn),
      held: d.holdId !== null,
      proposal:
        d.deletionStatus === 'PROPOSED'
          ? 'Proposed, waiting for approval'
          : d.deletionStatus === 'APPROVED'
            ? 'Approved, waiting to run'
            : null,
    })),
    holds: o.holds.map((h) => ({
      id: h.id,
      reference: o.due.find((d) => d.childId === h.childId)?.reference ?? h.childId.slice(0, 8),
      reason: h.reason,
      placedBy: h.placedByName,
      placedAt: formatDateTime(h.placedAt),
    })),
    waiting: o.waiting.map((w) => ({
      id: w.id,
      reference: w.reference,
      name: w.name,
      basis: w.basis,
      dueOn: formatDate(w.dueOn),
      proposedBy: w.proposedByName,
      proposedAt: formatDateTime(w.proposedAt),
      held: w.held,
      own: w.proposedBy === o.userId,
    })),
    approved: o.approved.map((a) => ({
      id: a.id,
      reference: a.reference,
      name: a.name,
      proposedBy: a.proposedByName,
      approvedBy: a.decidedByName,
      held: a.held,
    })),
    tombstones: o.tombstones.map((t) => ({
      childId: t.childId,
      kind: KIND_LABELS[t.kind],
      erasedAt: formatDateTime(t.erasedAt),
      approvedBy: t.approvedByName,
    })),
  }
}

export const EMPTY_SCHEDULE: ScheduleInput = {
  kind: '',
  yearsAfterLastContact: '',
  untilBirthday: '',
  effectiveFrom: { day: '', month: '', year: '' },
  note: '',
}

/** The schedule form: what was typed kept, the errors beside the fields, a fresh key for a new form. */
export function presentScheduleForm(input: ScheduleInput, errors: FieldError[] = [], key: string = randomUUID()) {
  return {
    pageTitle: errors.length ? 'Error: Set the retention schedule' : 'Set the retention schedule',
    errors,
    formKey: key,
    values: { ...input, effectiveFrom: undefined },
    kindItems: RECORD_KINDS.map((k) => ({ value: k, text: KIND_LABELS[k], checked: input.kind === k })),
    effectiveItems: dateItemsFor('effective-from', input.effectiveFrom as DateParts, errors),
  }
}
