import { whenFields } from '../../platform/forms/when.js'
import { randomUUID } from 'node:crypto'
import { dateInputItems } from '../../platform/forms/dates.js'
import { fields, text, type FieldError } from '../../platform/forms/forms.js'
import { formatDate, formatDateTime } from '../../platform/http/format.js'
import type { AgencyOption } from '../../platform/organisation/directory.js'
import { presentClocks, STATUS_LABELS } from '../cases/index.js'
import { freeTextRow, paragraphsOf, textRow, type SummaryRow } from '../meetings/index.js'
import type { WorkspacePage } from './assessment-page.js'
import type { PersonOption } from './assessments.repository.js'
import {
  DOMAIN_KEYS,
  DOMAINS,
  INTERVIEWEES,
  LEVELS,
  MODELS,
  ROUTES,
  isCurrent,
  trainingCheck,
  type AssessmentRecord,
  type Model,
} from './assessments.rules.js'
import type { DecisionOptions, DiscussionOptions } from './assessments.service.js'
import type { CoAssessorsPage } from './co-assessors.service.js'

type Values = Record<string, string | string[]>
const BEFORE_DECISION: readonly string[] = [
  'REFERRED',
  'AWAITING_OVERSIGHT',
  'GREEN_DECISION',
  'STRATEGY_MEETING_DUE',
  'STRATEGY_MEETING_HELD',
]

/** Radios, one for each label, with what was chosen checked. */
const radioItems = (labels: Record<string, string>, chosen: unknown) =>
  Object.entries(labels).map(([value, label]) => ({ value, text: label, checked: value === chosen }))

const agencyItems = (agencies: readonly AgencyOption[], chosen: string, blank: string) => [
  { value: '', text: blank },
  ...agencies.map((a) => ({ value: a.id, text: a.name, selected: a.id === chosen })),
]
const firstOfKind = (agencies: readonly AgencyOption[], kind: string) => agencies.find((a) => a.kind === kind)?.id ?? ''
const modelLabel = (m: string | null) => (m && m in MODELS ? MODELS[m as Model] : 'Not chosen yet')

export function presentDecisionForm(options: DecisionOptions, values: Values = {}, errors?: FieldError[]) {
  const { kase, agencies, police } = options
  const csc = firstOfKind(agencies, 'CHILDRENS_SERVICES')
  const lead = values['lead-agency'] === undefined ? csc : text(values['lead-agency'])
  const admin = values['administering-agency'] === undefined ? csc : text(values['administering-agency'])
  return {
    pageTitle: 'Decide whether to carry out an AIM assessment',
    when: whenFields(values, errors),
    caseId: kase.id,
    childName: kase.childName,
    errors,
    decisionItems: [
      { value: 'ASSESS', text: 'Carry out an AIM assessment', checked: values.decision === 'ASSESS' },
      { value: 'NO_ASSESSMENT', text: 'Do not carry out an AIM assessment', checked: values.decision === 'NO_ASSESSMENT' },
    ],
    reasons: text(values.reasons),
    routeItems: radioItems(ROUTES, values.route),
    leadItems: agencyItems(agencies, lead, 'Select the lead agency'),
    adminItems: agencyItems(agencies, admin, 'Select the administering agency'),
    policeItems: [
      { value: '', text: 'Nobody named yet' },
      ...police.map((p) => ({
        value: p.id,
        text: `${p.displayName} (${p.agencyName})`,
        selected: p.id === text(values['police-contact']),
      })),
    ],
  }
}

