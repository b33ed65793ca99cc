export { CLOCK_LABELS } from '../../platform/clocks/clocks.rules.js'
import { CLOCK_STATE_TAGS } from '../../platform/clocks/clock-tags.js'
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../platform/clocks/bank-holidays.js'
import {
  ALL_CLOCK_KINDS,
  CLOCK_LABELS,
  clockState,
  DEFAULT_TIMESCALES,
  describeClock,
  dueSoonAtOf,
  type ClockKind,
} from '../../platform/clocks/clocks.rules.js'
import { formatDate, formatDateTime } from '../../platform/http/format.js'
import type { CaseView } from './cases.service.js'
import { ACTION_RULES, doneLabel, isOpen, STATUS_LABELS, type CaseAction, type CaseStatus } from './pathway.rules.js'

const STATE_TAGS = CLOCK_STATE_TAGS

const RATING_TAGS = {
  GREEN: { text: 'Green', classes: 'govuk-tag--green' },
  AMBER: { text: 'Amber', classes: 'govuk-tag--orange' },
  RED: { text: 'Red', classes: 'govuk-tag--red' },
} as const

/** Where each action is taken, from the transition table (each action's page), and the link's words. */
export const ACTION_LINKS: Partial<Record<CaseAction, { path: (caseId: string) => string; text: string }>> = Object.fromEntries(
  (Object.keys(ACTION_RULES) as CaseAction[]).flatMap((a) => {
    const { label, page }: { label: string; page?: { path: string; text?: string } } = ACTION_RULES[a]
    return page ? [[a, { path: (id: string) => `/cases/${id}/${page.path}`, text: page.text ?? label }]] : []
  }),
)

/** Statuses of an open case before its strategy meeting was held; after it, its record can be read from the case. */
const BEFORE_STRATEGY_MEETING: readonly CaseStatus[] = ['REFERRED', 'AWAITING_OVERSIGHT', 'GREEN_DECISION', 'STRATEGY_MEETING_DUE']
const afterStrategyMeeting = (status: CaseStatus) => isOpen(status) && !BEFORE_STRATEGY_MEETING.includes(status)

/** A history entry in words: what happened ("Screening recorded"). */
export const eventLabel = doneLabel

/** Entered more than this after it happened, an entry says when it was recorded too. */
const SAME_TIME_MS = 5 * 60_000

/**
 * What an entry in the case's history says besides what happened: the status it moved to, and,
 * when it was entered later than it happened, when it was recorded and why it was entered late.
 */
export function eventText(e: CaseView['events'][number]): string {
  const status = e.fromStatus && e.fromStatus !== e.toStatus ? `Status: ${STATUS_LABELS[e.toStatus as CaseStatus] ?? e.toStatus}.` : ''
  const late = e.recordedAt.getTime() - e.occurredAt.getTime() > SAME_TIME_MS
  const recorded = late ? `Recorded ${formatDateTime(e.recordedAt)}${e.lateReason ? `: entered late because ${e.lateReason}` : ''}.` : ''
  // An imported step says what the council's system recorded (features/ssd-import).
  const said = typeof e.detail?.summary === 'string' ? e.detail.summary : ''
  return [said, status, recorded].filter(Boolean).join(' ')
}

export function presentClocks(clocks: CaseView['clocks'], now: Date) {
  return clocks.map((c) => {
    const kind = c.kind as ClockKind
    const known = (ALL_CLOCK_KINDS as readonly string[]).includes(c.kind)
    // Due soon by the same rule as the queues, so the case page and the queues agree.
    const dueSoon = known && !c.metAt ? dueSoonAtOf(kind, c.startedAt, c.dueAt, ENGLAND_AND_WALES_BANK_HOLIDAYS) : null
    const facts = { dueAt: c.dueAt, dueSoonAt: dueSoon, metAt: c.metAt, stopReason: c.stopReason, now, missedReason: c.missedReason }
    const { state, needsReason } = clockState(facts)
    return {
      kind,
      label: CLOCK_LABELS[kind] ?? c.kind,
      state,
      tag: STATE_TAGS[state],
      description: describeClock({ ...facts, unit: DEFAULT_TIMESCALES[kind]?.unit ?? 'hours' }, ENGLAND_AND_WALES_BANK_HOLIDAYS),
      needsReason,
      missedReason: c.missedReason,
    }
  })
}

export function presentCase(view: CaseView, now = new Date()) {
  const { kase, events } = view
  const clocks = presentClocks(view.clocks, now)
  return {
    pageTitle: 'Case',
    breakGlassUntil: view.breakGlassUntil ? formatDateTime(view.breakGlassUntil) : null,
    caseId: kase.id,
    childId: kase.childId,
    childName: kase.childName,
    dateOfBirth: formatDate(kase.childDateOfBirth),
    status: STATUS_LABELS[kase.status as CaseStatus] ?? kase.status,
    route: kase.route === 'OPEN_CASE' ? 'Already open to a service' : 'New request for support',
    rating: kase.rating ? RATING_TAGS[kase.rating] : null,
    allocated: [kase.allocatedTeamName, kase.allocatedUserName].filter(Boolean).join(': ') || 'Not allocated',
    referralReceived: formatDate(kase.referralReceivedAt),
    clocks,
    overdue: clocks.filter((c) => c.state === 'OVERDUE'),
    meetingHref: afterStrategyMeeting(kase.status) ? `/cases/${kase.id}/strategy-meeting` : null,
    // One link per page: confirming and returning a screening happen on the same page.
    actions: [
      ...new Map(
        view.actions.flatMap((a) => {
          const link = ACTION_LINKS[a]
          return link ? [[link.text, { text: link.text, href: link.path(kase.id) }] as const] : []
        }),
      ).values(),
    ],
    timeline: events.map((e) => ({
      label: { text: eventLabel(e.action) },
      byline: e.actorName ? { text: e.actorName } : undefined,
      datetime: { timestamp: e.occurredAt.toISOString(), format: 'datetime' },
      text: eventText(e),
    })),
    eventCount: events.length,
  }
}
