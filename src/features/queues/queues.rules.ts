import type { NotificationKind } from '../../platform/notifications/notifications.js'
import { clockState, dueSoonAt, dueSoonAtOf, withLocalLengths, type ClockState } from '../../platform/clocks/clocks.rules.js'
import { CASE_STATUSES, isOpen, type CaseStatus } from '../cases/index.js'

/**
 * Work queues and in-app notifications: which cases each queue holds, how they are sorted and
 * paged (from the query string: status, sort, page only, never a name), and when a strategy
 * meeting clock raises a notification. Pure: no I/O, `now` is passed in.
 */

export const QUEUES = {
  FRONT_DOOR: 'front-door',
  MY_WORK: 'my-work',
  TEAM: 'team',
  HSB_OVERVIEW: 'hsb-overview',
  NOTIFICATIONS: 'notifications',
} as const
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES]
export type CaseQueue = Exclude<QueueName, 'notifications'>

/** Meetings with a page of their own (the meetings feature's); others open from the case. */
export const STRATEGY_MEETING_KINDS: readonly string[] = ['STRATEGY_MEETING', 'STRATEGY_DISCUSSION']

export const PAGE_SIZE = 25
/** My work shows this many meetings a page, soonest first. */
export const MEETINGS_PAGE_SIZE = 10

export const SORTS = {
  urgency: 'Most urgent timescale first',
  oldest: 'Oldest request for support first',
  newest: 'Newest request for support first',
} as const
export type Sort = keyof typeof SORTS

const OPEN_STATUSES = (Object.values(CASE_STATUSES) as CaseStatus[]).filter(isOpen)

/** The statuses each queue holds; its status filter offers these. */
export const QUEUE_STATUSES: Record<CaseQueue, readonly CaseStatus[]> = {
  'front-door': ['REFERRED', 'AWAITING_OVERSIGHT'],
  'my-work': OPEN_STATUSES,
  team: OPEN_STATUSES,
  'hsb-overview': OPEN_STATUSES,
}

/** The front door is worked oldest first; the others put overdue timescales first. */
export const DEFAULT_SORT: Record<CaseQueue, Sort> = {
  'front-door': 'oldest',
  'my-work': 'urgency',
  team: 'urgency',
  'hsb-overview': 'urgency',
}

export type QueueQuery = {
  /** One status to show, or null for every status the queue holds. */
  status: CaseStatus | null
  sort: Sort
  page: number
}

/** A page number from the query string: a positive whole number, or the first page. */
export function pageFrom(value: unknown): number {
  return typeof value === 'string' && /^\d{1,6}$/.test(value) && Number(value) > 0 ? Number(value) : 1
}

/** Reads a queue's query string. Anything unknown falls back to the queue's defaults. */
export function parseQueueQuery(queue: CaseQueue, query: Record<string, unknown>): QueueQuery {
  const status =
    typeof query.status === 'string' && (QUEUE_STATUSES[queue] as readonly string[]).includes(query.status)
      ? (query.status as CaseStatus)
      : null
  const sort = typeof query.sort === 'string' && query.sort in SORTS ? (query.sort as Sort) : DEFAULT_SORT[queue]
  return { status, sort, page: pageFrom(query.page) }
}

/** The query string for a queue page: only what differs from the defaults. */
export function queueQueryString(queue: CaseQueue, q: QueueQuery, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams()
  if (q.status) params.set('status', q.status)
  if (q.sort !== DEFAULT_SORT[queue]) params.set('sort', q.sort)
  if (q.page > 1) params.set('page', String(q.page))
  for (const [k, v] of Object.entries(extra)) params.set(k, v)
  const s = params.toString()
  return s ? `?${s}` : ''
}

export function statusesFor(queue: CaseQueue, q: QueueQuery): readonly CaseStatus[] {
  return q.status ? [q.status] : QUEUE_STATUSES[queue]
}

/** How urgent a clock makes its case: overdue first, then due soon, then running; met clocks last. */
export const URGENCY: Record<ClockState, number> = { OVERDUE: 0, DUE_SOON: 1, RUNNING: 2, MET_LATE: 3, MET: 3, STOPPED: 3 }
/** The urgency of a case with no clock running. */
export const NOT_URGENT = 3

