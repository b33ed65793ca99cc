import { dateInputItems } from '../../platform/forms/dates.js'
import { field, fields, type FieldError } from '../../platform/forms/forms.js'
import { LATE_REASON_ID, WHEN_ID, whenFields, whenValuesOf } from '../../platform/forms/when.js'
import { formatDate, formatDateTime } from '../../platform/http/format.js'
import { eventLabel, STATUS_LABELS, type CaseStatus } from '../cases/index.js'
import { reportModel } from './case-audits.report.js'
import { ALL_AGENCIES, CONSENT_BY, CONSENT_HOW, FINDING_KINDS, panelDayOf } from './case-audits.rules.js'
import type { CaseAuditReport, CaseAuditsService } from './case-audits.service.js'
import type { ToolRow } from './case-audits.repository.js'

/** View models for the case audit pages. Nothing here identifies a child. */
type Values = Record<string, string | string[]>
type Svc = CaseAuditsService
type Overview = Awaited<ReturnType<Svc['overview']>>
const iso = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : '')
const options = (items: { value: string; text: string }[], chosen: string, blank?: string) =>
  [...(blank !== undefined ? [{ value: '', text: blank }] : []), ...items].map((i) => ({ ...i, selected: i.value === chosen }))
export const CONSENT_LABELS = { NOT_SOUGHT: 'Not sought yet', SOUGHT: 'Sought', GIVEN: 'Given', REFUSED: 'Refused' } as const
/** Entered more than this after it happened, a record says when it was recorded too. */
const SAME_TIME_MS = 5 * 60_000

/** "Recorded 9 March 2026, 4:00pm: entered late because …." when a record was entered after it happened; '' otherwise. */
export function recordedLater(occurredAt: Date, recordedAt: Date | null, lateReason: string | null): string {
  if (!recordedAt || recordedAt.getTime() - occurredAt.getTime() <= SAME_TIME_MS) return ''
  return `Recorded ${formatDateTime(recordedAt)}${lateReason ? `: entered late because ${lateReason}` : ''}.`
}

const WHEN_KEYS = [`${WHEN_ID}-day`, `${WHEN_ID}-month`, `${WHEN_ID}-year`, `${WHEN_ID}-time`, LATE_REASON_ID]

const RATINGS = [
  { value: 'GREEN', text: 'Green' },
  { value: 'AMBER', text: 'Amber' },
  { value: 'RED', text: 'Red' },
]

export function presentList(data: Awaited<ReturnType<Svc['list']>>) {
  const row = (a: (typeof data.audits)[number]) => ({
    id: a.id,
    theme: a.theme,
    panelDate: formatDate(panelDayOf(a)),
    status: a.status === 'OPEN' ? 'Open' : 'Closed',
    deepDive: !!a.parentAuditId,
    samples: a.samples,
    consented: a.consented,
  })
  return { pageTitle: 'Multi-agency case audits', audits: data.audits.map(row), mine: data.mine.map(row), canManage: data.canManage }
}

export function presentToolForm(values: Values, errors: FieldError[] = []) {
  return {
    pageTitle: 'Load an audit tool',
    values,
    errors,
    formatItems: [
      {
        value: 'CSV',
        text: 'CSV: a heading line “section,code,question”, then one question per line',
        checked: field(values, 'format') !== 'JSON',
      },
      {
        value: 'JSON',
        text: 'JSON: { "scale": [...], "sections": [{ "title", "questions": [...] }] } (the scale below is not used)',
        checked: field(values, 'format') === 'JSON',
      },
    ],
    freeTextItems: [
      { value: 'yes', text: 'Yes', checked: field(values, 'free-text') !== 'no' },
      { value: 'no', text: 'No', checked: field(values, 'free-text') === 'no' },
    ],
  }
}

export function presentTool(tool: ToolRow) {
  return {
    pageTitle: tool.name,
    tool,
    source:
      { BUILT_IN: 'Shipped with the service', JSON: 'Loaded as JSON', CSV: 'Loaded as CSV', FORM: 'Typed in' }[tool.source] ?? tool.source,
  }
}

