import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'
import { zipOf } from '../support/ssd-extract.js'

/** Issue 16: the administration pages (upload → check → import) and the analyst's download. */
let t: TestApp
let f: Fixtures
let lead: TestAgent
let analyst: TestAgent
let token: string

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  lead = await signIn(t, f.users.HSB_LEAD)
  analyst = await signIn(t, f.users.ANALYST)
  token = await csrfFor(lead)
})
afterAll(async () => t.close())

const EXTRACT = zipOf([
  {
    name: 'extract/ssd_person.csv',
    data: 'pers_person_id,pers_forename,pers_surname,pers_dob\nW1,"=HYPERLINK(""x"")",Marsh,2012-02-02\nW2,Orla,Fenwick,2011-03-03\nW3,Orla,Fenwick,2011-03-03',
  },
  {
    name: 'extract/ssd_cin_episodes.csv',
    data: 'cine_referral_id,cine_person_id,cine_referral_date,cine_referral_team\nWR1,W1,2024-06-01,T9\nWR2,W2,2023-06-01,T1\nWR3,W3,2023-06-01,T1\nWR4,W404,2023-06-01,T1',
  },
  {
    name: 'extract/ssd_cin_assessments.csv',
    data: 'cina_assessment_id,cina_person_id,cina_referral_id,cina_assessment_start_date,cina_assessment_auth_date\nWA1,W1,WR1,2024-06-02,2024-07-01',
  },
  {
    name: 'extract/ssd_assessment_factors.csv',
    data: 'cinf_table_id,cinf_assessment_id,cinf_assessment_factors_json\nWF1,WA1,"[""19B""]"',
  },
])

const upload = (bytes: Buffer, name = 'extract.zip', laCode = '') =>
  lead.post('/admin/ssd-import').field('_csrf', token).field('laCode', laCode).attach('extract', bytes, name)

