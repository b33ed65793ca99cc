import { CLOCK_STATE_TAGS } from '../../platform/clocks/clock-tags.js'
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
import {
  QUEUE_STATUSES,
  queueQueryString,
  SORTS,
  STRATEGY_MEETING_KINDS,
  type CaseQueue,
  type QueueQuery,
  type Sort,
} from './queues.rules.js'
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

const STATE_TAGS = CLOCK_STATE_TAGS

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

/** A GOV.UK tag: its words and its colour class. */
export type Tag = { text: string; classes: string }
/** One timescale as a line: its state as a tag, its name (when the column does not say it) and how it stands. */
export type ClockLine = { kind: string; state: ClockState; tag: Tag; label: string | null; description: string }
/**
 * A table cell as data; the template (queues/views/_macros.njk) renders it: plain text, a link,
 * timescales, or a tag. Extra keys (format, attributes) pass through to the GOV.UK table.
 */
export type Cell =
  | { text: string; format?: string; attributes?: Record<string, string> }
  | { link: { href: string; text: string } }
  | { clocks: ClockLine[] }
  | { tag: Tag }

const caseLink = (row: { caseId: string; childName: string }): Cell => ({ link: { href: `/cases/${row.caseId}`, text: row.childName } })
const meetingLink = (m: { caseId: string; kind: string }): Cell => {
  const href = STRATEGY_MEETING_KINDS.includes(m.kind) ? `/cases/${m.caseId}/strategy-meeting` : `/cases/${m.caseId}`
  return { link: { href, text: MEETING_LABELS[m.kind] ?? m.kind } }
}
const statusLabel = (s: string) => STATUS_LABELS[s as CaseStatus] ?? s
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

function clockLine(c: QueueClock, now: Date, withLabel = true): ClockLine {
  const kind = c.kind as ClockKind
  const description = describeClock(
    {
      dueAt: c.dueAt,
      metAt: c.metAt,
      stopReason: c.stopReason,
      now,
      missedReason: c.missedReason,
      unit: DEFAULT_TIMESCALES[kind]?.unit ?? 'hours',
    },
    ENGLAND_AND_WALES_BANK_HOLIDAYS,
  )
  return { kind: c.kind, state: c.state, tag: STATE_TAGS[c.state], label: withLabel ? (CLOCK_LABELS[kind] ?? c.kind) : null, description }
}

const clocksOr = (lines: ClockLine[], none: string): Cell => (lines.length ? { clocks: lines } : { text: none })

/** The clocks still running, most urgent first (the query already ordered them). */
function openClocks(row: QueueCaseRow, now: Date): Cell {
  return clocksOr(
    row.clocks.filter((c) => c.metAt === null).map((c) => clockLine(c, now)),
    'None running',
  )
}

/** Clocks other than `kind` that are overdue or due soon: why a case sorts where it does. */
function urgentOtherClocks(row: QueueCaseRow, kind: ClockKind, now: Date): Cell {
  const urgent = row.clocks.filter((c) => c.kind !== kind && (c.state === 'OVERDUE' || c.state === 'DUE_SOON'))
  return clocksOr(
    urgent.map((c) => clockLine(c, now)),
    'None overdue or due soon',
  )
}

function oneClock(row: QueueCaseRow, kind: ClockKind, now: Date, missing: string): Cell {
  const clock = row.clocks.find((c) => c.kind === kind)
  return clocksOr(clock ? [clockLine(clock, now, false)] : [], missing)
}

/** Pages to offer: the first, the last, and those either side of the current one (the admin's list of people uses it too). */
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