export function presentSetup(form: Awaited<ReturnType<Svc['setupForm']>>, values: Values = {}, errors: FieldError[] = []) {
  const deepDive = !!form.parent
  const agencies = form.agencies.map((g) => ({
    id: g.id,
    name: g.name,
    participationItems: options(
      [
        { value: 'TAKING_PART', text: 'Taking part' },
        { value: 'UNABLE', text: 'Unable to take part' },
      ],
      field(values, `agency-${g.id}`),
      'Not involved',
    ),
    auditorItems: options(
      form.auditors.map((u) => ({ value: u.id, text: `${u.displayName} (${form.agencies.find((x) => x.id === u.agencyId)?.name ?? ''})` })),
      field(values, `auditor-${g.id}`),
      'None',
    ),
    reason: field(values, `reason-${g.id}`),
  }))
  return {
    pageTitle: deepDive ? 'Set up a deep dive' : 'Set up a multi-agency case audit',
    deepDive,
    parent: form.parent ? { id: form.parent.id, theme: form.parent.theme } : null,
    action: form.parent ? `/case-audits/${form.parent.id}/deep-dive` : '/case-audits',
    values,
    errors,
    dateItems: dateInputItems('panel-date', values, errors),
    toolItems: options(
      form.tools.map((t) => ({ value: t.id, text: t.name })),
      field(values, 'tool') || (form.tools[0]?.id ?? ''),
    ),
    agencies,
    caseItems: form.parentSamples.map((s) => ({
      value: s.id,
      text: `Case ${s.drawNumber}`,
      checked: fields(values, 'cases').includes(s.id),
    })),
  }
}

const sampleLabel = (s: { drawNumber: number }) => `Case ${s.drawNumber}`

export function presentAudit(
  o: Overview,
  extra: { values: Values; errors: FieldError[]; cohortCount: number | null } = { values: {}, errors: [], cohortCount: null },
) {
  const a = o.audit
  const v = extra.values
  const open = a.status === 'OPEN'
  const consented = o.samples.filter((s) => s.consent === 'GIVEN')
  const takingPart = o.agencies.filter((x) => x.participation === 'TAKING_PART')
  const sheet = (sampleId: string, agencyId: string) => o.summaries.find((s) => s.sampleId === sampleId && s.agencyId === agencyId)
  const f = a.cohortFilter
  return {
    pageTitle: a.theme,
    errors: extra.errors,
    values: v,
    audit: {
      id: a.id,
      theme: a.theme,
      panelDate: formatDate(a.panelDate),
      tool: a.toolName,
      toolId: a.toolId,
      purpose: a.purpose,
      open,
      closedAt: formatDate(a.closedAt),
      deepDive: !!a.parentAuditId,
      seed: a.seed,
      sampled: !!a.sampledAt,
      sampleSize: a.sampleSize,
      panelNotes: a.panelNotes,
      panelRecorded: !!a.panelRecordedAt,
      /** When the panel met, and when its record was saved if later. */
      panelHeld: a.panelHeldAt ? formatDateTime(a.panelHeldAt) : null,
      panelRecordedLater: a.panelHeldAt ? recordedLater(a.panelHeldAt, a.panelRecordedAt, a.panelLateReason) : '',
      reviewId: a.reviewId,
    },
    parent: o.parent ? { id: o.parent.id, theme: o.parent.theme } : null,
    deepDives: o.deepDives.map((d) => ({ id: d.id, theme: d.theme })),
    canManage: o.canManage,
    numbers: o.numbers,
    takingPart: takingPart.map((x) => ({ name: x.agencyName, auditor: x.leadAuditorName })),
    unable: o.agencies.filter((x) => x.participation === 'UNABLE').map((x) => ({ name: x.agencyName, reason: x.reason })),
    cohort: f
      ? {
          openOn: formatDate(f.openOn),
          ratings: f.ratings.join(', ') || 'Any',
          statuses: f.statuses.map((s) => STATUS_LABELS[s as CaseStatus] ?? s).join(', ') || 'Any',
          agency: o.cohortOptions.agencies.find((g) => g.id === f.agencyId)?.name ?? 'Any',
          size: a.cohortCaseIds?.length ?? 0,
        }
      : null,
    cohortCount: extra.cohortCount,
    showCount: extra.cohortCount !== null,
    panelNotes: typeof v['panel-notes'] === 'string' ? v['panel-notes'] : (a.panelNotes ?? ''),
    // What was typed on the panel form; otherwise, once recorded, when the panel met (saving again keeps it).
    panelWhen: whenFields(
      WHEN_KEYS.some((k) => k in v) || !a.panelHeldAt ? v : { ...whenValuesOf(a.panelHeldAt), [LATE_REASON_ID]: a.panelLateReason ?? '' },
      extra.errors,
    ),
    cohortForm: {
      dateItems: dateInputItems('open-on', v, extra.errors),
      ratingItems: RATINGS.map((r) => ({ ...r, checked: fields(v, 'ratings').includes(r.value) })),
      statusItems: o.cohortOptions.statuses.map((s) => ({
        value: s,
        text: STATUS_LABELS[s as CaseStatus] ?? s,
        checked: fields(v, 'statuses').includes(s),
      })),
      agencyItems: options(
        o.cohortOptions.agencies.map((g) => ({ value: g.id, text: g.name })),
        field(v, 'agency'),
        'Any agency',
      ),
    },
    samples: o.samples.map((s) => ({
      id: s.id,
      label: sampleLabel(s),
      reference: s.caseId,
      drawNumber: s.drawNumber,
      replaces: s.replacesSampleId ? sampleLabel(o.samples.find((x) => x.id === s.replacesSampleId) ?? { drawNumber: 0 }) : null,
      consent: CONSENT_LABELS[s.consent],
      consentState: s.consent,
      consentDetail: s.consentBy
        ? `${CONSENT_BY[s.consentBy as keyof typeof CONSENT_BY] ?? s.consentBy}, ${CONSENT_HOW[s.consentHow as keyof typeof CONSENT_HOW] ?? ''}, ${formatDate(s.consentOn)}`
        : s.consentOn
          ? `${CONSENT_HOW[s.consentHow as keyof typeof CONSENT_HOW] ?? ''}, ${formatDate(s.consentOn)}`
          : '',
      canRecordConsent: o.canManage && open && (s.consent === 'NOT_SOUGHT' || s.consent === 'SOUGHT'),
      discussed: s.discussedAtPanel,
    })),
    sheets: consented.map((s) => ({ label: sampleLabel(s), cells: takingPart.map((x) => (sheet(s.id, x.agencyId) ? 'Done' : 'Not yet')) })),
    sheetAgencies: takingPart.map((x) => x.agencyName),
    myCases:
      o.myAgency && open
        ? consented.map((s) => ({
            href: `/case-audits/${a.id}/cases/${s.id}`,
            label: sampleLabel(s),
            done: !!sheet(s.id, o.myAgency!.agencyId),
          }))
        : [],
    isAuditor: !!o.myAgency,
    panelItems: consented.map((s) => ({
      value: s.id,
      text: sampleLabel(s),
      checked: v.discussed ? fields(v, 'discussed').includes(s.id) : s.discussedAtPanel,
    })),
  }
}

