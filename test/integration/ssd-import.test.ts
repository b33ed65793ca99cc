import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Summary } from '../../src/features/ssd-import/index.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'

/**
 * Issue 16: an SSD extract, written by hand as a council analyst would, brought in through the
 * import: messy values, who is who, history at its real dates, safe to repeat, and out again.
 */
let t: TestApp
let f: Fixtures
const dirs: string[] = []

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
})
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
  await t.close()
})

const system = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)
const BOM = '\uFEFF'

async function extract(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ssd-'))
  dirs.push(dir)
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content)
  return dir
}

const importer = (userId: string | null = f.users.HSB_LEAD.id) => ({ partnershipId: f.partnershipId, userId, requestId: null })
const run = (dir: string, options: Partial<{ dryRun: boolean; decisions: Record<string, 'SAME' | 'SEPARATE'>; laCode: string }> = {}) =>
  t.services.ssdImport.service.importExtract(importer(), { dir }, path.basename(dir), {
    selection: { mode: 'ALL' },
    decisions: options.decisions ?? {},
    dryRun: options.dryRun ?? false,
    ...(options.laCode ? { laCode: options.laCode } : {}),
  })

const childrenWithCouncilId = (ids: string[]) =>
  system((trx) =>
    trx
      .selectFrom('child')
      .select(['id', 'givenNames', 'familyName', 'localCaseId', 'nhsNumber', 'dateOfBirth'])
      .where('partnershipId', '=', f.partnershipId)
      .where('localCaseId', 'in', ids)
      .execute(),
  )

// Column order differs from the spec's; CRLF and a BOM; three date formats; NULL literals.
const PEOPLE = [
  'pers_surname,pers_forename,pers_dob,pers_person_id,pers_sex,pers_ethnicity,pers_single_unique_id',
  `O'Brien-Nuñez,Zoë,2011-03-04,0071234,F,WBRI,943 476 5919`,
  `Quayle,Robin,04/05/2012,0071235,M,NULL,NULL`,
  `Quayle,Robin,04/05/2012,0071235,M,NULL,NULL`,
  // Twins: one family name and date of birth, different first names and NHS numbers.
  `Tarrant,Ash,2013-06-07 00:00:00.000,0071236,M,MWBC,401 023 2137`,
  `Tarrant,Bay,2013-06-07 00:00:00.000,0071237,F,MWBC,401 023 2145`,
  // Namesakes: the same names, born years apart.
  `Vale,Kit,2010-01-02,0071238,U,NOBT,`,
  `Vale,Kit,2014-09-10,0071239,U,NOBT,`,
  // Two council ids for what is clearly one child (the same NHS number, names and date of birth).
  `Wren,Ellis,2012-11-12,0071240,M,WBRI,943 476 5870`,
  `Wren,Ellis,2012-11-12,0071241,M,WBRI,9434765870`,
].join('\r\n')

const EPISODES = [
  'cine_referral_id,cine_person_id,cine_referral_date,cine_referral_source_code,cine_close_date,cine_close_reason,cine_referral_team',
  'R1,0071234,2023-05-10,2A,2023-09-01,RC8,T1',
  'R2,0071234,15/01/2025,6,NULL,NULL,T1',
  'R3,0071235,2024-04-01 09:30:00.000,3B,,,T2',
  'R4,0071236,2022-10-03,5A,2023-01-15,RC7,T1',
  'R5,0071237,2022-10-03,5A,2023-01-15,RC7,T1',
  'R6,0071238,2024-02-20,1A,,,T1',
  'R7,0071239,2024-07-20,2A,,,T2',
  'R8,0071240,2025-03-03,6,,,T1',
  'R9,0071241,2025-03-03,6,,,T1',
  // Orphan: a person the extract does not have.
  'R10,0099999,2024-05-05,6,,,T1',
  // Born after the referral.
  'R11,0071239,2013-02-02,6,,,T1',
  // An impossible date.
  'R12,0071238,31/02/2024,6,,,T1',
].join('\n')

