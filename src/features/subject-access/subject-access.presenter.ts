import { randomUUID } from 'node:crypto'
import { londonDate } from '../../platform/clocks/london-time.js'
import { dateInputItems } from '../../platform/forms/dates.js'
import type { FieldError } from '../../platform/forms/forms.js'
import { formatDate, formatDateTime } from '../../platform/http/format.js'
import { SOURCE_LABELS } from './subject-access.gather.js'
import type { ItemRow, RedactionRow, RequestRow } from './subject-access.repository.js'
import {
  decisionRefusal,
  mayGather,
  mayRedact,
  maySubmit,
  REASON_CODES,
  REASON_LABELS,
  redactedText,
  releasedItem,
  releasedTitle,
  STATUS_LABELS,
  SUBJECT_KIND_LABELS,
} from './subject-access.rules.js'
import type { ChildMatch, ItemPage, RequestPage } from './subject-access.service.js'

/** The protective marking at the top and foot of every page of a released bundle. */
export const PROTECTIVE_MARKING = 'OFFICIAL-SENSITIVE'

type Values = Record<string, string | string[] | undefined>
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''))
const TAGS: Record<RequestRow['status'], string> = {
  RECORDED: 'govuk-tag--grey',
  GATHERED: 'govuk-tag--blue',
  SUBMITTED: 'govuk-tag--yellow',
  DECLINED: 'govuk-tag--red',
  APPROVED: 'govuk-tag--green',
}

/** A restricted record's child is named only to someone named on the restriction. */
export const RESTRICTED_RECORD = 'Restricted record'
const childOf = (r: RequestRow) => (r.childRestricted && !r.namedOnRestriction ? RESTRICTED_RECORD : r.childName)
const whoAsks = (r: RequestRow) =>
  r.subjectKind === 'CHILD' ? childOf(r) : `${r.requesterName} (${r.requesterRelationship} of ${childOf(r)})`

export function presentList(rows: RequestRow[], canManage: boolean, today: Date) {
  const todayIso = londonDate(today)
  return {
    pageTitle: 'Subject access requests',
    canManage,
    rows: rows.map((r) => {
      const overdue = r.status !== 'APPROVED' && londonDate(r.dueOn) < todayIso
      return [
        { html: `<a class="govuk-link" href="/privacy/subject-access/${r.id}">${r.reference}</a>` },
        { text: whoAsks(r) },
        { text: formatDate(r.receivedOn) },
        { text: `${formatDate(r.dueOn)}${overdue ? ' (overdue)' : ''}` },
        { html: `<strong class="govuk-tag ${TAGS[r.status]}">${STATUS_LABELS[r.status]}</strong>` },
      ]
    }),
  }
}

export function presentNewRequest(
  values: Values = {},
  errors: FieldError[] = [],
  matches: ChildMatch[] | null = null,
  chosen: { id: string; name: string } | null = null,
) {
  const childId = one(values['child-id'])
  return {
    pageTitle: 'Record a subject access request',
    errors,
    values,
    formKey: one(values['form-key']) || randomUUID(),
    matches,
    chosen,
    // A match that does not name the child (an identifier alone, or a restricted record) cannot be chosen blind.
    withheldCount: (matches ?? []).filter((m) => !m.dateOfBirth).length,
    childItems: (matches ?? [])
      .filter((m) => m.name && m.dateOfBirth)
      .map((m) => ({
        value: m.id,
        text: `${m.name}, born ${formatDate(m.dateOfBirth!)}${m.caseNumber ? `, case number ${m.caseNumber}` : ''}`,
        hint: { text: `${m.strength.toLowerCase()} match: ${m.reasons.join(', ')}` },
        checked: m.id === childId,
      })),
    dateOfBirthItems: dateInputItems('date-of-birth', values, errors),
    receivedItems: dateInputItems('received', values, errors),
    subjectKindItems: (['CHILD', 'PARENT_CARER'] as const).map((k) => ({
      value: k,
      text: SUBJECT_KIND_LABELS[k],
      checked: one(values['subject-kind']) === k,
    })),
    identityItems: [
      { value: 'yes', text: 'Yes', checked: one(values['identity-checked']) === 'yes' },
      { value: 'no', text: 'No, not yet', checked: one(values['identity-checked']) === 'no' },
    ],
  }
}

/** An item's redactions as the people deciding read them: what is withheld (a field's name, the words) and why. Never in the bundle itself. */
function redactionLines(item: ItemRow, redactions: RedactionRow[]) {
  return redactions.map((r) => {
    const label = item.fields.find((f) => f.key === r.fieldKey)?.label
    const what =
      r.part === 'ITEM'
        ? 'The whole item'
        : r.part === 'FIELD'
          ? `“${label ?? r.fieldKey}”`
          : `The words “${r.words}”${label ? ` in “${label}”` : ''}`
    return `${what}: ${redactedText(r).slice(1, -1)}. ${r.preMarked ? 'Marked when gathered' : `By ${r.redactedByName}`}, ${formatDateTime(r.redactedAt)}.`
  })
}

/** The bundle grouped by where each item came from, each item as released ("[Redacted: …]" blocks). */
export function bundleOf(items: ItemRow[], redactions: RedactionRow[]) {
  const groups = new Map<string, ReturnType<typeof itemView>[]>()
  for (const item of items) {
    const mine = redactions.filter((r) => r.itemId === item.id)
    const view = itemView(item, mine)
    const list = groups.get(item.source) ?? []
    list.push(view)
    groups.set(item.source, list)
  }
  const order = Object.keys(SOURCE_LABELS)
  return [...groups.entries()]
    .sort(([a], [b]) => (order.indexOf(a) === -1 ? 99 : order.indexOf(a)) - (order.indexOf(b) === -1 ? 99 : order.indexOf(b)))
    .map(([source, list]) => ({ source, heading: SOURCE_LABELS[source] ?? source, items: list }))
}