export function presentConsent(
  data: {
    audit: { id: string; theme: string; status: string }
    sample: { id: string; drawNumber: number; caseId: string; consent: string }
  },
  values: Values = {},
  errors: FieldError[] = [],
) {
  return {
    pageTitle: `Consent for case ${data.sample.drawNumber}`,
    audit: data.audit,
    sample: { ...data.sample, label: sampleLabel(data.sample) },
    errors,
    values,
    stateItems: [
      { value: 'SOUGHT', text: 'Sought: waiting for an answer' },
      { value: 'GIVEN', text: 'Given' },
      { value: 'REFUSED', text: 'Refused' },
    ].map((i) => ({ ...i, checked: field(values, 'state') === i.value })),
    byItems: Object.entries(CONSENT_BY).map(([value, text]) => ({ value, text, checked: field(values, 'by') === value })),
    howItems: Object.entries(CONSENT_HOW).map(([value, text]) => ({ value, text, checked: field(values, 'how') === value })),
    replaceItems: [
      {
        value: 'yes',
        text: 'If refused, draw a replacement case (the next case in the seeded order)',
        checked: field(values, 'replace') === 'yes',
      },
    ],
    dateItems: dateInputItems('on', values, errors),
  }
}

export function presentCasePage(page: Awaited<ReturnType<Svc['readCase']>>, values?: Values, errors: FieldError[] = []) {
  const def = page.tool.definition
  const saved = page.summary
  const v: Values = values ?? {
    ...Object.fromEntries(Object.entries(saved?.answers.grades ?? {}).map(([k, g]) => [`grade-${k}`, g])),
    ...Object.fromEntries(Object.entries(saved?.answers.notes ?? {}).map(([k, n]) => [`note-${k}`, n])),
    overall: saved?.overallGrade ?? '',
    summary: saved?.summary ?? '',
    'feedback-given': saved ? (saved.feedbackGiven ? 'yes' : 'no') : '',
    feedback: saved?.feedback ?? '',
  }
  const scale = (name: string) =>
    options(
      def.scale.map((s) => ({ value: s.key, text: s.label })),
      field(v, name),
      'Not graded',
    )
  return {
    pageTitle: `${sampleLabel(page.sample)}: ${page.agency.agencyName}`,
    errors,
    values: v,
    audit: { id: page.audit.id, theme: page.audit.theme },
    sample: { id: page.sample.id, label: sampleLabel(page.sample) },
    agency: page.agency.agencyName,
    kase: {
      ageBand: page.kase.ageBand,
      status: STATUS_LABELS[page.kase.status as CaseStatus] ?? page.kase.status,
      rating: page.kase.rating ? page.kase.rating.charAt(0) + page.kase.rating.slice(1).toLowerCase() : 'Not rated',
      route: page.kase.route === 'OPEN_CASE' ? 'Already open to a service' : 'New referral',
      referralReceived: formatDate(page.kase.referralReceivedAt),
      closed: page.kase.closedAt ? formatDate(page.kase.closedAt) : null,
    },
    events: page.events.map((e) => ({
      label: eventLabel(e.action),
      date: formatDate(e.occurredAt),
      status: STATUS_LABELS[e.toStatus as CaseStatus] ?? e.toStatus,
    })),
    meetings: page.meetings.map((m) => ({
      kind: m.kind
        .replace(/_/g, ' ')
        .toLowerCase()
        .replace(/^./, (c) => c.toUpperCase()),
      date: formatDate(m.heldAt ?? m.scheduledFor),
      held: !!m.heldAt,
      outcomes: m.outcomes.map((x) => x.replace(/_/g, ' ').toLowerCase()).join(', ') || 'None recorded',
    })),
    sections: def.sections.map((s, i) => ({
      index: i,
      title: s.title,
      questions: s.questions.map((q) => ({ code: q.code, text: q.text, items: scale(`grade-${q.code}`) })),
      note: field(v, `note-${i}`),
    })),
    freeText: def.freeText,
    overallItems: scale('overall'),
    scaleText: def.scale.map((s) => s.label).join(', '),
    feedbackItems: [
      { value: 'yes', text: 'Yes', checked: field(v, 'feedback-given') === 'yes' },
      { value: 'no', text: 'No', checked: field(v, 'feedback-given') === 'no' },
    ],
    savedAt: saved ? formatDate(saved.savedAt) : null,
  }
}