export function presentDiscussionForm(options: DiscussionOptions, values: Values = {}, errors?: FieldError[]) {
  const { kase, assessment, agencies } = options
  const yos = firstOfKind(agencies, 'YOUTH_OFFENDING')
  const ticked =
    values.agencies === undefined
      ? agencies.filter((a) => ['POLICE', 'CHILDRENS_SERVICES', 'YOUTH_OFFENDING'].includes(a.kind)).map((a) => a.id)
      : fields(values, 'agencies')
  return {
    pageTitle: 'Record the AIM strategy discussion',
    caseId: kase.id,
    childName: kase.childName,
    errors,
    decided: `${formatDateTime(assessment.decidedAt)} by ${assessment.decidedByName}`,
    heldItems: dateInputItems('held', values, errors),
    agencyItems: agencies.map((a) => ({ value: a.id, text: a.name, checked: ticked.includes(a.id) })),
    leadItems: agencyItems(agencies, values['lead-agency'] === undefined ? yos : text(values['lead-agency']), 'Select the lead agency'),
    adminItems: agencyItems(
      agencies,
      values['administering-agency'] === undefined ? yos : text(values['administering-agency']),
      'Select the administering agency',
    ),
    notes: text(values.notes),
  }
}

/** How a person's training for the model reads beside their name. */
function trainingHint(p: PersonOption, model: Model, today: string) {
  const check = trainingCheck(p.displayName, p.training, model, today)
  if (check.current)
    return `${p.agencyName}. ${MODELS[model]} training current${check.expiresOn ? ` until ${formatDate(check.expiresOn)}` : ''}`
  const others = p.training.filter((t) => t.model in MODELS && isCurrent(t, today)).map((t) => MODELS[t.model as Model])
  return `${p.agencyName}. No current ${MODELS[model]} training${others.length ? ` (current: ${[...new Set(others)].join(', ')})` : ''}`
}

export function presentCoAssessors(page: CoAssessorsPage, values: Values = {}, errors?: FieldError[], form: 'name' | 'replace' = 'name') {
  const model = (values.model !== undefined && text(values.model) in MODELS ? text(values.model) : page.model) as Model
  const chosen = form === 'name' ? fields(values, 'co-assessors') : []
  const namedIds = page.current.map((c) => c.userId)
  return {
    pageTitle: 'Co-assessors',
    caseId: page.kase.id,
    childName: page.kase.childName,
    errors,
    naming: page.current.length < 2,
    modelItems: Object.entries(MODELS).map(([value, label]) => ({
      value,
      text: label,
      checked: value === model,
      hint: value === page.defaultModel ? { text: 'Suggested for the child’s age' } : undefined,
    })),
    candidateItems: page.candidates.map((p) => ({
      value: p.id,
      text: p.displayName,
      hint: { text: trainingHint(p, model, page.today) },
      checked: chosen.includes(p.id),
    })),
    currentRows: page.current.map((c) => [
      { text: c.displayName },
      { text: c.agencyName },
      { text: MODELS[c.model] },
      { text: c.signedOffAt ? `Signed off ${formatDateTime(c.signedOffAt)}` : 'Not signed off' },
    ]),
    replaceItems: page.current
      .filter((c) => !c.signedOffAt)
      .map((c) => ({ value: c.id, text: c.displayName, checked: form === 'replace' && values.replace === c.id })),
    personItems: [
      { value: '', text: 'Select the new co-assessor' },
      ...page.candidates
        .filter((p) => !namedIds.includes(p.id))
        .map((p) => ({
          value: p.id,
          text: `${p.displayName} – ${trainingHint(p, page.model, page.today)}`,
          selected: form === 'replace' && values.person === p.id,
        })),
    ],
    reason: form === 'replace' ? text(values.reason) : '',
    model: MODELS[page.model],
  }
}

/** The saved record as the form's values. */
export function recordValues(record: AssessmentRecord): Values {
  const values: Values = {
    formulation: record.formulation,
    'level-of-concern': record.levelOfConcern ?? '',
    'level-of-supervision': record.levelOfSupervision ?? '',
    recommendations: record.recommendations,
    'report-summary': record.reportSummary,
  }
  for (const d of DOMAIN_KEYS) {
    values[`${d}-concerns`] = record.domains[d].concerns
    values[`${d}-strengths`] = record.domains[d].strengths
  }
  return values
}

