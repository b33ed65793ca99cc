import { whenFields } from '../../platform/forms/when.js'
import { formatDate, formatDateTime } from '../../platform/http/format.js'
import type { FieldError } from '../../platform/forms/forms.js'
import type { StepView } from './case-step.js'
import { SHARING_BASIS_LABELS, isSharingBasis } from './referral.rules.js'
import type { RequestForSupportRow, ScreeningRow } from './referrals.repository.js'
import { DEFAULT_TOOL_VERSION, MIN_BEHAVIOUR_ROWS, type ScreeningForm } from './screening.form.js'
import {
  ALL_BROOK_TOOL_VERSIONS,
  ALL_RATINGS,
  BEHAVIOUR_CONTEXT_LABELS,
  BROOK_TOOLS,
  HACKETT_LABELS,
  isBehaviourContext,
  isBrookToolVersion,
  isHackettPoint,
  isRating,
  ratingLabel,
  type BrookToolVersion,
} from './screening.rules.js'
import type { ScreeningData, OversightData } from './screening.service.js'
import { caseHeading, itemsFrom, one, ratingTag, stepForm, type Values } from './step.presenter.js'

const contextLabel = (c: string | null) => (c && isBehaviourContext(c) ? BEHAVIOUR_CONTEXT_LABELS[c] : 'Not known')
const versionOf = (v: string): BrookToolVersion => (isBrookToolVersion(v) ? v : DEFAULT_TOOL_VERSION)

/** The request for support as the screener and the manager read it. */
export function requestRows(r: RequestForSupportRow | null) {
  if (!r) return []
  return [
    { key: { text: 'Received' }, value: { text: formatDateTime(r.receivedAt) } },
    { key: { text: 'Referrer' }, value: { text: [r.referrerName, r.referrerAgencyName].filter(Boolean).join(', ') } },
    { key: { text: 'What happened' }, value: { text: r.whatHappened } },
    { key: { text: 'Where' }, value: { text: r.contexts.length ? r.contexts.map(contextLabel).join(', ') : 'Not given' } },
    { key: { text: 'Other children involved' }, value: { text: r.otherChildren ?? 'None given' } },
    {
      key: { text: 'Basis for sharing' },
      value: { text: isSharingBasis(r.sharingBasis) ? SHARING_BASIS_LABELS[r.sharingBasis] : r.sharingBasis },
    },
    { key: { text: 'Consent sought' }, value: { text: r.consentSought ? 'Yes' : 'No' } },
    ...(r.sharingNote ? [{ key: { text: 'Note about sharing' }, value: { text: r.sharingNote } }] : []),
  ]
}

/** The form's fields as a flat map keyed by field name, behaviours renumbered from 1. */
function formValues(form: ScreeningForm | null): Values {
  if (!form) return { 'tool-version': DEFAULT_TOOL_VERSION }
  const values: Values = {
    'tool-version': form.toolVersion,
    'overall-rationale': form.overallRationale,
    'occurred-day': form.when.day,
    'occurred-month': form.when.month,
    'occurred-year': form.when.year,
    'occurred-time': form.when.time,
    'late-reason': form.when.lateReason,
  }
  form.rows.forEach((row, i) => {
    for (const [part, value] of Object.entries(row)) values[`behaviour-${i + 1}-${part}`] = value
  })
  return values
}

export function presentScreening(view: StepView<ScreeningData>, form: ScreeningForm | null, errors?: FieldError[], conflict = false) {
  const { kase, data } = view
  const values = formValues(form)
  const version = versionOf(one(values['tool-version']))
  const rowCount = form?.rowCount ?? MIN_BEHAVIOUR_ROWS
  const returned = data?.returned
  const catalogue = data?.catalogue[version]
  return {
    pageTitle: 'Screening',
    ...caseHeading(kase),
    values,
    errors,
    version: conflict || form?.version == null ? kase.version : form.version,
    when: whenFields(values, errors),
    rowCount,
    requestRows: requestRows(data?.request ?? null),
    returned: returned
      ? { by: returned.oversightByName ?? 'A manager', on: formatDate(returned.oversightAt), note: returned.oversightNote ?? '' }
      : null,
    toolItems: ALL_BROOK_TOOL_VERSIONS.map((v) => ({
      value: v,
      text: BROOK_TOOLS[v].label,
      checked: one(values['tool-version']) === v,
      hint: BROOK_TOOLS[v].bandsConfirmed ? undefined : { text: 'Its age bands have not been checked against the licensed tool yet.' },
    })),
    catalogueBand: catalogue?.ageBand ?? null,
    rows: Array.from({ length: rowCount }, (_, i) => {
      const n = i + 1
      const get = (part: string) => one(values[`behaviour-${n}-${part}`])
      return {
        n,
        contextItems: [{ value: '', text: 'Not known' }, ...itemsFrom(BEHAVIOUR_CONTEXT_LABELS, get('context'), 'selected')],
        hackettItems: [{ value: '', text: 'Not recorded' }, ...itemsFrom(HACKETT_LABELS, get('hackett'), 'selected')],
        ratingItems: ALL_RATINGS.map((r) => ({ value: r, text: ratingLabel(r, version), checked: get('rating') === r })),
        catalogueItems: catalogue
          ? [
              { value: '', text: 'None chosen' },
              ...catalogue.items.map((item) => ({
                value: item.id,
                text: `${item.behaviour} (${isRating(item.rating) ? ratingLabel(item.rating, version) : item.rating})`,
                selected: get('catalogue') === item.id,
              })),
            ]
          : null,
      }
    }),
  }
}

const bandLabel = (s: ScreeningRow) => {
  const v = versionOf(s.toolVersion)
  return BROOK_TOOLS[v].bands.find((b) => b.key === s.ageBand)?.label ?? s.ageBand
}

/** A screening as a summary and a table of behaviours (oversight, and the green decision); views/_screening-record.njk shows it. */
export function presentScreeningRecord(s: ScreeningRow) {
  const v = versionOf(s.toolVersion)
  return {
    tool: BROOK_TOOLS[v].label,
    ageBand: `${bandLabel(s)}, ${s.behaviours.some((b) => b.date) ? 'at the time of the earliest behaviour' : 'when the request for support was received'}`,
    overallRating: ratingTag(s.overallRating, v),
    rationale: s.rationale,
    screenedBy: `${s.screenedByName}, ${formatDateTime(s.screenedAt)}`,
    behaviourRows: s.behaviours.map((b) => [
      { text: b.description },
      { text: b.date ? formatDate(b.date) : 'Not known' },
      { text: contextLabel(b.context) },
      { text: b.hackett && isHackettPoint(b.hackett) ? HACKETT_LABELS[b.hackett] : 'Not recorded' },
      { text: ratingLabel(b.rating, v) },
      { text: b.rationale },
    ]),
    rating: s.overallRating,
    isConcern: s.overallRating !== 'GREEN',
  }
}

export function presentOversight(view: StepView<OversightData>, values: Values = {}, errors?: FieldError[], conflict = false) {
  const { kase, data } = view
  const screening = data!.screening
  return {
    ...stepForm('Management oversight of the screening', kase, values, errors, conflict),
    screeningId: screening.id,
    record: presentScreeningRecord(screening),
    requestRows: requestRows(data!.request),
    outcomeItems: itemsFrom({ CONFIRM: 'Confirm the rating', RETURN: 'Return it to the worker' }, one(values.outcome)),
  }
}
