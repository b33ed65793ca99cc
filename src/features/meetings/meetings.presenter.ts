import { randomUUID } from 'node:crypto'
import { ROLE_LABELS, isRole } from '../../platform/access/roles.js'
import { formatLondonTime, londonDate } from '../../platform/clocks/london-time.js'
import { formatDate, formatDateTime } from '../../platform/http/format.js'
import type { FieldError } from '../../platform/forms/forms.js'
import type { MeetingPage } from './meeting-page.js'
import { savedDraft } from './meeting-page.js'
import {
  ATTENDANCE,
  MAX_ROWS,
  MIN_ROWS,
  MINUTES_TEXT,
  OUTCOMES,
  STRATEGY_MEETING_KINDS,
  isOutcome,
  type DateParts,
  type MinutesDraft,
  type MinutesInput,
  type MinutesTextField,
} from './meetings.rules.js'
import type { ArrangeOptions } from './meetings.service.js'

type Values = Record<string, string | string[]>
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)
/** Free text as paragraphs, escaped; the line breaks people typed are kept. */
const paragraphs = (text: string) =>
  text.trim() ? text.trim().split(/\n\s*\n/).map((p) => `<p class="govuk-body">${escapeHtml(p).replace(/\r?\n/g, '<br>')}</p>`).join('') : '<p class="govuk-body">None recorded</p>'
const one = (v: string | string[] | undefined) => (typeof v === 'string' ? v : '')
const many = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v])
const errorFor = (errors: FieldError[] | undefined, id: string) => errors?.find((e) => e.href === `#${id}`)

/** govukDateInput items, marked in error with their input. */
function dateItems(prefix: string, parts: DateParts, errors: FieldError[] | undefined) {
  const bad = errorFor(errors, `${prefix}-day`) ? ' govuk-input--error' : ''
  return [
    { name: 'day', value: parts.day, classes: `govuk-input--width-2${bad}` },
    { name: 'month', value: parts.month, classes: `govuk-input--width-2${bad}` },
    { name: 'year', value: parts.year, classes: `govuk-input--width-4${bad}` },
  ]
}

export const caseKindLabel = (kind: string) => STRATEGY_MEETING_KINDS[kind as keyof typeof STRATEGY_MEETING_KINDS] ?? 'Meeting'

export function presentArrangeForm(options: ArrangeOptions, values: Values = {}, errors?: FieldError[]) {
  const { kase, agencies, people, chairs, defaultChairId } = options
  const agencyName = new Map(agencies.map((a) => [a.id, a.name]))
  const chair = values.chair === undefined ? (defaultChairId ?? '') : one(values.chair)
  const ticked = many(values.agencies)
  const chosen = many(values.people)
  return {
    pageTitle: 'Arrange a strategy meeting',
    caseId: kase.id,
    childName: kase.childName,
    errors,
    formKey: one(values['form-key']) || randomUUID(),
    referralReceived: formatDateTime(kase.referralReceivedAt),
    kindItems: Object.entries(STRATEGY_MEETING_KINDS).map(([value, text]) => ({ value, text, checked: values.kind === value })),
    dateItems: dateItems('date', { day: one(values['date-day']), month: one(values['date-month']), year: one(values['date-year']) }, errors),
    time: one(values.time),
    chairItems: [
      { value: '', text: 'Select who will chair' },
      ...chairs.map((c) => ({
        value: c.id,
        text: `${c.displayName} (${agencyName.get(c.agencyId) ?? ''}, ${c.roles.filter(isRole).filter((r) => r === 'TEAM_MANAGER' || r === 'HSB_LEAD').map((r) => ROLE_LABELS[r]).join(', ')})`,
        selected: c.id === chair,
      })),
    ],
    agencyItems: agencies.map((a) => ({ value: a.id, text: a.name, checked: ticked.includes(a.id) })),
    peopleGroups: agencies
      .map((a) => ({ agency: a, members: people.filter((p) => p.agencyId === a.id) }))
      .filter((g) => g.members.length)
      .map((g) => ({
        idPrefix: `people-${g.agency.id}`,
        legend: `People from ${g.agency.name}`,
        items: g.members.map((p) => ({ value: p.id, text: p.displayName, checked: chosen.includes(p.id) })),
      })),
  }
}

/** The saved draft as the form shows it. */
export function inputFromSaved(page: MeetingPage): MinutesInput {
  const draft = savedDraft(page)
  const held = draft.heldAt
  const [year, month, day] = held ? londonDate(held).split('-') : ['', '', '']
  return {
    held: { day: held ? String(Number(day)) : '', month: held ? String(Number(month)) : '', year: year ?? '', time: held ? formatLondonTime(held) : '' },
    attendance: Object.fromEntries(Object.entries(draft.attendance).map(([id, a]) => [id, a ?? ''])),
    text: Object.fromEntries(Object.keys(MINUTES_TEXT).map((f) => [f, draft.minutes[f as MinutesTextField]])) as Record<MinutesTextField, string>,
    scores: draft.minutes.scores.map((s) => ({ name: s.name, agency: s.agency, score: String(s.score) })),
    outcomes: draft.outcomes,
    actions: draft.actions.map((a) => {
      const [y, m, d] = a.dueOn ? a.dueOn.split('-') : ['', '', '']
      return { text: a.text, owner: a.ownerUserId ?? '', ownerText: a.ownerText ?? '', due: { day: a.dueOn ? String(Number(d)) : '', month: a.dueOn ? String(Number(m)) : '', year: y ?? '' } }
    }),
  }
}

const rowsFor = (count: number, adding: boolean) => Math.min(MAX_ROWS, Math.max(MIN_ROWS, count + (adding ? 1 : 0)))

