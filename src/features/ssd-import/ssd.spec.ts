/**
 * The Standard Safeguarding Dataset (SSD) tables the import accepts: for each, its file, the column
 * that identifies a row, its columns (what kind of value, and whether the import cannot do without
 * it) and the other tables it points to. Learnt from the public spec (data-to-insight/ssd-data-model:
 * data/objects/ssd_*.yml) and the column names its deployed extracts write (deployment_extracts/:
 * Eclipse, Liquidlogic (System C) and Mosaic). Where the two name a column differently, both
 * names are accepted (`aliases`); the deployed name is the canonical one.
 *
 * `required` is deliberately narrow: a row is rejected only for a missing key, person id or the few
 * values the import cannot work without; everything else may be empty.
 */

export type ColumnKind = 'id' | 'text' | 'date' | 'datetime' | 'nhs' | 'flag' | 'int' | 'json'

export type SsdColumn = {
  /** The canonical (deployed) name, lower case. */
  name: string
  kind: ColumnKind
  required: boolean
  /** Other names a header may use for this column (the spec's name where the deployed one differs). */
  aliases?: readonly string[]
}

/** The tables in the order they are read: every table after the ones it points to. */
export const SSD_TABLE_NAMES = [
  'ssd_department',
  'ssd_professionals',
  'ssd_person',
  'ssd_linked_identifiers',
  'ssd_family',
  'ssd_contacts',
  'ssd_cin_episodes',
  'ssd_cin_assessments',
  'ssd_assessment_factors',
  'ssd_s47_enquiry',
  'ssd_initial_cp_conference',
  'ssd_involvements',
] as const

export type SsdTableName = (typeof SSD_TABLE_NAMES)[number]

export type SsdForeignKey = { column: string; table: SsdTableName }

export type SsdTable = {
  name: SsdTableName
  /** The file's name in an extract, lower case (matched case-insensitively). */
  file: string
  /** The column that identifies a row. */
  key: string
  /**
   * When the key column may be empty (a system that does not write it), the columns that together
   * identify the row instead: see rowKeyOf.
   */
  identity?: readonly string[]
  columns: readonly SsdColumn[]
  foreignKeys: readonly SsdForeignKey[]
  /** At least one of these must have a value, or the row is rejected. */
  requireOneOf?: readonly string[]
}

/** A row as read: values normalised (ssd.values.ts), keyed by the canonical column name; null when empty. */
export type SsdRow = { table: SsdTableName; file: string; rowNo: number; values: Record<string, string | null> }

type ColumnOptions = { required?: boolean; aliases?: readonly string[] }
const col = (name: string, kind: ColumnKind, options: ColumnOptions = {}): SsdColumn => ({
  name,
  kind,
  required: options.required ?? false,
  ...(options.aliases ? { aliases: options.aliases } : {}),
})
const req = { required: true } as const
const fk = (column: string, table: SsdTableName): SsdForeignKey => ({ column, table })

const department: SsdTable = {
  name: 'ssd_department',
  file: 'ssd_department.csv',
  key: 'dept_team_id',
  columns: [
    col('dept_team_id', 'id', req),
    col('dept_team_name', 'text'),
    col('dept_team_parent_id', 'id'),
    col('dept_team_parent_name', 'text'),
  ],
  foreignKeys: [fk('dept_team_parent_id', 'ssd_department')],
}

const professionals: SsdTable = {
  name: 'ssd_professionals',
  file: 'ssd_professionals.csv',
  key: 'prof_professional_id',
  columns: [
    col('prof_professional_id', 'id', req),
    col('prof_staff_id', 'id'),
    col('prof_professional_name', 'text'),
    col('prof_social_worker_registration_no', 'text'),
    col('prof_agency_worker_flag', 'flag'),
    col('prof_professional_job_title', 'text'),
    col('prof_professional_caseload', 'int'),
    // A team's or organisation's name, not a dept_team_id.
    col('prof_professional_department', 'text'),
    // FLOAT in the deployed table (0.5, 1.0): kept as text, there being no decimal kind.
    col('prof_full_time_equivalency', 'text'),
  ],
  foreignKeys: [],
}

