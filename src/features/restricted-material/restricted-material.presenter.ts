import { formatDate, formatDateTime } from '../../platform/http/format.js'
import { type FieldError, text } from '../../platform/forms/forms.js'
import { dateInputItems } from '../../platform/forms/dates.js'
import type { RequestRow } from './restricted-material.repository.js'
import { DEFAULT_GRANT_DAYS, MAX_GRANT_DAYS, requestState, STATE_LABELS } from './restricted-material.rules.js'
import type { DecisionPage, HarmedChild, MaterialFormOptions, RestrictedMaterialPage } from './restricted-material.service.js'

type Values = Record<string, string | string[]>
const one = text
const dateOf = (iso: string) => formatDate(`${iso}T12:00:00Z`)
const NOT_READABLE = 'A linked harmed child (you do not have access to their record)'
const harmedName = (harmed: HarmedChild[], id: string) => harmed.find((h) => h.id === id)?.name ?? NOT_READABLE

function stateOf(r: RequestRow, now: Date) {
  const state = requestState(r, now)
  const label = STATE_LABELS[state]
  const when =
    state === 'ACTIVE'
      ? `until ${formatDateTime(r.expiresAt)}`
      : state === 'EXPIRED'
        ? `ended ${formatDateTime(r.expiresAt)}`
        : state === 'REVOKED'
          ? `${formatDateTime(r.revokedAt)}`
          : ''
  return {
    state,
    tag: { text: label.text, classes: label.classes },
    when,
    decidedBy: r.decidedByName ? `${r.decidedByName}, ${formatDateTime(r.decidedAt)}` : '',
  }
}

/** The page for one case; `failed` keeps a request's typed reason and its error next to its material. */
export function presentRestrictedMaterial(
  p: RestrictedMaterialPage,
  failed?: { materialId: string; reason: string; errors: FieldError[] },
) {
  const errors = failed?.errors.map((e) => (e.href === '#reason' ? { ...e, href: `#reason-${failed.materialId}` } : e))
  return {
    pageTitle: 'Restricted interview material',
    caseId: p.kase.id,
    childName: p.kase.childName,
    errors,
    harmed: p.harmed.map((h) => ({ name: h.name ?? NOT_READABLE })),
    canRecord: p.canRecord,
    isApprover: p.isApprover,
    materials: p.materials.map((m) => ({
      id: m.id,
      rows: [
        { key: { text: 'Harmed child' }, value: { text: harmedName(p.harmed, m.harmedChildId) } },
        { key: { text: 'Reference' }, value: { text: m.reference } },
        { key: { text: 'Date of interview' }, value: { text: dateOf(m.interviewedOn) } },
        { key: { text: 'Held by' }, value: { text: m.heldByAgencyName } },
        { key: { text: 'Summary' }, value: { text: m.hasSummary ? 'Recorded (restricted)' : 'No summary recorded' } },
        { key: { text: 'Recorded by' }, value: { text: `${m.recordedByName}, ${formatDateTime(m.recordedAt)}` } },
      ],
      hasGrant: m.hasGrant,
      canRequest: m.canRequest,
      reason: failed?.materialId === m.id ? failed.reason : '',
      reasonError: failed?.materialId === m.id ? errors?.find((e) => e.href === `#reason-${m.id}`) : undefined,
      mine: m.mine.map((r) => ({ requested: formatDateTime(r.requestedAt), reason: r.reason, ...stateOf(r, p.now) })),
      requests: m.requests.map((r) => ({
        id: r.id,
        requestedBy: r.requestedByName,
        requested: formatDateTime(r.requestedAt),
        reason: r.reason,
        own: r.requestedBy === p.userId,
        ...stateOf(r, p.now),
      })),
    })),
  }
}

export function presentMaterialForm(o: MaterialFormOptions, values: Values = {}, errors: FieldError[] = []) {
  const chosen = one(values['harmed-child']) || (o.harmed.length === 1 ? o.harmed[0]!.id : '')
  return {
    pageTitle: 'Record interview material',
    caseId: o.kase.id,
    childName: o.kase.childName,
    values,
    errors,
    harmedItems: o.harmed.map((h, i) => ({
      value: h.id,
      text: h.name ?? `Linked harmed child ${i + 1} (you do not have access to their record)`,
      checked: h.id === chosen,
    })),
    agencyItems: [
      { value: '', text: 'Select the agency' },
      ...o.agencies.map((a) => ({ value: a.id, text: a.name, selected: a.id === one(values['held-by']) })),
    ],
    interviewedItems: dateInputItems('interviewed', values, errors),
  }
}

export function presentDecision(d: DecisionPage, values: Values = {}, errors: FieldError[] = []) {
  const decision = one(values.decision)
  return {
    pageTitle: 'Decide a request to read restricted material',
    caseId: d.kase.id,
    childName: d.kase.childName,
    accessRequestId: d.request.id,
    pending: d.request.status === 'PENDING',
    errors,
    values,
    defaultDays: DEFAULT_GRANT_DAYS,
    maxDays: MAX_GRANT_DAYS,
    rows: [
      { key: { text: 'Asked by' }, value: { text: d.request.requestedByName } },
      { key: { text: 'When' }, value: { text: formatDateTime(d.request.requestedAt) } },
      { key: { text: 'Reason' }, value: { text: d.request.reason } },
      {
        key: { text: 'Material' },
        value: {
          text: `${d.material.reference}, interview of ${dateOf(d.material.interviewedOn)}, held by ${d.material.heldByAgencyName}`,
        },
      },
    ],
    decisionItems: [
      { value: 'APPROVE', text: 'Approve, for a limited time', checked: decision === 'APPROVE' },
      { value: 'REFUSE', text: 'Refuse', checked: decision === 'REFUSE' },
    ],
  }
}

export function presentMaterial(r: {
  kase: { id: string; childName: string }
  material: { reference: string; interviewedOn: string; heldByAgencyName: string; summary: string | null }
  expiresAt: Date
}) {
  return {
    pageTitle: 'Interview material',
    caseId: r.kase.id,
    childName: r.kase.childName,
    expires: formatDateTime(r.expiresAt),
    rows: [
      { key: { text: 'Reference' }, value: { text: r.material.reference } },
      { key: { text: 'Date of interview' }, value: { text: dateOf(r.material.interviewedOn) } },
      { key: { text: 'Held by' }, value: { text: r.material.heldByAgencyName } },
    ],
    summary: r.material.summary
      ? r.material.summary
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter(Boolean)
      : null,
  }
}
