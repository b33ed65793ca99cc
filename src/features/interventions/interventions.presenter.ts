import { randomUUID } from 'node:crypto'
import { formatLondonTime, londonDate } from '../../platform/clocks/london-time.js'
import { formatDate, formatDateTime } from '../../platform/http/format.js'
import type { FieldError } from '../../platform/forms/forms.js'
import { STATUS_LABELS } from '../cases/pathway.rules.js'
import { presentArrangeForm } from '../meetings/meetings.presenter.js'
import { ATTENDANCE, type DateParts } from '../meetings/meetings.rules.js'
import type { ArrangeOptions } from '../meetings/meetings.service.js'
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
import type { InterventionMeetingPage, InterventionsService, MeetingType } from './interventions.service.js'

type Values = Record<string, string | string[]>
type PlanPage = Awaited<ReturnType<InterventionsService['viewPlan']>>
type PanelPage = Awaited<ReturnType<InterventionsService['viewPanel']>>
type ClosurePage = Awaited<ReturnType<InterventionsService['viewClosure']>>

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)
/** Free text as paragraphs, escaped; the line breaks people typed are kept. */
const paragraphs = (text: string) =>
  text.trim() ? text.trim().split(/\n\s*\n/).map((p) => `<p class="govuk-body">${escapeHtml(p).replace(/\r?\n/g, '<br>')}</p>`).join('') : '<p class="govuk-body">None recorded</p>'
const str = (v: unknown) => (typeof v === 'string' ? v : '')
const hasError = (errors: FieldError[] | undefined, id: string) => errors?.some((e) => e.href === `#${id}`) ?? false

function dateItems(prefix: string, parts: DateParts, errors: FieldError[] | undefined) {
  const bad = hasError(errors, `${prefix}-day`) ? ' govuk-input--error' : ''
  return [
    { name: 'day', value: parts.day, classes: `govuk-input--width-2${bad}` },
    { name: 'month', value: parts.month, classes: `govuk-input--width-2${bad}` },
    { name: 'year', value: parts.year, classes: `govuk-input--width-4${bad}` },
  ]
}

const partsOf = (iso: string | null): DateParts => {
  if (!iso) return { day: '', month: '', year: '' }
  const [y, m, d] = iso.split('-')
  return { day: String(Number(d)), month: String(Number(m)), year: y ?? '' }
}

const MEETING_NAMES: Record<MeetingType, string> = { review: 'Review meeting', end: 'End meeting' }
const KIND_NAMES: Record<string, string> = { STRATEGY_MEETING: 'Strategy meeting', STRATEGY_DISCUSSION: 'Strategy discussion', REVIEW_STRATEGY_MEETING: 'Review meeting', HSB_PANEL: 'HSB panel', END_MEETING: 'End meeting' }
const meetingPath = (type: MeetingType, caseId: string) => `/cases/${caseId}/${type === 'review' ? 'review-meeting' : 'end-meeting'}`

export function presentArrange(type: MeetingType, options: ArrangeOptions, values: Values = {}, errors?: FieldError[]) {
  const base = presentArrangeForm(options, values, errors)
  return { ...base, pageTitle: `Arrange the ${MEETING_NAMES[type].toLowerCase()}`, heading: `Arrange the ${MEETING_NAMES[type].toLowerCase()}`, action: `${meetingPath(type, options.kase.id)}/new` }
}

// ---------------------------------------------------------------------------------------------
// Goals
// ---------------------------------------------------------------------------------------------

export const goalInputs = (goals: readonly Goal[]): GoalInput[] =>
  goals.map((g) => ({ text: g.text, need: g.need ?? '', service: g.service, provider: g.provider, start: partsOf(g.startOn), review: partsOf(g.reviewOn), status: g.status }))

function goalRows(rows: readonly GoalInput[], errors: FieldError[] | undefined, adding: boolean, withStatus: boolean) {
  const count = Math.min(MAX_GOALS, Math.max(MIN_GOAL_ROWS, rows.length + (adding ? 1 : 0)))
  return {
    canAdd: count < MAX_GOALS,
    rows: Array.from({ length: count }, (_, i) => {
      const row = rows[i] ?? { text: '', need: '', service: '', provider: '', start: partsOf(null), review: partsOf(null), status: 'OPEN' }
      return {
        i,
        n: i + 1,
        text: row.text,
        service: row.service,
        provider: row.provider,
        needItems: [{ value: '', text: 'Not framed with a need' }, ...Object.entries(GLM_NEEDS).map(([value, text]) => ({ value, text, selected: row.need === value }))],
        startItems: dateItems(`goal-start-${i}`, row.start, errors),
        reviewItems: dateItems(`goal-review-${i}`, row.review, errors),
        statusItems: withStatus ? Object.entries(GOAL_STATUSES).map(([value, text]) => ({ value, text, selected: (row.status || 'OPEN') === value })) : null,
      }
    }),
  }
}

