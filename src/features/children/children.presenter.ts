import { BREAK_GLASS_REASONS, type BreakGlassReason } from '../../platform/access/break-glass.js'
import { formatDate, formatDateTime } from '../../platform/http/format.js'
import { STATUS_LABELS, type CaseStatus } from '../cases/index.js'
import { describeAuditAction } from '../privacy/index.js'
import { ETHNIC_GROUPS, GENDERS } from './children.form.js'
import type { AccessHistoryView, ChildView, LinkedChild } from './children.service.js'
import { TOO_MANY_SEARCHES } from './find-or-create.presenter.js'
import { LINK_KIND_LABELS, linkLabel } from './links.rules.js'
import type { LinkFormView } from './links.service.js'
import { text } from '../../platform/forms/forms.js'

const ALLOWED = { text: 'Allowed', classes: 'govuk-tag--green' }
const DENIED = { text: 'Denied', classes: 'govuk-tag--red' }

/** Every audit action in plain words, case steps in the pathway's own (one table: platform/audit/audit-labels.ts). */
const actionLabel = (action: string) => describeAuditAction(action)

const labelOf = (options: readonly { value: string; label: string }[], value: string | null) =>
  value === null ? 'Not recorded' : (options.find((o) => o.value === value)?.label ?? value)

/** NHS numbers are shown 3-3-4, as on NHS letters. */
export function spacedNhsNumber(nhs: string | null): string {
  return nhs && /^\d{10}$/.test(nhs) ? `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}` : (nhs ?? 'Not recorded')
}

/** A linked child: how they are linked, and who they are only when the person may open their record. */
function linkedChild(l: LinkedChild) {
  const label = linkLabel(l.kind, l.isFrom ? 'FROM' : 'TO')
  if (!l.child) return { label, child: null, hidden: `A linked child (${label.toLowerCase()}): you do not have access to their record` }
  return { label, child: { href: `/children/${l.child.id}`, name: `${l.child.givenNames} ${l.child.familyName}` }, hidden: null }
}

export function presentChild({ child, involvements, cases, links, canViewHistory, canRefer, canRestrict, breakGlassUntil }: ChildView) {
  const name = `${child.givenNames} ${child.familyName}`
  const row = (key: string, text: string) => ({ key: { text: key }, value: { text } })
  return {
    // No child's name in a page title (browser history, tabs, screen sharing).
    pageTitle: 'Child record',
    childId: child.id,
    name,
    dateOfBirth: formatDate(child.dateOfBirth),
    isRestricted: child.isRestricted,
    canViewHistory,
    canRefer,
    canRestrict,
    // Read only through break-glass (issue 18): the banner says so, and when it ends.
    breakGlassUntil: breakGlassUntil ? formatDateTime(breakGlassUntil) : null,
    summaryRows: [
      row('Date of birth', formatDate(child.dateOfBirth)),
      row('Gender', labelOf(GENDERS, child.gender)),
      row('Ethnic group', labelOf(ETHNIC_GROUPS, child.ethnicity)),
      row('NHS number', spacedNhsNumber(child.nhsNumber)),
      row('Unique pupil number (UPN)', child.upn ?? 'Not recorded'),
      row('Local case number', child.localCaseId ?? 'Not recorded'),
      row('SEND or learning difficulty', child.sendNeeds ?? 'None recorded'),
    ],
    involvementRows: involvements.map((i) => [
      { text: i.agencyName },
      { text: i.teamName ?? '' },
      { text: i.userDisplayName ?? '' },
      { text: i.kind === 'ALLOCATED' ? 'Allocated' : 'Involved' },
    ]),
    cases: cases.map((c) => ({
      href: `/cases/${c.id}`,
      received: formatDate(c.referralReceivedAt),
      status: STATUS_LABELS[c.status as CaseStatus] ?? c.status,
      closed: c.closedAt ? formatDate(c.closedAt) : '',
    })),
    links: links.map(linkedChild),
  }
}

export function presentAccessHistory({ child, entries, total, openBreakGlass }: AccessHistoryView) {
  return {
    // Break-glass openings still running (issue 18): who, why and until when.
    openBreakGlass: openBreakGlass.map((b) => ({
      who: `${b.userName} (${b.agencyName})`,
      reason: BREAK_GLASS_REASONS[b.reasonCode as BreakGlassReason] ?? b.reasonCode,
      opened: formatDateTime(b.openedAt),
      until: formatDateTime(b.expiresAt),
    })),
    pageTitle: 'Who has seen or changed this record',
    childId: child.id,
    name: `${child.givenNames} ${child.familyName}`,
    total,
    shown: entries.length,
    entries: entries.map((e) => ({
      when: formatDateTime(e.occurredAt),
      who: e.displayName ?? 'Unknown',
      organisation: e.agencyName ?? '',
      what: actionLabel(e.action),
      outcome: e.outcome === 'ALLOWED' ? ALLOWED : DENIED,
    })),
  }
}

type Values = Record<string, string | string[]>
const one = text

/** Linking: the kind and the search; then the matches the person may read, to choose from. */
export function presentLinkForm({ child, errors, matches, limited }: LinkFormView, values: Values = {}) {
  const name = `${child.givenNames} ${child.familyName}`
  const kind = one(values.kind)
  return {
    pageTitle: limited ? 'You have searched too many times – link another child' : 'Link another child',
    childId: child.id,
    limited: !!limited,
    limitMessage: TOO_MANY_SEARCHES,
    name,
    values,
    errors,
    searched: !!matches,
    kindItems: Object.entries(LINK_KIND_LABELS).map(([value, text]) => ({ value, text, checked: value === kind })),
    kindLabel: LINK_KIND_LABELS[kind as keyof typeof LINK_KIND_LABELS] ?? '',
    matchItems: (matches ?? []).map((m) => ({
      value: m.id,
      text: `${m.givenNames ?? ''} ${m.familyName ?? ''}, born ${formatDate(m.dateOfBirth)}`,
      hint: { text: m.reasons.join(', ') },
      checked: one(values['linked-child-id']) === m.id,
    })),
  }
}
