import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { financialYearOfDay, writeSyntheticExtract, zipFolder, zipOf, type ZipInput } from '../../../test/support/ssd-extract.js'
import { ExtractRefused, readExtract, describeEvent, type ExtractEvent, type ExtractLimits, type ExtractSource } from './ssd.read.js'
import {
  aliases,
  columnFor,
  personIdOf,
  rowKeyOf,
  SSD_TABLE_NAMES,
  SSD_TABLES,
  tableForFile,
  type SsdRow,
  type SsdTableName,
} from './ssd.spec.js'
import { ukDateOf } from './ssd.values.js'

let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ssd-read-'))
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

let folders = 0
async function folderOf(files: Record<string, string | Buffer>): Promise<string> {
  const dir = join(root, `extract-${++folders}`)
  await mkdir(dir)
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content)
  return dir
}

async function collect(source: ExtractSource, limits?: Partial<ExtractLimits>): Promise<ExtractEvent[]> {
  const events: ExtractEvent[] = []
  for await (const event of readExtract(source, limits)) events.push(event)
  return events
}

/** The events until reading was refused, and the refusal. */
async function refusal(source: ExtractSource, limits?: Partial<ExtractLimits>): Promise<{ events: ExtractEvent[]; error: unknown }> {
  const events: ExtractEvent[] = []
  try {
    for await (const event of readExtract(source, limits)) events.push(event)
  } catch (error) {
    return { events, error }
  }
  throw new Error('expected the extract to be refused')
}

const rowsOf = (events: ExtractEvent[], table: SsdTableName): SsdRow[] =>
  events.flatMap((e) => (e.kind === 'row' && e.row.table === table ? [e.row] : []))
const ofKind = <K extends ExtractEvent['kind']>(events: ExtractEvent[], kind: K) =>
  events.filter((e): e is Extract<ExtractEvent, { kind: K }> => e.kind === kind)

const BOM = '\uFEFF'
/** Shuffled columns, a BOM, CRLF, a NULL literal, an NHS number with spaces, names with accents and apostrophes. */
const PERSON_CSV =
  BOM +
  [
    'pers_surname,PERS_DOB, pers_person_id ,pers_forename,pers_common_child_id,pers_ethnicity,pers_gender,pers_upn',
    `"O'Brien-Nuñez",13/02/2012,0071234,Zoë,943 476 5919,WBRI,02,NULL`,
    `Testington,2011-07-01 00:00:00.000,0071241,"Siân, Jr",NULL,null,1,`,
    `Fictionalson,1/9/2010,0071248,Kofi,943 476 5918,MWBC,01,NULL`,
  ].join('\r\n') +
  '\r\n'

const EPISODES_CSV = [
  'cine_referral_id,cine_person_id,cine_referral_date,cine_close_date,cine_referral_source_code,cine_team_colour',
  'R1,0071234,2023-05-02,NULL,6,blue',
  'R2,0071234,31/02/2023,,2A,green',
  'R3,0071241,2024-01-10,2024-13-01,2A,red',
  'R4,0071241,2024-02-10,,2A',
  'R5,0071248,02/13/2024,,2A,red',
  'R6,0071248,2024-03-01,1900-01-01,5D,red',
  'R7,,2024-03-01,,5D,red',
].join('\n')

const CONTACTS_WITHOUT_PERSON = ['cont_contact_id,cont_contact_date', 'C1,2024-01-01 10:00'].join('\n')

const SMALL_EXTRACT = {
  'ssd_person.csv': PERSON_CSV,
  'ssd_cin_episodes.csv': EPISODES_CSV,
  'ssd_contacts.csv': CONTACTS_WITHOUT_PERSON,
  'notes.txt': 'hello',
}

