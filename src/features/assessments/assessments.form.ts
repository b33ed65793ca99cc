import { DOMAIN_KEYS, type CoAssessorsInput, type DecisionInput, type DiscussionInput, type ExtensionInput, type InformationInput, type InterviewInput, type RecordInput, type ReplaceInput } from './assessments.rules.js'

/**
 * Reads the assessment's form bodies into what was typed (every value a string); checking what
 * it means is for assessments.rules.ts. Hidden fields a person cannot put right (the version,
 * the form's key) come back null when missing or mangled.
 */

type Body = Record<string, unknown>
const asBody = (body: unknown): Body => (body && typeof body === 'object' ? (body as Body) : {})
const text = (v: unknown): string => (typeof v === 'string' ? v : '')
/** Checkboxes send nothing, one string, or several. */
const ticked = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]).filter((x): x is string => typeof x === 'string' && x !== '')
const date = (b: Body, prefix: string) => ({ day: text(b[`${prefix}-day`]), month: text(b[`${prefix}-month`]), year: text(b[`${prefix}-year`]) })

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function formKey(raw: unknown): string | null {
  const key = text(asBody(raw)['form-key'])
  return UUID.test(key) ? key.toLowerCase() : null
}

export function formVersion(raw: unknown): number | null {
  const version = text(asBody(raw).version)
  return /^\d{1,9}$/.test(version) ? Number(version) : null
}

export function readDecisionForm(raw: unknown): DecisionInput {
  const b = asBody(raw)
  return {
    decision: text(b.decision),
    reasons: text(b.reasons),
    route: text(b.route),
    leadAgency: text(b['lead-agency']),
    administeringAgency: text(b['administering-agency']),
    policeContact: text(b['police-contact']),
  }
}

export function readDiscussionForm(raw: unknown): DiscussionInput {
  const b = asBody(raw)
  return { held: date(b, 'held'), agencies: ticked(b.agencies), leadAgency: text(b['lead-agency']), administeringAgency: text(b['administering-agency']), notes: text(b.notes) }
}

export function readCoAssessorsForm(raw: unknown): CoAssessorsInput {
  const b = asBody(raw)
  return { selected: ticked(b['co-assessors']), model: text(b.model) }
}

export function readReplaceForm(raw: unknown): ReplaceInput {
  const b = asBody(raw)
  return { replace: text(b.replace), person: text(b.person), reason: text(b.reason) }
}

export function readInformationForm(raw: unknown): InformationInput {
  const b = asBody(raw)
  return { sourceAgency: text(b['source-agency']), source: text(b.source), summary: text(b.summary), dated: date(b, 'dated') }
}

export function readInterviewForm(raw: unknown): InterviewInput {
  const b = asBody(raw)
  return { held: date(b, 'interview-held'), interviewee: text(b.interviewee), detail: text(b['interviewee-detail']), place: text(b.place), notes: text(b['interview-notes']) }
}

export function readRecordForm(raw: unknown): RecordInput {
  const b = asBody(raw)
  return {
    domains: Object.fromEntries(DOMAIN_KEYS.map((d) => [d, { concerns: text(b[`${d}-concerns`]), strengths: text(b[`${d}-strengths`]) }])) as RecordInput['domains'],
    formulation: text(b.formulation),
    levelOfConcern: text(b['level-of-concern']),
    levelOfSupervision: text(b['level-of-supervision']),
    recommendations: text(b.recommendations),
    reportSummary: text(b['report-summary']),
  }
}

export function readExtensionForm(raw: unknown): ExtensionInput {
  const b = asBody(raw)
  return { due: date(b, 'due'), reason: text(b['extension-reason']) }
}