export function presentFindings(o: Overview, values: Values = {}, errors: FieldError[] = []) {
  const open = o.audit.status === 'OPEN'
  const agencies = o.agencies.filter((x) => x.participation === 'TAKING_PART')
  return {
    pageTitle: `Findings and recommendations: ${o.audit.theme}`,
    errors,
    values,
    audit: { id: o.audit.id, theme: o.audit.theme, open, deepDive: !!o.audit.parentAuditId, reviewId: o.audit.reviewId },
    findings: o.findings.map((f) => ({
      kind: FINDING_KINDS[f.kind],
      text: f.text,
      tags: f.tags.join(', '),
      agreed: formatDate(f.occurredAt),
      recorded: recordedLater(f.occurredAt, f.createdAt, f.lateReason),
    })),
    when: whenFields(values, errors),
    recommendations: o.recommendations.map((r) => ({
      text: r.text,
      whom: [r.allAgencies ? 'All agencies taking part' : r.ownerAgencyName, r.ownerText].filter(Boolean).join(': '),
      when: formatDate(r.dueOn),
      sent: !!r.sentToPlanAt,
    })),
    kindItems: Object.entries(FINDING_KINDS).map(([value, text]) => ({ value, text, checked: field(values, 'finding-kind') === value })),
    ownerItems: options(
      [{ value: ALL_AGENCIES, text: 'All agencies taking part' }, ...agencies.map((x) => ({ value: x.agencyId, text: x.agencyName }))],
      field(values, 'recommendation-owner'),
      'Select whom',
    ),
    dueItems: dateInputItems('recommendation-due', values, errors),
  }
}

export function presentReport(r: CaseAuditReport) {
  return {
    pageTitle: `Executive summary: ${r.audit.theme}`,
    auditId: r.audit.id,
    model: reportModel(r),
    numbers: r.numbers,
    panelDate: iso(r.audit.panelDate),
  }
}