const person: SsdTable = {
  name: 'ssd_person',
  file: 'ssd_person.csv',
  key: 'pers_person_id',
  columns: [
    col('pers_person_id', 'id', req),
    col('pers_legacy_id', 'id'),
    // In the deployed tables (PERS006A), not in the spec's object.
    col('pers_upn', 'id'),
    col('pers_forename', 'text', req),
    col('pers_surname', 'text', req),
    col('pers_sex', 'text'),
    col('pers_gender', 'text'),
    col('pers_ethnicity', 'text'),
    col('pers_dob', 'date', req),
    // The spec's pers_common_child_id, renamed in the deployed tables; filled from the NHS number.
    col('pers_single_unique_id', 'nhs', { aliases: ['pers_common_child_id'] }),
    col('pers_upn_unknown', 'text'),
    col('pers_send_flag', 'flag'),
    col('pers_expected_dob', 'date'),
    col('pers_death_date', 'date'),
    col('pers_is_mother', 'flag'),
    col('pers_nationality', 'text'),
  ],
  foreignKeys: [],
}

const linkedIdentifiers: SsdTable = {
  name: 'ssd_linked_identifiers',
  file: 'ssd_linked_identifiers.csv',
  key: 'link_table_id',
  columns: [
    col('link_table_id', 'id', req),
    col('link_person_id', 'id', req),
    // 'NHS Number', 'Unique Pupil Number', 'Case Number', …: the value's kind depends on it, so text.
    col('link_identifier_type', 'text'),
    col('link_identifier_value', 'text'),
    col('link_valid_from_date', 'date'),
    col('link_valid_to_date', 'date'),
  ],
  foreignKeys: [fk('link_person_id', 'ssd_person')],
}

const family: SsdTable = {
  name: 'ssd_family',
  file: 'ssd_family.csv',
  key: 'fami_table_id',
  // Mosaic's extract has no fami_table_id: a family id and a person id identify the row.
  identity: ['fami_family_id', 'fami_person_id'],
  columns: [col('fami_table_id', 'id'), col('fami_family_id', 'id', req), col('fami_person_id', 'id', req)],
  foreignKeys: [fk('fami_person_id', 'ssd_person')],
}

const contacts: SsdTable = {
  name: 'ssd_contacts',
  file: 'ssd_contacts.csv',
  key: 'cont_contact_id',
  columns: [
    col('cont_contact_id', 'id', req),
    col('cont_person_id', 'id', req),
    col('cont_contact_date', 'datetime'),
    col('cont_contact_source_code', 'text'),
    col('cont_contact_source_desc', 'text'),
    col('cont_contact_outcome_json', 'json'),
  ],
  foreignKeys: [fk('cont_person_id', 'ssd_person')],
}

const cinEpisodes: SsdTable = {
  name: 'ssd_cin_episodes',
  file: 'ssd_cin_episodes.csv',
  key: 'cine_referral_id',
  columns: [
    col('cine_referral_id', 'id', req),
    col('cine_person_id', 'id', req),
    col('cine_referral_date', 'date', req),
    // The spec's cms_field for Liquidlogic and Mosaic is cine_cin_primary_need.
    col('cine_cin_primary_need_code', 'text', { aliases: ['cine_cin_primary_need'] }),
    col('cine_referral_source_code', 'text'),
    col('cine_referral_source_desc', 'text'),
    col('cine_referral_outcome_json', 'json'),
    col('cine_referral_nfa', 'flag'),
    col('cine_close_reason', 'text'),
    col('cine_close_date', 'date'),
    col('cine_referral_team', 'id'),
    col('cine_referral_worker_id', 'id'),
  ],
  foreignKeys: [
    fk('cine_person_id', 'ssd_person'),
    fk('cine_referral_team', 'ssd_department'),
    fk('cine_referral_worker_id', 'ssd_professionals'),
  ],
}

