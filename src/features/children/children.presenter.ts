import { formatDate, formatDateTime } from '../../platform/http/format.js'
import { STATUS_LABELS, type CaseStatus } from '../cases/index.js'
import { ETHNIC_GROUPS, GENDERS } from './children.form.js'
import type { AccessHistoryView, ChildView, LinkedChild } from './children.service.js'
import { TOO_MANY_SEARCHES } from './find-or-create.presenter.js'
import { LINK_KIND_LABELS, linkLabel } from './links.rules.js'
import type { LinkFormView } from './links.service.js'
import { text } from '../../platform/forms/forms.js'

const ACTION_LABELS: Record<string, string> = {
  'child:read': 'Opened the record',
  'child:view-record-history': 'Viewed who has seen the record',
  'child:create': 'Created the record',
  'child:match-shown': 'Shown as a possible match in a search',
  'child:match-withheld': 'Matched a search, not shown (the person cannot open the record)',
  'child:read-as-linked': 'Saw the child’s name as a linked child',
  'child:link': 'Linked the record to another child’s',
  'child:refer': 'Raised a request for support',
  'child:view-request-form': 'Opened the request for support form',
  'case:read': 'Opened a case',
  'case:OPEN': 'Opened a case at the front door',
  'meeting:read': 'Opened a strategy meeting record',
  'abe:list': 'Opened the restricted interview material (ABE) page',
  'abe:record': 'Recorded restricted interview material (ABE)',
  'abe:request': 'Asked to read restricted interview material (ABE)',
  'abe:approve': 'Approved access to restricted interview material (ABE)',
  'abe:refuse': 'Refused access to restricted interview material (ABE)',
  'abe:decide': 'Opened a request to read restricted interview material (ABE)',
  'abe:revoke': 'Revoked access to restricted interview material (ABE)',
  'abe:read': 'Read restricted interview material (ABE)',
  'criminal-process:read': 'Opened the criminal process record',
  'chronology:read': 'Opened the chronology',
  'chronology:add': 'Added a chronology entry',
}

const ALLOWED = { text: 'Allowed', classes: 'govuk-tag--green' }
const DENIED = { text: 'Denied', classes: 'govuk-tag--red' }

/** Case steps ('case:RECORD_SCREENING') and meeting changes read as the step's own words. */
function actionLabel(action: string): string {
  if (ACTION_LABELS[action]) return ACTION_LABELS[action]
  const [kind, step] = action.split(':')
  if (kind === 'case' && step) return `Case: ${step.toLowerCase().replaceAll('_', ' ')}`
  if (kind === 'meeting' && step) return `Strategy meeting: ${step.toLowerCase().replaceAll('-', ' ')}`
  return action
}

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

export function presentChild({ child, involvements, cases, links, canViewHistory, canRefer }: ChildView) {
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

export function presentAccessHistory({ child, entries, total }: AccessHistoryView) {
  return {
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
