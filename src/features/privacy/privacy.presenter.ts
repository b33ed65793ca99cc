import { ROLE_LABELS, type Role } from '../../platform/access/roles.js'
import type { IsoDate } from '../../platform/clocks/london-time.js'
import type { PrivacyAlertOutcome } from '../../platform/db/schema.js'
import type { FieldError } from '../../platform/forms/forms.js'
import { formatDate, formatDateTime } from '../../platform/http/format.js'
import { paginationFor, summaryFor } from '../queues/index.js'
import { describeAuditAction } from './audit-words.js'
import {
  ALERT_KIND_LABELS,
  ALERT_KINDS,
  alertSentence,
  OUTCOME_HINTS,
  OUTCOME_LABELS,
  OUTCOMES,
  queueQuery,
  type ReviewInput,
} from './privacy.rules.js'
import type { Alert, AlertDetail, AlertsView, AlertView, Entry, OverviewView, PeopleView, PersonReportView } from './privacy.service.js'

export const PATHS = {
  overview: '/privacy/overview',
  alerts: '/privacy/alerts',
  alert: (id: string) => `/privacy/alerts/${id}`,
  access: '/privacy/access',
  person: (id: string) => `/privacy/access/people/${id}`,
  childHistory: (id: string) => `/children/${id}/access-history`,
} as const

/** A GOV.UK tag: its words and its colour class. */
type Tag = { text: string; classes: string }

const OUTCOME_TAGS: Record<PrivacyAlertOutcome, Tag> = {
  APPROPRIATE: { text: OUTCOME_LABELS.APPROPRIATE, classes: 'govuk-tag--green' },
  FOLLOW_UP: { text: OUTCOME_LABELS.FOLLOW_UP, classes: 'govuk-tag--yellow' },
  BREACH: { text: OUTCOME_LABELS.BREACH, classes: 'govuk-tag--red' },
}
const WAITING: Tag = { text: 'Waiting for review', classes: 'govuk-tag--blue' }

const childName = (a: { child: { name: string } | null; aboutAChild: boolean }) =>
  a.child ? a.child.name : a.aboutAChild ? 'a child (not shown to you)' : null

const countOf = (detail: Record<string, unknown>): number | null => {
  const n = detail.children ?? detail.count
  return typeof n === 'number' ? n : typeof n === 'string' && /^\d+$/.test(n) ? Number(n) : null
}

function sentence(a: Alert): string {
  return alertSentence({
    kind: a.kind,
    person: a.personName,
    child: childName(a),
    count: countOf(a.detail),
    when: formatDateTime(a.raisedAt),
  })
}

export function presentOverview({ waiting }: OverviewView) {
  return {
    pageTitle: 'Records access',
    waiting,
    waitingText:
      waiting === 0
        ? 'No privacy alerts are waiting for review.'
        : `${waiting} privacy ${waiting === 1 ? 'alert is' : 'alerts are'} waiting for review.`,
    paths: PATHS,
  }
}

export function presentAlerts({ filter, alerts, total, pageSize, waiting }: AlertsView) {
  return {
    pageTitle: 'Privacy alerts',
    waiting,
    summary: summaryFor(
      total,
      filter.page,
      pageSize,
      alerts.length,
      ['alert', 'alerts'],
      'There are no alerts to show with these filters.',
    ),
    kindItems: [
      { value: '', text: 'Any kind', selected: filter.kind === null },
      ...ALERT_KINDS.map((k) => ({ value: k, text: ALERT_KIND_LABELS[k], selected: filter.kind === k })),
    ],
    statusItems: [
      { value: 'waiting', text: 'Waiting for review', selected: filter.status === 'waiting' },
      { value: 'reviewed', text: 'Reviewed', selected: filter.status === 'reviewed' },
      { value: 'all', text: 'All', selected: filter.status === 'all' },
    ],
    alerts: alerts.map((a) => ({
      id: a.id,
      href: PATHS.alert(a.id),
      kind: ALERT_KIND_LABELS[a.kind],
      sentence: sentence(a),
      raised: formatDateTime(a.raisedAt),
      tag: a.outcome ? OUTCOME_TAGS[a.outcome] : WAITING,
      reviewed: a.reviewedAt ? `${formatDateTime(a.reviewedAt)}${a.reviewerName ? ` by ${a.reviewerName}` : ''}` : null,
    })),
    pagination: paginationFor(filter.page, Math.ceil(total / pageSize), (n) => `${PATHS.alerts}?${queueQuery(filter, n)}`),
  }
}

function presentEntry(e: Entry) {
  return {
    when: formatDateTime(e.occurredAt),
    what: describeAuditAction(e.action),
    child: e.child ? { name: e.child.name, href: PATHS.childHistory(e.child.id) } : null,
    childText: e.child ? null : e.aboutAChild ? 'A child (not shown to you)' : '',
    refused: e.outcome === 'DENIED',
  }
}