function goalTableRows(goals: readonly Goal[]) {
  return goals.map((g) => [
    { html: `${escapeHtml(g.text)}${g.need ? `<br><span class="govuk-body-s">Good Lives: ${escapeHtml(GLM_NEEDS[g.need])}</span>` : ''}` },
    { html: `${escapeHtml(g.service)}${g.provider ? `<br><span class="govuk-body-s">${escapeHtml(g.provider)}</span>` : ''}` },
    { text: formatDate(g.startOn) },
    { text: formatDate(g.reviewOn) },
    { text: isGoalStatus(g.status) ? GOAL_STATUSES[g.status] : g.status },
  ])
}

// ---------------------------------------------------------------------------------------------
// Review and end meetings
// ---------------------------------------------------------------------------------------------

export type MeetingFormState = { input?: ReviewInput | EndInput; errors?: FieldError[]; conflict?: boolean; add?: boolean }

const heldInput = (at: Date | null) => {
  if (!at) return { day: '', month: '', year: '', time: '' }
  const [y, m, d] = londonDate(at).split('-')
  return { day: String(Number(d)), month: String(Number(m)), year: y ?? '', time: formatLondonTime(at) }
}

export function presentMeetingPage(page: InterventionMeetingPage, state: MeetingFormState = {}) {
  const { kase, meeting, type, access } = page
  const name = MEETING_NAMES[type]
  const errors = state.errors
  const minutes = meeting?.minutes ?? {}
  const base = {
    pageTitle: `${name} – ${kase.childName}`,
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
          { key: { text: 'Record' }, value: { text: meeting.status === 'FINALISED' ? `Finalised ${formatDateTime(meeting.finalisedAt)} by ${meeting.finalisedByName ?? 'the chair'}: locked` : 'Not recorded yet' } },
        ]
      : [],
    invitationRows: page.invitations.map((i) => [{ text: i.agencyName }, { text: i.userName ?? 'Anyone from the agency' }, { text: i.attendance === 'INVITED' ? 'Not recorded' : ATTENDANCE[i.attendance] }]),
    recordRows:
      type === 'review'
        ? REVIEW_TEXT_FIELDS.map((f) => ({ key: { text: REVIEW_TEXT[f].label }, value: { html: paragraphs(str(minutes[f])) } }))
        : [
            { key: { text: 'Work done' }, value: { html: paragraphs(str(minutes.workDone)) } },
            { key: { text: 'Level of concern at the end' }, value: { text: isConcernLevel(str(minutes.levelOfConcern)) ? CONCERN_LEVELS[str(minutes.levelOfConcern) as keyof typeof CONCERN_LEVELS] : 'Not recorded' } },
            { key: { text: 'Reason for closing' }, value: { html: paragraphs(str(minutes.closureReason)) } },
            ...(str(minutes.openWorkReason) ? [{ key: { text: 'Closed with open work because' }, value: { html: paragraphs(str(minutes.openWorkReason)) } }] : []),
          ],
  }
  if (!access.canRecord) return { ...base, form: null }
  const held = state.input?.held ?? heldInput(null)
  const attendance = state.input?.attendance ?? {}
  const common = {
    held: { time: held.time, dateItems: dateItems('held', held, errors) },
    attendance: page.invitations.map((i) => ({
      idPrefix: `attendance-${i.id}`,
      legend: i.userName ? `${i.userName}, ${i.agencyName}` : `${i.agencyName} (invited as an agency)`,
      items: Object.entries(ATTENDANCE).map(([value, text]) => ({ value, text, checked: attendance[i.id] === value })),
    })),
  }
  if (type === 'review') {
    const input = state.input as ReviewInput | undefined
    return {
      ...base,
      form: {
        ...common,
        text: REVIEW_TEXT_FIELDS.map((f: ReviewTextField) => ({ id: REVIEW_TEXT[f].id, label: REVIEW_TEXT[f].label, value: input?.text[f] ?? '', optional: f === 'concerns' || f === 'strengths' })),
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
    reasonHtml: paragraphs(p.reason),
    decided: !!p.decidedAt,
    rows: p.decidedAt
      ? [
          { key: { text: 'Date of the panel' }, value: { text: formatDate(p.panelDate) } },
          { key: { text: 'Service commissioned' }, value: { text: p.serviceCommissioned ?? '' } },
          { key: { text: 'Provider' }, value: { text: p.provider ?? 'Not given' } },
          { key: { text: 'Level of intervention' }, value: { text: p.level && isPanelLevel(p.level) ? PANEL_LEVELS[p.level] : '' } },
          ...(p.decisionNotes ? [{ key: { text: 'Notes' }, value: { html: paragraphs(p.decisionNotes) } }] : []),
          { key: { text: 'Recorded by' }, value: { text: `${p.decidedByName ?? ''}, ${formatDateTime(p.decidedAt)}` } },
        ]
      : [{ key: { text: 'Decision' }, value: { text: 'Waiting for the panel' } }],
  }))
}