describe('importing through the pages', () => {
  let importId: string

  it('uploads, and shows what the extract holds before anything is saved', async () => {
    const res = await upload(EXTRACT, 'extract.zip', '845')
    expect(res.status).toBe(302)
    importId = /\/admin\/ssd-import\/([0-9a-f-]{36})$/.exec(res.headers.location!)![1]!
    const page = await lead.get(res.headers.location!)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Nothing has been saved yet')
    expect(page.text).toContain('Person W404 is not in ssd_person.csv')
    expect(page.text).toContain(
      'Is Orla Fenwick, born 2011-03-03 (council id W3) the same child as Orla Fenwick, born 2011-03-03 (council id W2)?',
    )
    const children = await transaction(t.services.db, 'system', (trx) =>
      trx.selectFrom('child').select('id').where('localCaseId', 'in', ['W1', 'W2', 'W3']).execute(),
    )
    expect(children).toEqual([])
  })

  it('shows the effect of choosing episodes by factor, and of deciding a match, with no person id in an address', async () => {
    const page = await lead.get(`/admin/ssd-import/${importId}?mode=RULES&factors=19B&teams=`)
    expect(page.status).toBe(200)
    expect(page.text).toContain(`formaction="/admin/ssd-import/${importId}/check"`)
    expect(page.text).not.toMatch(/href="[^"]*W[23]/)
    const decided = await lead
      .post(`/admin/ssd-import/${importId}/check`)
      .type('form')
      .send({ _csrf: token, mode: 'ALL', factors: '', teams: '', 'match-W3': 'SEPARATE' })
    expect(decided.status).toBe(200)
    expect(decided.text).toMatch(
      /Children held until a possible match is decided\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*0\s*</,
    )
    expect(decided.text).toMatch(/value="SEPARATE" checked/)
    expect(page.text).toMatch(/Episodes chosen\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*1\s*</)
    expect(page.text).toContain('value="19B"')
  })

  it('shows the figures first when a choice changed since they were worked out, importing nothing', async () => {
    const res = await lead
      .post(`/admin/ssd-import/${importId}`)
      .type('form')
      .send({ _csrf: token, checked: 'ALL', mode: 'RULES', factors: '19B', teams: '' })
    expect(res.status).toBe(409)
    expect(res.text).toContain('You changed your choices: these are the figures for them')
    expect(res.text).toContain('name="checked" value="RULES|19B|"')
    const none = await transaction(t.services.db, 'system', (trx) =>
      trx.selectFrom('child').select('id').where('partnershipId', '=', f.partnershipId).where('localCaseId', '=', 'W1').execute(),
    )
    expect(none).toEqual([])
  })

  it('imports what was chosen, recorded as the person who ran it, and shows the result', async () => {
    const res = await lead
      .post(`/admin/ssd-import/${importId}`)
      .type('form')
      .send({ _csrf: token, checked: 'RULES|19B|', mode: 'RULES', factors: '19B', teams: '', 'match-W3': '' })
    expect(res.status).toBe(302)
    const page = await lead.get(`/admin/ssd-import/${importId}`)
    expect(page.text).toContain('Imported')
    const created = await transaction(t.services.db, 'system', (trx) =>
      trx
        .selectFrom('child')
        .select(['localCaseId', 'createdBy'])
        .where('partnershipId', '=', f.partnershipId)
        .where('localCaseId', 'in', ['W1', 'W2', 'W3'])
        .execute(),
    )
    expect(created).toEqual([{ localCaseId: 'W1', createdBy: f.users.HSB_LEAD.id }])
    // Sending the same form again (Back and resend) imports nothing more.
    const again = await lead
      .post(`/admin/ssd-import/${importId}`)
      .type('form')
      .send({ _csrf: token, checked: 'RULES|19B|', mode: 'RULES', factors: '19B', teams: '' })
    expect(again.status).toBe(409)
    expect(again.text).toContain('already been applied')
  })

  it('refuses what it cannot read, saying why beside the field, with the code typed kept', async () => {
    const notZip = await upload(Buffer.from('not a zip at all'), 'extract.zip', '84')
    expect(notZip.status).toBe(400)
    expect(notZip.text).toContain('Enter the local authority code as three digits')
    expect(notZip.text).toContain('value="84"')
    const slip = await upload(zipOf([{ name: '../ssd_person.csv', data: 'pers_person_id\nX' }]))
    expect(slip.status).toBe(400)
    expect(slip.text).toContain('There is a problem')
    const none = await lead.post('/admin/ssd-import').field('_csrf', token).field('laCode', '')
    expect(none.status).toBe(400)
    expect(none.text).toContain('Select the extract')
  })
})

describe('the analyst’s download', () => {
  it('gives the SSD CSV files with spreadsheet formulas escaped and the DfE payload, each download audited', async () => {
    const page = await analyst.get('/insight/ssd-export')
    expect(page.status).toBe(200)
    expect(page.text).toContain('OFFICIAL-SENSITIVE')
    const csv = await analyst.get('/insight/ssd-export/ssd_person.csv')
    expect(csv.status).toBe(200)
    expect(csv.headers['content-type']).toContain('text/csv')
    expect(csv.text).toContain(`"'=HYPERLINK(""x"")"`)
    const json = await analyst.get('/insight/ssd-export/dfe-csc-payload.json')
    expect(json.status).toBe(200)
    expect(JSON.parse(json.text).Children.length).toBeGreaterThan(0)
    expect((await analyst.get('/insight/ssd-export/..%2Fsecrets.csv')).status).toBe(404)
    const audited = await transaction(t.services.db, 'system', (trx) =>
      trx
        .selectFrom('auditLog')
        .select('action')
        .where('userId', '=', f.users.ANALYST.id)
        .where('action', 'in', ['ssd:export', 'child:export'])
        .execute(),
    )
    expect(audited.filter((a) => a.action === 'ssd:export')).toHaveLength(2)
    expect(audited.filter((a) => a.action === 'child:export').length).toBeGreaterThan(1)
  })
})
