import { whenFields } from '../../platform/forms/when.js'
import type { ClosureInput } from './interventions.rules.js'
import { randomUUID } from 'node:crypto'
import { dateItemsFor, partsOfIsoDate } from '../../platform/forms/dates.js'
import { type FieldError, text } from '../../platform/forms/forms.js'
import { formatDate, formatDateTime } from '../../platform/http/format.js'
import { STATUS_LABELS } from '../cases/index.js'
import {
  attendanceFields,
  freeTextRow,
  heldParts,
  invitationRows,
  meetingKindLabel,
  meetingPath,
  paragraphsOf,
  textRow,
  MEETING_KIND_LABELS,
  type SummaryRow,
} from '../meetings/index.js'
import {
  CONCERN_LEVELS,
  GLM_NEEDS,
  GOAL_STATUSES,
  MAX_GOALS,
  MIN_GOAL_ROWS,
  PANEL_LEVELS,
  REVIEW_TEXT,
  REVIEW_TEXT_FIELDS,
  isConcernLevel,
  isGoalStatus,
  isPanelLevel,
  type EndInput,
  type Goal,
  type GoalInput,
  type PanelDecisionInput,
  type ReviewInput,
  type ReviewTextField,
} from './interventions.rules.js'
import type { InterventionMeetingPage, InterventionsService } from './interventions.service.js'

type PlanPage = Awaited<ReturnType<InterventionsService['viewPlan']>>
type PanelPage = Awaited<ReturnType<InterventionsService['viewPanel']>>
type ClosurePage = Awaited<ReturnType<InterventionsService['viewClosure']>>

const str = text

// ---------------------------------------------------------------------------------------------
// Goals
// ---------------------------------------------------------------------------------------------

export const goalInputs = (goals: readonly Goal[]): GoalInput[] =>
  goals.map((g) => ({
    text: g.text,
    need: g.need ?? '',
    service: g.service,
    provider: g.provider,
    start: partsOfIsoDate(g.startOn),
    review: partsOfIsoDate(g.reviewOn),
    status: g.status,
  }))

function goalRows(rows: readonly GoalInput[], errors: FieldError[] | undefined, adding: boolean, withStatus: boolean) {
  const count = Math.min(MAX_GOALS, Math.max(MIN_GOAL_ROWS, rows.length + (adding ? 1 : 0)))
  return {
    canAdd: count < MAX_GOALS,
    rows: Array.from({ length: count }, (_, i) => {
      const row = rows[i] ?? {
        text: '',
        need: '',
        service: '',
        provider: '',
        start: partsOfIsoDate(null),
        review: partsOfIsoDate(null),
        status: 'OPEN',
      }
      return {
        i,
        n: i + 1,
        text: row.text,
        service: row.service,
        provider: row.provider,
        needItems: [
          { value: '', text: 'Not framed with a need' },
          ...Object.entries(GLM_NEEDS).map(([value, text]) => ({ value, text, selected: row.need === value })),
        ],
        startItems: dateItemsFor(`goal-start-${i}`, row.start, errors),
        reviewItems: dateItemsFor(`goal-review-${i}`, row.review, errors),
        statusItems: withStatus
          ? Object.entries(GOAL_STATUSES).map(([value, text]) => ({ value, text, selected: (row.status || 'OPEN') === value }))
          : null,
      }
    }),
  }
}

/** The goals as the plan's table shows them (the template's `goalTable` macro). */
const goalTable = (goals: readonly Goal[]) =>
  goals.map((g) => ({
    text: g.text,
    need: g.need ? GLM_NEEDS[g.need] : null,
    service: g.service,
    provider: g.provider || null,
    starts: formatDate(g.startOn),
    review: formatDate(g.reviewOn),
    progress: isGoalStatus(g.status) ? GOAL_STATUSES[g.status] : g.status,
  }))

// ---------------------------------------------------------------------------------------------
// Review and end meetings
// ---------------------------------------------------------------------------------------------

export type MeetingFormState = { input?: ReviewInput | EndInput; errors?: FieldError[]; conflict?: boolean; add?: boolean }

function recordRows(page: InterventionMeetingPage): SummaryRow[] {
  const minutes = page.meeting?.minutes ?? {}
  if (page.type === 'review') return REVIEW_TEXT_FIELDS.map((f) => freeTextRow(REVIEW_TEXT[f].label, str(minutes[f])))
  const level = str(minutes.levelOfConcern)
  return [
    freeTextRow('Work done', str(minutes.workDone)),
    textRow('Level of concern at the end', isConcernLevel(level) ? CONCERN_LEVELS[level] : 'Not recorded'),
    freeTextRow('Reason for closing', str(minutes.closureReason)),
    ...(str(minutes.openWorkReason) ? [freeTextRow('Closed with open work because', str(minutes.openWorkReason))] : []),
  ]
}