const S47 = [
  's47e_s47_enquiry_id,s47e_referral_id,s47e_person_id,s47e_s47_start_date,s47e_s47_end_date,s47e_s47_nfa',
  'S1,R1,0071234,2023-05-12,2023-06-20,N',
  'S2,R2,0071234,17/01/2025,NULL,NULL',
  'S3,R4,0071236,2022-10-04,2022-11-01,Y',
].join('\n')

const ASSESSMENTS = [
  'cina_assessment_id,cina_person_id,cina_referral_id,cina_assessment_start_date,cina_assessment_auth_date,cina_assessment_team',
  'A1,0071234,R1,2023-05-11,2023-06-30,T1',
].join('\n')
const FACTORS = ['cinf_table_id,cinf_assessment_id,cinf_assessment_factors_json', 'F1,A1,"[""11A"",""19B""]"'].join('\n')
const DEPARTMENTS = ['dept_team_id,dept_team_name', 'T1,Harbour Assessment Team', 'T2,Hillside Team'].join('\n')

const EXTRACT = {
  'ssd_person.csv': BOM + PEOPLE,
  'ssd_cin_episodes.csv': EPISODES,
  'ssd_s47_enquiry.csv': S47,
  'ssd_cin_assessments.csv': ASSESSMENTS,
  'ssd_assessment_factors.csv': FACTORS,
  'ssd_department.csv': DEPARTMENTS,
  'README.txt': 'not an SSD table',
}