function expectSmallExtract(events: ExtractEvent[], prefix = '') {
  const people = rowsOf(events, 'ssd_person')
  expect(people.map((p) => p.values.pers_person_id)).toEqual(['0071234', '0071241', '0071248'])
  const [zoe, sian, kofi] = people as [SsdRow, SsdRow, SsdRow]
  expect(zoe).toMatchObject({ table: 'ssd_person', file: `${prefix}ssd_person.csv`, rowNo: 1 })
  expect(zoe.values).toMatchObject({
    pers_forename: 'Zoë',
    pers_surname: "O'Brien-Nuñez",
    pers_dob: '2012-02-13',
    pers_single_unique_id: '9434765919',
    pers_ethnicity: 'WBRI',
    pers_gender: '02',
    pers_upn: null,
  })
  // Every column of the table is there, null when the file does not have it.
  expect(Object.keys(zoe.values).sort()).toEqual(SSD_TABLES.ssd_person.columns.map((c) => c.name).sort())
  expect(zoe.values.pers_death_date).toBeNull()
  expect(sian.values).toMatchObject({
    pers_forename: 'Siân, Jr',
    pers_dob: '2011-07-01',
    pers_single_unique_id: null,
    pers_ethnicity: null,
    pers_upn: null,
  })
  expect(kofi.values).toMatchObject({ pers_dob: '2010-09-01', pers_single_unique_id: null })
  const kofiEvent = events.find((e) => e.kind === 'row' && e.row === kofi)
  expect(kofiEvent?.kind === 'row' && kofiEvent.warnings).toEqual([
    'pers_single_unique_id: not a valid NHS number (its check digit is wrong): left empty',
  ])

  const episodes = rowsOf(events, 'ssd_cin_episodes')
  expect(episodes.map((e) => e.values.cine_referral_id)).toEqual(['R1', 'R3', 'R6'])
  expect(episodes.map((e) => e.rowNo)).toEqual([1, 3, 6])
  const rejected = ofKind(events, 'rejected').map((r) => [r.table, r.file, r.rowNo, r.reason])
  expect(rejected).toEqual([
    ['ssd_cin_episodes', `${prefix}ssd_cin_episodes.csv`, 2, "cine_referral_date: '31/02/2023' is not a real date"],
    ['ssd_cin_episodes', `${prefix}ssd_cin_episodes.csv`, 4, 'row 4 has 5 fields; the header has 6'],
    ['ssd_cin_episodes', `${prefix}ssd_cin_episodes.csv`, 5, expect.stringMatching(/^cine_referral_date: .*no month 13.*DD\/MM\/YYYY/)],
    ['ssd_cin_episodes', `${prefix}ssd_cin_episodes.csv`, 7, 'cine_person_id is empty'],
  ])
  // A bad date in a column the import can do without: left empty, with a warning naming the column.
  const r3 = events.find((e) => e.kind === 'row' && e.row.values.cine_referral_id === 'R3')
  expect(r3?.kind === 'row' && r3.row.values.cine_close_date).toBeNull()
  expect(r3?.kind === 'row' && r3.warnings[0]).toMatch(/^cine_close_date: .*no month 13.*left empty$/)
  const r6 = events.find((e) => e.kind === 'row' && e.row.values.cine_referral_id === 'R6')
  expect(r6?.kind === 'row' && r6.warnings).toEqual(['cine_close_date: 1900-01-01 is a placeholder for no date: left empty'])

  const warnings = ofKind(events, 'warning').map((w) => w.message)
  expect(warnings).toContain(`${prefix}ssd_cin_episodes.csv has columns this import does not know, ignored: cine_team_colour`)
  expect(warnings).toContain('ssd_family.csv is not in the extract: nothing of it is imported')
  const errors = ofKind(events, 'file-error')
  expect(errors).toEqual([
    {
      kind: 'file-error',
      file: `${prefix}ssd_contacts.csv`,
      message: `${prefix}ssd_contacts.csv is missing the required column cont_person_id: nothing in it was read`,
    },
  ])
  expect(ofKind(events, 'ignored')).toEqual([
    { kind: 'ignored', file: `${prefix}notes.txt`, reason: 'not one of the SSD tables this service imports' },
  ])
  expect(ofKind(events, 'file-done')).toEqual([
    { kind: 'file-done', table: 'ssd_person', file: `${prefix}ssd_person.csv`, rows: 3, rejected: 0 },
    { kind: 'file-done', table: 'ssd_cin_episodes', file: `${prefix}ssd_cin_episodes.csv`, rows: 3, rejected: 4 },
  ])
}

