import { once } from 'node:events'
import { createWriteStream, type WriteStream } from 'node:fs'
import { mkdir, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { crc32, deflateRawSync } from 'node:zlib'
import { nhsCheckDigit, upnCheckLetter } from '../../src/features/children/identifiers.rules.js'
import { SSD_TABLE_NAMES, SSD_TABLES, type SsdColumn, type SsdTableName } from '../../src/features/ssd-import/ssd.spec.js'

/**
 * A synthetic SSD extract for tests and benchmarks: all 12 CSVs the import reads, with the links a
 * real one has (people in families, their contacts, CIN episodes, assessments and their factors,
 * section 47 enquiries and conferences, the professionals and teams involved). Deterministic: the
 * same options write the same bytes. No real people: names are obviously made up, NHS numbers are
 * in the 999 test range (never issued), UPNs carry the given LA number and a valid check letter.
 *
 * Rows are written as they are made (a stream per file, waiting when a file's buffer is full), so
 * 100,000 people need no more memory than ten.
 *
 * `messy: true` writes the extract as real systems differ: dates in three shapes (ISO, SQL Server,
 * UK day first), CRLF line ends and a BOM in some files, NULL written out for empty values in some,
 * columns in a shuffled order with headers in other cases, the spec's old name for the NHS number
 * column, every field quoted in some. Every row stays valid: the counts are what an import should find.
 */

export type SyntheticOptions = {
  persons: number
  seed: number
  /** The DfE local authority number (3 digits), used in UPNs. */
  laCode: string
  messy?: boolean
  /** The last day of the extract, YYYY-MM-DD; referrals fall in the four financial years up to it. Default 2026-03-31. */
  asAt?: string
}

export type SyntheticCounts = {
  persons: number
  families: number
  linkedIdentifiers: number
  contacts: number
  episodes: number
  openEpisodes: number
  assessments: number
  assessmentFactors: number
  /** Assessments whose factors include 19B (sexual abuse, child on child): the CIN factor nearest to HSB. */
  assessmentsWith19B: number
  s47: number
  icpc: number
  involvements: number
  professionals: number
  departments: number
  /** Financial year ('2024-25') → referrals (cine_referral_date) in it. */
  episodesByFinancialYear: Record<string, number>
  /** Financial year → section 47 enquiries started (s47e_s47_start_date, the strategy discussion) in it. */
  s47ByFinancialYear: Record<string, number>
  /** Rows written per table. */
  rows: Record<SsdTableName, number>
}

// ---------------------------------------------------------------------------------------------
// A seeded random source (mulberry32)
// ---------------------------------------------------------------------------------------------

export type Rng = {
  next(): number
  int(lo: number, hi: number): number
  chance(p: number): boolean
  pick<T>(items: readonly T[]): T
  weighted<T>(items: readonly (readonly [T, number])[]): T
  shuffle<T>(items: readonly T[]): T[]
}

export function seededRng(seed: number): Rng {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1))
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T
  const weighted = <T>(items: readonly (readonly [T, number])[]): T => {
    let r = next() * items.reduce((s, [, w]) => s + w, 0)
    for (const [item, w] of items) if ((r -= w) < 0) return item
    return (items[items.length - 1] as readonly [T, number])[0]
  }
  const shuffle = <T>(items: readonly T[]): T[] => {
    const out = [...items]
    for (let i = out.length - 1; i > 0; i--) {
      const j = int(0, i)
      ;[out[i], out[j]] = [out[j] as T, out[i] as T]
    }
    return out
  }
  return { next, int, chance: (p) => next() < p, pick, weighted, shuffle }
}

// ---------------------------------------------------------------------------------------------
// Days, formats, financial years
// ---------------------------------------------------------------------------------------------

const DAY_MS = 86_400_000
const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS
const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10)
const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** The financial year (April to March) a date is in, as '2024-25'. */
export function financialYearOfDay(iso: string): string {
  const [y, m] = iso.split('-').map(Number) as [number, number]
  const start = m >= 4 ? y : y - 1
  return `${start}-${pad((start + 1) % 100)}`
}

type DateShape = 'iso' | 'sqlserver' | 'uk'
const DATE_SHAPES: readonly DateShape[] = ['iso', 'sqlserver', 'uk']

