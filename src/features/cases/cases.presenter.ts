export { CLOCK_LABELS } from '../../platform/clocks/clocks.rules.js'
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
import { formatDate } from '../../platform/http/format.js'
import type { CaseView } from './cases.service.js'
import { ACTION_RULES, isOpen, STATUS_LABELS, type CaseAction, type CaseStatus } from './pathway.rules.js'

const STATE_TAGS = {
  RUNNING: { text: 'Running', classes: 'govuk-tag--blue' },
  DUE_SOON: { text: 'Due soon', classes: 'govuk-tag--yellow' },
  OVERDUE: { text: 'Overdue', classes: 'govuk-tag--red' },
  MET: { text: 'Met', classes: 'govuk-tag--green' },
  MET_LATE: { text: 'Met late', classes: 'govuk-tag--orange' },
} as const

const RATING_TAGS = {
  GREEN: { text: 'Green', classes: 'govuk-tag--green' },
  AMBER: { text: 'Amber', classes: 'govuk-tag--orange' },
  RED: { text: 'Red', classes: 'govuk-tag--red' },
} as const

/** Where each action is taken (the referrals and meetings features serve these pages), and the link's words. */
export const ACTION_LINKS: Partial<Record<CaseAction, { path: (caseId: string) => string; text: string }>> = {
  RECORD_SCREENING: { path: (id) => `/cases/${id}/screening`, text: 'Record the screening' },
  CONFIRM_SCREENING: { path: (id) => `/cases/${id}/screening/oversight`, text: 'Confirm or return the screening' },
  RETURN_SCREENING: { path: (id) => `/cases/${id}/screening/oversight`, text: 'Confirm or return the screening' },
  CLOSE_NO_FURTHER_ACTION: { path: (id) => `/cases/${id}/decision`, text: 'Decide: no further action or early help' },
  REQUEST_EARLY_HELP: { path: (id) => `/cases/${id}/decision`, text: 'Decide: no further action or early help' },
  ALLOCATE: { path: (id) => `/cases/${id}/allocation`, text: 'Allocate to a team and a social worker' },
  SCHEDULE_STRATEGY_MEETING: { path: (id) => `/cases/${id}/strategy-meeting/new`, text: 'Arrange the strategy meeting' },
  FINALISE_STRATEGY_MEETING: { path: (id) => `/cases/${id}/strategy-meeting`, text: 'Record and finalise the strategy meeting' },
  // Part 2: the assessments, interventions and criminal-process features serve these pages.
  DECIDE_AIM_ASSESSMENT: { path: (id) => `/cases/${id}/assessment/decision`, text: 'Decide whether to carry out an AIM assessment' },
  DECIDE_NO_AIM_ASSESSMENT: { path: (id) => `/cases/${id}/assessment/decision`, text: 'Decide whether to carry out an AIM assessment' },
  HOLD_AIM_STRATEGY_DISCUSSION: { path: (id) => `/cases/${id}/assessment/strategy-discussion`, text: 'Record the AIM strategy discussion' },
  NAME_CO_ASSESSORS: { path: (id) => `/cases/${id}/assessment/co-assessors`, text: 'Name the co-assessors' },
  RECORD_ASSESSMENT_WORK: { path: (id) => `/cases/${id}/assessment`, text: 'Work on the AIM assessment' },
  SIGN_OFF_ASSESSMENT: { path: (id) => `/cases/${id}/assessment`, text: 'Work on the AIM assessment' },
  EXTEND_AIM_ASSESSMENT: { path: (id) => `/cases/${id}/assessment`, text: 'Work on the AIM assessment' },
  SCHEDULE_REVIEW_MEETING: { path: (id) => `/cases/${id}/review-meeting/new`, text: 'Arrange the review meeting' },
  FINALISE_REVIEW_MEETING: { path: (id) => `/cases/${id}/review-meeting`, text: 'Record the review meeting and intervention plan' },
  UPDATE_INTERVENTION_PLAN: { path: (id) => `/cases/${id}/intervention-plan`, text: 'Update the intervention plan' },
  REQUEST_HSB_PANEL: { path: (id) => `/cases/${id}/panel`, text: 'Ask for the HSB panel' },
  RECORD_PANEL_DECISION: { path: (id) => `/cases/${id}/panel`, text: 'Record the HSB panel’s decision' },
  SCHEDULE_END_MEETING: { path: (id) => `/cases/${id}/end-meeting/new`, text: 'Arrange the end meeting' },
  FINALISE_END_MEETING: { path: (id) => `/cases/${id}/end-meeting`, text: 'Record the end meeting and close the case' },
  CLOSE_CASE: { path: (id) => `/cases/${id}/closure`, text: 'Close the case' },
  RECORD_CRIMINAL_PROCESS: { path: (id) => `/cases/${id}/criminal-process`, text: 'Record the criminal process' },
}

/** Statuses of an open case before its strategy meeting was held; after it, its record can be read from the case. */
const BEFORE_STRATEGY_MEETING: readonly CaseStatus[] = ['REFERRED', 'AWAITING_OVERSIGHT', 'GREEN_DECISION', 'STRATEGY_MEETING_DUE']
const afterStrategyMeeting = (status: CaseStatus) => isOpen(status) && !BEFORE_STRATEGY_MEETING.includes(status)

const OTHER_EVENT_LABELS: Record<string, string> = {
  OPEN: 'Request for support received',
  STRATEGY_MEETING_MINUTES_SAVED: 'Strategy meeting minutes saved',
  STRATEGY_MEETING_ADDENDUM: 'Addendum added to the strategy meeting minutes',
}

export function eventLabel(action: string): string {
  if (OTHER_EVENT_LABELS[action]) return OTHER_EVENT_LABELS[action]
  return (ACTION_RULES as Record<string, { label: string }>)[action]?.label ?? action
}

export function presentClocks(clocks: CaseView['clocks'], now: Date) {
  return clocks.map((c) => {
    const kind = c.kind as ClockKind
    const known = (ALL_CLOCK_KINDS as readonly string[]).includes(c.kind)
    // Due soon by the same rule as the queues, so the case page and the queues agree.
    const dueSoon = known && !c.metAt ? dueSoonAtOf(kind, c.startedAt, c.dueAt, ENGLAND_AND_WALES_BANK_HOLIDAYS) : null
    const facts = { dueAt: c.dueAt, dueSoonAt: dueSoon, metAt: c.metAt, now, missedReason: c.missedReason }
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
    pageTitle: `${kase.childName} – case`,
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
      text: e.fromStatus && e.fromStatus !== e.toStatus ? `Status: ${STATUS_LABELS[e.toStatus as CaseStatus] ?? e.toStatus}` : '',
    })),
    eventCount: events.length,
  }
}