describe('an extract as a council analyst would write it', () => {
  let first: { summary: Summary }
  let dir: string

  beforeAll(async () => {
    dir = await extract(EXTRACT)
    first = await run(dir)
  })

  it('reads messy values: accents and apostrophes, leading zeros, NHS numbers with spaces, UK dates, NULL', async () => {
    const [zoe] = await childrenWithCouncilId(['0071234'])
    expect(zoe).toMatchObject({ givenNames: 'Zoë', familyName: "O'Brien-Nuñez", localCaseId: '0071234', nhsNumber: '9434765919' })
    const [robin] = await childrenWithCouncilId(['0071235'])
    expect(robin!.dateOfBirth.toISOString().slice(0, 10)).toBe('2012-05-04')
    expect(await childrenWithCouncilId(['71234'])).toEqual([])
  })

  it('makes the same person id twice one child, keeps twins and namesakes apart, and holds two ids for one child until decided', async () => {
    expect(await childrenWithCouncilId(['0071235'])).toHaveLength(1)
    expect(await childrenWithCouncilId(['0071236', '0071237'])).toHaveLength(2)
    expect(await childrenWithCouncilId(['0071238', '0071239'])).toHaveLength(2)
    expect(await childrenWithCouncilId(['0071240', '0071241'])).toEqual([])
    const offered = first.summary.proposedMatches.find((m) => m.personId === '0071241')
    expect(offered).toMatchObject({ with: { personId: '0071240' } })
    expect(offered!.reasons).toContain('Same NHS number')
    expect(first.summary.proposedMatches.map((m) => m.personId)).not.toContain('0071237')
    expect(first.summary.proposedMatches.map((m) => m.personId)).not.toContain('0071239')
    expect(first.summary.children).toMatchObject({ found: 8, new: 6, held: 2 })
  })

  it('reports what cannot be imported, with file, row and reason, and writes none of it', async () => {
    const reasons = first.summary.rejected.map((r) => `${r.file} ${r.row}: ${r.reason}`)
    expect(reasons).toContainEqual(expect.stringMatching(/ssd_cin_episodes\.csv 10: Person 0099999 is not in ssd_person\.csv/))
    expect(reasons).toContainEqual(expect.stringMatching(/ssd_cin_episodes\.csv 11: The referral date is before the child’s date of birth/))
    expect(reasons).toContainEqual(expect.stringMatching(/ssd_cin_episodes\.csv 12: .*cine_referral_date/))
    const cases = await system((trx) =>
      trx
        .selectFrom('ssdRecord')
        .select('sourceKey')
        .where('partnershipId', '=', f.partnershipId)
        .where('tableName', '=', 'ssd_cin_episodes')
        .execute(),
    )
    expect(cases.map((c) => c.sourceKey).sort()).toEqual(['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7'])
  })

  it('brings referrals in at their real dates, counted in their financial years, with strategy discussions as held', async () => {
    expect(first.summary.referralsByFinancialYear).toEqual({ '2022-23': 2, '2023-24': 2, '2024-25': 3 })
    expect(first.summary.strategyDiscussionsByFinancialYear).toEqual({ '2022-23': 1, '2023-24': 1, '2024-25': 1 })
    const r3 = await system((trx) =>
      trx
        .selectFrom('ssdRecord as s')
        .innerJoin('hsbCase as c', 'c.id', 's.targetId')
        .innerJoin('requestForSupport as r', 'r.caseId', 'c.id')
        .innerJoin('agency as a', 'a.id', 'r.referrerAgencyId')
        .select(['c.referralReceivedAt', 'c.openedAt', 'c.status', 'r.referralSource', 'a.kind'])
        .where('s.partnershipId', '=', f.partnershipId)
        .where('s.sourceKey', '=', 'R1')
        .executeTakeFirstOrThrow(),
    )
    // The end of the UK day it happened, as every step dated by its day.
    expect(r3.referralReceivedAt.toISOString()).toBe('2023-05-10T22:59:59.999Z')
    expect(r3.openedAt.toISOString()).toBe('2023-05-10T22:59:59.999Z')
    expect(r3).toMatchObject({ status: 'CLOSED', referralSource: '2A', kind: 'EDUCATION' })
    const events = await system((trx) =>
      trx
        .selectFrom('caseEvent as e')
        .innerJoin('ssdRecord as s', 's.targetId', 'e.caseId')
        .select(['e.action', 'e.occurredAt', 'e.lateReason', 'e.actorId', 'e.detail'])
        .where('s.sourceKey', '=', 'R1')
        .where('s.partnershipId', '=', f.partnershipId)
        .orderBy('e.occurredAt')
        .execute(),
    )
    expect(events.map((e) => e.action)).toEqual([
      'IMPORTED_REFERRAL',
      'IMPORTED_ASSESSMENT_STARTED',
      'IMPORTED_STRATEGY_DISCUSSION',
      'IMPORTED_SECTION_47_END',
      'IMPORTED_ASSESSMENT',
      'IMPORTED_CLOSURE',
    ])
    expect(events.every((e) => e.actorId === f.users.HSB_LEAD.id && e.lateReason?.includes('SSD import'))).toBe(true)
    expect(events.find((e) => e.action === 'IMPORTED_ASSESSMENT')!.detail).toMatchObject({ factors: ['11A', '19B'] })
    const clocks = await system((trx) =>
      trx
        .selectFrom('caseClock as k')
        .innerJoin('ssdRecord as s', 's.targetId', 'k.caseId')
        .select('k.kind')
        .where('s.partnershipId', '=', f.partnershipId)
        .execute(),
    )
    expect(clocks).toEqual([])
  })

  it('audits everything imported as an import by the person who ran it', async () => {
    const entries = await system((trx) =>
      trx
        .selectFrom('auditLog')
        .select(['action', 'userId'])
        .where('partnershipId', '=', f.partnershipId)
        .where('action', 'in', ['child:import', 'case:import', 'ssd:import'])
        .execute(),
    )
    const count = (action: string) => entries.filter((e) => e.action === action).length
    expect(count('child:import')).toBe(6)
    expect(count('case:import')).toBe(7)
    expect(count('ssd:import')).toBe(1)
    expect(entries.every((e) => e.userId === f.users.HSB_LEAD.id)).toBe(true)
  })

  it('creates nothing the second time; the decided match joins the child; a changed row updates it with its history', async () => {
    const before = await system((trx) =>
      trx
        .selectFrom('hsbCase')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow(),
    )
    const again = await run(dir)
    expect(again.summary.created).toEqual({ children: 0, cases: 0, requests: 0, strategyDiscussions: 0, events: 0 })
    expect(again.summary.episodes).toMatchObject({ new: 0, unchanged: 7 })
    const after = await system((trx) =>
      trx
        .selectFrom('hsbCase')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow(),
    )
    expect(after.n).toBe(before.n)

    // Decided: the two Wren ids are one child; R2 closed since; Robin's surname corrected.
    const changed = await extract({
      ...EXTRACT,
      'ssd_person.csv':
        BOM +
        PEOPLE.replace(
          'Quayle,Robin,04/05/2012,0071235,M,NULL,NULL\r\nQuayle,Robin',
          'Quayle,Robin,04/05/2012,0071235,M,NULL,NULL\r\nQuayle-Hart,Robin',
        ),
      'ssd_cin_episodes.csv': EPISODES.replace('R2,0071234,15/01/2025,6,NULL,NULL,T1', 'R2,0071234,15/01/2025,6,2025-06-30,RC8,T1'),
    })
    const third = await run(changed, { decisions: { '0071241': 'SAME' } })
    expect(third.summary.children.held).toBe(0)
    const wren = await childrenWithCouncilId(['0071240', '0071241'])
    expect(wren).toHaveLength(1)
    const wrenCases = await system((trx) => trx.selectFrom('hsbCase').select('id').where('childId', '=', wren[0]!.id).execute())
    expect(wrenCases).toHaveLength(2)
    const [robin] = await childrenWithCouncilId(['0071235'])
    expect(robin!.familyName).toBe('Quayle-Hart')
    const versions = await system((trx) =>
      trx
        .selectFrom('ssdRecordVersion')
        .select(sql<string>`data->>'pers_surname'`.as('surname'))
        .where('partnershipId', '=', f.partnershipId)
        .where('tableName', '=', 'ssd_person')
        .where('sourceKey', '=', '0071235')
        .orderBy('id')
        .execute(),
    )
    expect(versions.map((v) => v.surname)).toEqual(['Quayle', 'Quayle-Hart'])
    expect(third.summary.episodes.updated).toBe(1)
    const r2 = await system((trx) =>
      trx
        .selectFrom('ssdRecord as s')
        .innerJoin('hsbCase as c', 'c.id', 's.targetId')
        .select(['c.status', 'c.closedAt'])
        .where('s.partnershipId', '=', f.partnershipId)
        .where('s.sourceKey', '=', 'R2')
        .executeTakeFirstOrThrow(),
    )
    expect(r2.status).toBe('CLOSED')
    expect(r2.closedAt!.toISOString().slice(0, 10)).toBe('2025-06-30')
  })
})