/** The record as summary rows: each domain's concerns and strengths, the formulation, the levels and what is recommended. */
function recordRows(record: AssessmentRecord): SummaryRow[] {
  return [
    ...DOMAIN_KEYS.map((d) => ({
      key: DOMAINS[d],
      blocks: [
        { heading: 'Concerns', paragraphs: paragraphsOf(record.domains[d].concerns) },
        { heading: 'Strengths', paragraphs: paragraphsOf(record.domains[d].strengths) },
      ],
    })),
    freeTextRow('Formulation', record.formulation),
    textRow('Level of concern', record.levelOfConcern ? LEVELS[record.levelOfConcern] : 'Not recorded'),
    textRow('Level of supervision needed', record.levelOfSupervision ? LEVELS[record.levelOfSupervision] : 'Not recorded'),
    freeTextRow('Recommendations', record.recommendations),
    freeTextRow('Report summary', record.reportSummary),
  ]
}

function statusText(page: WorkspacePage): string {
  const a = page.assessment
  if (!a) return 'No decision yet'
  if (a.decision === 'NO_ASSESSMENT') return 'Decided not to assess'
  if (a.completedAt) return `Complete: signed off by both co-assessors on ${formatDate(a.completedAt)}`
  if (!a.startedAt) return 'Waiting for the AIM strategy discussion'
  if (page.coAssessors.length < 2) return 'Waiting for two co-assessors to be named'
  const signed = page.coAssessors.filter((c) => c.signedRecordVersion === a.recordVersion)
  if (signed.length === 1)
    return `Signed off by ${signed[0]!.displayName}: waiting for ${page.coAssessors.find((c) => c !== signed[0])!.displayName} to sign off`
  return 'Under way'
}

export type WorkspaceOptions = {
  values?: Values
  errors?: FieldError[]
  form?: 'information' | 'interview' | 'record' | 'extension' | 'sign-off'
  conflict?: boolean
}