const cinAssessments: SsdTable = {
  name: 'ssd_cin_assessments',
  file: 'ssd_cin_assessments.csv',
  key: 'cina_assessment_id',
  columns: [
    col('cina_assessment_id', 'id', req),
    col('cina_person_id', 'id', req),
    col('cina_referral_id', 'id'),
    col('cina_assessment_start_date', 'date'),
    col('cina_assessment_child_seen', 'flag'),
    col('cina_assessment_auth_date', 'date'),
    col('cina_assessment_outcome_json', 'json'),
    col('cina_assessment_outcome_nfa', 'flag'),
    col('cina_assessment_team', 'id'),
    col('cina_assessment_worker_id', 'id'),
  ],
  foreignKeys: [
    fk('cina_person_id', 'ssd_person'),
    fk('cina_referral_id', 'ssd_cin_episodes'),
    fk('cina_assessment_team', 'ssd_department'),
    fk('cina_assessment_worker_id', 'ssd_professionals'),
  ],
}

const assessmentFactors: SsdTable = {
  name: 'ssd_assessment_factors',
  file: 'ssd_assessment_factors.csv',
  key: 'cinf_table_id',
  // Mosaic's extract writes NULL for cinf_table_id (one row per assessment): the assessment id identifies it.
  identity: ['cinf_assessment_id'],
  columns: [
    col('cinf_table_id', 'id'),
    col('cinf_assessment_id', 'id', req),
    // A JSON array of CIN factor codes, ["1A","19B"], or (planned) an object {"1A":"Yes"}.
    col('cinf_assessment_factors_json', 'json'),
  ],
  foreignKeys: [fk('cinf_assessment_id', 'ssd_cin_assessments')],
}

const s47Enquiry: SsdTable = {
  name: 'ssd_s47_enquiry',
  file: 'ssd_s47_enquiry.csv',
  key: 's47e_s47_enquiry_id',
  columns: [
    col('s47e_s47_enquiry_id', 'id', req),
    col('s47e_referral_id', 'id'),
    col('s47e_person_id', 'id', req),
    // The strategy discussion at which the enquiry began.
    col('s47e_s47_start_date', 'date'),
    col('s47e_s47_end_date', 'date'),
    col('s47e_s47_nfa', 'flag'),
    col('s47e_s47_outcome_json', 'json'),
    col('s47e_s47_completed_by_team', 'id'),
    col('s47e_s47_completed_by_worker_id', 'id'),
  ],
  foreignKeys: [
    fk('s47e_referral_id', 'ssd_cin_episodes'),
    fk('s47e_person_id', 'ssd_person'),
    fk('s47e_s47_completed_by_team', 'ssd_department'),
    fk('s47e_s47_completed_by_worker_id', 'ssd_professionals'),
  ],
}

const initialCpConference: SsdTable = {
  name: 'ssd_initial_cp_conference',
  file: 'ssd_initial_cp_conference.csv',
  key: 'icpc_icpc_id',
  columns: [
    col('icpc_icpc_id', 'id', req),
    col('icpc_icpc_meeting_id', 'id'),
    col('icpc_s47_enquiry_id', 'id'),
    col('icpc_person_id', 'id', req),
    // Required by the spec, but only a conference that made a plan has one.
    col('icpc_cp_plan_id', 'id'),
    col('icpc_referral_id', 'id'),
    col('icpc_icpc_transfer_in', 'flag'),
    col('icpc_icpc_target_date', 'date'),
    col('icpc_icpc_date', 'date'),
    col('icpc_icpc_outcome_cp_flag', 'flag'),
    col('icpc_icpc_outcome_json', 'json'),
    col('icpc_icpc_team', 'id'),
    col('icpc_icpc_worker_id', 'id'),
  ],
  foreignKeys: [
    fk('icpc_s47_enquiry_id', 'ssd_s47_enquiry'),
    fk('icpc_person_id', 'ssd_person'),
    fk('icpc_referral_id', 'ssd_cin_episodes'),
    fk('icpc_icpc_team', 'ssd_department'),
    fk('icpc_icpc_worker_id', 'ssd_professionals'),
  ],
}