export type Page = { limit: number; offset: number }

export function offsetFor(page: number, pageSize: number): number {
  return (Math.max(1, page) - 1) * pageSize
}

/** The notification a strategy meeting clock's state raises, if any. */
export function strategyMeetingNotificationKind(state: ClockState): Exclude<NotificationKind, 'MEETING_INVITATION'> | null {
  if (state === 'DUE_SOON') return 'STRATEGY_MEETING_DUE'
  if (state === 'OVERDUE') return 'STRATEGY_MEETING_OVERDUE'
  return null
}

/** One notification per person per clock state: the job can run as often as it likes. */
export function clockDedupeKey(caseId: string, state: ClockState): string {
  return `clock:${caseId}:${state}`
}

export type OpenStrategyClock = { caseId: string; startedAt: Date; dueAt: Date }

/**
 * The state of an open strategy meeting clock now, with its due-soon moment worked out from the
 * clock's own length (so a partnership changing its timescale later does not move clocks
 * already running), then the notification it raises.
 */
export function strategyMeetingNotice(
  clock: OpenStrategyClock,
  now: Date,
): { kind: Exclude<NotificationKind, 'MEETING_INVITATION'>; state: ClockState; dedupeKey: string } | null {
  const hours = Math.max(1, Math.round((clock.dueAt.getTime() - clock.startedAt.getTime()) / 3_600_000))
  const soon = dueSoonAt('STRATEGY_MEETING', clock.startedAt, withLocalLengths({ STRATEGY_MEETING: hours }))
  const { state } = clockState({ dueAt: clock.dueAt, dueSoonAt: soon, metAt: null, now })
  const kind = strategyMeetingNotificationKind(state)
  return kind ? { kind, state, dedupeKey: clockDedupeKey(clock.caseId, state) } : null
}

/** The AIM assessment's clocks: the 6-week target and the 8-week limit, from the decision to assess. */
export const AIM_CLOCK_KINDS = ['AIM_TARGET', 'AIM_INTERVIEWS'] as const
export type AimClockKind = (typeof AIM_CLOCK_KINDS)[number]
export type OpenAimClock = { caseId: string; kind: AimClockKind; startedAt: Date; dueAt: Date }

/**
 * The notification a case's running AIM assessment clocks call for now: "due soon" or "overdue"
 * from the most urgent of them (overdue before due soon; at the same state the 8-week limit
 * before the 6-week target). Its dedupe key names the clock, its state and its due date, so each
 * person hears once that the target is near, once that it is missed and once that the limit is
 * missed, and again only if a court direction moves the due date and that is missed too.
 */
export function aimAssessmentNotice(
  clocks: readonly OpenAimClock[],
  now: Date,
): { kind: 'AIM_ASSESSMENT_DUE' | 'AIM_ASSESSMENT_OVERDUE'; clock: AimClockKind; state: ClockState; dedupeKey: string } | null {
  const rank = (state: ClockState, kind: AimClockKind) => (state === 'OVERDUE' ? 0 : 2) + (kind === 'AIM_INTERVIEWS' ? 0 : 1)
  let best: { clock: OpenAimClock; state: ClockState } | null = null
  for (const clock of clocks) {
    const { state } = clockState({ dueAt: clock.dueAt, dueSoonAt: dueSoonAtOf(clock.kind, clock.startedAt, clock.dueAt), metAt: null, now })
    if (state !== 'OVERDUE' && state !== 'DUE_SOON') continue
    if (!best || rank(state, clock.kind) < rank(best.state, best.clock.kind)) best = { clock, state }
  }
  if (!best) return null
  const { clock, state } = best
  return {
    kind: state === 'OVERDUE' ? 'AIM_ASSESSMENT_OVERDUE' : 'AIM_ASSESSMENT_DUE',
    clock: clock.kind,
    state,
    dedupeKey: `clock:${clock.caseId}:${clock.kind}:${state}:${clock.dueAt.toISOString().slice(0, 10)}`,
  }
}
