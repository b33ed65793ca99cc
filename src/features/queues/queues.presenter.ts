import type { CurrentUser } from '../../platform/auth/current-user.js'
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../platform/clocks/bank-holidays.js'
import { DEFAULT_TIMESCALES, describeClock, type ClockKind, type ClockState } from '../../platform/clocks/clocks.rules.js'
import { formatDateTime } from '../../platform/http/format.js'
import { CLOCK_LABELS } from '../../platform/clocks/clocks.rules.js'
import { STATUS_LABELS, type CaseStatus } from '../cases/index.js'
import { landingFor } from '../home/index.js'
import type { NotificationsView } from './notifications.service.js'
import type { QueueCaseRow, QueueClock } from './queues.repository.js'
import { NOTIFICATION_LABELS } from '../../platform/notifications/notifications.js'
import { QUEUE_STATUSES, queueQueryString, SORTS, STRATEGY_MEETING_KINDS, type CaseQueue, type QueueQuery, type Sort } from './queues.rules.js'
import type { CaseQueueView, HsbOverviewView, MyWorkView } from './queues.service.js'

export const QUEUE_PATHS: Record<CaseQueue, string> = {
  'front-door': '/work/front-door',
  'my-work': '/work',
  team: '/work/team',
  'hsb-overview': '/work/hsb-overview',
}

const TITLES: Record<CaseQueue, string> = {
  'front-door': 'Front door',
  'my-work': 'My work',
  team: 'My team’s work',
  'hsb-overview': 'HSB overview',
}

const STATE_TAGS: Record<ClockState, { text: string; classes: string }> = {
  RUNNING: { text: 'Running', classes: 'govuk-tag--blue' },
  DUE_SOON: { text: 'Due soon', classes: 'govuk-tag--yellow' },
  OVERDUE: { text: 'Overdue', classes: 'govuk-tag--red' },
  MET: { text: 'Met', classes: 'govuk-tag--green' },
  MET_LATE: { text: 'Met late', classes: 'govuk-tag--orange' },
}

const RATING_TAGS = {
  GREEN: { text: 'Green', classes: 'govuk-tag--green' },
  AMBER: { text: 'Amber', classes: 'govuk-tag--orange' },
  RED: { text: 'Red', classes: 'govuk-tag--red' },
} as const

const MEETING_LABELS: Record<string, string> = {
  STRATEGY_MEETING: 'Strategy meeting',
  STRATEGY_DISCUSSION: 'Strategy discussion',
  REVIEW_STRATEGY_MEETING: 'Review strategy meeting',
  HSB_PANEL: 'HSB panel',
  END_MEETING: 'End meeting',
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)
const tag = (t: { text: string; classes: string }) => `<strong class="govuk-tag ${t.classes}">${escapeHtml(t.text)}</strong>`
const caseLink = (row: { caseId: string; childName: string }) => `<a class="govuk-link" href="/cases/${row.caseId}">${escapeHtml(row.childName)}</a>`
const meetingLink = (m: { caseId: string; kind: string }) => {
  const href = STRATEGY_MEETING_KINDS.includes(m.kind) ? `/cases/${m.caseId}/strategy-meeting` : `/cases/${m.caseId}`
  return `<a class="govuk-link" href="${href}">${escapeHtml(MEETING_LABELS[m.kind] ?? m.kind)}</a>`
}
const statusLabel = (s: string) => STATUS_LABELS[s as CaseStatus] ?? s
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

function clockHtml(c: QueueClock, now: Date, withLabel = true): string {
  const kind = c.kind as ClockKind
  const description = describeClock({ dueAt: c.dueAt, metAt: c.metAt, now, missedReason: c.missedReason, unit: DEFAULT_TIMESCALES[kind]?.unit ?? 'hours' }, ENGLAND_AND_WALES_BANK_HOLIDAYS)
  const label = withLabel ? `${escapeHtml(CLOCK_LABELS[kind] ?? c.kind)}: ` : ''
  return `<p class="govuk-body-s govuk-!-margin-bottom-1" data-qa="clock" data-clock-kind="${escapeHtml(c.kind)}" data-clock-state="${c.state}">${tag(STATE_TAGS[c.state])} ${label}${escapeHtml(description)}</p>`
}

/** The clocks still running, most urgent first (the query already ordered them). */
function openClocksHtml(row: QueueCaseRow, now: Date): string {
  const open = row.clocks.filter((c) => c.metAt === null)
  return open.length ? open.map((c) => clockHtml(c, now)).join('') : 'None running'
}

