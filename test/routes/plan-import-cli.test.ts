import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importActionPlan } from '../../src/cli/import-action-plan.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'
import { csvPlan, messyWorkbook, MESSY_COUNTS, MESSY_RAG_AS_WRITTEN } from '../fixtures/plans/messy-plans.js'

let t: TestApp
let f: Fixtures
let dir: string
let partnershipName: string
const files = { messy: '', formula: '', csv: '', text: '' }

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  partnershipName = (
    await transaction(t.services.db, 'system', (trx) =>
      trx.selectFrom('partnership').select('name').where('id', '=', f.partnershipId).executeTakeFirstOrThrow(),
    )
  ).name
  dir = await mkdtemp(path.join(tmpdir(), 'hsb-plan-'))
  files.messy = path.join(dir, 'messy.xlsx')
  files.formula = path.join(dir, 'formula.xlsx')
  files.csv = path.join(dir, 'plan.csv')
  files.text = path.join(dir, 'notes.txt')
  await writeFile(files.messy, await messyWorkbook())
  await writeFile(files.formula, await messyWorkbook({ formulaIn: 'H9' }))
  await writeFile(files.csv, csvPlan())
  await writeFile(files.text, 'Just some notes\nNothing like a plan\n')
}, 120_000)
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
  await t.close()
})

async function run(args: Partial<Parameters<typeof importActionPlan>[1]> & { file: string; review: string }) {
  const out: string[] = []
  const err: string[] = []
  const code = await importActionPlan(
    t.services,
    { dryRun: false, map: [], partnership: partnershipName, ...args },
    { say: (s) => out.push(s), complain: (s) => err.push(s) },
  )
  return { code, json: out.length ? JSON.parse(out.join('\n')) : null, stderr: err.join('\n') }
}

const reviewActions = (name: string) =>
  transaction(t.services.db, 'system', (trx) =>
    trx
      .selectFrom('reviewAction')
      .innerJoin('review', 'review.id', 'reviewAction.reviewId')
      .select(['reviewAction.rag', 'review.kind'])
      .where('review.name', '=', name)
      .where('review.partnershipId', '=', f.partnershipId)
      .execute(),
  )