/** A date (YYYY-MM-DD) or a UK local time (YYYY-MM-DD HH:MM) in one of the shapes systems write. */
function formatWhen(value: string, shape: DateShape): string {
  const [date, time] = value.split(' ') as [string, string | undefined]
  const [y, m, d] = date.split('-')
  if (shape === 'uk') return time ? `${d}/${m}/${y} ${time}` : `${d}/${m}/${y}`
  if (shape === 'sqlserver') return `${date} ${time ?? '00:00'}:00.000`
  return time ? `${date}T${time}:00` : date
}

// ---------------------------------------------------------------------------------------------
// Writing one CSV
// ---------------------------------------------------------------------------------------------

type FileStyle = { crlf: boolean; bom: boolean; nullText: string; quoteAll: boolean; order: SsdColumn[]; header: (c: SsdColumn) => string }
type Values = Record<string, string | null>

class CsvFile {
  rows = 0
  private constructor(
    private readonly stream: WriteStream,
    private readonly style: FileStyle,
    private readonly shape: () => DateShape,
  ) {}

  static async open(path: string, style: FileStyle, shape: () => DateShape): Promise<CsvFile> {
    const file = new CsvFile(createWriteStream(path), style, shape)
    await file.line(style.order.map(style.header), style.bom ? '\uFEFF' : '')
    return file
  }

  async write(values: Values): Promise<void> {
    this.rows++
    await this.line(this.style.order.map((c) => this.cell(c, values[c.name] ?? null)))
  }

  async close(): Promise<void> {
    this.stream.end()
    await once(this.stream, 'finish')
  }

  private cell(column: SsdColumn, value: string | null): string {
    if (value === null) return this.style.nullText
    return column.kind === 'date' || column.kind === 'datetime' ? formatWhen(value, this.shape()) : value
  }