/** Clocks other than `kind` that are overdue or due soon: why a case sorts where it does. */
function urgentOtherClocksHtml(row: QueueCaseRow, kind: ClockKind, now: Date): string {
  const urgent = row.clocks.filter((c) => c.kind !== kind && (c.state === 'OVERDUE' || c.state === 'DUE_SOON'))
  return urgent.length ? urgent.map((c) => clockHtml(c, now)).join('') : 'None overdue or due soon'
}

function oneClockHtml(row: QueueCaseRow, kind: ClockKind, now: Date, missing: string): string {
  const clock = row.clocks.find((c) => c.kind === kind)
  return clock ? clockHtml(clock, now, false) : missing
}

/** Pages to offer: the first, the last, and those either side of the current one. */
export function paginationFor(page: number, totalPages: number, href: (page: number) => string) {
  if (totalPages <= 1) return undefined
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = []
  for (let n = 1; n <= totalPages; n++) {
    if (n === 1 || n === totalPages || Math.abs(n - page) <= 1) items.push({ number: n, href: href(n), current: n === page })
    else if (!('ellipsis' in (items.at(-1) ?? {}))) items.push({ ellipsis: true })
  }
  return {
    items,
    ...(page > 1 ? { previous: { href: href(Math.min(page - 1, totalPages)) } } : {}),
    ...(page < totalPages ? { next: { href: href(page + 1) } } : {}),
  }
}

function summaryFor(total: number, page: number, pageSize: number, shown: number, noun: [string, string], none: string): string {
  if (total === 0) return none
  if (shown === 0) return `There are ${plural(total, ...noun)}, but none on page ${page}.`
  const from = (page - 1) * pageSize + 1
  return `Showing ${from} to ${from + shown - 1} of ${plural(total, ...noun)}`
}

/** The page's h1: the person's landing heading when this queue is where they land, else the queue's title. */
function headingFor(queue: CaseQueue, user: CurrentUser) {
  const landing = landingFor(user.roles)
  if (landing.redirect === QUEUE_PATHS[queue]) return { text: landing.heading, landingKey: landing.key, description: landing.description }
  return { text: TITLES[queue], landingKey: null, description: null }
}

function filtersFor(queue: CaseQueue, query: QueueQuery) {
  return {
    action: QUEUE_PATHS[queue],
    statusItems: [
      { value: '', text: 'All', selected: query.status === null },
      ...QUEUE_STATUSES[queue].map((s) => ({ value: s, text: STATUS_LABELS[s], selected: query.status === s })),
    ],
    sortItems: (Object.keys(SORTS) as Sort[]).map((s) => ({ value: s, text: SORTS[s], selected: query.sort === s })),
  }
}

type Column = { head: string; cell: (row: QueueCaseRow, now: Date) => { text: string } | { html: string } }

const CHILD: Column = { head: 'Child', cell: (r) => ({ html: caseLink(r) }) }
const STATUS: Column = { head: 'Status', cell: (r) => ({ text: statusLabel(r.status) }) }
const TIMESCALES: Column = { head: 'Timescales', cell: (r, now) => ({ html: openClocksHtml(r, now) }) }
const COLUMNS: Record<CaseQueue, Column[]> = {
  'front-door': [
    CHILD,
    { head: 'Request for support received', cell: (r) => ({ text: formatDateTime(r.referralReceivedAt) }) },
    STATUS,
    { head: 'Referral decision', cell: (r, now) => ({ html: oneClockHtml(r, 'REFERRAL_DECISION', now, 'Not started') }) },
  ],
  'my-work': [CHILD, STATUS, TIMESCALES],
  team: [CHILD, { head: 'Social worker', cell: (r) => ({ text: r.allocatedUserName ?? 'No worker allocated' }) }, STATUS, TIMESCALES],
  'hsb-overview': [
    CHILD,
    STATUS,
    { head: 'Rating', cell: (r) => ({ html: r.rating ? tag(RATING_TAGS[r.rating]) : 'Not screened yet' }) },
    { head: 'Allocated to', cell: (r) => ({ text: [r.allocatedTeamName, r.allocatedUserName].filter(Boolean).join(': ') || 'Not allocated' }) },
    { head: 'Strategy meeting', cell: (r, now) => ({ html: oneClockHtml(r, 'STRATEGY_MEETING', now, 'Not due') }) },
    { head: 'Other timescales', cell: (r, now) => ({ html: urgentOtherClocksHtml(r, 'STRATEGY_MEETING', now) }) },
  ],
}