export function presentMeetingPage(page: InterventionMeetingPage, state: MeetingFormState = {}) {
  const { kase, meeting, type, access } = page
  const name = MEETING_KIND_LABELS[type === 'review' ? 'REVIEW_STRATEGY_MEETING' : 'END_MEETING']
  const errors = state.errors
  const base = {
    pageTitle: name,
    heading: name,
    type,
    caseId: kase.id,
    childName: kase.childName,
    status: STATUS_LABELS[kase.status],
    errors,
    conflict: state.conflict ?? false,
    access,
    arranged: !!meeting,
    finalised: meeting?.status === 'FINALISED',
    arrangeHref: `${meetingPath(type, kase.id)}/new`,
    action: meetingPath(type, kase.id),
    version: meeting?.version ?? 0,
    formKey: randomUUID(),
    openWork: page.openWork,
    summaryRows: meeting
      ? [
          { key: { text: 'Arranged for' }, value: { text: formatDateTime(meeting.scheduledFor) } },
          { key: { text: 'Chair' }, value: { text: meeting.chairName } },
          { key: { text: 'Held' }, value: { text: meeting.heldAt ? formatDateTime(meeting.heldAt) : 'Not recorded yet' } },
          {
            key: { text: 'Record' },
            value: {
              text:
                meeting.status === 'FINALISED'
                  ? `Finalised ${formatDateTime(meeting.finalisedAt)} by ${meeting.finalisedByName ?? 'the chair'}: locked`
                  : 'Not recorded yet',
            },
          },
        ]
      : [],
    invitationRows: invitationRows(page.invitations),
    recordRows: recordRows(page),
  }
  if (!access.canRecord) return { ...base, form: null }
  const held = state.input?.held ?? heldParts(null)
  const common = {
    held: { time: held.time, dateItems: dateItemsFor('held', held, errors) },
    attendance: attendanceFields(page.invitations, state.input?.attendance ?? {}),
  }
  if (type === 'review') {
    const input = state.input as ReviewInput | undefined
    return {
      ...base,
      form: {
        ...common,
        text: REVIEW_TEXT_FIELDS.map((f: ReviewTextField) => ({
          id: REVIEW_TEXT[f].id,
          label: REVIEW_TEXT[f].label,
          value: input?.text[f] ?? '',
          optional: f === 'concerns' || f === 'strengths',
        })),
        goals: goalRows(input?.goals ?? [], errors, state.add ?? false, false),
      },
    }
  }
  const input = state.input as EndInput | undefined
  return {
    ...base,
    form: {
      ...common,
      workDone: input?.workDone ?? '',
      reason: input?.reason ?? '',
      openWorkReason: input?.openWorkReason ?? '',
      levelItems: Object.entries(CONCERN_LEVELS).map(([value, text]) => ({ value, text, checked: input?.level === value })),
    },
  }
}

// ---------------------------------------------------------------------------------------------
// The plan page
// ---------------------------------------------------------------------------------------------

export type PlanFormState = { input?: { goals: GoalInput[]; changeNote: string }; errors?: FieldError[]; conflict?: boolean; add?: boolean }

function panelRows(panels: PanelPage['panels']) {
  return panels.map((p) => ({
    requested: `Asked for ${formatDateTime(p.requestedAt)} by ${p.requestedByName}`,
    reason: paragraphsOf(p.reason),
    decided: !!p.decidedAt,
    rows: p.decidedAt
      ? [
          textRow('Date of the panel', formatDate(p.panelDate)),
          textRow('Service commissioned', p.serviceCommissioned ?? ''),
          textRow('Provider', p.provider ?? 'Not given'),
          textRow('Level of intervention', p.level && isPanelLevel(p.level) ? PANEL_LEVELS[p.level] : ''),
          ...(p.decisionNotes ? [freeTextRow('Notes', p.decisionNotes)] : []),
          textRow('Recorded by', `${p.decidedByName ?? ''}, ${formatDateTime(p.decidedAt)}`),
        ]
      : [textRow('Decision', 'Waiting for the panel')],
  }))
}

