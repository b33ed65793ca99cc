import { randomUUID } from 'node:crypto'
import { formatDate, formatDateTime } from '../../platform/http/format.js'
import type { FieldError } from '../../platform/forms/forms.js'
import { presentClocks } from '../cases/cases.presenter.js'
import { STATUS_LABELS } from '../cases/pathway.rules.js'
import type { WorkspacePage } from './assessment-page.js'
import type { AgencyOption, AssessmentRow, PersonOption } from './assessments.repository.js'
import { DOMAIN_KEYS, DOMAINS, INTERVIEWEES, LEVELS, MODELS, ROUTES, isCurrent, trainingCheck, type AssessmentRecord, type Model } from './assessments.rules.js'
import type { CoAssessorsPage } from './co-assessors.service.js'

type Values = Record<string, string | string[]>
const BEFORE_DECISION: readonly string[] = ['REFERRED', 'AWAITING_OVERSIGHT', 'GREEN_DECISION', 'STRATEGY_MEETING_DUE', 'STRATEGY_MEETING_HELD']
const one = (v: string | string[] | undefined) => (typeof v === 'string' ? v : '')
const many = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v])
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)
/** Free text as paragraphs, escaped; the line breaks people typed are kept. */
export const paragraphs = (text: string | null | undefined) =>
  text?.trim() ? text.trim().split(/\n\s*\n/).map((p) => `<p class="govuk-body">${escapeHtml(p).replace(/\r?\n/g, '<br>')}</p>`).join('') : '<p class="govuk-body">None recorded</p>'

function dateItems(prefix: string, values: Values, errors: FieldError[] | undefined) {
  const bad = errors?.some((e) => e.href === `#${prefix}-day`) ? ' govuk-input--error' : ''
  return [
    { name: 'day', value: one(values[`${prefix}-day`]), classes: `govuk-input--width-2${bad}` },
    { name: 'month', value: one(values[`${prefix}-month`]), classes: `govuk-input--width-2${bad}` },
    { name: 'year', value: one(values[`${prefix}-year`]), classes: `govuk-input--width-4${bad}` },
  ]
}

const agencyItems = (agencies: readonly AgencyOption[], chosen: string, blank: string) => [
  { value: '', text: blank },
  ...agencies.map((a) => ({ value: a.id, text: a.name, selected: a.id === chosen })),
]
const firstOfKind = (agencies: readonly AgencyOption[], kind: string) => agencies.find((a) => a.kind === kind)?.id ?? ''
const modelLabel = (m: string | null) => (m && m in MODELS ? MODELS[m as Model] : 'Not chosen yet')

type DecisionOptions = { kase: WorkspacePage['kase']; agencies: AgencyOption[]; police: PersonOption[] }

export function presentDecisionForm(options: DecisionOptions, values: Values = {}, errors?: FieldError[]) {
  const { kase, agencies, police } = options
  const csc = firstOfKind(agencies, 'CHILDRENS_SERVICES')
  const lead = values['lead-agency'] === undefined ? csc : one(values['lead-agency'])
  const admin = values['administering-agency'] === undefined ? csc : one(values['administering-agency'])
  return {
    pageTitle: 'Decide whether to carry out an AIM assessment',
    caseId: kase.id,
    childName: kase.childName,
    errors,
    decisionItems: [
      { value: 'ASSESS', text: 'Carry out an AIM assessment', checked: values.decision === 'ASSESS' },
      { value: 'NO_ASSESSMENT', text: 'Do not carry out an AIM assessment', checked: values.decision === 'NO_ASSESSMENT' },
    ],
    reasons: one(values.reasons),
    routeItems: Object.entries(ROUTES).map(([value, text]) => ({ value, text, checked: values.route === value })),
    leadItems: agencyItems(agencies, lead, 'Select the lead agency'),
    adminItems: agencyItems(agencies, admin, 'Select the administering agency'),
    policeItems: [{ value: '', text: 'Nobody named yet' }, ...police.map((p) => ({ value: p.id, text: `${p.displayName} (${p.agencyName})`, selected: p.id === one(values['police-contact']) }))],
  }
}

type DiscussionOptions = { kase: WorkspacePage['kase']; assessment: AssessmentRow; agencies: AgencyOption[] }

export function presentDiscussionForm(options: DiscussionOptions, values: Values = {}, errors?: FieldError[]) {
  const { kase, assessment, agencies } = options
  const yos = firstOfKind(agencies, 'YOUTH_OFFENDING')
  const ticked = values.agencies === undefined ? agencies.filter((a) => ['POLICE', 'CHILDRENS_SERVICES', 'YOUTH_OFFENDING'].includes(a.kind)).map((a) => a.id) : many(values.agencies)
  return {
    pageTitle: 'Record the AIM strategy discussion',
    caseId: kase.id,
    childName: kase.childName,
    errors,
    decided: `${formatDateTime(assessment.decidedAt)} by ${assessment.decidedByName}`,
    heldItems: dateItems('held', values, errors),
    agencyItems: agencies.map((a) => ({ value: a.id, text: a.name, checked: ticked.includes(a.id) })),
    leadItems: agencyItems(agencies, values['lead-agency'] === undefined ? yos : one(values['lead-agency']), 'Select the lead agency'),
    adminItems: agencyItems(agencies, values['administering-agency'] === undefined ? yos : one(values['administering-agency']), 'Select the administering agency'),
    notes: one(values.notes),
  }
}