export function presentPlan(page: PlanPage, state: PlanFormState = {}) {
  const { kase, plan, access } = page
  return {
    pageTitle: `Intervention plan – ${kase.childName}`,
    caseId: kase.id,
    childName: kase.childName,
    status: STATUS_LABELS[kase.status],
    errors: state.errors,
    conflict: state.conflict ?? false,
    hasPlan: !!plan,
    version: plan?.version ?? 0,
    updated: plan ? formatDateTime(plan.updatedAt) : '',
    goalRows: goalTableRows(page.goals),
    history: page.versions.map((v) => ({ heading: `Version ${v.version}`, byline: `${v.createdByName}, ${formatDateTime(v.createdAt)}`, note: v.changeNote ?? '', goalRows: goalTableRows(v.goals) })),
    meetingRows: page.meetings.map((m) => [
      { text: KIND_NAMES[m.kind] ?? m.kind },
      { text: m.heldAt ? `Held ${formatDateTime(m.heldAt)}` : `Arranged for ${formatDateTime(m.scheduledFor)}` },
      { text: m.chairName },
      { text: m.status === 'FINALISED' ? 'Finalised' : 'Not recorded yet' },
    ]),
    actions: page.actions.map((a) => ({
      id: a.id,
      text: a.text,
      meeting: KIND_NAMES[a.meetingKind] ?? a.meetingKind,
      owner: [a.ownerName, a.ownerText].filter(Boolean).join(' – ') || 'Not given',
      due: a.dueOn ? formatDate(a.dueOn) : 'No date',
      done: a.doneAt ? `Done ${formatDate(a.doneAt)} (${a.doneByName ?? ''})` : null,
    })),
    panels: panelRows(page.panels),
    closure: page.closure
      ? {
          rows: [
            { key: { text: 'Closed' }, value: { text: `${formatDateTime(page.closure.closedAt)} by ${page.closure.closedByName}` } },
            ...(page.closure.levelOfConcern ? [{ key: { text: 'Level of concern at the end' }, value: { text: CONCERN_LEVELS[page.closure.levelOfConcern] } }] : []),
            { key: { text: 'Reason' }, value: { html: paragraphs(page.closure.reason) } },
            ...(page.closure.openWork.length ? [{ key: { text: 'Open when it closed' }, value: { text: page.closure.openWork.join('; ') } }, { key: { text: 'Closed with open work because' }, value: { html: paragraphs(page.closure.openWorkReason ?? '') } }] : []),
          ],
        }
      : null,
    access,
    formKey: randomUUID(),
    form: access.canUpdate ? { goals: goalRows(state.input?.goals ?? goalInputs(page.goals), state.errors, state.add ?? false, true), changeNote: state.input?.changeNote ?? '' } : null,
  }
}

// ---------------------------------------------------------------------------------------------
// The HSB panel and closure
// ---------------------------------------------------------------------------------------------

export type PanelFormState = { reason?: string; decision?: PanelDecisionInput; errors?: FieldError[] }

export function presentPanel(page: PanelPage, state: PanelFormState = {}) {
  const d = state.decision
  return {
    pageTitle: `HSB panel – ${page.kase.childName}`,
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
      dateItems: dateItems('panel-date', d?.date ?? partsOf(null), state.errors),
      levelItems: Object.entries(PANEL_LEVELS).map(([value, text]) => ({ value, text, checked: d?.level === value })),
    },
  }
}

export function presentClosure(page: ClosurePage, state: { input?: { reason: string; openWorkReason: string }; errors?: FieldError[] } = {}) {
  return {
    pageTitle: `Close the case – ${page.kase.childName}`,
    caseId: page.kase.id,
    childName: page.kase.childName,
    status: STATUS_LABELS[page.kase.status],
    errors: state.errors,
    openWork: page.openWork,
    closed: page.closure ? { at: formatDateTime(page.closure.closedAt), by: page.closure.closedByName, reasonHtml: paragraphs(page.closure.reason) } : null,
    access: page.access,
    reason: state.input?.reason ?? '',
    openWorkReason: state.input?.openWorkReason ?? '',
  }
}

