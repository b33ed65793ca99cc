/**
 * The partnership's HSB episodes as Standard Safeguarding Dataset (SSD) CSV files for the
 * council's data warehouse: the SSD's table and column names (as deployed: data-to-insight/
 * ssd-data-model, v1.4.5), RFC 4180 (CRLF, quotes doubled), dates 'YYYY-MM-DD' and instants
 * 'YYYY-MM-DD HH:MM:SS' on a UK clock, and every cell through `escapeFormula` so no text
 * opens as a spreadsheet formula. Columns we hold nothing for are left empty.
 */
import { londonOffsetMs, toInstant } from '../../platform/clocks/london-time.js'
import { escapeFormula } from '../../platform/exports/formula.js'
import { dfeSex, enquiryForConference, parseLaCode, ukDate } from './ssd-export.payload.js'
import type { ExportChild, ExportEpisode } from './ssd-export.types.js'

export const SSD_CSV_NAMES = [
  'ssd_person.csv',
  'ssd_cin_episodes.csv',
  'ssd_s47_enquiry.csv',
  'ssd_cin_assessments.csv',
  'ssd_assessment_factors.csv',
  'ssd_initial_cp_conference.csv',
  'ssd_involvements.csv',
] as const
export type SsdCsvName = (typeof SSD_CSV_NAMES)[number]
export type SsdCsvFile = { name: string; content: string }

type Cell = string | null | undefined
type Row<C extends string> = Partial<Record<C, Cell>>
type CsvTable = { columns: readonly string[]; rows: (child: ExportChild) => Row<string>[] }
type S47 = ExportEpisode['strategyDiscussions'][number]
type Conference = ExportEpisode['conferences'][number]

const PERSON = [
  'pers_legacy_id',
  'pers_person_id',
  'pers_upn',
  'pers_forename',
  'pers_surname',
  'pers_sex',
  'pers_gender',
  'pers_ethnicity',
  'pers_dob',
  'pers_single_unique_id',
  'pers_upn_unknown',
  'pers_send_flag',
  'pers_expected_dob',
  'pers_death_date',
  'pers_is_mother',
  'pers_nationality',
] as const
const CIN_EPISODES = [
  'cine_referral_id',
  'cine_person_id',
  'cine_referral_date',
  'cine_cin_primary_need_code',
  'cine_referral_source_code',
  'cine_referral_source_desc',
  'cine_referral_outcome_json',
  'cine_referral_nfa',
  'cine_close_reason',
  'cine_close_date',
  'cine_referral_team',
  'cine_referral_worker_id',
] as const
const S47_ENQUIRY = [
  's47e_s47_enquiry_id',
  's47e_referral_id',
  's47e_person_id',
  's47e_s47_start_date',
  's47e_s47_end_date',
  's47e_s47_nfa',
  's47e_s47_outcome_json',
  's47e_s47_completed_by_team',
  's47e_s47_completed_by_worker_id',
] as const
const CIN_ASSESSMENTS = [
  'cina_assessment_id',
  'cina_person_id',
  'cina_referral_id',
  'cina_assessment_start_date',
  'cina_assessment_child_seen',
  'cina_assessment_auth_date',
  'cina_assessment_outcome_json',
  'cina_assessment_outcome_nfa',
  'cina_assessment_team',
  'cina_assessment_worker_id',
] as const
const ASSESSMENT_FACTORS = ['cinf_table_id', 'cinf_assessment_id', 'cinf_assessment_factors_json'] as const
const INITIAL_CP_CONFERENCE = [
  'icpc_icpc_id',
  'icpc_icpc_meeting_id',
  'icpc_s47_enquiry_id',
  'icpc_person_id',
  'icpc_cp_plan_id',
  'icpc_referral_id',
  'icpc_icpc_transfer_in',
  'icpc_icpc_target_date',
  'icpc_icpc_date',
  'icpc_icpc_outcome_cp_flag',
  'icpc_icpc_outcome_json',
  'icpc_icpc_team',
  'icpc_icpc_worker_id',
] as const
const INVOLVEMENTS = [
  'invo_involvements_id',
  'invo_professional_id',
  'invo_professional_role_id',
  'invo_professional_team',
  'invo_person_id',
  'invo_involvement_start_date',
  'invo_involvement_end_date',
  'invo_worker_change_reason',
  'invo_referral_id',
] as const