export function presentWorkspace(page: WorkspacePage, opts: WorkspaceOptions = {}, now = new Date()) {
  const { kase, assessment: a, access } = page
  const values = opts.values ?? {}
  const mine = (form: WorkspaceOptions['form']) => (opts.form === form ? values : {})
  const recordForm = opts.form === 'record' ? values : recordValues(page.record)
  const errors = opts.errors
  const interviewValues = mine('interview')
  return {
    pageTitle: 'AIM assessment',
    caseId: kase.id,
    childName: kase.childName,
    caseStatus: STATUS_LABELS[kase.status],
    errors,
    access,
    conflict: opts.conflict ?? false,
    formKey: randomUUID(),
    hasAssessment: !!a,
    noAssessmentText: BEFORE_DECISION.includes(kase.status)
      ? `No decision about an AIM assessment has been made for this case yet. The case is “${STATUS_LABELS[kase.status]}”.`
      : `No AIM assessment is recorded in this service for this case. The case is “${STATUS_LABELS[kase.status]}”.`,
    assessing: a?.decision === 'ASSESS',
    status: statusText(page),
    recordVersion: a?.recordVersion ?? 0,
    summaryRows: a
      ? [
          textRow('Decision', a.decision === 'ASSESS' ? 'Carry out an AIM assessment' : 'Do not carry out an AIM assessment'),
          freeTextRow('Reasons', a.decisionReasons),
          textRow('Decided', `${formatDateTime(a.decidedAt)} by ${a.decidedByName}`),
          ...(a.route ? [textRow('Route', a.route === 'WELFARE' ? 'Welfare' : 'Criminal')] : []),
          ...(a.policeContactName ? [textRow('Police contact for the strategy discussion', a.policeContactName)] : []),
          ...(a.discussionHeldOn
            ? [
                {
                  key: 'AIM strategy discussion',
                  blocks: [
                    {
                      lead: `Held ${formatDate(a.discussionHeldOn)}, recorded by ${a.discussionRecordedByName ?? ''}`,
                      paragraphs: paragraphsOf(a.discussionNotes),
                    },
                  ],
                },
              ]
            : []),
          ...(a.route
            ? [
                textRow('Lead agency', a.leadAgencyName ?? 'Not decided yet'),
                textRow('Administering agency', a.administeringAgencyName ?? 'Not decided yet'),
              ]
            : []),
          ...(a.route ? [textRow('Model', modelLabel(a.model))] : []),
          textRow('Status', statusText(page)),
        ]
      : [],
    clocks: presentClocks(page.clocks, now).map((c) => ({ ...c, due: formatDateTime(page.clocks.find((k) => k.kind === c.kind)!.dueAt) })),
    coAssessorRows: page.coAssessors.map((c) => [
      { text: c.displayName },
      { text: c.agencyName },
      {
        text:
          a && c.signedRecordVersion === a.recordVersion
            ? `Signed off ${formatDateTime(c.signedOffAt)}`
            : c.signedOffAt
              ? 'Signed an earlier version: to sign again'
              : 'Not signed off',
      },
    ]),
    replacedRows: page.replaced.map((c) => [{ text: c.displayName }, { text: formatDate(c.endedAt) }, { text: c.replacementReason ?? '' }]),
    information: page.information.map((i) => ({
      date: formatDate(i.datedOn),
      source: [i.sourceAgencyName, i.source].filter(Boolean).join(': '),
      summary: paragraphsOf(i.summary),
      by: i.recordedByName,
    })),
    interviewRows: page.interviews.map((i) => [
      { text: formatDate(i.heldOn) },
      {
        text:
          i.interviewee === 'OTHER' && i.intervieweeDetail ? `${INTERVIEWEES.OTHER}: ${i.intervieweeDetail}` : INTERVIEWEES[i.interviewee],
      },
      { text: i.place },
      { text: i.recordedByName },
    ]),
    extensions: page.extensions.map((e) => ({
      was: formatDate(e.previousDueAt),
      to: formatDate(e.newDueAt),
      reason: paragraphsOf(e.reason),
      by: `${e.extendedByName}, ${formatDate(e.createdAt)}`,
    })),
    informationForm: {
      agencyItems: agencyItems(page.agencies, text(mine('information')['source-agency']), 'Not from an agency'),
      source: text(mine('information').source),
      summary: text(mine('information').summary),
      datedItems: dateInputItems('dated', mine('information'), errors),
    },
    interview: {
      heldItems: dateInputItems('interview-held', interviewValues, errors),
      intervieweeItems: radioItems(INTERVIEWEES, interviewValues.interviewee),
      detail: text(interviewValues['interviewee-detail']),
      place: text(interviewValues.place),
      notes: text(interviewValues['interview-notes']),
    },
    record: {
      domains: DOMAIN_KEYS.map((d) => ({
        key: d,
        label: DOMAINS[d],
        concerns: text(recordForm[`${d}-concerns`]),
        strengths: text(recordForm[`${d}-strengths`]),
      })),
      formulation: text(recordForm.formulation),
      concernItems: radioItems(LEVELS, text(recordForm['level-of-concern'])),
      supervisionItems: radioItems(LEVELS, text(recordForm['level-of-supervision'])),
      recommendations: text(recordForm.recommendations),
      reportSummary: text(recordForm['report-summary']),
    },
    recordRows: recordRows(page.record),
    extension: { dueItems: dateInputItems('due', mine('extension'), errors), reason: text(mine('extension')['extension-reason']) },
  }
}

/** The record as a printable report. */
export function presentReport(page: WorkspacePage, now = new Date()) {
  const base = presentWorkspace(page, {}, now)
  return { ...base, pageTitle: 'AIM assessment report', printedAt: formatDateTime(now) }
}
