import { randomUUID } from 'node:crypto'
import { ROLE_LABELS } from '../../platform/access/roles.js'
import { formatLondonTime, londonDate } from '../../platform/clocks/london-time.js'
import { dateInputItems, dateItemsFor, partsOfIsoDate, type DateParts } from '../../platform/forms/dates.js'
import { type FieldError, text } from '../../platform/forms/forms.js'
import { formatDate, formatDateTime } from '../../platform/http/format.js'
import type { ArrangeOptions } from './case-meetings.js'
import { savedDraft, type InvitationPage, type MeetingPage } from './meeting-page.js'
import type { InvitationRow } from './meetings.repository.js'
import {
  ATTENDANCE,
  MAX_ROWS,
  MEETING_TYPES,
  MIN_ROWS,
  MINUTES_TEXT,
  OUTCOMES,
  STRATEGY_MEETING_KINDS,
  isOutcome,
  meetingKindLabel,
  type MeetingType,
  type MinutesDraft,
  type MinutesInput,
  type MinutesTextField,
} from './meetings.rules.js'

type Values = Record<string, string | string[]>
const one = text
const many = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v])

/** Free text as typed, as paragraphs (split at blank lines) of lines: the template's `paragraphs` macro shows them, keeping the line breaks. */
export type Paragraphs = string[][]
export const paragraphsOf = (value: string | null | undefined): Paragraphs =>
  value?.trim()
    ? value
        .trim()
        .split(/\n\s*\n/)
        .map((p) => p.split(/\r?\n/))
    : []

/** Some free text (no paragraphs reads "None recorded"), for the template's `blocks` macro. */
export type TextBlock = { heading?: string; lead?: string; paragraphs: Paragraphs }
/** A summary list row for the template's `summaryList` macro: a short text, or blocks of free text. */
export type SummaryRow = { key: string; text?: string; blocks?: TextBlock[] }
export const textRow = (key: string, value: string): SummaryRow => ({ key, text: value })
export const freeTextRow = (key: string, value: string | null | undefined): SummaryRow => ({
  key,
  blocks: [{ paragraphs: paragraphsOf(value) }],
})

const PATHS: Record<MeetingType, string> = { strategy: 'strategy-meeting', review: 'review-meeting', end: 'end-meeting' }
/** The page of a case's meeting of this type. */
export const meetingPath = (type: MeetingType, caseId: string) => `/cases/${caseId}/${PATHS[type]}`

/** The arrange page of every type of meeting. */
export const ARRANGE_VIEW = 'meetings/views/arrange.njk'