describe('a dry run', () => {
  it('agrees with the real run and saves nothing', async () => {
    const dir = await extract({
      'ssd_person.csv': 'pers_person_id,pers_forename,pers_surname,pers_dob\nD1,Sol,Marrow,2012-02-02\nD2,Fen,Marrow,2013-03-03',
      'ssd_cin_episodes.csv': 'cine_referral_id,cine_person_id,cine_referral_date\nDR1,D1,2024-06-01\nDR2,D2,2025-06-01',
      'ssd_s47_enquiry.csv': 's47e_s47_enquiry_id,s47e_referral_id,s47e_person_id,s47e_s47_start_date\nDS1,DR1,D1,2024-06-02',
    })
    const dry = await run(dir, { dryRun: true })
    expect(await childrenWithCouncilId(['D1', 'D2'])).toEqual([])
    const real = await run(dir)
    const { importId: _a, dryRun: _b, ...dryRest } = dry.summary
    const { importId: _c, dryRun: _d, ...realRest } = real.summary
    expect(realRest).toEqual(dryRest)
    expect(real.summary.created).toMatchObject({ children: 2, cases: 2, strategyDiscussions: 1 })
  })
})

describe('children already in the service', () => {
  it('are offered as matches by the find-before-create rules, never merged silently', async () => {
    const childId = await system((trx) =>
      trx
        .insertInto('child')
        .values({ partnershipId: f.partnershipId, givenNames: 'Juniper', familyName: 'Ashdown', dateOfBirth: '2012-08-09' })
        .returning('id')
        .executeTakeFirstOrThrow(),
    )
    const dir = await extract({
      'ssd_person.csv': 'pers_person_id,pers_forename,pers_surname,pers_dob\nE1,Juniper,Ashdown,09/08/2012',
      'ssd_cin_episodes.csv': 'cine_referral_id,cine_person_id,cine_referral_date\nER1,E1,2024-06-01',
    })
    const held = await run(dir)
    expect(held.summary.proposedMatches).toEqual([
      expect.objectContaining({ personId: 'E1', with: { childId: childId.id, localCaseId: null } }),
    ])
    expect(held.summary.children.held).toBe(1)
    const joined = await run(dir, { decisions: { E1: 'SAME' } })
    expect(joined.summary.children).toMatchObject({ matched: 1, new: 0 })
    const cases = await system((trx) => trx.selectFrom('hsbCase').select('id').where('childId', '=', childId.id).execute())
    expect(cases).toHaveLength(1)
  })
})