/** Our stored gender (children.form.ts GENDERS) as the SSD gender code set: 01 male, 02 female, 09 another way, 00 not known. */
const GENDER_CODES: Readonly<Record<string, string>> = { MALE: '01', FEMALE: '02', OTHER: '09', NOT_KNOWN: '00' }
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

function table<C extends string>(columns: readonly C[], rows: (child: ExportChild) => Row<C>[]): CsvTable {
  return { columns, rows }
}

/** Each episode of a child with the child's person id (every SSD row carries it). */
function perEpisode<C extends string>(each: (episode: ExportEpisode, personId: string) => Row<C>[]) {
  return (child: ExportChild): Row<C>[] => child.episodes.flatMap((episode) => each(episode, child.personId))
}

const TABLES: Readonly<Record<SsdCsvName, CsvTable>> = {
  'ssd_person.csv': table(PERSON, (child) => [personRow(child)]),
  'ssd_cin_episodes.csv': table(
    CIN_EPISODES,
    perEpisode((e, personId) => [episodeRow(e, personId)]),
  ),
  'ssd_s47_enquiry.csv': table(
    S47_ENQUIRY,
    perEpisode((e, personId) => e.strategyDiscussions.map((s47) => s47Row(e, s47, personId))),
  ),
  'ssd_cin_assessments.csv': table(
    CIN_ASSESSMENTS,
    perEpisode((e, personId) => e.assessments.map((a) => assessmentRow(e, a, personId))),
  ),
  'ssd_assessment_factors.csv': table(
    ASSESSMENT_FACTORS,
    perEpisode((e) => e.assessments.flatMap(factorsRow)),
  ),
  'ssd_initial_cp_conference.csv': table(
    INITIAL_CP_CONFERENCE,
    perEpisode((e, personId) => e.conferences.map((c) => conferenceRow(e, c, personId))),
  ),
  'ssd_involvements.csv': table(
    INVOLVEMENTS,
    perEpisode((e, personId) => e.involvements.map((i) => involvementRow(e, i, personId))),
  ),
}

function personRow(child: ExportChild): Row<(typeof PERSON)[number]> {
  return {
    pers_person_id: child.personId,
    pers_upn: child.upn,
    pers_forename: child.givenNames,
    pers_surname: child.familyName,
    pers_sex: dfeSex(child.gender),
    pers_gender: GENDER_CODES[child.gender ?? 'NOT_KNOWN'],
    pers_ethnicity: child.ethnicity,
    pers_dob: ukDate(child.dateOfBirth),
    pers_single_unique_id: child.nhsNumber,
  }
}

function episodeRow(e: ExportEpisode, personId: string): Row<(typeof CIN_EPISODES)[number]> {
  return {
    cine_referral_id: e.referralId,
    cine_person_id: personId,
    cine_referral_date: ukDateTime(e.referralDate),
    cine_referral_source_code: e.referralSource,
    cine_close_reason: e.closeReason,
    cine_close_date: e.closeDate && ukDateTime(e.closeDate),
  }
}

function s47Row(e: ExportEpisode, s47: S47, personId: string): Row<(typeof S47_ENQUIRY)[number]> {
  return {
    s47e_s47_enquiry_id: s47.id,
    s47e_referral_id: e.referralId,
    s47e_person_id: personId,
    s47e_s47_start_date: ukDateTime(s47.date),
    s47e_s47_outcome_json: s47OutcomeJson(e, s47),
  }
}

function assessmentRow(e: ExportEpisode, a: ExportEpisode['assessments'][number], personId: string): Row<(typeof CIN_ASSESSMENTS)[number]> {
  return {
    cina_assessment_id: a.id,
    cina_person_id: personId,
    cina_referral_id: e.referralId,
    cina_assessment_start_date: ukDateTime(a.startDate),
    cina_assessment_auth_date: a.completedDate && ukDateTime(a.completedDate),
  }
}

/** One row per assessment with factors, the factors as the SSD's JSON array (["1A","19B"]). */
function factorsRow(a: ExportEpisode['assessments'][number]): Row<(typeof ASSESSMENT_FACTORS)[number]>[] {
  if (!a.factors.length) return []
  return [{ cinf_table_id: a.id, cinf_assessment_id: a.id, cinf_assessment_factors_json: JSON.stringify(a.factors) }]
}