export function presentCaseQueue(view: CaseQueueView, user: CurrentUser) {
  const { queue, query, rows, total, pageSize, now } = view
  const heading = headingFor(queue, user)
  const columns = COLUMNS[queue]
  return {
    pageTitle: heading.text,
    heading,
    queue,
    filters: filtersFor(queue, query),
    summary: summaryFor(total, query.page, pageSize, rows.length, ['case', 'cases'], query.status ? 'No cases with this status.' : 'There are no cases here.'),
    table: {
      caption: heading.text,
      head: columns.map((c) => ({ text: c.head })),
      rows: rows.map((r) => columns.map((c) => c.cell(r, now))),
    },
    pagination: paginationFor(query.page, Math.ceil(total / pageSize), (n) => `${QUEUE_PATHS[queue]}${queueQueryString(queue, { ...query, page: n })}`),
  }
}

export function presentHsbOverview(view: HsbOverviewView, user: CurrentUser) {
  const base = presentCaseQueue(view, user)
  const counts = QUEUE_STATUSES['hsb-overview'].map((s) => ({ status: s, count: view.counts[s] ?? 0 }))
  const all = counts.reduce((sum, c) => sum + c.count, 0)
  return {
    ...base,
    counts: {
      head: [{ text: 'Status' }, { text: 'Cases', format: 'numeric' }],
      rows: [
        ...counts.map((c) => [
          { html: `<a class="govuk-link" href="${QUEUE_PATHS['hsb-overview']}?status=${c.status}">${escapeHtml(STATUS_LABELS[c.status])}</a>` },
          { text: String(c.count), format: 'numeric', attributes: { 'data-qa': `count-${c.status}` } },
        ]),
        [{ text: 'All open cases' }, { text: String(all), format: 'numeric', attributes: { 'data-qa': 'count-all' } }],
      ],
    },
  }
}

export function presentMyWork(view: MyWorkView, user: CurrentUser) {
  const base = presentCaseQueue(view, user)
  const { meetings, now } = view
  const meetingsHref = (n: number) => `/work${queueQueryString('my-work', view.query, n > 1 ? { 'meetings-page': String(n) } : {})}`
  return {
    ...base,
    unreadNotifications: view.unreadNotifications,
    unreadText: view.unreadNotifications ? `You have ${plural(view.unreadNotifications, 'unread notification', 'unread notifications')}` : 'You have no unread notifications',
    meetings: {
      summary: summaryFor(meetings.total, meetings.page, meetings.pageSize, meetings.rows.length, ['meeting', 'meetings'], 'You have no meetings to chair or attend.'),
      head: [{ text: 'Meeting' }, { text: 'Child' }, { text: 'When' }, { text: 'Your part' }],
      rows: meetings.rows.map((m) => [
        { html: meetingLink(m) },
        // Through an invitation alone the case stays shut: the child's name, without a link to it.
        { html: m.canReadCase ? caseLink(m) : escapeHtml(m.childName) },
        { text: `${formatDateTime(m.scheduledFor)}${m.scheduledFor < now ? ' (minutes not yet finalised)' : ''}` },
        { text: m.isChair ? 'Chair' : 'Invited' },
      ]),
      pagination: paginationFor(meetings.page, Math.ceil(meetings.total / meetings.pageSize), meetingsHref),
    },
  }
}

/** Where a notification leads: the meeting for an invitation, the case when the person may open it. */
/** Each meeting kind's page under the case; strategy meetings and discussions share one. */
const MEETING_PATHS: Record<string, string> = { REVIEW_STRATEGY_MEETING: 'review-meeting', END_MEETING: 'end-meeting' }

function notificationLink(n: NotificationsView['rows'][number]): string {
  const label = escapeHtml(NOTIFICATION_LABELS[n.kind])
  if (!n.caseId) return label
  if (n.kind === 'MEETING_INVITATION' && n.childName) {
    return `<a class="govuk-link" href="/cases/${n.caseId}/${MEETING_PATHS[n.meetingKind ?? ''] ?? 'strategy-meeting'}">${label}</a>`
  }
  return n.canReadCase ? `<a class="govuk-link" href="/cases/${n.caseId}">${label}</a>` : label
}

export function presentNotifications(view: NotificationsView) {
  return {
    pageTitle: 'Notifications',
    summary: summaryFor(view.total, view.page, view.pageSize, view.rows.length, ['notification', 'notifications'], 'You have no notifications.'),
    unreadText: view.unread ? `${plural(view.unread, 'notification', 'notifications')} not read yet.` : null,
    notifications: view.rows.map((n) => ({
      id: n.id,
      label: NOTIFICATION_LABELS[n.kind],
      labelHtml: notificationLink(n),
      isUnread: n.readAt === null,
      childName: n.childName ?? 'Not available',
      when: formatDateTime(n.createdAt),
    })),
    pagination: paginationFor(view.page, Math.ceil(view.total / view.pageSize), (n) => `/notifications${n > 1 ? `?page=${n}` : ''}`),
  }
}
