import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportSsd, importSsd } from '../../src/cli/import-ssd.js'
import { validatePayload } from '../../src/features/ssd-import/ssd-export.payload.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'
import { writeSyntheticExtract, zipFolder, type SyntheticCounts } from '../support/ssd-extract.js'

/** Issue 16: `import-ssd` and `export-ssd` on a generated messy extract: the summary says what the extract says. */
let t: TestApp
let f: Fixtures
let dir: string
let partnership: string
let counts: SyntheticCounts
const dirs: string[] = []

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  partnership = (
    await transaction(t.services.db, 'system', (trx) =>
      trx.selectFrom('partnership').select('name').where('id', '=', f.partnershipId).executeTakeFirstOrThrow(),
    )
  ).name
  dir = await mkdtemp(path.join(tmpdir(), 'ssd-cli-'))
  dirs.push(dir)
  ;({ counts } = await writeSyntheticExtract(dir, { persons: 150, seed: 7, laCode: '845', messy: true }))
}, 120_000)
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
  await t.close()
})

function io() {
  const out: string[] = []
  const err: string[] = []
  return { io: { say: (s: string) => out.push(s), complain: (s: string) => err.push(s) }, out, err }
}
const args = (extra: Partial<Parameters<typeof importSsd>[1]> = {}) => ({
  path: dir,
  partnership,
  as: f.users.HSB_LEAD.email,
  dryRun: false,
  laCode: '845',
  factors: [],
  teams: [],
  same: [],
  separate: [],
  ...extra,
})
const cases = () =>
  transaction(t.services.db, 'system', (trx) =>
    trx
      .selectFrom('ssdRecord')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('partnershipId', '=', f.partnershipId)
      .where('tableName', '=', 'ssd_cin_episodes')
      .executeTakeFirstOrThrow(),
  )

describe('import-ssd', () => {
  it('prints one JSON summary whose figures are what the extract says, the same on a dry run', async () => {
    const dry = io()
    expect(await importSsd(t.services, args({ dryRun: true }), dry.io)).toBe(0)
    expect((await cases()).n).toBe('0')
    const real = io()
    expect(await importSsd(t.services, args(), real.io)).toBe(0)
    const a = JSON.parse(dry.out.join('\n'))
    const b = JSON.parse(real.out.join('\n'))
    expect(b.children.found).toBe(counts.persons)
    expect(b.children.held).toBe(0)
    expect(b.episodes.found).toBe(counts.episodes)
    expect(b.referralsByFinancialYear).toEqual(counts.episodesByFinancialYear)
    expect(b.strategyDiscussionsByFinancialYear).toEqual(counts.s47ByFinancialYear)
    expect(b.assessments).toBe(counts.assessments)
    expect(b.contacts).toBe(counts.contacts)
    expect(b.rejectedCount).toBe(0)
    for (const key of ['children', 'episodes', 'referralsByFinancialYear', 'strategyDiscussionsByFinancialYear', 'created', 'rejected'])
      expect(b[key], key).toEqual(a[key])
    expect((await cases()).n).toBe(String(counts.episodes))
  })

  it('creates nothing when the same extract, zipped, is imported again', async () => {
    const zipDir = await mkdtemp(path.join(tmpdir(), 'ssd-cli-zip-'))
    dirs.push(zipDir)
    const zip = path.join(zipDir, 'extract.zip')
    await (await import('node:fs/promises')).writeFile(zip, await zipFolder(dir, { prefix: 'ssd/' }))
    const again = io()
    expect(await importSsd(t.services, args({ path: zip }), again.io)).toBe(0)
    const s = JSON.parse(again.out.join('\n'))
    expect(s.created).toEqual({ children: 0, cases: 0, requests: 0, strategyDiscussions: 0, events: 0 })
    expect(s.episodes.unchanged).toBe(counts.episodes)
  })

  it('chooses episodes by factor, and refuses another authority’s extract and a real run nobody is named for', async () => {
    const chosen = io()
    expect(await importSsd(t.services, args({ dryRun: true, factors: ['19B'] }), chosen.io)).toBe(0)
    expect(JSON.parse(chosen.out.join('\n')).episodes.selected).toBeLessThan(counts.episodes)
    const other = io()
    expect(await importSsd(t.services, args({ laCode: '846' }), other.io)).toBe(1)
    expect(other.err.join('\n')).toMatch(/local authority 846/)
    const nobody = io()
    const { as: _as, ...withoutPerson } = args({ laCode: '845' })
    expect(await importSsd(t.services, withoutPerson, nobody.io)).toBe(1)
    expect(nobody.err.join('\n')).toMatch(/--as EMAIL/)
    const missing = io()
    expect(await importSsd(t.services, args({ path: path.join(dir, 'nowhere') }), missing.io)).toBe(2)
  })
})

describe('export-ssd', () => {
  it('writes the SSD files and a payload that meets the schema', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'ssd-out-'))
    dirs.push(out)
    const run = io()
    expect(await exportSsd(t.services, { dir: out, partnership }, run.io)).toBe(0)
    const files = (await readdir(out)).sort()
    expect(files).toContain('ssd_person.csv')
    expect(files).toContain('dfe-csc-payload.json')
    const payload = JSON.parse(await readFile(path.join(out, 'dfe-csc-payload.json'), 'utf8'))
    expect(validatePayload(payload)).toEqual({ ok: true })
    expect(JSON.parse(run.out.join('\n')).episodes).toBeGreaterThanOrEqual(counts.episodes)
  })
})