const involvements: SsdTable = {
  name: 'ssd_involvements',
  file: 'ssd_involvements.csv',
  key: 'invo_involvements_id',
  columns: [
    col('invo_involvements_id', 'id', req),
    col('invo_professional_id', 'id'),
    col('invo_professional_role_id', 'text'),
    // Mosaic writes the team's name here, the others its dept_team_id.
    col('invo_professional_team', 'text'),
    // Eclipse and Liquidlogic write the person; Mosaic only the referral (the person is the episode's).
    col('invo_person_id', 'id'),
    col('invo_involvement_start_date', 'date'),
    col('invo_involvement_end_date', 'date'),
    col('invo_worker_change_reason', 'text'),
    col('invo_referral_id', 'id'),
  ],
  foreignKeys: [
    fk('invo_professional_id', 'ssd_professionals'),
    fk('invo_professional_team', 'ssd_department'),
    fk('invo_person_id', 'ssd_person'),
    fk('invo_referral_id', 'ssd_cin_episodes'),
  ],
  requireOneOf: ['invo_person_id', 'invo_referral_id'],
}

export const SSD_TABLES: Readonly<Record<SsdTableName, SsdTable>> = {
  ssd_department: department,
  ssd_professionals: professionals,
  ssd_person: person,
  ssd_linked_identifiers: linkedIdentifiers,
  ssd_family: family,
  ssd_contacts: contacts,
  ssd_cin_episodes: cinEpisodes,
  ssd_cin_assessments: cinAssessments,
  ssd_assessment_factors: assessmentFactors,
  ssd_s47_enquiry: s47Enquiry,
  ssd_initial_cp_conference: initialCpConference,
  ssd_involvements: involvements,
}

/** Every other name a column goes by → its canonical name (column names are unique across the tables). */
export const aliases: Readonly<Record<string, string>> = Object.fromEntries(
  SSD_TABLE_NAMES.flatMap((t) => SSD_TABLES[t].columns.flatMap((c) => (c.aliases ?? []).map((a) => [a, c.name]))),
)

/** The table whose file this is (by its base name, any case), or null. */
export function tableForFile(fileName: string): SsdTable | null {
  const base = (fileName.split(/[/\\]/).pop() ?? '').trim().toLowerCase()
  return SSD_TABLE_NAMES.map((t) => SSD_TABLES[t]).find((t) => t.file === base) ?? null
}

/** The table's column a header names (trimmed, any case, canonical name or an alias), or null. */
export function columnFor(table: SsdTable, header: string): SsdColumn | null {
  const name = header.trim().toLowerCase()
  return table.columns.find((c) => c.name === name || (c.aliases ?? []).includes(name)) ?? null
}

/**
 * What identifies a row: its key column's value, or for a table whose key may be empty, its
 * identity columns joined with '|' (null when any is empty).
 */
export function rowKeyOf(row: Pick<SsdRow, 'table' | 'values'>): string | null {
  const table = SSD_TABLES[row.table]
  const key = row.values[table.key] ?? null
  if (key !== null || !table.identity) return key
  const parts = table.identity.map((c) => row.values[c] ?? null)
  return parts.every((p): p is string => p !== null) ? parts.join('|') : null
}

/** The person a row is about (its column pointing at ssd_person), or null. */
export function personIdOf(row: Pick<SsdRow, 'table' | 'values'>): string | null {
  const table = SSD_TABLES[row.table]
  if (table.name === 'ssd_person') return row.values[table.key] ?? null
  const pointer = table.foreignKeys.find((f) => f.table === 'ssd_person')
  return pointer ? (row.values[pointer.column] ?? null) : null
}