describe('reading an extract from a folder', () => {
  it('binds columns by name in any order, reads values, rejects bad rows and reads on', async () => {
    const events = await collect({ dir: await folderOf(SMALL_EXTRACT) })
    expectSmallExtract(events)
  })

  it('reads the tables in dependency order: people before their episodes, whatever the files’ order', async () => {
    const events = await collect({ dir: await folderOf(SMALL_EXTRACT) })
    const tables = events.flatMap((e) => (e.kind === 'row' ? [e.row.table] : []))
    expect(tables.indexOf('ssd_cin_episodes')).toBeGreaterThan(tables.lastIndexOf('ssd_person'))
    // Ignored files and missing tables are said first.
    expect(events.findIndex((e) => e.kind === 'row')).toBeGreaterThan(events.findIndex((e) => e.kind === 'ignored'))
  })

  it('finds files whatever their case, and says a missing ssd_person.csv is an error', async () => {
    const events = await collect({ dir: await folderOf({ 'SSD_Cin_Episodes.CSV': EPISODES_CSV }) })
    expect(rowsOf(events, 'ssd_cin_episodes')[0]?.file).toBe('SSD_Cin_Episodes.CSV')
    expect(ofKind(events, 'file-error').map((e) => e.message)).toEqual([
      'ssd_person.csv is not in the extract: the import cannot go on without it',
    ])
  })

  it('names every missing required column and the file', async () => {
    const events = await collect({ dir: await folderOf({ 'ssd_person.csv': 'pers_person_id,pers_surname\n1,Testington\n' }) })
    expect(ofKind(events, 'file-error')[0]?.message).toBe(
      'ssd_person.csv is missing the required columns pers_forename, pers_dob: nothing in it was read',
    )
    expect(rowsOf(events, 'ssd_person')).toEqual([])
  })

  it('reads quoted fields with commas, quotes and line breaks', async () => {
    const csv = 'cont_contact_id,cont_person_id,cont_contact_source_desc,cont_contact_outcome_json\r\n'
    const row = 'C1,0071234,"Police, ""Operation Example""\r\nsecond line","{""NFA_FLAG"": ""Y""}"\r\n'
    const events = await collect({ dir: await folderOf({ 'ssd_person.csv': PERSON_CSV, 'ssd_contacts.csv': csv + row }) })
    expect(rowsOf(events, 'ssd_contacts')[0]?.values).toMatchObject({
      cont_contact_source_desc: 'Police, "Operation Example"\r\nsecond line',
      cont_contact_outcome_json: '{"NFA_FLAG": "Y"}',
    })
  })

  it('takes the deployed name when a file has both it and the spec’s, and refuses a column named twice', async () => {
    const both =
      'pers_person_id,pers_forename,pers_surname,pers_dob,pers_common_child_id,pers_single_unique_id\n1,A,B,2012-01-01,9434765918,943 476 5919\n'
    const events = await collect({ dir: await folderOf({ 'ssd_person.csv': both }) })
    expect(rowsOf(events, 'ssd_person')[0]?.values.pers_single_unique_id).toBe('9434765919')
    expect(ofKind(events, 'warning').map((w) => w.message)).toContain(
      'ssd_person.csv has both pers_single_unique_id and its other name pers_common_child_id: pers_single_unique_id is read',
    )
    const twice = await collect({
      dir: await folderOf({ 'ssd_person.csv': 'pers_person_id,pers_forename,pers_surname,pers_dob,PERS_DOB\n' }),
    })
    expect(ofKind(twice, 'file-error')[0]?.message).toBe('ssd_person.csv has the column pers_dob twice (pers_dob and PERS_DOB)')
  })

  it('rejects an involvement with neither a person nor a referral', async () => {
    const csv = 'invo_involvements_id,invo_person_id,invo_referral_id\nI1,0071234,\nI2,,R1\nI3,NULL,\n'
    const events = await collect({ dir: await folderOf({ 'ssd_person.csv': PERSON_CSV, 'ssd_involvements.csv': csv }) })
    expect(rowsOf(events, 'ssd_involvements').map((r) => r.values.invo_involvements_id)).toEqual(['I1', 'I2'])
    expect(ofKind(events, 'rejected')[0]).toMatchObject({ rowNo: 3, reason: 'none of invo_person_id, invo_referral_id has a value' })
  })

  it('identifies a family row without its table id by family and person (as Mosaic writes it)', async () => {
    const csv = 'fami_family_id,fami_person_id\nFAM1,0071234\n'
    const events = await collect({ dir: await folderOf({ 'ssd_person.csv': PERSON_CSV, 'ssd_family.csv': csv }) })
    const row = rowsOf(events, 'ssd_family')[0] as SsdRow
    expect(row.values.fami_table_id).toBeNull()
    expect(rowKeyOf(row)).toBe('FAM1|0071234')
  })

  it('says a file that cannot be parsed is an error, and reads the next file', async () => {
    const broken = 'dept_team_id,dept_team_name\nT1,"North\nT2,South\n'
    const events = await collect({ dir: await folderOf({ 'ssd_department.csv': broken, 'ssd_person.csv': PERSON_CSV }) })
    expect(ofKind(events, 'file-error')[0]?.message).toMatch(/^ssd_department\.csv could not be read after row 0: /)
    expect(rowsOf(events, 'ssd_person')).toHaveLength(3)
  })

  it('says an empty file has no header, and warns once when a file is not UTF-8', async () => {
    const latin1 = Buffer.from(
      'pers_person_id,pers_forename,pers_surname,pers_dob\n1,Zo\xeb,B,2012-01-01\n2,Zo\xeb,C,2012-01-01\n',
      'latin1',
    )
    const events = await collect({ dir: await folderOf({ 'ssd_department.csv': '', 'ssd_person.csv': latin1 }) })
    expect(ofKind(events, 'file-error').map((e) => e.message)).toEqual(['ssd_department.csv is empty: it has no header row'])
    expect(ofKind(events, 'warning').filter((w) => w.message.includes('UTF-8'))).toHaveLength(1)
  })

  it('refuses a file over the size limit, and an extract over the row limit', async () => {
    const dir = await folderOf({ 'ssd_person.csv': PERSON_CSV })
    const big = await refusal({ dir }, { maxFileBytes: 100 })
    expect(big.error).toBeInstanceOf(ExtractRefused)
    expect((big.error as Error).message).toMatch(/^ssd_person\.csv is \d+ bytes, more than the 100 bytes a file may be: refused/)
    expect(big.events).toEqual([])
    const many = await refusal({ dir }, { maxRows: 2 })
    expect((many.error as Error).message).toContain('more than 2 rows')
    expect(rowsOf(many.events, 'ssd_person')).toHaveLength(2)
  })

  it('stops cleanly when the reader stops part way', async () => {
    const lines = ['pers_person_id,pers_forename,pers_surname,pers_dob']
    for (let i = 0; i < 20_000; i++) lines.push(`${i},Zoë,Testington,2012-01-01`)
    const dir = await folderOf({ 'ssd_person.csv': lines.join('\n') })
    let seen = 0
    for await (const event of readExtract({ dir })) if (event.kind === 'row' && ++seen === 3) break
    expect(seen).toBe(3)
  })
})