/** The line above a paged list: which of how many are shown, or why none are. */
export function summaryFor(total: number, page: number, pageSize: number, shown: number, noun: [string, string], none: string): string {
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

type Column = { head: string; cell: (row: QueueCaseRow, now: Date) => Cell }

const CHILD: Column = { head: 'Child', cell: caseLink }
const STATUS: Column = { head: 'Status', cell: (r) => ({ text: statusLabel(r.status) }) }
const TIMESCALES: Column = { head: 'Timescales', cell: openClocks }
const COLUMNS: Record<CaseQueue, Column[]> = {
  'front-door': [
    CHILD,
    { head: 'Request for support received', cell: (r) => ({ text: formatDateTime(r.referralReceivedAt) }) },
    STATUS,
    { head: 'Referral decision', cell: (r, now) => oneClock(r, 'REFERRAL_DECISION', now, 'Not started') },
  ],
  'my-work': [CHILD, STATUS, TIMESCALES],
  team: [CHILD, { head: 'Social worker', cell: (r) => ({ text: r.allocatedUserName ?? 'No worker allocated' }) }, STATUS, TIMESCALES],
  'hsb-overview': [
    CHILD,
    STATUS,
    { head: 'Rating', cell: (r) => (r.rating ? { tag: RATING_TAGS[r.rating] } : { text: 'Not screened yet' }) },
    {
      head: 'Allocated to',
      cell: (r) => ({ text: [r.allocatedTeamName, r.allocatedUserName].filter(Boolean).join(': ') || 'Not allocated' }),
    },
    { head: 'Strategy meeting', cell: (r, now) => oneClock(r, 'STRATEGY_MEETING', now, 'Not due') },
    { head: 'Other timescales', cell: (r, now) => urgentOtherClocks(r, 'STRATEGY_MEETING', now) },
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
    summary: summaryFor(
      total,
      query.page,
      pageSize,
      rows.length,
      ['case', 'cases'],
      query.status ? 'No cases with this status.' : 'There are no cases here.',
    ),
    table: {
      caption: heading.text,
      head: columns.map((c) => ({ text: c.head })),
      rows: rows.map((r) => columns.map((c) => c.cell(r, now))),
    },
    pagination: paginationFor(
      query.page,
      Math.ceil(total / pageSize),
      (n) => `${QUEUE_PATHS[queue]}${queueQueryString(queue, { ...query, page: n })}`,
    ),
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
        ...counts.map((c): Cell[] => [
          { link: { href: `${QUEUE_PATHS['hsb-overview']}?status=${c.status}`, text: STATUS_LABELS[c.status] } },
          { text: String(c.count), format: 'numeric', attributes: { 'data-qa': `count-${c.status}` } },
        ]),
        [{ text: 'All open cases' }, { text: String(all), format: 'numeric', attributes: { 'data-qa': 'count-all' } }] satisfies Cell[],
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
    unreadText: view.unreadNotifications
      ? `You have ${plural(view.unreadNotifications, 'unread notification', 'unread notifications')}`
      : 'You have no unread notifications',
    meetings: {
      summary: summaryFor(
        meetings.total,
        meetings.page,
        meetings.pageSize,
        meetings.rows.length,
        ['meeting', 'meetings'],
        'You have no meetings to chair or attend.',
      ),
      head: [{ text: 'Meeting' }, { text: 'Child' }, { text: 'When' }, { text: 'Your part' }],
      rows: meetings.rows.map((m): Cell[] => [
        meetingLink(m),
        // Through an invitation alone the case stays shut: the child's name, without a link to it.
        m.canReadCase ? caseLink(m) : { text: m.childName },
        { text: `${formatDateTime(m.scheduledFor)}${m.scheduledFor < now ? ' (minutes not yet finalised)' : ''}` },
        { text: m.isChair ? 'Chair' : 'Invited' },
      ]),
      pagination: paginationFor(meetings.page, Math.ceil(meetings.total / meetings.pageSize), meetingsHref),
    },
  }
}

/** Each meeting kind's page under the case; strategy meetings and discussions share one. */
const MEETING_PATHS: Record<string, string> = { REVIEW_STRATEGY_MEETING: 'review-meeting', END_MEETING: 'end-meeting' }

/** Where a notification leads: the meeting for an invitation, the item it is about when the person may open the case; none otherwise. */
function notificationHref(n: NotificationsView['rows'][number]): string | null {
  // About a person's roles, not a child: the approvals list (it refuses anyone who may not decide).
  if (n.kind === 'ROLE_GRANT_REQUESTED') return '/admin/role-requests'
  if (n.kind === 'SUBJECT_ACCESS_APPROVAL_REQUESTED' || n.kind === 'SUBJECT_ACCESS_DECIDED') return '/privacy/subject-access'
  if (n.kind === 'RETENTION_APPROVAL_REQUESTED' || n.kind === 'RETENTION_DECIDED') return '/admin/retention'
  // A privacy alert, or a break-glass opening for someone who may not open the case (the privacy officer): the alert queue.
  if (n.kind === 'PRIVACY_ALERT' || (n.kind === 'BREAK_GLASS_ACCESS' && !n.canReadCase)) return '/privacy/alerts'
  if (!n.caseId) return null
  // An update or the decision, for its referrer: their own request's page (the case may not be theirs to open).
  if ((n.kind === 'REQUEST_UPDATE' || n.kind === 'REQUEST_DECIDED') && n.childName) return `/requests/${n.caseId}`
  if (n.kind === 'MEETING_INVITATION' && n.childName)
    return `/cases/${n.caseId}/${MEETING_PATHS[n.meetingKind ?? ''] ?? 'strategy-meeting'}`
  if (!n.canReadCase) return null
  const item = ITEM_PATHS[n.kind]
  return item ? `/cases/${n.caseId}/${item}` : `/cases/${n.caseId}`
}

/** The page of the thing a notification about a case is about (the meeting, the assessment, the panel), not just the case. */
const ITEM_PATHS: Partial<Record<NotificationsView['rows'][number]['kind'], string>> = {
  STRATEGY_MEETING_DUE: 'strategy-meeting',
  STRATEGY_MEETING_OVERDUE: 'strategy-meeting',
  ASSESSMENT_DECISION: 'assessment',
  CO_ASSESSOR_ALLOCATED: 'assessment',
  AIM_ASSESSMENT_DUE: 'assessment',
  AIM_ASSESSMENT_OVERDUE: 'assessment',
  HSB_PANEL_REQUESTED: 'panel',
  ABE_ACCESS_REQUESTED: 'restricted-material',
  ABE_ACCESS_DECIDED: 'restricted-material',
}

export function presentNotifications(view: NotificationsView) {
  return {
    pageTitle: 'Notifications',
    summary: summaryFor(
      view.total,
      view.page,
      view.pageSize,
      view.rows.length,
      ['notification', 'notifications'],
      'You have no notifications.',
    ),
    unreadText: view.unread ? `${plural(view.unread, 'notification', 'notifications')} not read yet.` : null,
    notifications: view.rows.map((n) => ({
      id: n.id,
      label: NOTIFICATION_LABELS[n.kind],
      href: notificationHref(n),
      isUnread: n.readAt === null,
      childName: n.childName ?? (n.caseId ? 'Not available' : 'Not about a child'),
      when: formatDateTime(n.createdAt),
    })),
    pagination: paginationFor(view.page, Math.ceil(view.total / view.pageSize), (n) => `/notifications${n > 1 ? `?page=${n}` : ''}`),
  }
}