function conferenceRow(e: ExportEpisode, c: Conference, personId: string): Row<(typeof INITIAL_CP_CONFERENCE)[number]> {
  return {
    icpc_icpc_id: c.id,
    icpc_s47_enquiry_id: enquiryForConference(e, c),
    icpc_person_id: personId,
    icpc_referral_id: e.referralId,
    icpc_icpc_date: ukDateTime(c.date),
    icpc_icpc_outcome_json: c.outcome && icpcOutcomeJson(c.outcome),
  }
}

/** The agency goes in the role column (the SSD has no agency column); the worker's name belongs to ssd_professionals. */
function involvementRow(e: ExportEpisode, i: ExportEpisode['involvements'][number], personId: string): Row<(typeof INVOLVEMENTS)[number]> {
  return {
    invo_involvements_id: i.id,
    invo_professional_id: i.professionalId,
    invo_professional_role_id: i.agency,
    invo_professional_team: i.team,
    invo_person_id: personId,
    invo_involvement_start_date: ukDateTime(i.startDate),
    invo_involvement_end_date: i.endDate && ukDateTime(i.endDate),
    invo_referral_id: e.referralId,
  }
}

/** The SSD's s47 outcome structure (all keys present): a conference that followed sets CP_CONFERENCE_FLAG; our outcome is the comment. */
function s47OutcomeJson(e: ExportEpisode, s47: S47): string | null {
  const conferenced = e.conferences.some((c) => enquiryForConference(e, c) === s47.id)
  if (!s47.outcome && !conferenced) return null
  return JSON.stringify({
    NFA_FLAG: '',
    LEGAL_ACTION_FLAG: '',
    PROV_OF_SERVICES_FLAG: '',
    PROV_OF_SB_CARE_FLAG: '',
    CP_CONFERENCE_FLAG: conferenced ? 'Y' : '',
    NFA_CONTINUE_SINGLE_FLAG: '',
    MONITOR_FLAG: '',
    OTHER_OUTCOMES_EXIST_FLAG: '',
    TOTAL_NO_OF_OUTCOMES: null,
    OUTCOME_COMMENTS: s47.outcome ?? '',
  })
}

/** The SSD's ICPC outcome structure (all keys present), our outcome as the comment. */
function icpcOutcomeJson(outcome: string): string {
  return JSON.stringify({
    NFA_FLAG: '',
    REFERRAL_TO_OTHER_AGENCY_FLAG: '',
    SINGLE_ASSESSMENT_FLAG: '',
    PROV_OF_SERVICES_FLAG: '',
    CP_FLAG: '',
    OTHER_OUTCOMES_EXIST_FLAG: '',
    TOTAL_NO_OF_OUTCOMES: null,
    COMMENTS: outcome,
  })
}

/**
 * An instant as 'YYYY-MM-DD HH:MM:SS' on a UK clock (BST in summer); a calendar date stays
 * 'YYYY-MM-DD'; anything else comes back as it is.
 */
export function ukDateTime(value: string): string {
  if (ISO_DATE.test(value)) return value
  try {
    const instant = toInstant(value)
    return new Date(instant.getTime() + londonOffsetMs(instant)).toISOString().slice(0, 19).replace('T', ' ')
  } catch {
    return value
  }
}

/** One RFC 4180 cell: formula-escaped, quoted when it holds a quote, comma or line break. */
function csvCell(value: Cell): string {
  const text = escapeFormula(value ?? '')
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

function csvLine(cells: readonly Cell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`
}

/**
 * One file line by line (header first), for streaming (e.g. `Readable.from(ssdCsvChunks(...))`).
 * `children` is read once per file.
 */
export function* ssdCsvChunks(name: SsdCsvName, children: Iterable<ExportChild>): Generator<string> {
  const { columns, rows } = TABLES[name]
  yield csvLine(columns)
  for (const child of children) {
    for (const row of rows(child)) yield csvLine(columns.map((column) => row[column]))
  }
}

/** The seven SSD files for these children. The SSD tables carry no LA code: `laCode` is checked, not written. */
export function ssdCsvFiles(children: ExportChild[], laCode: string): SsdCsvFile[] {
  parseLaCode(laCode)
  return SSD_CSV_NAMES.map((name) => ({ name, content: [...ssdCsvChunks(name, children)].join('') }))
}