export function presentArrangeForm(options: ArrangeOptions, values: Values = {}, errors?: FieldError[]) {
  const { kase, type, agencies, people, chairs, chairRoles, defaultChairId } = options
  const agencyName = new Map(agencies.map((a) => [a.id, a.name]))
  const chair = values.chair === undefined ? (defaultChairId ?? '') : one(values.chair)
  const ticked = many(values.agencies)
  const chosen = many(values.people)
  const heading = type === 'strategy' ? 'Arrange a strategy meeting' : `Arrange the ${MEETING_TYPES[type].name}`
  return {
    pageTitle: heading,
    heading,
    type,
    action: `${meetingPath(type, kase.id)}/new`,
    caseId: kase.id,
    childName: kase.childName,
    errors,
    formKey: one(values['form-key']) || randomUUID(),
    referralReceived: formatDateTime(kase.referralReceivedAt),
    kindItems:
      type === 'strategy'
        ? Object.entries(STRATEGY_MEETING_KINDS).map(([value, text]) => ({ value, text, checked: values.kind === value }))
        : null,
    dateItems: dateInputItems('date', values, errors),
    time: one(values.time),
    chairItems: [
      { value: '', text: 'Select who will chair' },
      ...chairs.map((c) => ({
        value: c.id,
        text: `${c.displayName} (${agencyName.get(c.agencyId) ?? ''}, ${c.roles
          .filter((r) => chairRoles.includes(r))
          .map((r) => ROLE_LABELS[r])
          .join(', ')})`,
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

/** A time the meeting was held, as the date input and time field show it. */
export function heldParts(at: Date | null): DateParts & { time: string } {
  return at ? { ...partsOfIsoDate(londonDate(at)), time: formatLondonTime(at) } : { ...partsOfIsoDate(null), time: '' }
}

/** Who was invited, and whether they came, as table rows. */
export const invitationRows = (invitations: readonly InvitationRow[]) =>
  invitations.map((i) => [
    { text: i.agencyName },
    { text: i.userName ?? 'Anyone from the agency' },
    { text: i.attendance === 'INVITED' ? 'Not recorded' : ATTENDANCE[i.attendance] },
  ])

/** A radio group for each invitation: present, sent apologies or absent. */
export const attendanceFields = (invitations: readonly InvitationRow[], chosen: Record<string, string>) =>
  invitations.map((i) => ({
    idPrefix: `attendance-${i.id}`,
    legend: i.userName ? `${i.userName}, ${i.agencyName}` : `${i.agencyName} (invited as an agency)`,
    items: Object.entries(ATTENDANCE).map(([value, text]) => ({ value, text, checked: chosen[i.id] === value })),
  }))

/** The saved draft as the form shows it. */
export function inputFromSaved(page: MeetingPage): MinutesInput {
  const draft = savedDraft(page)
  return {
    held: heldParts(draft.heldAt),
    attendance: Object.fromEntries(Object.entries(draft.attendance).map(([id, a]) => [id, a ?? ''])),
    text: Object.fromEntries(Object.keys(MINUTES_TEXT).map((f) => [f, draft.minutes[f as MinutesTextField]])) as Record<
      MinutesTextField,
      string
    >,
    scores: draft.minutes.scores.map((s) => ({ name: s.name, agency: s.agency, score: String(s.score) })),
    outcomes: draft.outcomes,
    actions: draft.actions.map((a) => ({
      text: a.text,
      owner: a.ownerUserId ?? '',
      ownerText: a.ownerText ?? '',
      due: partsOfIsoDate(a.dueOn),
    })),
  }
}

const rowsFor = (count: number, adding: boolean) => Math.min(MAX_ROWS, Math.max(MIN_ROWS, count + (adding ? 1 : 0)))
const DISCUSSION = ['informationShared', 'risks', 'vulnerabilities', 'protectiveFactors'] as const
const SIGNS_OF_SAFETY = ['worries', 'workingWell', 'needsToHappen', 'dangerStatements', 'safetyGoals'] as const

function presentForm(page: MeetingPage, input: MinutesInput, errors: FieldError[] | undefined, add: 'score' | 'action' | null) {
  const textField = (field: MinutesTextField) => ({
    id: MINUTES_TEXT[field].id,
    label: MINUTES_TEXT[field].label,
    value: input.text[field],
  })
  const scoreCount = rowsFor(input.scores.length, add === 'score')
  const actionCount = rowsFor(input.actions.length, add === 'action')
  return {
    held: { time: input.held.time, dateItems: dateItemsFor('held', input.held, errors) },
    attendance: attendanceFields(page.invitations, input.attendance),
    discussion: DISCUSSION.map(textField),
    signsOfSafety: SIGNS_OF_SAFETY.map(textField),
    decisions: textField('decisions'),
    scoreRows: Array.from({ length: scoreCount }, (_, i) => ({ i, n: i + 1, ...(input.scores[i] ?? { name: '', agency: '', score: '' }) })),
    canAddScore: scoreCount < MAX_ROWS,
    outcomeItems: Object.entries(OUTCOMES).map(([value, text]) => ({ value, text, checked: input.outcomes.includes(value) })),
    actionRows: Array.from({ length: actionCount }, (_, i) => {
      const row = input.actions[i] ?? { text: '', owner: '', ownerText: '', due: partsOfIsoDate(null) }
      return {
        i,
        n: i + 1,
        text: row.text,
        ownerText: row.ownerText,
        ownerItems: [
          { value: '', text: 'Nobody chosen' },
          ...page.owners.map((o) => ({ value: o.id, text: o.displayName, selected: o.id === row.owner })),
        ],
        dueItems: dateItemsFor(`action-due-${i}`, row.due, errors),
      }
    }),
    canAddAction: actionCount < MAX_ROWS,
  }
}

/** The minutes as read: sections of free text, scores, outcomes and actions. */
function presentMinutes(page: MeetingPage, draft: MinutesDraft) {
  const section = (fields: readonly MinutesTextField[]) => fields.map((f) => freeTextRow(MINUTES_TEXT[f].label, draft.minutes[f]))
  const owner = (a: MinutesDraft['actions'][number]) =>
    [page.owners.find((o) => o.id === a.ownerUserId)?.displayName, a.ownerText].filter(Boolean).join(' – ') || 'Not given'
  return {
    discussionRows: section(DISCUSSION),
    signsOfSafetyRows: section(SIGNS_OF_SAFETY),
    decisions: paragraphsOf(draft.minutes.decisions),
    scoreRows: draft.minutes.scores.map((s) => [
      { text: s.name },
      { text: s.agency || 'Not given' },
      { text: String(s.score), format: 'numeric' },
    ]),
    outcomes: draft.outcomes.filter(isOutcome).map((o) => OUTCOMES[o]),
    actionRows: draft.actions.map((a) => [{ text: a.text }, { text: owner(a) }, { text: a.dueOn ? formatDate(a.dueOn) : 'No date' }]),
  }
}

export type MeetingPageOptions = {
  input?: MinutesInput
  errors?: FieldError[]
  conflict?: boolean
  add?: 'score' | 'action' | null
  addendum?: string
  formKey?: string
}

export function presentMeeting(page: MeetingPage, opts: MeetingPageOptions = {}) {
  const { kase, meeting, access } = page
  const kind = STRATEGY_MEETING_KINDS[meeting.kind as keyof typeof STRATEGY_MEETING_KINDS] ?? 'Meeting'
  const draft = savedDraft(page)
  const finalised = meeting.status === 'FINALISED'
  return {
    pageTitle: kind,
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
        value: {
          text: finalised
            ? `Finalised ${formatDateTime(meeting.finalisedAt)} by ${meeting.finalisedByName ?? 'the chair'}: locked`
            : 'Draft',
        },
      },
    ],
    invitationRows: invitationRows(page.invitations),
    minutes: presentMinutes(page, draft),
    form: access.canEdit ? presentForm(page, opts.input ?? inputFromSaved(page), opts.errors, opts.add ?? null) : null,
    addenda: page.addenda.map((a) => ({ paragraphs: paragraphsOf(a.text), byline: `${a.authorName}, ${formatDateTime(a.createdAt)}` })),
    addendumValue: opts.addendum ?? '',
  }
}

/** The invitation: the meeting's kind, time, chair and the agencies invited; never the child or the record. */
export function presentInvitation(page: InvitationPage) {
  const kind = meetingKindLabel(page.kind)
  return {
    pageTitle: `Invitation to a ${kind.toLowerCase()}`,
    heading: `Invitation to a ${kind.toLowerCase()}`,
    caseId: page.caseId,
    action: `${meetingPath('strategy', page.caseId)}/invitation`,
    recordHref: meetingPath('strategy', page.caseId),
    summaryRows: [
      { key: { text: 'Meeting' }, value: { text: kind } },
      { key: { text: 'Arranged for' }, value: { text: formatDateTime(page.scheduledFor) } },
      { key: { text: 'Chair' }, value: { text: page.chairName } },
      { key: { text: 'Agencies invited' }, value: { text: page.agencies.join(', ') } },
    ],
    opensRecord: page.opensRecord,
    canAccept: page.canAccept,
    closed: page.closed,
    arrangedFor: formatDateTime(page.scheduledFor),
  }
}
