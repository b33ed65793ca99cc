import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ShownFigure } from '../../src/features/insight/insight.figures.js'
import { validatePayload } from '../../src/features/ssd-import/ssd-export.payload.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'

/**
 * Issue 16: imported years show on the dashboard in their financial years; the export validates
 * against the payload schema; exporting and importing into an empty database gives the same figures.
 */
const PEOPLE = [
  'pers_person_id,pers_forename,pers_surname,pers_dob,pers_sex,pers_ethnicity',
  'P1,Rowan,Ashby,2011-01-01,M,WBRI',
  'P2,Linden,Ashby,2012-02-02,F,WBRI',
  'P3,Sorrel,Blythe,2010-03-03,F,AIND',
  'P4,Tamsin,Coyle,2013-04-04,F,BAFR',
  'P5,Idris,Dunmore,2009-05-05,M,MWBA',
].join('\n')
const EPISODES = [
  'cine_referral_id,cine_person_id,cine_referral_date,cine_referral_source_code,cine_close_date,cine_close_reason',
  'E1,P1,2022-05-01,2A,2022-09-01,RC8',
  'E2,P2,2023-01-10,6,2023-06-01,RC7',
  'E3,P3,2023-04-01,3B,,',
  'E4,P4,2024-03-31,5A,2024-08-01,RC8',
  'E5,P5,2024-06-15,6,,',
  'E6,P1,2024-11-11,2A,,',
].join('\n')
const S47 = [
  's47e_s47_enquiry_id,s47e_referral_id,s47e_person_id,s47e_s47_start_date,s47e_s47_end_date',
  'S1,E1,P1,2022-05-03,2022-06-01',
  'S2,E3,P3,2023-04-04,',
  'S3,E5,P5,2024-06-16,',
  'S4,E6,P1,2024-11-12,',
].join('\n')

let a: TestApp
let b: TestApp
let fa: Fixtures
let fb: Fixtures
const dirs: string[] = []
const temp = async () => {
  const d = await mkdtemp(path.join(tmpdir(), 'ssd-rt-'))
  dirs.push(d)
  return d
}

beforeAll(async () => {
  a = await createTestApp()
  fa = await createFixtures(a.services)
  b = await createTestApp()
  fb = await createFixtures(b.services)
})
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
  await a.close()
  await b.close()
})

const YEARS = ['2022-23', '2023-24', '2024-25']
const total = (fig: ShownFigure, column = 0) => fig.rows.find((r) => r.label === 'Total')?.cells[column]?.text
async function yearFigures(t: TestApp, f: Fixtures) {
  const actor = (await t.services.auth.currentUser(f.users.HSB_LEAD.id))!
  const out: Record<string, { referrals: string | undefined; ages: string | undefined; discussions: string[] }> = {}
  for (const period of YEARS) {
    const parsed = await t.services.insight.service.dashboard.parse(actor, { period }, '2026-11-24')
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
    const view = await t.services.insight.service.dashboard.view(actor, parsed.value)
    const fig = Object.fromEntries(view.figures.map((x) => [x.id, x]))
    const strategy = fig['strategy-meetings']!
    const discussions = strategy.columns.findIndex((c) => /discussion/i.test(c.label))
    out[period] = {
      referrals: total(fig['referrals-by-rating']!),
      ages: total(fig['referrals-by-age']!),
      discussions: strategy.rows.map((r) => `${r.label}:${r.cells[discussions]?.text ?? ''}`),
    }
  }
  return out
}

describe('imported years on the dashboard, and out again', () => {
  it('counts each imported referral and strategy discussion in its financial year', async () => {
    const dir = await temp()
    await writeFile(path.join(dir, 'ssd_person.csv'), PEOPLE)
    await writeFile(path.join(dir, 'ssd_cin_episodes.csv'), EPISODES)
    await writeFile(path.join(dir, 'ssd_s47_enquiry.csv'), S47)
    const { summary } = await a.services.ssdImport.service.importExtract(
      { partnershipId: fa.partnershipId, userId: fa.users.HSB_LEAD.id, requestId: null },
      { dir },
      'extract',
      { selection: { mode: 'ALL' }, decisions: {}, dryRun: false, laCode: '845' },
    )
    // 31 March is the last day of a financial year.
    expect(summary.referralsByFinancialYear).toEqual({ '2022-23': 2, '2023-24': 2, '2024-25': 2 })
    const shown = await yearFigures(a, fa)
    expect(YEARS.map((y) => shown[y]!.referrals)).toEqual(['2', '2', '2'])
    expect(shown['2024-25']!.discussions.join(' ')).toMatch(/Total:2/)
  })

  it('exports a payload that meets the schema, and an empty database that imports the export shows the same figures', async () => {
    const before = await yearFigures(a, fa)
    const out = await a.services.ssdImport.service.exportFor({
      partnershipId: fa.partnershipId,
      userId: fa.users.ANALYST.id,
      requestId: null,
    })
    expect(validatePayload(out.payload)).toEqual({ ok: true })
    expect(out.payload.la_code).toBe(845)
    const dir = await temp()
    for (const file of out.files) await writeFile(path.join(dir, file.name), file.content)
    const { summary } = await b.services.ssdImport.service.importExtract(
      { partnershipId: fb.partnershipId, userId: fb.users.HSB_LEAD.id, requestId: null },
      { dir },
      'export',
      { selection: { mode: 'ALL' }, decisions: {}, dryRun: false },
    )
    expect(summary.rejectedCount).toBe(0)
    expect(await yearFigures(b, fb)).toEqual(before)
  })
})
