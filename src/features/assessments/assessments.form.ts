import { whenOf } from '../../platform/forms/when.js'
import { datePartsOf } from '../../platform/forms/dates.js'
import { field, fields, wholeNumber } from '../../platform/forms/forms.js'
import {
  DOMAIN_KEYS,
  type CoAssessorsInput,
  type DecisionInput,
  type DiscussionInput,
  type ExtensionInput,
  type InformationInput,
  type InterviewInput,
  type RecordInput,
  type ReplaceInput,
} from './assessments.rules.js'

/**
 * Reads the assessment's form bodies into what was typed (every value a string); checking what
 * it means is for assessments.rules.ts. Hidden fields a person cannot put right (the version,
 * the form's key) come back null when missing or mangled.
 */

/** Checkboxes send nothing, one value, or several. */
const ticked = (body: unknown, name: string): string[] => fields(body, name).filter((v) => v !== '')

export const formVersion = (body: unknown): number | null => wholeNumber(field(body, 'version'))

export function readDecisionForm(body: unknown): DecisionInput {
  return {
    decision: field(body, 'decision'),
    reasons: field(body, 'reasons'),
    route: field(body, 'route'),
    leadAgency: field(body, 'lead-agency'),
    administeringAgency: field(body, 'administering-agency'),
    policeContact: field(body, 'police-contact'),
    when: whenOf(body),
  }
}

export function readDiscussionForm(body: unknown): DiscussionInput {
  return {
    held: datePartsOf(body, 'held'),
    agencies: ticked(body, 'agencies'),
    leadAgency: field(body, 'lead-agency'),
    administeringAgency: field(body, 'administering-agency'),
    notes: field(body, 'notes'),
  }
}

export function readCoAssessorsForm(body: unknown): CoAssessorsInput {
  return { selected: ticked(body, 'co-assessors'), model: field(body, 'model') }
}

export function readReplaceForm(body: unknown): ReplaceInput {
  return { replace: field(body, 'replace'), person: field(body, 'person'), reason: field(body, 'reason') }
}

export function readInformationForm(body: unknown): InformationInput {
  return {
    sourceAgency: field(body, 'source-agency'),
    source: field(body, 'source'),
    summary: field(body, 'summary'),
    dated: datePartsOf(body, 'dated'),
  }
}

export function readInterviewForm(body: unknown): InterviewInput {
  return {
    held: datePartsOf(body, 'interview-held'),
    interviewee: field(body, 'interviewee'),
    detail: field(body, 'interviewee-detail'),
    place: field(body, 'place'),
    notes: field(body, 'interview-notes'),
  }
}

export function readRecordForm(body: unknown): RecordInput {
  return {
    domains: Object.fromEntries(
      DOMAIN_KEYS.map((d) => [d, { concerns: field(body, `${d}-concerns`), strengths: field(body, `${d}-strengths`) }]),
    ) as RecordInput['domains'],
    formulation: field(body, 'formulation'),
    levelOfConcern: field(body, 'level-of-concern'),
    levelOfSupervision: field(body, 'level-of-supervision'),
    recommendations: field(body, 'recommendations'),
    reportSummary: field(body, 'report-summary'),
  }
}

export function readExtensionForm(body: unknown): ExtensionInput {
  return { due: datePartsOf(body, 'due'), reason: field(body, 'extension-reason') }
}
