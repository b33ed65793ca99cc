/**
 * The DfE children's social care API payload for a partnership's HSB episodes: the structure
 * published in data-to-insight/dfe-csc-api-data-flows (docs/json_payload_structure.md), with
 * its field names. Values we do not hold are left out (as the reference staging SQL leaves
 * out nulls); every block carries `purge: false`. `validatePayload` checks a payload against
 * dfe-csc-payload.schema.json before it is written or sent.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import { isIsoDate, londonDate } from '../../platform/clocks/london-time.js'
import schema from './dfe-csc-payload.schema.json' with { type: 'json' }
import type { ExportChild, ExportEpisode } from './ssd-export.types.js'

/** A calendar date, 'YYYY-MM-DD'. */
export type DfeDate = string

export type DfeCareWorker = { worker_id: string; start_date: DfeDate; end_date?: DfeDate }
export type DfeChildAndFamilyAssessment = {
  child_and_family_assessment_id: string
  start_date: DfeDate
  authorisation_date?: DfeDate
  factors: string[]
  purge: boolean
}
export type DfeChildInNeedPlan = { child_in_need_plan_id: string; start_date: DfeDate; end_date?: DfeDate; purge: boolean }
export type DfeSection47Assessment = {
  section_47_assessment_id: string
  start_date: DfeDate
  icpc_required_flag?: boolean
  icpc_date?: DfeDate
  end_date?: DfeDate
  purge: boolean
}
export type DfeChildProtectionPlan = { child_protection_plan_id: string; start_date: DfeDate; end_date?: DfeDate; purge: boolean }
export type DfeChildLookedAfterPlacement = {
  child_looked_after_placement_id: string
  start_date: DfeDate
  start_reason?: string
  placement_type?: string
  postcode?: string
  end_date?: DfeDate
  end_reason?: string
  change_reason?: string
  purge: boolean
}
export type DfeAdoption = { initial_decision_date?: DfeDate; matched_date?: DfeDate; placed_date?: DfeDate; purge: boolean }
export type DfeCareLeavers = { contact_date?: DfeDate; activity?: string; accommodation?: string; purge: boolean }
export type DfeSocialCareEpisode = {
  social_care_episode_id: string
  referral_date: DfeDate
  referral_source?: string
  referral_no_further_action_flag?: boolean
  closure_date?: DfeDate
  closure_reason?: string
  care_worker_details?: DfeCareWorker[]
  child_and_family_assessments?: DfeChildAndFamilyAssessment[]
  child_in_need_plans?: DfeChildInNeedPlan[]
  section_47_assessments?: DfeSection47Assessment[]
  child_protection_plans?: DfeChildProtectionPlan[]
  child_looked_after_placements?: DfeChildLookedAfterPlacement[]
  adoption?: DfeAdoption
  care_leavers?: DfeCareLeavers
  purge: boolean
}
export type DfeSex = 'M' | 'F' | 'U'
export type DfeChildDetails = {
  unique_pupil_number?: string
  former_unique_pupil_number?: string
  unique_pupil_number_unknown_reason?: string
  first_name: string
  surname: string
  date_of_birth?: DfeDate
  expected_date_of_birth?: DfeDate
  sex: DfeSex
  ethnicity?: string
  disabilities?: string[]
  postcode?: string
  uasc_flag?: boolean
  uasc_end_date?: DfeDate
  purge: boolean
}
export type DfeHealthAndWellbeing = { sdq_assessments?: { date: DfeDate; score: number }[]; purge: boolean }
export type DfeChild = {
  la_child_id: string
  mis_child_id?: string
  purge: boolean
  child_details: DfeChildDetails
  health_and_wellbeing?: DfeHealthAndWellbeing
  social_care_episodes?: DfeSocialCareEpisode[]
}
export type DfePayload = { la_code: number; Children: DfeChild[] }

export type PayloadCheck = { ok: true } | { ok: false; errors: string[] }

/** CIN census referral source codes (1A–3F, 4, 5A–5D, 6–10) and closure reasons (RC1–RC9). */
const REFERRAL_SOURCE = /^(10|[1-3][A-F]|5[A-D]|[46789])$/
const CLOSURE_REASON = /^RC[1-9]$/
const SEX: Readonly<Record<string, DfeSex>> = { MALE: 'M', FEMALE: 'F' }

/** The local authority's three-digit code as the payload's number; anything else is refused. */
export function parseLaCode(laCode: string): number {
  const code = laCode.trim()
  if (!/^[1-9]\d{2}$/.test(code)) throw new RangeError(`Not a three-digit local authority code: ${JSON.stringify(laCode)}`)
  return Number(code)
}

/** Our stored gender (children.form.ts GENDERS) as the DfE sex code: M, F, or U for anything else. */
export function dfeSex(gender: string | null): DfeSex {
  return (gender && SEX[gender]) || 'U'
}