describe('refused', () => {
  it('an extract from another local authority', async () => {
    const dir = await extract({ 'ssd_person.csv': 'pers_person_id,pers_forename,pers_surname,pers_dob\nL1,Ivy,Lark,2012-02-02' })
    await run(dir, { laCode: '845' })
    await expect(run(dir, { laCode: '846' })).rejects.toThrow(/local authority 846.*local authority 845/)
  })

  it('a real run nobody is named as running', async () => {
    const dir = await extract({ 'ssd_person.csv': 'pers_person_id,pers_forename,pers_surname,pers_dob\nN1,Ivy,Nobody,2012-02-02' })
    await expect(
      t.services.ssdImport.service.importExtract(importer(null), { dir }, 'x', {
        selection: { mode: 'ALL' },
        decisions: {},
        dryRun: false,
      }),
    ).rejects.toThrow(/recorded as the person who ran it/)
  })
})

describe('a large extract, a thousand people at a time', () => {
  it('joins a person decided to be another’s child when the two fall in different batches', async () => {
    const { ssdImportService } = await import('../../src/features/ssd-import/ssd-import.service.js')
    const small = ssdImportService({ db: t.services.db, audit: t.services.audit, cases: t.services.kernel, batch: 2 })
    const dir = await extract({
      'ssd_person.csv': [
        'pers_person_id,pers_forename,pers_surname,pers_dob,pers_single_unique_id',
        'B1,Rue,Hollins,2012-04-04,9995550016',
        'B2,Sage,Pellow,2011-05-05,',
        'B3,Rue,Hollins,2012-04-04,9995550016',
      ].join('\n'),
      'ssd_cin_episodes.csv': [
        'cine_referral_id,cine_person_id,cine_referral_date',
        'BR1,B1,2024-01-01',
        'BR2,B2,2024-02-02',
        'BR3,B3,2024-03-03',
      ].join('\n'),
    })
    const { summary } = await small.importExtract(importer(), { dir }, 'batches', {
      selection: { mode: 'ALL' },
      decisions: { B3: 'SAME' },
      dryRun: false,
    })
    expect(summary.created.children).toBe(2)
    const rue = await childrenWithCouncilId(['B1', 'B3'])
    expect(rue).toHaveLength(1)
    const cases = await system((trx) => trx.selectFrom('hsbCase').select('id').where('childId', '=', rue[0]!.id).execute())
    expect(cases).toHaveLength(2)
  })
})