describe('import-action-plan on the command line', () => {
  it('summarises a messy plan as JSON, lists the unknown RAG words, and exits 1 saving nothing', async () => {
    const res = await run({ file: files.messy, review: 'CLI rapid review' })
    expect(res.code).toBe(1)
    expect(res.json).toMatchObject({
      saved: false,
      reviewExists: false,
      file: 'XLSX',
      counts: MESSY_COUNTS,
      ragAsWritten: MESSY_RAG_AS_WRITTEN,
      unmappedRagWords: ['P', 'Pending'],
    })
    expect(res.json.unknownRagWords).toEqual([
      { word: 'P', rows: [7, 13], mappedTo: null },
      { word: 'Pending', rows: [12], mappedTo: null },
    ])
    expect(res.json.ragAsMapped).toEqual({ COMPLETED: 2, GREEN: 1, UNMAPPED: 3, AMBER: 1, NONE: 1, RED: 1 })
    expect(res.stderr).toContain('--map "P=amber"')
    expect(await reviewActions('CLI rapid review')).toEqual([])
  })

  it('saves nothing on a dry run, even when everything is mapped', async () => {
    const res = await run({ file: files.messy, review: 'CLI rapid review', dryRun: true, map: ['P=amber', 'pending=Red'] })
    expect(res.code).toBe(0)
    expect(res.json).toMatchObject({
      dryRun: true,
      saved: false,
      unmappedRagWords: [],
      ragAsMapped: { COMPLETED: 2, GREEN: 1, AMBER: 3, NONE: 1, RED: 2 },
    })
    expect(res.json.unknownRagWords).toEqual([
      { word: 'P', rows: [7, 13], mappedTo: 'AMBER' },
      { word: 'Pending', rows: [12], mappedTo: 'RED' },
    ])
    expect(await reviewActions('CLI rapid review')).toEqual([])
  })

  it('creates the review (kind Other) and imports the plan; a second run adds nothing', async () => {
    const first = await run({
      file: files.messy,
      review: 'CLI rapid review',
      map: ['P=amber', 'Pending=red'],
      as: f.users.PARTNERSHIP_BUSINESS_MANAGER.email,
    })
    expect(first.code).toBe(0)
    expect(first.json).toMatchObject({ saved: true, reviewCreated: true, created: { ...MESSY_COUNTS } })
    const saved = await reviewActions('CLI rapid review')
    expect(saved).toHaveLength(9)
    expect(saved.every((a) => a.kind === 'OTHER')).toBe(true)
    const second = await run({ file: files.messy, review: 'cli RAPID review', map: ['P=amber', 'Pending=red'] })
    expect(second.code).toBe(0)
    expect(second.json).toMatchObject({
      saved: true,
      reviewCreated: false,
      created: { findings: 0, questions: 0, agencies: 0, actions: 0 },
      unchanged: MESSY_COUNTS,
    })
    expect(await reviewActions('CLI rapid review')).toHaveLength(9)
  })

  it('maps a word to no status with "none", and reads CSV', async () => {
    const res = await run({ file: files.csv, review: 'CLI thematic audit', map: ['TBC=none'] })
    expect(res.code).toBe(0)
    expect(res.json).toMatchObject({
      file: 'CSV',
      counts: { findings: 1, questions: 1, agencies: 3, actions: 3 },
      ragAsWritten: { Green: 1, TBC: 1, R: 1 },
      ragAsMapped: { GREEN: 1, NONE: 1, RED: 1 },
    })
  })

  it('exits 1 on problems in the file, and refuses what is not a plan', async () => {
    const formula = await run({ file: files.formula, review: 'CLI formula review', map: ['P=amber', 'Pending=red'] })
    expect(formula.code).toBe(1)
    expect(formula.json.problems).toEqual([
      { row: 9, severity: 'error', text: 'Row 9: cell H9 holds a formula. Replace it with its value and import again.' },
    ])
    expect(await reviewActions('CLI formula review')).toEqual([])
    const text = await run({ file: files.text, review: 'CLI formula review' })
    expect(text.code).toBe(1)
    expect(text.stderr).toContain('No header row was found.')
  })

  it('refuses a bad --map, an unknown partnership and a missing file as usage errors', async () => {
    expect((await run({ file: files.csv, review: 'X', map: ['TBC=purple'] })).code).toBe(2)
    expect((await run({ file: files.csv, review: 'X', partnership: 'No such partnership' })).code).toBe(2)
    expect((await run({ file: path.join(dir, 'missing.csv'), review: 'X' })).code).toBe(2)
  })

  it('takes an extract larger than the web allows, saving it in batches: every action with one history row, in order, and a second import adds nothing', async () => {
    // 6,000 rows: over the web's 5,000-row limit and over three of the importer's 2,000-action batches.
    const agencies = ['Police', 'Health', 'School']
    const lines = ['Finding,Questions,Agency,Response,Actions,RAG,Target Date/Evidence,Lead Person']
    for (let i = 0; i < 6000; i++) {
      const q = Math.floor(i / 600) + 1
      lines.push(
        `1. Extract theme,1.${q} Agencies should act on ${q},${agencies[Math.floor(i / 200) % 3]},Accepted,Bulk action ${i + 1},${i % 2 ? 'Green' : 'Amber'},31/03/2027,Officer ${i % 7}`,
      )
    }
    const file = path.join(dir, 'extract.csv')
    await writeFile(file, lines.join('\n'))
    const res = await run({ file, review: 'CLI extract' })
    expect(res.stderr).toBe('')
    expect(res.code).toBe(0)
    expect(res.json).toMatchObject({ saved: true, counts: { findings: 1, questions: 10, actions: 6000 }, created: { actions: 6000 } })
    const rows = await transaction(t.services.db, 'system', (trx) =>
      trx
        .selectFrom('reviewAction as a')
        .innerJoin('review as r', 'r.id', 'a.reviewId')
        .innerJoin('reviewResponse as s', 's.id', 'a.responseId')
        .leftJoin('reviewActionVersion as v', 'v.actionId', 'a.id')
        .select([
          'a.text',
          'a.position',
          'a.rag',
          'a.targetDate',
          'a.leadText',
          's.id as responseId',
          'v.version',
          'v.change',
          'v.position as versionPosition',
        ])
        .where('r.name', '=', 'CLI extract')
        .orderBy('s.id')
        .orderBy('a.position')
        .execute(),
    )
    expect(rows).toHaveLength(6000)
    expect(rows.every((r) => r.version === 1 && r.change === 'IMPORTED' && r.versionPosition === r.position)).toBe(true)
    // Positions run 1..200 within each of the 30 responses, in the file's order.
    const byResponse = new Map<string, typeof rows>()
    for (const r of rows) byResponse.set(r.responseId, [...(byResponse.get(r.responseId) ?? []), r])
    expect(byResponse.size).toBe(30)
    for (const actions of byResponse.values()) {
      expect(actions.map((a) => a.position)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1))
      const numbers = actions.map((a) => Number(a.text.replace('Bulk action ', '')))
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b))
    }
    expect(rows.find((r) => r.text === 'Bulk action 2')).toMatchObject({
      rag: 'GREEN',
      targetDate: new Date('2027-03-31T00:00:00Z'),
      leadText: 'Officer 1',
    })
    // Questions and responses are written in batches too, each with its first history row.
    const history = await transaction(t.services.db, 'system', (trx) =>
      trx
        .selectFrom('reviewItemVersion as h')
        .innerJoin('review as r', 'r.id', 'h.reviewId')
        .select(['h.itemType', 'h.itemId', 'h.parentId', 'h.data'])
        .where('r.name', '=', 'CLI extract')
        .execute(),
    )
    const ofType = (type: string) => history.filter((h) => h.itemType === type)
    expect([ofType('FINDING').length, ofType('QUESTION').length, ofType('RESPONSE').length]).toEqual([1, 10, 30])
    expect(ofType('QUESTION').map((h) => h.data)).toContainEqual({ code: '1.3', text: 'Agencies should act on 3' })
    expect(new Set(ofType('RESPONSE').map((h) => h.itemId))).toEqual(new Set(byResponse.keys()))
    expect(
      ofType('RESPONSE').every(
        (h) => (h.data as { response: string }).response === 'Accepted' && ofType('QUESTION').some((q) => q.itemId === h.parentId),
      ),
    ).toBe(true)
    const again = await run({ file, review: 'CLI extract' })
    expect(again.json).toMatchObject({ saved: true, created: { actions: 0 }, unchanged: { actions: 6000 } })
  }, 120_000)
})