describe('reading an extract from a zip', () => {
  const entriesOf = (prefix: string, method: 0 | 8): ZipInput[] =>
    Object.entries(SMALL_EXTRACT).map(([name, data]) => ({ name: `${prefix}${name}`, data, method }))

  it('reads the same rows from a zip, deflated or stored, with or without a folder inside', async () => {
    for (const method of [8, 0] as const)
      for (const prefix of ['', 'export/2024-25/']) expectSmallExtract(await collect({ zip: zipOf(entriesOf(prefix, method)) }), prefix)
  })

  it('finds names in any case inside the zip, and skips folder entries', async () => {
    const zip = zipOf([
      { name: 'Extract/', data: '' },
      { name: 'Extract/SSD_PERSON.CSV', data: PERSON_CSV },
    ])
    const events = await collect({ zip })
    expect(rowsOf(events, 'ssd_person')).toHaveLength(3)
    expect(ofKind(events, 'ignored')).toEqual([])
  })

  it('reads a letter split between two chunks', async () => {
    // A stored entry is fed to the parser 64 kB at a time: put the two bytes of "ë" either side of that edge.
    const header = 'pers_person_id,pers_forename,pers_surname,pers_dob\n'
    const filler = `0,${'x'.repeat(65_535 - header.length - '0,'.length - ',Pad,2012-01-01\n'.length - '1,Zo'.length)},Pad,2012-01-01\n`
    const csv = `${header}${filler}1,Zoë,Nuñez,2012-01-01\n`
    expect(Buffer.from(csv).indexOf(Buffer.from('ë'))).toBe(65_535)
    const events = await collect({ zip: zipOf([{ name: 'ssd_person.csv', data: csv, method: 0 }]) })
    expect(rowsOf(events, 'ssd_person')[1]?.values.pers_forename).toBe('Zoë')
  })

  it('refuses a zip slip entry before reading anything', async () => {
    for (const name of ['../ssd_person.csv', 'export/../../ssd_person.csv', 'C:\\temp\\ssd_person.csv', '..\\ssd_person.csv']) {
      const { events, error } = await refusal({
        zip: zipOf([
          { name: 'ssd_person.csv', data: PERSON_CSV },
          { name, data: 'x' },
        ]),
      })
      expect(error).toBeInstanceOf(ExtractRefused)
      expect((error as Error).message).toContain('a path outside the extract')
      expect(events).toEqual([])
    }
    // An absolute path: the zip reader refuses the zip outright.
    const absolute = await refusal({ zip: zipOf([{ name: '/etc/ssd_person.csv', data: PERSON_CSV }]) })
    expect(absolute.error).toBeInstanceOf(ExtractRefused)
    expect(absolute.events).toEqual([])
  })

  it('refuses, before reading, a zip whose declared sizes are over the limits', async () => {
    const oversize = zipOf([{ name: 'ssd_person.csv', data: PERSON_CSV, declaredSize: 600 * 1024 * 1024 }])
    const file = await refusal({ zip: oversize })
    expect((file.error as Error).message).toBe('ssd_person.csv is 600 MB, more than the 500 MB a file may be: refused.')
    expect(file.events).toEqual([])
    const all = await refusal({ zip: zipOf(entriesOf('', 8)) }, { maxUnpackedBytes: 200 })
    expect((all.error as Error).message).toMatch(/^The zip says it unpacks to \d+ bytes, more than the 200 bytes allowed: refused\.$/)
    expect(all.events).toEqual([])
    // Files we would not even read count too: a bomb beside the extract.
    const bomb = zipOf([
      { name: 'ssd_person.csv', data: PERSON_CSV },
      { name: 'padding.bin', data: Buffer.alloc(10), declaredSize: 0xfffffff0 },
    ])
    expect((await refusal({ zip: bomb })).error).toBeInstanceOf(ExtractRefused)
  })

  it('counts what a zip really unpacks to: one that says less than it holds is refused as it is read', async () => {
    const big = `pers_person_id,pers_forename,pers_surname,pers_dob\n${'1,Zoë,Testington,2012-01-01\n'.repeat(5000)}`
    const lying = zipOf([{ name: 'ssd_person.csv', data: big, declaredSize: 100 }])
    const { error } = await refusal({ zip: lying })
    expect((error as Error).message).toContain('unpacks to more than the 100 bytes the zip says')
    const overall = await refusal({ zip: zipOf([{ name: 'ssd_person.csv', data: big, declaredSize: 10 }]) }, { maxUnpackedBytes: 50 })
    expect(overall.error).toBeInstanceOf(ExtractRefused)
  })

  it('refuses a zip that is not one, and a zip with two files for one table', async () => {
    expect((await refusal({ zip: Buffer.from('not a zip') })).error).toBeInstanceOf(ExtractRefused)
    const two = zipOf([
      { name: 'a/ssd_person.csv', data: PERSON_CSV },
      { name: 'b/SSD_person.csv', data: PERSON_CSV },
    ])
    expect(((await refusal({ zip: two })).error as Error).message).toContain('holds both "a/ssd_person.csv" and "b/SSD_person.csv"')
  })
})