function itemView(item: ItemRow, redactions: RedactionRow[]) {
  const released = releasedItem(item.fields, redactions)
  return {
    id: item.id,
    title: releasedTitle(item, redactions, SOURCE_LABELS[item.source] ?? 'An item') ?? 'An item withheld',
    when: item.occurredAt ? formatDateTime(item.occurredAt) : '',
    withheld: released.withheld,
    fields: released.fields,
    redactions: redactionLines(item, redactions),
  }
}

export function presentRequest(
  page: RequestPage,
  opts: { canManage: boolean; canApprove: boolean; errors?: FieldError[]; values?: Values },
) {
  const { request: r } = page
  const refusal = decisionRefusal(page.userId, r)
  const childRequest = r.subjectKind === 'CHILD'
  return {
    pageTitle: `Subject access request ${r.reference}`,
    errors: opts.errors ?? [],
    values: opts.values ?? {},
    id: r.id,
    reference: r.reference,
    status: { text: STATUS_LABELS[r.status], classes: TAGS[r.status] },
    isParent: !childRequest,
    summary: [
      { key: { text: 'Reference' }, value: { text: r.reference } },
      {
        key: { text: 'Who the information is about' },
        value: { text: childRequest ? r.childName : `${r.requesterName}, ${r.requesterRelationship}` },
      },
      {
        key: { text: childRequest ? 'The child' : 'The child they are connected to' },
        value: { text: `${r.childName}, born ${formatDate(r.childDateOfBirth)}` },
      },
      { key: { text: 'Received' }, value: { text: formatDate(r.receivedOn) } },
      { key: { text: 'Due' }, value: { text: `${formatDate(r.dueOn)} (one calendar month from receipt)` } },
      { key: { text: 'Identity checked' }, value: { text: r.identityChecked ? `Yes: ${r.identityHow}` : 'No, not yet' } },
      { key: { text: 'Recorded by' }, value: { text: `${r.recordedByName}, ${formatDateTime(r.recordedAt)}` } },
      ...(r.gatheredAt ? [{ key: { text: 'Gathered' }, value: { text: formatDateTime(r.gatheredAt) } }] : []),
      ...(r.submittedAt
        ? [{ key: { text: 'Submitted for approval' }, value: { text: `By ${r.submittedByName}, ${formatDateTime(r.submittedAt)}` } }]
        : []),
      ...(r.decidedAt
        ? [
            {
              key: { text: r.status === 'DECLINED' ? 'Declined' : 'Approved' },
              value: { text: `By ${r.decidedByName}, ${formatDateTime(r.decidedAt)}${r.declineReason ? `: ${r.declineReason}` : ''}` },
            },
          ]
        : []),
      ...(r.releasedAt ? [{ key: { text: 'Released' }, value: { text: formatDateTime(r.releasedAt) } }] : []),
    ],
    decisions: page.decisions.map((d) => ({
      text: `${d.outcome === 'APPROVED' ? 'Approved' : 'Declined'} by ${d.decidedByName}, ${formatDateTime(d.decidedAt)} (submitted by ${d.submittedByName})${d.reason ? `: ${d.reason}` : ''}`,
    })),
    itemCount: page.items.length,
    redactionCount: page.redactions.length,
    bundle: bundleOf(page.items, page.redactions),
    mayGather: opts.canManage && mayGather(r.status),
    gathered: !!r.gatheredAt,
    mayRedact: opts.canManage && mayRedact(r.status),
    maySubmit: opts.canManage && maySubmit(r.status) && page.items.length > 0,
    mayDecide: opts.canApprove && r.status === 'SUBMITTED',
    ownSubmission: r.status === 'SUBMITTED' && refusal !== null && r.submittedBy === page.userId,
    mayDownload: opts.canManage && r.status === 'APPROVED',
  }
}

export function presentItem(page: ItemPage, values: Values = {}, errors: FieldError[] = []) {
  const { item, request } = page
  const released = releasedItem(item.fields, page.redactions)
  return {
    pageTitle: `Redact: ${item.title}`,
    errors,
    values,
    requestId: request.id,
    reference: request.reference,
    itemId: item.id,
    title: item.title,
    source: SOURCE_LABELS[item.source] ?? item.source,
    when: item.occurredAt ? formatDateTime(item.occurredAt) : '',
    fields: item.fields,
    released,
    redactions: redactionLines(item, page.redactions),
    formKey: one(values['form-key']) || randomUUID(),
    mayRedact: mayRedact(request.status),
    partItems: [
      { value: 'ITEM', text: 'The whole item', checked: one(values.part) === 'ITEM' },
      { value: 'FIELD', text: 'One part of it', checked: one(values.part) === 'FIELD' },
      { value: 'WORDS', text: 'Some words, wherever they appear in the item', checked: one(values.part) === 'WORDS' },
    ],
    fieldItems: [
      { value: '', text: 'Choose a part' },
      ...item.fields.map((f) => ({ value: f.key, text: f.label, selected: one(values['field-key']) === f.key })),
    ],
    reasonItems: REASON_CODES.map((c) => ({
      value: c,
      text: REASON_LABELS[c].charAt(0).toUpperCase() + REASON_LABELS[c].slice(1),
      checked: one(values.reason) === c,
    })),
  }
}