describe('an extract uploaded and never imported', () => {
  it('is discarded, its rows deleted, when another is uploaded more than a week later', async () => {
    const { ssdImportService, STAGED_FOR_DAYS } = await import('../../src/features/ssd-import/ssd-import.service.js')
    const dir = await extract({ 'ssd_person.csv': 'pers_person_id,pers_forename,pers_surname,pers_dob\nS1,Wynn,Abbot,2012-02-02' })
    const { importId } = await t.services.ssdImport.service.stage(importer(), { dir }, 'left')
    const later = ssdImportService({
      db: t.services.db,
      audit: t.services.audit,
      cases: t.services.kernel,
      now: () => new Date(Date.now() + (STAGED_FOR_DAYS + 1) * 86_400_000),
    })
    await later.stage(importer(), { dir }, 'next')
    const run = await system((trx) => trx.selectFrom('ssdImport').select('status').where('id', '=', importId).executeTakeFirstOrThrow())
    expect(run.status).toBe('DISCARDED')
    const rows = await system((trx) => trx.selectFrom('ssdStagedRow').select('rowNo').where('importId', '=', importId).execute())
    expect(rows).toEqual([])
  })
})

describe('two council ids for one child whose dates of birth differ', () => {
  it('are offered as a match by their NHS number', async () => {
    const dir = await extract({
      'ssd_person.csv': [
        'pers_person_id,pers_forename,pers_surname,pers_dob,pers_single_unique_id',
        'G1,Tamsin,Rowe,2012-04-04,9995550024',
        'G2,Tamsin,Rowe,2012-04-14,9995550024',
      ].join('\n'),
      'ssd_cin_episodes.csv': ['cine_referral_id,cine_person_id,cine_referral_date', 'GR1,G1,2024-01-01', 'GR2,G2,2024-02-02'].join('\n'),
    })
    const { summary } = await run(dir, { dryRun: true })
    expect(summary.proposedMatches).toEqual([expect.objectContaining({ personId: 'G2', with: { personId: 'G1' } })])
    expect(summary.proposedMatches[0]!.reasons).toContain('Same NHS number')
    expect(summary.children.held).toBe(2)
  })
})

describe('an imported case someone here has moved on', () => {
  it('keeps its status when the council’s later steps are imported; they join its history', async () => {
    const files = (close: string) => ({
      'ssd_person.csv': 'pers_person_id,pers_forename,pers_surname,pers_dob\nH1,Perran,Jago,2012-02-02',
      'ssd_cin_episodes.csv': `cine_referral_id,cine_person_id,cine_referral_date,cine_close_date\nHR1,H1,2026-11-02,${close}`,
    })
    await run(await extract(files('')))
    const [record] = await system((trx) =>
      trx.selectFrom('ssdRecord').select('targetId').where('partnershipId', '=', f.partnershipId).where('sourceKey', '=', 'HR1').execute(),
    )
    const caseId = record!.targetId
    const worker = (await t.services.auth.currentUser(f.users.SOCIAL_WORKER.id))!
    await transaction(t.services.db, { partnershipId: f.partnershipId }, async (trx) => {
      const kase = (await t.services.kernel.load(trx, worker, caseId))!
      await t.services.kernel.actOn(trx, worker, kase, 'test').apply('RECORD_SCREENING', { rating: 'AMBER' })
    })
    await run(await extract(files('2026-11-20')))
    const after = await system((trx) =>
      trx.selectFrom('hsbCase').select(['status', 'closedAt']).where('id', '=', caseId).executeTakeFirstOrThrow(),
    )
    expect(after).toEqual({ status: 'AWAITING_OVERSIGHT', closedAt: null })
    const closure = await system((trx) =>
      trx
        .selectFrom('caseEvent')
        .select(['fromStatus', 'toStatus'])
        .where('caseId', '=', caseId)
        .where('action', '=', 'IMPORTED_CLOSURE')
        .execute(),
    )
    expect(closure).toEqual([{ fromStatus: 'AWAITING_OVERSIGHT', toStatus: 'AWAITING_OVERSIGHT' }])
  })
})