function breakGlassOf(a: AlertDetail) {
  if (!a.breakGlass) return null
  return {
    reason: a.breakGlass.reasonText,
    code: a.breakGlass.reasonCode.replace(/[_-]+/g, ' ').toLowerCase(),
    opened: formatDateTime(a.breakGlass.openedAt),
    expires: formatDateTime(a.breakGlass.expiresAt),
  }
}

export function presentAlert(
  { alert, around, aroundMinutes, formKey }: AlertView,
  form: { errors?: FieldError[]; input?: ReviewInput } = {},
) {
  const errors = form.errors ?? []
  const errorFor = (id: string) => errors.find((e) => e.href === `#${id}`)?.text
  return {
    pageTitle: 'Privacy alert',
    errors,
    alert: {
      id: alert.id,
      kind: ALERT_KIND_LABELS[alert.kind],
      sentence: sentence(alert),
      person: alert.personName,
      personHref: PATHS.person(alert.userId),
      agency: alert.personAgency,
      roles: alert.personRoles.map((r) => ROLE_LABELS[r as Role] ?? r).join(', ') || 'No role',
      child: alert.child ? { name: alert.child.name, href: PATHS.childHistory(alert.child.id) } : null,
      childText: alert.child ? null : alert.aboutAChild ? 'A child (not shown to you)' : 'Several children (see the reads below)',
      raised: formatDateTime(alert.raisedAt),
      tag: alert.outcome ? OUTCOME_TAGS[alert.outcome] : WAITING,
      breakGlass: breakGlassOf(alert),
      review: alert.reviewedAt
        ? {
            outcome: OUTCOME_LABELS[alert.outcome!],
            note: alert.outcomeNote,
            by: alert.reviewerName ?? 'Unknown',
            at: formatDateTime(alert.reviewedAt),
          }
        : null,
    },
    aroundText: `What ${alert.personName} did from ${aroundMinutes / 60} hours before the alert to ${aroundMinutes / 60} hours after, earliest first.`,
    around: around.map(presentEntry),
    formKey,
    outcomeItems: OUTCOMES.map((o) => ({
      value: o,
      text: OUTCOME_LABELS[o],
      hint: { text: OUTCOME_HINTS[o] },
      checked: form.input?.outcome === o,
    })),
    note: form.input?.note ?? '',
    outcomeError: errorFor('outcome'),
    noteError: errorFor('note'),
    paths: PATHS,
  }
}

export function presentPeople({ people }: PeopleView, error?: string) {
  return {
    pageTitle: 'Access reports',
    error,
    errors: error ? [{ href: '#person', text: error }] : [],
    personItems: [
      { value: '', text: 'Choose a person' },
      ...people.map((p) => ({ value: p.id, text: `${p.displayName} (${p.agencyName})${p.disabled ? ' – account disabled' : ''}` })),
    ],
    paths: PATHS,
  }
}

const partsOf = (date: IsoDate) => {
  const [year = '', month = '', day = ''] = date.split('-')
  return { day: String(Number(day)), month: String(Number(month)), year }
}

export function presentPersonReport(view: PersonReportView) {
  const { person, range, input, errors, entries, total, page, pageSize } = view
  const typed = (which: 'from' | 'to') => {
    const p = input[which]
    return p.day || p.month || p.year ? p : partsOf(range[which])
  }
  const errorFor = (id: string) => errors.find((e) => e.href === `#${id}`)?.text
  const dateItems = (id: 'from' | 'to', error: boolean) => {
    const parts = typed(id)
    return [
      { name: 'day', classes: `govuk-input--width-2${error ? ' govuk-input--error' : ''}`, value: parts.day },
      { name: 'month', classes: `govuk-input--width-2${error ? ' govuk-input--error' : ''}`, value: parts.month },
      { name: 'year', classes: `govuk-input--width-4${error ? ' govuk-input--error' : ''}`, value: parts.year },
    ]
  }
  const query = (n: number) => {
    const params = new URLSearchParams()
    for (const which of ['from', 'to'] as const) {
      const p = partsOf(range[which])
      params.set(`${which}-day`, p.day)
      params.set(`${which}-month`, p.month)
      params.set(`${which}-year`, p.year)
    }
    if (n > 1) params.set('page', String(n))
    return params.toString()
  }
  return {
    pageTitle: `Access report: ${person.displayName}`,
    person: { id: person.id, name: person.displayName, agency: person.agencyName, disabled: person.disabled },
    errors,
    fromError: errorFor('from-day'),
    toError: errorFor('to-day'),
    fromItems: dateItems('from', !!errorFor('from-day')),
    toItems: dateItems('to', !!errorFor('to-day')),
    rangeText: errors.length ? null : `From ${formatDate(range.from)} to ${formatDate(range.to)}, newest first.`,
    summary: errors.length
      ? null
      : summaryFor(
          total,
          page,
          pageSize,
          entries.length,
          ['entry', 'entries'],
          `${person.displayName} did nothing recorded in these dates.`,
        ),
    entries: entries.map(presentEntry),
    pagination: paginationFor(page, Math.ceil(total / pageSize), (n) => `${PATHS.person(person.id)}?${query(n)}`),
    paths: PATHS,
  }
}