/** The UK calendar date of a date or an instant; a value that is neither comes back as it is, for validation to report. */
export function ukDate(value: string): string {
  try {
    return londonDate(value)
  } catch {
    return value
  }
}

/**
 * The s47 enquiry a conference followed: our episodes do not link them, so it is the latest
 * strategy discussion on or before the conference's date (null when none came before it).
 */
export function enquiryForConference(episode: ExportEpisode, conference: { date: string }): string | null {
  const day = ukDate(conference.date)
  let found: { id: string; day: string } | null = null
  for (const s47 of episode.strategyDiscussions) {
    const started = ukDate(s47.date)
    if (started <= day && (!found || started >= found.day)) found = { id: s47.id, day: started }
  }
  return found?.id ?? null
}

export function dfePayload(children: ExportChild[], laCode: string): DfePayload {
  return { la_code: parseLaCode(laCode), Children: children.map(dfeChild) }
}

/** One child's record, as the API's children endpoint takes them (a list of these). */
export function dfeChild(child: ExportChild): DfeChild {
  return compact({
    la_child_id: child.personId,
    purge: false,
    child_details: childDetails(child),
    social_care_episodes: nonEmpty(child.episodes.map(dfeEpisode)),
  })
}

function childDetails(child: ExportChild): DfeChildDetails {
  return compact({
    unique_pupil_number: child.upn || undefined,
    first_name: child.givenNames,
    surname: child.familyName,
    date_of_birth: ukDate(child.dateOfBirth),
    sex: dfeSex(child.gender),
    ethnicity: child.ethnicity || undefined,
    purge: false,
  })
}

function dfeEpisode(episode: ExportEpisode): DfeSocialCareEpisode {
  return compact({
    social_care_episode_id: episode.referralId,
    referral_date: ukDate(episode.referralDate),
    referral_source: code(episode.referralSource, REFERRAL_SOURCE),
    closure_date: optionalDate(episode.closeDate),
    closure_reason: code(episode.closeReason, CLOSURE_REASON),
    care_worker_details: nonEmpty(careWorkers(episode)),
    child_and_family_assessments: nonEmpty(episode.assessments.map(assessment)),
    section_47_assessments: nonEmpty(episode.strategyDiscussions.map((s47) => section47(episode, s47))),
    purge: false,
  })
}

/** Workers named by their id (the payload's worker_id: the Social Work England number, up to 12 characters). */
function careWorkers(episode: ExportEpisode): DfeCareWorker[] {
  return episode.involvements.flatMap((i) =>
    i.professionalId ? [compact({ worker_id: i.professionalId, start_date: ukDate(i.startDate), end_date: optionalDate(i.endDate) })] : [],
  )
}

function assessment(a: ExportEpisode['assessments'][number]): DfeChildAndFamilyAssessment {
  return compact({
    child_and_family_assessment_id: a.id,
    start_date: ukDate(a.startDate),
    authorisation_date: optionalDate(a.completedDate),
    factors: [...a.factors],
    purge: false,
  })
}

/** An s47 enquiry with the latest conference that followed it (as the reference extract takes the latest ICPC). */
function section47(episode: ExportEpisode, s47: ExportEpisode['strategyDiscussions'][number]): DfeSection47Assessment {
  const icpcDates = episode.conferences
    .filter((c) => enquiryForConference(episode, c) === s47.id)
    .map((c) => ukDate(c.date))
    .sort()
  const latest = icpcDates.at(-1)
  return compact({
    section_47_assessment_id: s47.id,
    start_date: ukDate(s47.date),
    icpc_required_flag: latest ? true : undefined,
    icpc_date: latest,
    purge: false,
  })
}

function code(value: string | null, pattern: RegExp): string | undefined {
  const trimmed = value?.trim().toUpperCase()
  return trimmed && pattern.test(trimmed) ? trimmed : undefined
}

function optionalDate(value: string | null): string | undefined {
  return value ? ukDate(value) : undefined
}

function nonEmpty<T>(items: T[]): T[] | undefined {
  return items.length ? items : undefined
}

/** The object without its undefined properties (the payload leaves out what we do not hold). */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
}

let compiled: ValidateFunction | undefined

/** Compiled once, on first use (keeps ajv's compile off the service's start-up). */
function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true })
    ajv.addFormat('date', isIsoDate)
    compiled = ajv.compile(schema)
  }
  return compiled
}

/** Whether a payload matches dfe-csc-payload.schema.json; the errors name where (a JSON pointer) and what. */
export function validatePayload(payload: unknown): PayloadCheck {
  const validate = validator()
  if (validate(payload)) return { ok: true }
  return { ok: false, errors: (validate.errors ?? []).map(describeError) }
}

function describeError(error: ErrorObject): string {
  const where = error.instancePath || '/'
  const extra = error.keyword === 'additionalProperties' ? ` (${String(error.params.additionalProperty)})` : ''
  return `${where} ${error.message ?? error.keyword}${extra}`
}