describe('a synthetic extract, read back', () => {
  const tally = (events: ExtractEvent[]) => {
    const rows = Object.fromEntries(SSD_TABLE_NAMES.map((t) => [t, 0])) as Record<SsdTableName, number>
    for (const e of events) if (e.kind === 'row') rows[e.row.table]++
    return rows
  }

  it('reads every row it wrote, messy or not, from a folder and from a zip, with nothing rejected', async () => {
    for (const messy of [false, true]) {
      const dir = join(root, `synthetic-${messy}`)
      const { counts } = await writeSyntheticExtract(dir, { persons: 400, seed: 11, laCode: '873', messy })
      for (const source of [{ dir }, { zip: await zipFolder(dir, { prefix: 'ssd/' }) }] as ExtractSource[]) {
        const events = await collect(source)
        const problems = events.filter((e) => e.kind === 'rejected' || e.kind === 'file-error' || e.kind === 'ignored')
        expect(problems.map(describeEvent)).toEqual([])
        expect(tally(events)).toEqual(counts.rows)
        expect(counts.rows.ssd_person).toBe(400)
        expect(counts.rows.ssd_cin_episodes).toBe(counts.episodes)
        expect(counts.rows.ssd_s47_enquiry).toBe(counts.s47)
        const byYear: Record<string, number> = {}
        for (const e of rowsOf(events, 'ssd_cin_episodes')) {
          const fy = financialYearOfDay(e.values.cine_referral_date as string)
          byYear[fy] = (byYear[fy] ?? 0) + 1
        }
        expect(byYear).toEqual(counts.episodesByFinancialYear)
        expect(Object.keys(byYear).sort()).toEqual(['2022-23', '2023-24', '2024-25', '2025-26'])
        const people = rowsOf(events, 'ssd_person')
        expect(people[0]?.values.pers_person_id).toBe('0071234')
        expect(people.every((p) => /^999\d{7}$/.test(p.values.pers_single_unique_id ?? '9990000000'))).toBe(true)
        expect(people.filter((p) => p.values.pers_single_unique_id !== null).length).toBeGreaterThan(300)
        // Every contact time is a UK time of day in office hours, whatever shape it was written in.
        for (const c of rowsOf(events, 'ssd_contacts').slice(0, 50)) {
          const hour = Number(
            new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: 'numeric' }).format(
              new Date(c.values.cont_contact_date as string),
            ),
          )
          expect(hour).toBeGreaterThanOrEqual(8)
          expect(ukDateOf(Date.parse(c.values.cont_contact_date as string))).toMatch(/^20\d\d-\d\d-\d\d$/)
        }
        expect(rowsOf(events, 'ssd_family').every((f) => rowKeyOf(f) !== null)).toBe(true)
        expect(rowsOf(events, 'ssd_assessment_factors').every((f) => rowKeyOf(f) !== null)).toBe(true)
      }
    }
  })

  it('writes a messy extract as real ones differ: BOM and CRLF, NULL, shuffled and renamed headers, three date shapes', async () => {
    const dir = join(root, 'synthetic-look')
    await writeSyntheticExtract(dir, { persons: 50, seed: 3, laCode: '873', messy: true })
    const person = await readFile(join(dir, 'ssd_person.csv'), 'utf8')
    expect(person.startsWith(BOM)).toBe(true)
    expect(person).toContain('\r\n')
    expect(person).toContain('pers_common_child_id')
    const all = await Promise.all(SSD_TABLE_NAMES.map((t) => readFile(join(dir, SSD_TABLES[t].file), 'utf8')))
    const text = all.join('\n')
    expect(text).toContain('NULL')
    expect(text).toMatch(/\b\d{2}\/\d{2}\/\d{4}\b/)
    expect(text).toMatch(/\b\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.000\b/)
    expect(text).toMatch(/,\d{4}-\d{2}-\d{2},/)
    expect(text).toContain('999 ')
    expect(all.filter((f) => f.startsWith(BOM))).not.toHaveLength(all.length)
  })

  it('writes the same bytes for the same seed, and others for another', async () => {
    const a = join(root, 'seed-a')
    const b = join(root, 'seed-b')
    const c = join(root, 'seed-c')
    await writeSyntheticExtract(a, { persons: 60, seed: 5, laCode: '873', messy: true })
    await writeSyntheticExtract(b, { persons: 60, seed: 5, laCode: '873', messy: true })
    await writeSyntheticExtract(c, { persons: 60, seed: 6, laCode: '873', messy: true })
    for (const t of SSD_TABLE_NAMES)
      expect(await readFile(join(a, SSD_TABLES[t].file))).toEqual(await readFile(join(b, SSD_TABLES[t].file)))
    expect(await readFile(join(a, 'ssd_person.csv'))).not.toEqual(await readFile(join(c, 'ssd_person.csv')))
  })
})