export function presentPlan(page: PlanPage, state: PlanFormState = {}) {
  const { kase, plan, access, closure } = page
  return {
    pageTitle: 'Intervention plan',
    caseId: kase.id,
    childName: kase.childName,
    status: STATUS_LABELS[kase.status],
    errors: state.errors,
    conflict: state.conflict ?? false,
    hasPlan: !!plan,
    version: plan?.version ?? 0,
    updated: plan ? formatDateTime(plan.updatedAt) : '',
    goals: goalTable(page.goals),
    history: page.versions.map((v) => ({
      heading: `Version ${v.version}`,
      byline: `${v.createdByName}, ${formatDateTime(v.createdAt)}`,
      note: v.changeNote ?? '',
      goals: goalTable(v.goals),
    })),
    meetingRows: page.meetings.map((m) => [
      { text: meetingKindLabel(m.kind) },
      { text: m.heldAt ? `Held ${formatDateTime(m.heldAt)}` : `Arranged for ${formatDateTime(m.scheduledFor)}` },
      { text: m.chairName },
      { text: m.status === 'FINALISED' ? 'Finalised' : 'Not recorded yet' },
    ]),
    actions: page.actions.map((a) => ({
      id: a.id,
      text: a.text,
      meeting: meetingKindLabel(a.meetingKind),
      owner: [a.ownerName, a.ownerText].filter(Boolean).join(' – ') || 'Not given',
      due: a.dueOn ? formatDate(a.dueOn) : 'No date',
      done: a.doneAt ? `Done ${formatDate(a.doneAt)} (${a.doneByName ?? ''})` : null,
    })),
    panels: panelRows(page.panels),
    closure: closure
      ? {
          rows: [
            textRow('Closed', `${formatDateTime(closure.closedAt)} by ${closure.closedByName}`),
            ...(closure.levelOfConcern ? [textRow('Level of concern at the end', CONCERN_LEVELS[closure.levelOfConcern])] : []),
            freeTextRow('Reason', closure.reason),
            ...(closure.openWork.length
              ? [
                  textRow('Open when it closed', closure.openWork.join('; ')),
                  freeTextRow('Closed with open work because', closure.openWorkReason ?? ''),
                ]
              : []),
          ],
        }
      : null,
    access,
    formKey: randomUUID(),
    form: access.canUpdate
      ? {
          goals: goalRows(state.input?.goals ?? goalInputs(page.goals), state.errors, state.add ?? false, true),
          changeNote: state.input?.changeNote ?? '',
        }
      : null,
  }
}

// ---------------------------------------------------------------------------------------------
// The HSB panel and closure
// ---------------------------------------------------------------------------------------------

export type PanelFormState = { reason?: string; decision?: PanelDecisionInput; errors?: FieldError[] }

export function presentPanel(page: PanelPage, state: PanelFormState = {}) {
  const d = state.decision
  return {
    pageTitle: 'HSB panel',
    caseId: page.kase.id,
    childName: page.kase.childName,
    status: STATUS_LABELS[page.kase.status],
    errors: state.errors,
    assessmentComplete: page.assessmentComplete,
    panels: panelRows(page.panels),
    access: page.access,
    reason: state.reason ?? '',
    decision: {
      service: d?.service ?? '',
      provider: d?.provider ?? '',
      notes: d?.notes ?? '',
      dateItems: dateItemsFor('panel-date', d?.date ?? partsOfIsoDate(null), state.errors),
      levelItems: Object.entries(PANEL_LEVELS).map(([value, text]) => ({ value, text, checked: d?.level === value })),
    },
  }
}

export function presentClosure(page: ClosurePage, state: { input?: ClosureInput; errors?: FieldError[] } = {}) {
  const w = state.input?.when
  return {
    pageTitle: 'Close the case',
    when: whenFields(
      w
        ? {
            'occurred-day': w.day,
            'occurred-month': w.month,
            'occurred-year': w.year,
            'occurred-time': w.time,
            'late-reason': w.lateReason,
          }
        : {},
      state.errors,
    ),
    caseId: page.kase.id,
    childName: page.kase.childName,
    status: STATUS_LABELS[page.kase.status],
    errors: state.errors,
    openWork: page.openWork,
    closed: page.closure
      ? { at: formatDateTime(page.closure.closedAt), by: page.closure.closedByName, reason: paragraphsOf(page.closure.reason) }
      : null,
    access: page.access,
    reason: state.input?.reason ?? '',
    openWorkReason: state.input?.openWorkReason ?? '',
  }
}