function presentForm(page: MeetingPage, input: MinutesInput, errors: FieldError[] | undefined, add: 'score' | 'action' | null) {
  const textField = (field: MinutesTextField) => ({ id: MINUTES_TEXT[field].id, label: MINUTES_TEXT[field].label, value: input.text[field] })
  const scoreCount = rowsFor(input.scores.length, add === 'score')
  const actionCount = rowsFor(input.actions.length, add === 'action')
  return {
    held: { time: input.held.time, dateItems: dateItems('held', input.held, errors) },
    attendance: page.invitations.map((i) => ({
      idPrefix: `attendance-${i.id}`,
      legend: i.userName ? `${i.userName}, ${i.agencyName}` : `${i.agencyName} (invited as an agency)`,
      items: Object.entries(ATTENDANCE).map(([value, text]) => ({ value, text, checked: input.attendance[i.id] === value })),
    })),
    discussion: (['informationShared', 'risks', 'vulnerabilities', 'protectiveFactors'] as const).map(textField),
    signsOfSafety: (['worries', 'workingWell', 'needsToHappen', 'dangerStatements', 'safetyGoals'] as const).map(textField),
    decisions: textField('decisions'),
    scoreRows: Array.from({ length: scoreCount }, (_, i) => ({ i, n: i + 1, ...(input.scores[i] ?? { name: '', agency: '', score: '' }) })),
    canAddScore: scoreCount < MAX_ROWS,
    outcomeItems: Object.entries(OUTCOMES).map(([value, text]) => ({ value, text, checked: input.outcomes.includes(value) })),
    actionRows: Array.from({ length: actionCount }, (_, i) => {
      const row = input.actions[i] ?? { text: '', owner: '', ownerText: '', due: { day: '', month: '', year: '' } }
      return {
        i,
        n: i + 1,
        text: row.text,
        ownerText: row.ownerText,
        ownerItems: [{ value: '', text: 'Nobody chosen' }, ...page.owners.map((o) => ({ value: o.id, text: o.displayName, selected: o.id === row.owner }))],
        dueItems: dateItems(`action-due-${i}`, row.due, errors),
      }
    }),
    canAddAction: actionCount < MAX_ROWS,
  }
}

/** The minutes as read: sections of text, scores, outcomes and actions. */
function presentMinutes(page: MeetingPage, draft: MinutesDraft) {
  const section = (fields: readonly MinutesTextField[]) => fields.map((f) => ({ key: { text: MINUTES_TEXT[f].label }, value: { html: paragraphs(draft.minutes[f]) } }))
  const owner = (a: MinutesDraft['actions'][number]) => [page.owners.find((o) => o.id === a.ownerUserId)?.displayName, a.ownerText].filter(Boolean).join(' – ') || 'Not given'
  return {
    discussionRows: section(['informationShared', 'risks', 'vulnerabilities', 'protectiveFactors']),
    signsOfSafetyRows: section(['worries', 'workingWell', 'needsToHappen', 'dangerStatements', 'safetyGoals']),
    decisionsHtml: paragraphs(draft.minutes.decisions),
    scoreRows: draft.minutes.scores.map((s) => [{ text: s.name }, { text: s.agency || 'Not given' }, { text: String(s.score), format: 'numeric' }]),
    outcomes: draft.outcomes.filter(isOutcome).map((o) => OUTCOMES[o]),
    actionRows: draft.actions.map((a) => [{ text: a.text }, { text: owner(a) }, { text: a.dueOn ? formatDate(a.dueOn) : 'No date' }]),
  }
}

export type MeetingPageOptions = { input?: MinutesInput; errors?: FieldError[]; conflict?: boolean; add?: 'score' | 'action' | null; addendum?: string; formKey?: string }

export function presentMeeting(page: MeetingPage, opts: MeetingPageOptions = {}) {
  const { kase, meeting, access } = page
  const kind = caseKindLabel(meeting.kind)
  const draft = savedDraft(page)
  const finalised = meeting.status === 'FINALISED'
  return {
    pageTitle: `${kind} – ${kase.childName}`,
    kind,
    caseId: kase.id,
    childName: kase.childName,
    errors: opts.errors,
    access,
    finalised,
    version: meeting.version,
    formKey: opts.formKey ?? randomUUID(),
    conflict: opts.conflict ?? false,
    summaryRows: [
      { key: { text: 'Child' }, value: { text: kase.childName } },
      { key: { text: 'Arranged for' }, value: { text: formatDateTime(meeting.scheduledFor) } },
      { key: { text: 'Chair' }, value: { text: meeting.chairName } },
      { key: { text: 'Held' }, value: { text: meeting.heldAt ? formatDateTime(meeting.heldAt) : 'Not recorded yet' } },
      {
        key: { text: 'Minutes' },
        value: { text: finalised ? `Finalised ${formatDateTime(meeting.finalisedAt)} by ${meeting.finalisedByName ?? 'the chair'}: locked` : 'Draft' },
      },
    ],
    invitationRows: page.invitations.map((i) => [
      { text: i.agencyName },
      { text: i.userName ?? 'Anyone from the agency' },
      { text: i.attendance === 'INVITED' ? 'Not recorded' : ATTENDANCE[i.attendance] },
    ]),
    minutes: presentMinutes(page, draft),
    form: access.canEdit ? presentForm(page, opts.input ?? inputFromSaved(page), opts.errors, opts.add ?? null) : null,
    addenda: page.addenda.map((a) => ({ html: paragraphs(a.text), byline: `${a.authorName}, ${formatDateTime(a.createdAt)}` })),
    addendumValue: opts.addendum ?? '',
  }
}