  private async line(fields: string[], prefix = ''): Promise<void> {
    const quoted = fields.map((f) => (this.style.quoteAll || /[",\r\n]|^\s|\s$/.test(f) ? `"${f.replace(/"/g, '""')}"` : f))
    if (!this.stream.write(prefix + quoted.join(',') + (this.style.crlf ? '\r\n' : '\n'))) await once(this.stream, 'drain')
  }
}

function styleOf(table: SsdTableName, index: number, messy: boolean, rng: Rng): FileStyle {
  const columns = [...SSD_TABLES[table].columns]
  if (!messy) return { crlf: false, bom: false, nullText: '', quoteAll: false, order: columns, header: (c) => c.name }
  const header = (c: SsdColumn) => {
    const name = c.aliases?.[0] ?? c.name
    return index % 4 === 1 ? name.toUpperCase() : index % 4 === 3 ? ` ${name} ` : name
  }
  return {
    crlf: index % 2 === 0,
    bom: index % 2 === 0,
    nullText: index % 3 === 0 ? 'NULL' : '',
    quoteAll: index % 5 === 2,
    order: rng.shuffle(columns),
    header,
  }
}

// ---------------------------------------------------------------------------------------------
// Made-up people and the things that happened to them
// ---------------------------------------------------------------------------------------------

const GIVEN = [
  'Zoë',
  'Aled',
  'Siân',
  'Kofi',
  'Priya',
  'Mateusz',
  'Aoife',
  'Yusuf',
  'Chloé',
  'Tomás',
  'Amara',
  'Rhys',
  'Leila',
  'Oisín',
  'Noah',
]
const FAMILY = [
  "O'Brien-Nuñez",
  'Testington',
  'Fictionalson',
  'Sampleworth',
  'Madeupova',
  'Notrealsky',
  "D'Example",
  'Placeholder-Jones',
  'Synthetica',
  'Inventedale',
  'Pretendwell',
  'Fauxley',
]
const ETHNICITIES: readonly (readonly [string, number])[] = [
  ['WBRI', 60],
  ['WOTH', 6],
  ['WIRT', 1],
  ['MWBC', 3],
  ['MWBA', 2],
  ['MWAS', 3],
  ['MOTH', 2],
  ['AIND', 3],
  ['APKN', 4],
  ['ABAN', 2],
  ['AOTH', 2],
  ['CNHE', 1],
  ['BAFR', 4],
  ['BCRB', 2],
  ['BOTH', 1],
  ['OOTH', 2],
  ['REFU', 1],
  ['NOBT', 2],
]
const SOURCES: readonly (readonly [string, number])[] = [
  ['1A', 8],
  ['1C', 2],
  ['2A', 20],
  ['2B', 3],
  ['3A', 4],
  ['3E', 3],
  ['4', 1],
  ['5A', 4],
  ['5D', 5],
  ['6', 30],
  ['7', 2],
  ['8', 4],
  ['9', 2],
  ['10', 1],
]
const NEEDS = ['N1', 'N1', 'N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N8', 'N0']
const CLOSE_REASONS = ['RC7', 'RC7', 'RC8', 'RC8', 'RC9', 'RC5', 'RC3']
/** CIN assessment factors (ssd_assessment_factors.yml); 19B, 11A, 14A and 24A are the ones near HSB. */
const FACTORS = ['1B', '2B', '3A', '3B', '4A', '4B', '5A', '6A', '7A', '10A', '11A', '14A', '15A', '16A', '17A', '18B', '19C', '21', '24A']
const ROLES = ['Social Worker', 'Senior Social Worker', 'Team Manager', 'Family Support Worker']
const CHANGE_REASONS = ['FCONTA', 'MANAGE', 'LEFTRL', 'ORGRST', 'ABSENC']
const yesNo = (rng: Rng, p: number) => (rng.chance(p) ? 'Y' : 'N')
const flags = (names: readonly string[], rng: Rng, p: number) => JSON.stringify(Object.fromEntries(names.map((n) => [n, yesNo(rng, p)])))

/** The NHS number in the 999 test range for this person, spaced 3-3-4 when messy. */
function testNhsNumber(n: number, spaced: boolean): string {
  for (let k = n; ; k++) {
    const nine = `999${pad(k % 1_000_000, 6)}`
    const check = nhsCheckDigit(nine)
    if (check === null) continue
    const digits = `${nine}${check}`
    return spaced ? `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}` : digits
  }
}

function testUpn(laCode: string, n: number, issuedYear: number): string {
  const twelve = `${laCode}${pad(2000 + (n % 7000), 4)}${pad(issuedYear % 100)}${pad(n % 1000, 3)}`
  return `${upnCheckLetter(twelve)}${twelve}`
}

type Files = Record<SsdTableName, CsvFile>
type Context = {
  rng: Rng
  files: Files
  counts: SyntheticCounts
  messy: boolean
  laCode: string
  asAt: number
  from: number
  teams: string[]
  workers: string[]
}

const ids = { person: (i: number) => pad(71234 + i * 7, 7) }

async function writePerson(ctx: Context, i: number, family: { id: string; surname: string }): Promise<void> {
  const { rng, files, counts, messy } = ctx
  const personId = ids.person(i)
  const male = rng.chance(0.7)
  const dob = ctx.asAt - rng.int(8 * 365, 17 * 365)
  const nhs = rng.chance(0.85) ? testNhsNumber(i * 13, messy && i % 2 === 0) : null
  const upn = rng.chance(0.7) ? testUpn(ctx.laCode, i, Number(isoDay(dob).slice(0, 4)) + 5) : null
  const gender = messy ? rng.pick(male ? ['01', '1', 'M'] : ['02', '2', 'F']) : male ? '01' : '02'
  await files.ssd_person.write({
    pers_person_id: personId,
    pers_legacy_id: `L${personId}`,
    pers_upn: upn,
    pers_forename: rng.pick(GIVEN),
    pers_surname: family.surname,
    pers_sex: male ? 'M' : 'F',
    pers_gender: gender,
    pers_ethnicity: rng.weighted(ETHNICITIES),
    pers_dob: isoDay(dob),
    pers_single_unique_id: nhs,
    pers_send_flag: yesNo(rng, 0.2),
    pers_is_mother: 'N',
  })
  counts.persons++
  for (const [type, value] of [
    ['NHS Number', nhs],
    ['Unique Pupil Number', upn],
  ] as const) {
    if (!value) continue
    counts.linkedIdentifiers++
    await files.ssd_linked_identifiers.write({
      link_table_id: `LI${counts.linkedIdentifiers}`,
      link_person_id: personId,
      link_identifier_type: type,
      link_identifier_value: value,
      link_valid_from_date: isoDay(dob + rng.int(0, 30)),
    })
  }
  counts.families++
  await files.ssd_family.write({
    fami_table_id: messy && i % 5 === 0 ? null : `F${i}`,
    fami_family_id: family.id,
    fami_person_id: personId,
  })
  await writeContacts(ctx, personId)
  await writeEpisodes(ctx, personId)
}

async function writeContacts(ctx: Context, personId: string): Promise<void> {
  const { rng, files, counts } = ctx
  for (let k = rng.int(1, 3); k > 0; k--) {
    counts.contacts++
    const day = rng.int(ctx.from, ctx.asAt)
    await files.ssd_contacts.write({
      cont_contact_id: `C${pad(counts.contacts, 7)}`,
      cont_person_id: personId,
      cont_contact_date: `${isoDay(day)} ${pad(rng.int(8, 18))}:${pad(rng.int(0, 59))}`,
      cont_contact_source_code: rng.weighted(SOURCES),
      cont_contact_outcome_json: flags(['NEW_REFERRAL_FLAG', 'NFA_FLAG', 'ADVICE_FLAG'], rng, 0.4),
    })
  }
}

async function writeEpisodes(ctx: Context, personId: string): Promise<void> {
  const { rng, counts } = ctx
  let cursor = ctx.from + rng.int(0, 200)
  for (let k = rng.int(0, 3); k > 0; k--) {
    const referral = cursor + rng.int(0, 300)
    if (referral > ctx.asAt) break
    const closes = referral + rng.int(20, 400)
    const close = closes > ctx.asAt || rng.chance(0.1) ? null : closes
    counts.episodes++
    if (close === null) counts.openEpisodes++
    const fy = financialYearOfDay(isoDay(referral))
    counts.episodesByFinancialYear[fy] = (counts.episodesByFinancialYear[fy] ?? 0) + 1
    await writeEpisode(ctx, personId, `R${pad(counts.episodes, 7)}`, referral, close)
    if (close === null) break
    cursor = close + 1
  }
}

async function writeEpisode(ctx: Context, personId: string, referralId: string, referral: number, close: number | null): Promise<void> {
  const { rng, files } = ctx
  const team = rng.pick(ctx.teams)
  const worker = rng.pick(ctx.workers)
  const end = close ?? ctx.asAt
  await files.ssd_cin_episodes.write({
    cine_referral_id: referralId,
    cine_person_id: personId,
    cine_referral_date: isoDay(referral),
    cine_cin_primary_need_code: rng.pick(NEEDS),
    cine_referral_source_code: rng.weighted(SOURCES),
    cine_referral_outcome_json: flags(['SINGLE_ASSESSMENT_FLAG', 'NFA_FLAG', 'STRATEGY_DISCUSSION_FLAG'], rng, 0.5),
    cine_referral_nfa: yesNo(rng, 0.1),
    cine_close_reason: close === null ? null : rng.pick(CLOSE_REASONS),
    cine_close_date: close === null ? null : isoDay(close),
    cine_referral_team: team,
    cine_referral_worker_id: worker,
  })
  if (rng.chance(0.7)) await writeAssessment(ctx, personId, referralId, referral, end, team, worker)
  if (rng.chance(0.25)) await writeS47(ctx, personId, referralId, referral, team, worker)
  for (let k = rng.int(1, 2); k > 0; k--) {
    ctx.counts.involvements++
    await files.ssd_involvements.write({
      invo_involvements_id: `I${pad(ctx.counts.involvements, 7)}`,
      invo_professional_id: k === 1 ? worker : rng.pick(ctx.workers),
      invo_professional_role_id: rng.pick(ROLES),
      invo_professional_team: team,
      invo_person_id: ctx.messy && ctx.counts.involvements % 4 === 0 ? null : personId,
      invo_involvement_start_date: isoDay(referral),
      invo_involvement_end_date: close === null ? null : isoDay(close),
      invo_worker_change_reason: rng.pick(CHANGE_REASONS),
      invo_referral_id: referralId,
    })
  }
}

async function writeAssessment(
  ctx: Context,
  personId: string,
  referralId: string,
  referral: number,
  end: number,
  team: string,
  worker: string,
) {
  const { rng, files, counts } = ctx
  counts.assessments++
  const id = `A${pad(counts.assessments, 7)}`
  const start = Math.min(referral + rng.int(0, 10), end)
  const authorised = start + rng.int(10, 45)
  await files.ssd_cin_assessments.write({
    cina_assessment_id: id,
    cina_person_id: personId,
    cina_referral_id: referralId,
    cina_assessment_start_date: isoDay(start),
    cina_assessment_child_seen: yesNo(rng, 0.9),
    cina_assessment_auth_date: authorised <= end ? isoDay(authorised) : null,
    cina_assessment_outcome_json: flags(['NFA_FLAG', 'STRATEGY_DISCUSSION_FLAG', 'PROV_OF_SERVICES_FLAG'], rng, 0.4),
    cina_assessment_outcome_nfa: yesNo(rng, 0.2),
    cina_assessment_team: team,
    cina_assessment_worker_id: worker,
  })
  const codes = new Set(Array.from({ length: rng.int(1, 3) }, () => rng.pick(FACTORS)))
  if (rng.chance(0.15)) codes.add('19B')
  if (codes.has('19B')) counts.assessmentsWith19B++
  counts.assessmentFactors++
  await files.ssd_assessment_factors.write({
    cinf_table_id: ctx.messy && counts.assessmentFactors % 3 === 0 ? null : `AF${counts.assessmentFactors}`,
    cinf_assessment_id: id,
    cinf_assessment_factors_json: JSON.stringify([...codes]),
  })
}

async function writeS47(ctx: Context, personId: string, referralId: string, referral: number, team: string, worker: string) {
  const { rng, files, counts } = ctx
  counts.s47++
  const id = `S${pad(counts.s47, 7)}`
  const start = Math.min(referral + rng.int(0, 5), ctx.asAt)
  const ended = start + rng.int(5, 15)
  const fy = financialYearOfDay(isoDay(start))
  counts.s47ByFinancialYear[fy] = (counts.s47ByFinancialYear[fy] ?? 0) + 1
  await files.ssd_s47_enquiry.write({
    s47e_s47_enquiry_id: id,
    s47e_referral_id: referralId,
    s47e_person_id: personId,
    s47e_s47_start_date: isoDay(start),
    s47e_s47_end_date: ended <= ctx.asAt ? isoDay(ended) : null,
    s47e_s47_nfa: yesNo(rng, 0.3),
    s47e_s47_outcome_json: flags(['NFA_FLAG', 'CP_CONFERENCE_FLAG', 'MONITOR_FLAG'], rng, 0.3),
    s47e_s47_completed_by_team: team,
    s47e_s47_completed_by_worker_id: worker,
  })
  const held = start + rng.int(10, 20)
  if (!rng.chance(0.4) || held > ctx.asAt) return
  counts.icpc++
  const plan = rng.chance(0.6)
  await files.ssd_initial_cp_conference.write({
    icpc_icpc_id: `IC${pad(counts.icpc, 6)}`,
    icpc_icpc_meeting_id: `M${pad(counts.icpc, 6)}`,
    icpc_s47_enquiry_id: id,
    icpc_person_id: personId,
    icpc_cp_plan_id: plan ? `CP${pad(counts.icpc, 6)}` : null,
    icpc_referral_id: referralId,
    icpc_icpc_transfer_in: 'N',
    icpc_icpc_target_date: isoDay(start + 21),
    icpc_icpc_date: isoDay(held),
    icpc_icpc_outcome_cp_flag: plan ? 'Y' : 'N',
    icpc_icpc_outcome_json: flags(['NFA_FLAG', 'CP_FLAG'], rng, 0.5),
    icpc_icpc_team: team,
    icpc_icpc_worker_id: worker,
  })
}

async function writeWorkforce(ctx: Context, persons: number): Promise<void> {
  const { rng, files, counts } = ctx
  await files.ssd_department.write({ dept_team_id: 'T00', dept_team_name: 'Children’s Services (fictional)' })
  counts.departments++
  for (const [n, area] of ['North', 'South', 'East', 'West', 'Central', 'Harbour'].entries()) {
    const id = `T${pad(n + 1)}`
    ctx.teams.push(id)
    counts.departments++
    await files.ssd_department.write({
      dept_team_id: id,
      dept_team_name: `${area} Example Team`,
      dept_team_parent_id: 'T00',
      dept_team_parent_name: 'Children’s Services (fictional)',
    })
  }
  for (let n = 1; n <= Math.min(2000, Math.max(10, Math.ceil(persons / 40))); n++) {
    const id = `P${pad(n, 5)}`
    ctx.workers.push(id)
    counts.professionals++
    await files.ssd_professionals.write({
      prof_professional_id: id,
      prof_staff_id: `ST${pad(n, 5)}`,
      prof_professional_name: `${rng.pick(GIVEN)} Exampleworker`,
      prof_social_worker_registration_no: `SW${pad(900000 + n, 6)}`,
      prof_agency_worker_flag: yesNo(rng, 0.1),
      prof_professional_job_title: rng.pick(ROLES),
      prof_professional_caseload: String(rng.int(5, 25)),
      prof_professional_department: `${rng.pick(['North', 'South', 'East'])} Example Team`,
      prof_full_time_equivalency: rng.pick(['1.0', '0.8', '0.5']),
    })
  }
}

function emptyCounts(): SyntheticCounts {
  const rows = Object.fromEntries(SSD_TABLE_NAMES.map((t) => [t, 0])) as Record<SsdTableName, number>
  return {
    persons: 0,
    families: 0,
    linkedIdentifiers: 0,
    contacts: 0,
    episodes: 0,
    openEpisodes: 0,
    assessments: 0,
    assessmentFactors: 0,
    assessmentsWith19B: 0,
    s47: 0,
    icpc: 0,
    involvements: 0,
    professionals: 0,
    departments: 0,
    episodesByFinancialYear: {},
    s47ByFinancialYear: {},
    rows,
  }
}

/** Writes the 12 CSVs into `dir` (created if need be) and says what they hold. */
export async function writeSyntheticExtract(dir: string, options: SyntheticOptions): Promise<{ counts: SyntheticCounts; files: string[] }> {
  if (!/^\d{3}$/.test(options.laCode)) throw new Error('laCode is the DfE local authority number: three digits')
  await mkdir(dir, { recursive: true })
  const rng = seededRng(options.seed)
  const messy = options.messy ?? false
  const asAt = dayNumber(options.asAt ?? '2026-03-31')
  const fyStartYear = Number(financialYearOfDay(isoDay(asAt)).slice(0, 4))
  const from = dayNumber(`${fyStartYear - 3}-04-01`)
  const files = {} as Files
  for (const [index, table] of SSD_TABLE_NAMES.entries()) {
    const shape = () => (messy ? rng.pick(DATE_SHAPES) : 'iso')
    files[table] = await CsvFile.open(join(dir, SSD_TABLES[table].file), styleOf(table, index, messy, rng), shape)
  }
  const counts = emptyCounts()
  const ctx: Context = { rng, files, counts, messy, laCode: options.laCode, asAt, from, teams: [], workers: [] }
  try {
    await writeWorkforce(ctx, options.persons)
    let family = { id: '', surname: '', left: 0 }
    for (let i = 0; i < options.persons; i++) {
      if (family.left === 0)
        family = {
          id: `FAM${pad(i, 6)}`,
          surname: rng.pick(FAMILY),
          left: rng.weighted([
            [1, 6],
            [2, 3],
            [3, 1],
          ] as const),
        }
      family.left--
      await writePerson(ctx, i, family)
    }
  } finally {
    for (const table of SSD_TABLE_NAMES) await files[table].close()
  }
  for (const table of SSD_TABLE_NAMES) counts.rows[table] = files[table].rows
  return { counts, files: SSD_TABLE_NAMES.map((t) => SSD_TABLES[t].file) }
}

// ---------------------------------------------------------------------------------------------
// Zips, written here so tests can make the odd ones real tools will not
// ---------------------------------------------------------------------------------------------

export type ZipInput = {
  name: string
  data: Buffer | string
  /** 0 stored, 8 deflated (default). */
  method?: 0 | 8
  /** What the zip says the entry unpacks to, when a test wants it to lie. */
  declaredSize?: number
}

/** A zip of these entries (local headers, central directory, end record; no ZIP64). */
export function zipOf(entries: readonly ZipInput[]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const entry of entries) {
    const data = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data, 'utf8')
    const method = entry.method ?? 8
    const packed = method === 8 ? deflateRawSync(data) : data
    const name = Buffer.from(entry.name, 'utf8')
    const fields = { crc: crc32(data), packed: packed.length, size: entry.declaredSize ?? data.length }
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(0x0800, 6)
    local.writeUInt16LE(method, 8)
    local.writeUInt32LE(fields.crc, 14)
    local.writeUInt32LE(fields.packed, 18)
    local.writeUInt32LE(fields.size, 22)
    local.writeUInt16LE(name.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(0x0800, 8)
    central.writeUInt16LE(method, 10)
    central.writeUInt32LE(fields.crc, 16)
    central.writeUInt32LE(fields.packed, 20)
    central.writeUInt32LE(fields.size, 24)
    central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, name, packed)
    centrals.push(central, name)
    offset += local.length + name.length + packed.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}

/** The files of a folder as a zip, each under `prefix` (e.g. 'extract/'), deflated unless said otherwise. */
export async function zipFolder(dir: string, options: { prefix?: string; method?: 0 | 8 } = {}): Promise<Buffer> {
  const names = (await readdir(dir)).sort()
  const entries = await Promise.all(
    names.map(async (name) => ({
      name: `${options.prefix ?? ''}${name}`,
      data: await readFile(join(dir, name)),
      method: options.method ?? 8,
    })),
  )
  return zipOf(entries)
}