/** How a person's training for the model reads beside their name. */
function trainingHint(p: PersonOption, model: Model, today: string) {
  const check = trainingCheck(p.displayName, p.training, model, today)
  if (check.current) return `${p.agencyName}. ${MODELS[model]} training current${check.expiresOn ? ` until ${formatDate(check.expiresOn)}` : ''}`
  const others = p.training.filter((t) => t.model in MODELS && isCurrent(t, today)).map((t) => MODELS[t.model as Model])
  return `${p.agencyName}. No current ${MODELS[model]} training${others.length ? ` (current: ${[...new Set(others)].join(', ')})` : ''}`
}

export function presentCoAssessors(page: CoAssessorsPage, values: Values = {}, errors?: FieldError[], form: 'name' | 'replace' = 'name') {
  const model = (values.model !== undefined && one(values.model) in MODELS ? one(values.model) : page.model) as Model
  const chosen = form === 'name' ? many(values['co-assessors']) : []
  const namedIds = page.current.map((c) => c.userId)
  return {
    pageTitle: 'Co-assessors',
    caseId: page.kase.id,
    childName: page.kase.childName,
    errors,
    naming: page.current.length < 2,
    modelItems: Object.entries(MODELS).map(([value, text]) => ({ value, text, checked: value === model, hint: value === page.defaultModel ? { text: 'Suggested for the child’s age' } : undefined })),
    candidateItems: page.candidates.map((p) => ({ value: p.id, text: p.displayName, hint: { text: trainingHint(p, model, page.today) }, checked: chosen.includes(p.id) })),
    currentRows: page.current.map((c) => [{ text: c.displayName }, { text: c.agencyName }, { text: MODELS[c.model] }, { text: c.signedOffAt ? `Signed off ${formatDateTime(c.signedOffAt)}` : 'Not signed off' }]),
    replaceItems: page.current.filter((c) => !c.signedOffAt).map((c) => ({ value: c.id, text: c.displayName, checked: form === 'replace' && values.replace === c.id })),
    personItems: [
      { value: '', text: 'Select the new co-assessor' },
      ...page.candidates.filter((p) => !namedIds.includes(p.id)).map((p) => ({ value: p.id, text: `${p.displayName} – ${trainingHint(p, page.model, page.today)}`, selected: form === 'replace' && values.person === p.id })),
    ],
    reason: form === 'replace' ? one(values.reason) : '',
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

function recordRows(record: AssessmentRecord) {
  return [
    ...DOMAIN_KEYS.map((d) => ({ key: { text: DOMAINS[d] }, value: { html: `<h3 class="govuk-heading-s govuk-!-margin-bottom-1">Concerns</h3>${paragraphs(record.domains[d].concerns)}<h3 class="govuk-heading-s govuk-!-margin-bottom-1">Strengths</h3>${paragraphs(record.domains[d].strengths)}` } })),
    { key: { text: 'Formulation' }, value: { html: paragraphs(record.formulation) } },
    { key: { text: 'Level of concern' }, value: { text: record.levelOfConcern ? LEVELS[record.levelOfConcern] : 'Not recorded' } },
    { key: { text: 'Level of supervision needed' }, value: { text: record.levelOfSupervision ? LEVELS[record.levelOfSupervision] : 'Not recorded' } },
    { key: { text: 'Recommendations' }, value: { html: paragraphs(record.recommendations) } },
    { key: { text: 'Report summary' }, value: { html: paragraphs(record.reportSummary) } },
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
  if (signed.length === 1) return `Signed off by ${signed[0]!.displayName}: waiting for ${page.coAssessors.find((c) => c !== signed[0])!.displayName} to sign off`
  return 'Under way'
}

export type WorkspaceOptions = { values?: Values; errors?: FieldError[]; form?: 'information' | 'interview' | 'record' | 'extension' | 'sign-off'; conflict?: boolean }

export function presentWorkspace(page: WorkspacePage, opts: WorkspaceOptions = {}, now = new Date()) {
  const { kase, assessment: a, access } = page
  const values = opts.values ?? {}
  const mine = (form: WorkspaceOptions['form']) => (opts.form === form ? values : {})
  const recordForm = opts.form === 'record' ? values : recordValues(page.record)
  const errors = opts.errors
  const interviewValues = mine('interview')
  return {
    pageTitle: `AIM assessment – ${kase.childName}`,
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
          { key: { text: 'Decision' }, value: { text: a.decision === 'ASSESS' ? 'Carry out an AIM assessment' : 'Do not carry out an AIM assessment' } },
          { key: { text: 'Reasons' }, value: { html: paragraphs(a.decisionReasons) } },
          { key: { text: 'Decided' }, value: { text: `${formatDateTime(a.decidedAt)} by ${a.decidedByName}` } },
          ...(a.route ? [{ key: { text: 'Route' }, value: { text: a.route === 'WELFARE' ? 'Welfare' : 'Criminal' } }] : []),
          ...(a.policeContactName ? [{ key: { text: 'Police contact for the strategy discussion' }, value: { text: a.policeContactName } }] : []),
          ...(a.discussionHeldOn ? [{ key: { text: 'AIM strategy discussion' }, value: { html: `<p class="govuk-body">Held ${escapeHtml(formatDate(a.discussionHeldOn))}, recorded by ${escapeHtml(a.discussionRecordedByName ?? '')}</p>${paragraphs(a.discussionNotes)}` } }] : []),
          ...(a.route ? [{ key: { text: 'Lead agency' }, value: { text: a.leadAgencyName ?? 'Not decided yet' } }, { key: { text: 'Administering agency' }, value: { text: a.administeringAgencyName ?? 'Not decided yet' } }] : []),
          ...(a.route ? [{ key: { text: 'Model' }, value: { text: modelLabel(a.model) } }] : []),
          { key: { text: 'Status' }, value: { text: statusText(page) } },
        ]
      : [],
    clocks: presentClocks(page.clocks, now).map((c) => ({ ...c, due: formatDateTime(page.clocks.find((k) => k.kind === c.kind)!.dueAt) })),
    coAssessorRows: page.coAssessors.map((c) => [
      { text: c.displayName },
      { text: c.agencyName },
      { text: a && c.signedRecordVersion === a.recordVersion ? `Signed off ${formatDateTime(c.signedOffAt)}` : c.signedOffAt ? 'Signed an earlier version: to sign again' : 'Not signed off' },
    ]),
    replacedRows: page.replaced.map((c) => [{ text: c.displayName }, { text: formatDate(c.endedAt) }, { text: c.replacementReason ?? '' }]),
    informationRows: page.information.map((i) => [{ text: formatDate(i.datedOn) }, { text: [i.sourceAgencyName, i.source].filter(Boolean).join(': ') }, { html: paragraphs(i.summary) }, { text: i.recordedByName }]),
    interviewRows: page.interviews.map((i) => [
      { text: formatDate(i.heldOn) },
      { text: i.interviewee === 'OTHER' && i.intervieweeDetail ? `${INTERVIEWEES.OTHER}: ${i.intervieweeDetail}` : INTERVIEWEES[i.interviewee] },
      { text: i.place },
      { text: i.recordedByName },
    ]),
    extensionRows: page.extensions.map((e) => [{ text: formatDate(e.previousDueAt) }, { text: formatDate(e.newDueAt) }, { html: paragraphs(e.reason) }, { text: `${e.extendedByName}, ${formatDate(e.createdAt)}` }]),
    information: {
      agencyItems: agencyItems(page.agencies, one(mine('information')['source-agency']), 'Not from an agency'),
      source: one(mine('information').source),
      summary: one(mine('information').summary),
      datedItems: dateItems('dated', mine('information'), errors),
    },
    interview: {
      heldItems: dateItems('interview-held', interviewValues, errors),
      intervieweeItems: Object.entries(INTERVIEWEES).map(([value, text]) => ({ value, text, checked: interviewValues.interviewee === value })),
      detail: one(interviewValues['interviewee-detail']),
      place: one(interviewValues.place),
      notes: one(interviewValues['interview-notes']),
    },
    record: {
      domains: DOMAIN_KEYS.map((d) => ({ key: d, label: DOMAINS[d], concerns: one(recordForm[`${d}-concerns`]), strengths: one(recordForm[`${d}-strengths`]) })),
      formulation: one(recordForm.formulation),
      concernItems: Object.entries(LEVELS).map(([value, text]) => ({ value, text, checked: one(recordForm['level-of-concern']) === value })),
      supervisionItems: Object.entries(LEVELS).map(([value, text]) => ({ value, text, checked: one(recordForm['level-of-supervision']) === value })),
      recommendations: one(recordForm.recommendations),
      reportSummary: one(recordForm['report-summary']),
    },
    recordRows: recordRows(page.record),
    extension: { dueItems: dateItems('due', mine('extension'), errors), reason: one(mine('extension')['extension-reason']) },
  }
}

/** The record as a printable report. */
export function presentReport(page: WorkspacePage, now = new Date()) {
  const base = presentWorkspace(page, {}, now)
  return { ...base, pageTitle: `AIM assessment report – ${page.kase.childName}`, printedAt: formatDateTime(now) }
}