describe('the SSD tables', () => {
  it('lists each table after every table it points to, and points only at columns that exist', () => {
    for (const [at, name] of SSD_TABLE_NAMES.entries()) {
      const table = SSD_TABLES[name]
      const columns = table.columns.map((c) => c.name)
      expect(table.name).toBe(name)
      expect(table.file).toBe(`${name}.csv`)
      expect(columns).toContain(table.key)
      expect(new Set(columns).size).toBe(columns.length)
      for (const c of [...(table.identity ?? []), ...(table.requireOneOf ?? [])]) expect(columns).toContain(c)
      for (const fk of table.foreignKeys) {
        expect(columns).toContain(fk.column)
        expect(SSD_TABLE_NAMES.indexOf(fk.table)).toBeLessThanOrEqual(at)
      }
      // The key is required, unless other columns identify the row when a system leaves it empty.
      expect(table.columns.find((c) => c.name === table.key)?.required).toBe(!table.identity)
    }
  })

  it('requires only the few columns the import cannot do without', () => {
    const required = Object.fromEntries(SSD_TABLE_NAMES.map((t) => [t, SSD_TABLES[t].columns.filter((c) => c.required).map((c) => c.name)]))
    expect(required.ssd_person).toEqual(['pers_person_id', 'pers_forename', 'pers_surname', 'pers_dob'])
    expect(required.ssd_cin_episodes).toEqual(['cine_referral_id', 'cine_person_id', 'cine_referral_date'])
    expect(required.ssd_s47_enquiry).toEqual(['s47e_s47_enquiry_id', 's47e_person_id'])
  })

  it('knows the spec’s names for renamed columns, file names in any case, and whose a row is', () => {
    expect(aliases).toEqual({ pers_common_child_id: 'pers_single_unique_id', cine_cin_primary_need: 'cine_cin_primary_need_code' })
    expect(columnFor(SSD_TABLES.ssd_person, ' PERS_COMMON_CHILD_ID ')?.name).toBe('pers_single_unique_id')
    expect(columnFor(SSD_TABLES.ssd_person, 'cine_referral_id')).toBeNull()
    expect(tableForFile('export/2024/SSD_S47_Enquiry.csv')?.name).toBe('ssd_s47_enquiry')
    expect(tableForFile('ssd_person.csv.bak')).toBeNull()
    expect(personIdOf({ table: 'ssd_person', values: { pers_person_id: '007' } })).toBe('007')
    expect(personIdOf({ table: 'ssd_s47_enquiry', values: { s47e_person_id: '008' } })).toBe('008')
    expect(personIdOf({ table: 'ssd_department', values: { dept_team_id: 'T1' } })).toBeNull()
    expect(rowKeyOf({ table: 'ssd_assessment_factors', values: { cinf_table_id: null, cinf_assessment_id: 'A1' } })).toBe('A1')
    expect(rowKeyOf({ table: 'ssd_family', values: { fami_table_id: null, fami_family_id: 'F1', fami_person_id: null } })).toBeNull()
  })
})
