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
  partnershipName = (await transaction(t.services.db, 'system', (trx) => trx.selectFrom('partnership').select('name').where('id', '=', f.partnershipId).executeTakeFirstOrThrow())).name
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
  const code = await importActionPlan(t.services, { dryRun: false, map: [], partnership: partnershipName, ...args }, { say: (s) => out.push(s), complain: (s) => err.push(s) })
  return { code, json: out.length ? JSON.parse(out.join('\n')) : null, stderr: err.join('\n') }
}

const reviewActions = (name: string) =>
  transaction(t.services.db, 'system', (trx) =>
    trx.selectFrom('reviewAction').innerJoin('review', 'review.id', 'reviewAction.reviewId').select(['reviewAction.rag', 'review.kind']).where('review.name', '=', name).where('review.partnershipId', '=', f.partnershipId).execute(),
  )

describe('import-action-plan on the command line', () => {
  it('summarises a messy plan as JSON, lists the unknown RAG words, and exits 1 saving nothing', async () => {
    const res = await run({ file: files.messy, review: 'CLI rapid review' })
    expect(res.code).toBe(1)
    expect(res.json).toMatchObject({ saved: false, reviewExists: false, file: 'XLSX', counts: MESSY_COUNTS, ragAsWritten: MESSY_RAG_AS_WRITTEN, unmappedRagWords: ['P', 'Pending'] })
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
    expect(res.json).toMatchObject({ dryRun: true, saved: false, unmappedRagWords: [], ragAsMapped: { COMPLETED: 2, GREEN: 1, AMBER: 3, NONE: 1, RED: 2 } })
    expect(res.json.unknownRagWords).toEqual([
      { word: 'P', rows: [7, 13], mappedTo: 'AMBER' },
      { word: 'Pending', rows: [12], mappedTo: 'RED' },
    ])
    expect(await reviewActions('CLI rapid review')).toEqual([])
  })

  it('creates the review (kind Other) and imports the plan; a second run adds nothing', async () => {
    const first = await run({ file: files.messy, review: 'CLI rapid review', map: ['P=amber', 'Pending=red'], as: f.users.PARTNERSHIP_BUSINESS_MANAGER.email })
    expect(first.code).toBe(0)
    expect(first.json).toMatchObject({ saved: true, reviewCreated: true, created: { ...MESSY_COUNTS } })
    const saved = await reviewActions('CLI rapid review')
    expect(saved).toHaveLength(9)
    expect(saved.every((a) => a.kind === 'OTHER')).toBe(true)
    const second = await run({ file: files.messy, review: 'cli RAPID review', map: ['P=amber', 'Pending=red'] })
    expect(second.code).toBe(0)
    expect(second.json).toMatchObject({ saved: true, reviewCreated: false, created: { findings: 0, questions: 0, agencies: 0, actions: 0 }, unchanged: MESSY_COUNTS })
    expect(await reviewActions('CLI rapid review')).toHaveLength(9)
  })

  it('maps a word to no status with "none", and reads CSV', async () => {
    const res = await run({ file: files.csv, review: 'CLI thematic audit', map: ['TBC=none'] })
    expect(res.code).toBe(0)
    expect(res.json).toMatchObject({ file: 'CSV', counts: { findings: 1, questions: 1, agencies: 3, actions: 3 }, ragAsWritten: { Green: 1, TBC: 1, R: 1 }, ragAsMapped: { GREEN: 1, NONE: 1, RED: 1 } })
  })

  it('exits 1 on problems in the file, and refuses what is not a plan', async () => {
    const formula = await run({ file: files.formula, review: 'CLI formula review', map: ['P=amber', 'Pending=red'] })
    expect(formula.code).toBe(1)
    expect(formula.json.problems).toEqual([{ row: 9, severity: 'error', text: 'Row 9: cell H9 holds a formula. Replace it with its value and import again.' }])
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
})
