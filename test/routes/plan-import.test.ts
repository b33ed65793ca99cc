import request from 'supertest'
import { unmaskToken } from '../../src/platform/http/csrf.js'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reviewsRepository } from '../../src/features/reviews/reviews.repository.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFor, csrfFrom, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'
import { largeWorkbook } from '../fixtures/plans/large-workbook.js'
import { csvPlan, messyWorkbook, MESSY_COUNTS } from '../fixtures/plans/messy-plans.js'

let t: TestApp
let f: Fixtures
let manager: TestAgent
let token: string
let reviewCount = 0

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  manager = await signIn(t, f.users.PARTNERSHIP_BUSINESS_MANAGER)
  token = await csrfFor(manager)
}, 120_000)
afterAll(async () => t.close())

const asSystem = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)

async function newReview(): Promise<string> {
  return transaction(t.services.db, { partnershipId: f.partnershipId }, (trx) =>
    reviewsRepository().insertReview(trx, {
      partnershipId: f.partnershipId,
      kind: 'RAPID_REVIEW',
      name: `Fixture rapid review ${++reviewCount}`,
      reviewDate: null,
      createdBy: f.users.PARTNERSHIP_BUSINESS_MANAGER.id,
      at: new Date(),
    }),
  )
}

/** As the form sends it: the token a field of the multipart body, before the file (never in the address). */
async function upload(reviewId: string, bytes: Buffer | string, name = 'plan.xlsx') {
  return manager
    .post(`/reviews/${reviewId}/import`)
    .field('_csrf', token)
    .attach('plan', typeof bytes === 'string' ? Buffer.from(bytes) : bytes, name)
}

async function actionsOf(reviewId: string) {
  return asSystem((trx) =>
    trx
      .selectFrom('reviewAction')
      .select(['text', 'rag', 'targetDate', 'targetText', 'evidence', 'leadText'])
      .where('reviewId', '=', reviewId)
      .execute(),
  )
}

const confirm = (reviewId: string, uploadId: string, fields: Record<string, string> = {}) =>
  manager
    .post(`/reviews/${reviewId}/import/${uploadId}`)
    .type('form')
    .send({ _csrf: token, ...fields })

describe('importing a messy workbook', () => {
  let reviewId: string
  let uploadId: string

  beforeAll(async () => {
    reviewId = await newReview()
  })

  it('keeps the upload and shows a preview with every count and the unknown RAG words', async () => {
    const res = await upload(reviewId, await messyWorkbook())
    expect(res.status).toBe(302)
    uploadId = /\/import\/([0-9a-f-]{36})$/.exec(res.headers.location as string)![1]!
    const page = await manager.get(res.headers.location as string)
    expect(page.status).toBe(200)
    const counts = /data-qa="import-counts"[\s\S]*?<\/dl>/.exec(page.text)![0].replace(/\s+/g, ' ')
    expect(counts).toMatch(/Findings <\/dt> <dd class="govuk-summary-list__value"> 2 /)
    expect(counts).toMatch(/Questions or recommendations <\/dt> <dd class="govuk-summary-list__value"> 3 /)
    expect(counts).toMatch(/Agencies <\/dt> <dd class="govuk-summary-list__value"> 4 /)
    expect(counts).toMatch(/Actions <\/dt> <dd class="govuk-summary-list__value"> 9 /)
    expect(page.text).toContain('“P” (rows 7, 13)')
    expect(page.text).toContain('“Pending” (row 12)')
    expect(page.text).toContain('name="map-0"')
    expect(page.text).toContain('name="map-1"')
    expect(await actionsOf(reviewId)).toEqual([])
  })

  it('saves nothing while an unknown RAG word is unmapped, and keeps the upload', async () => {
    const none = await confirm(reviewId, uploadId)
    expect(none.status).toBe(400)
    expect(none.text).toContain('Choose what “P” means in the RAG key')
    const one = await confirm(reviewId, uploadId, { 'map-0': 'AMBER' })
    expect(one.status).toBe(400)
    expect(one.text).toContain('Choose what “Pending” means in the RAG key')
    expect(one.text).not.toContain('Choose what “P” means in the RAG key')
    expect(await actionsOf(reviewId)).toEqual([])
    expect((await manager.get(`/reviews/${reviewId}/import/${uploadId}`)).status).toBe(200)
  })

  it('saves the whole plan once every word is mapped', async () => {
    const res = await confirm(reviewId, uploadId, { 'map-0': 'AMBER', 'map-1': 'RED' })
    expect(res.status).toBe(302)
    expect(res.headers.location).toBe(`/reviews/${reviewId}/import`)
    const after = await manager.get(res.headers.location as string)
    expect(after.text).toContain('9 new actions, 3 new questions and 2 new findings. 0 actions were already in the review.')
    const actions = await actionsOf(reviewId)
    expect(actions).toHaveLength(MESSY_COUNTS.actions)
    const byRag = actions.reduce<Record<string, number>>((acc, a) => ({ ...acc, [a.rag ?? 'NONE']: (acc[a.rag ?? 'NONE'] ?? 0) + 1 }), {})
    expect(byRag).toEqual({ COMPLETED: 2, GREEN: 1, AMBER: 3, RED: 2, NONE: 1 })
    const wrapped = actions.find((a) => a.text === 'Update the\nbriefing pack')!
    expect(wrapped).toMatchObject({ rag: 'GREEN', targetText: 'End of Q3', targetDate: null })
    const audit = actions.find((a) => a.text === 'Audit of referrals')!
    expect(audit).toMatchObject({ rag: 'AMBER', evidence: 'Audit report to the board', targetText: null })
    expect(audit.targetDate!.toISOString().slice(0, 10)).toBe('2026-06-30')
    const agencies = await asSystem((trx) =>
      trx
        .selectFrom('reviewResponse')
        .innerJoin('agency', 'agency.id', 'reviewResponse.agencyId')
        .select('agency.name')
        .where('reviewId', '=', reviewId)
        .execute(),
    )
    expect(new Set(agencies.map((a) => a.name)).size).toBe(MESSY_COUNTS.agencies)
    // The upload is gone once imported.
    expect((await manager.get(`/reviews/${reviewId}/import/${uploadId}`)).status).toBe(404)
  })

  it('adds nothing when the same file is imported again', async () => {
    const res = await upload(reviewId, await messyWorkbook())
    const again = /\/import\/([0-9a-f-]{36})$/.exec(res.headers.location as string)![1]!
    const done = await confirm(reviewId, again, { 'map-0': 'AMBER', 'map-1': 'RED' })
    expect(done.status).toBe(302)
    const after = await manager.get(done.headers.location as string)
    expect(after.text).toContain('0 new actions, 0 new questions and 0 new findings. 9 actions were already in the review.')
    expect(await actionsOf(reviewId)).toHaveLength(MESSY_COUNTS.actions)
  })
})

describe('problems in a file', () => {
  it('lists a formula cell by its address, offers no import, and refuses one all the same', async () => {
    const reviewId = await newReview()
    const res = await upload(reviewId, await messyWorkbook({ formulaIn: 'G12' }))
    expect(res.status).toBe(302)
    const page = await manager.get(res.headers.location as string)
    expect(page.text).toContain('Row 12: cell G12 holds a formula.')
    expect(page.text).not.toContain('data-qa="confirm-import"')
    const uploadId = /\/import\/([0-9a-f-]{36})$/.exec(res.headers.location as string)![1]!
    const refused = await confirm(reviewId, uploadId, { 'map-0': 'AMBER', 'map-1': 'RED' })
    expect(refused.status).toBe(400)
    expect(refused.text).toContain('Nothing has been saved.')
    expect(await actionsOf(reviewId)).toEqual([])
  })

  it('saves none of a CSV whose question code is reused with other text, though its other rows are fine', async () => {
    const reviewId = await newReview()
    const res = await upload(reviewId, csvPlan({ conflict: true }), 'plan.csv')
    const page = await manager.get(res.headers.location as string)
    expect(page.text).toContain('Row 4: question 1a has different text from row 2.')
    const uploadId = /\/import\/([0-9a-f-]{36})$/.exec(res.headers.location as string)![1]!
    expect((await confirm(reviewId, uploadId, { 'map-0': 'GREEN' })).status).toBe(400)
    expect(await actionsOf(reviewId)).toEqual([])
  })

  it('imports a clean CSV with other header words, a Finding column and a wrapped cell', async () => {
    const reviewId = await newReview()
    const res = await upload(reviewId, csvPlan(), 'plan.csv')
    const uploadId = /\/import\/([0-9a-f-]{36})$/.exec(res.headers.location as string)![1]!
    const preview = await manager.get(res.headers.location as string)
    expect(preview.text).toContain('“TBC” (row 3)')
    expect((await confirm(reviewId, uploadId, { 'map-0': 'NONE' })).status).toBe(302)
    const actions = await actionsOf(reviewId)
    expect(actions.map((a) => [a.text, a.rag]).sort()).toEqual([
      ['Assemblies in\nall secondary schools', null],
      ['GP training', 'RED'],
      ['Train response officers', 'GREEN'],
    ])
  })

  it.each([
    ['an empty file', '', 'The file is empty.'],
    ['a PDF', Buffer.from('%PDF-1.4\n\u0000\u0001binary'), 'The file must be a CSV or an Excel workbook (.xlsx).'],
    ['an old Excel file', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]), 'The file is an older Excel workbook (.xls).'],
    ['a zip that is not a workbook', Buffer.from('PK\u0003\u0004 not really a zip'), 'The file is not an Excel workbook that can be read.'],
    ['a CSV with no recognisable header', 'Name,Date\nSomething,1/1/2026\n', 'No header row was found.'],
  ])('refuses %s with a clear message, saving nothing', async (_label, bytes, message) => {
    const reviewId = await newReview()
    const res = await upload(reviewId, bytes)
    expect(res.status).toBe(400)
    expect(res.text).toContain(message)
    expect(res.text).toContain('There is a problem')
    const uploads = await asSystem((trx) => trx.selectFrom('actionPlanUpload').select('id').where('reviewId', '=', reviewId).execute())
    expect(uploads).toEqual([])
  })

  it('refuses a file over 5 MB and a form with no file', async () => {
    const reviewId = await newReview()
    const big = await upload(reviewId, Buffer.alloc(5 * 1024 * 1024 + 10, 'a'), 'plan.csv')
    expect(big.status).toBe(413)
    expect(big.text).toContain('The file is larger than 5 MB.')
    const none = await manager.post(`/reviews/${reviewId}/import`).type('form').send({ _csrf: token })
    expect(none.status).toBe(400)
    expect(none.text).toContain('Choose a CSV or Excel (.xlsx) file to upload.')
  })

  it('refuses an upload without the form’s token, or with it only in the address', async () => {
    const reviewId = await newReview()
    const res = await manager.post(`/reviews/${reviewId}/import`).attach('plan', Buffer.from(csvPlan()), 'plan.csv')
    expect(res.status).toBe(403)
    const inAddress = await manager
      .post(`/reviews/${reviewId}/import?_csrf=${encodeURIComponent(token)}`)
      .attach('plan', Buffer.from(csvPlan()), 'plan.csv')
    expect(inAddress.status).toBe(403)
    const wrong = await manager
      .post(`/reviews/${reviewId}/import`)
      .field('_csrf', 'not-the-token')
      .attach('plan', Buffer.from(csvPlan()), 'plan.csv')
    expect(wrong.status).toBe(403)
    expect(await actionsOf(reviewId)).toEqual([])
  })

  it('reads a multipart body only on an upload route, for someone the route lets in', async () => {
    const reviewId = await newReview()
    // With a good token in the body: another route refuses it unread (its token is never found), not acting on it.
    const elsewhere = await manager.post('/sign-out').field('_csrf', token).attach('plan', Buffer.from(csvPlan()), 'plan.csv')
    expect(elsewhere.status).toBe(403)
    expect((await manager.get(`/reviews/${reviewId}/import`)).status).toBe(200) // still signed in
    // A role the import refuses: its body is not read either (refused before the route, whose guard would refuse it too).
    const lead = await signIn(t, f.users.AGENCY_LEAD)
    const leadToken = await csrfFor(lead)
    const refused = await lead
      .post(`/reviews/${reviewId}/import`)
      .field('_csrf', leadToken)
      .attach('plan', Buffer.from(csvPlan()), 'plan.csv')
    expect(refused.status).toBe(403)
    expect(await actionsOf(reviewId)).toEqual([])
    const registry = t.registry
    const req = (actor: unknown, path: string) => ({ method: 'POST', path, actor }) as unknown as Parameters<typeof registry.mayUpload>[0]
    const managerActor = {
      ...f.users.PARTNERSHIP_BUSINESS_MANAGER,
      partnershipId: f.partnershipId,
      teamIds: [],
      roles: ['PARTNERSHIP_BUSINESS_MANAGER'],
    }
    const leadActor = { ...managerActor, roles: ['AGENCY_LEAD'] }
    expect(registry.mayUpload(req(managerActor, `/reviews/${reviewId}/import`))).toBe(true)
    expect(registry.mayUpload(req(leadActor, `/reviews/${reviewId}/import`))).toBe(false)
    expect(registry.mayUpload(req(managerActor, '/sign-out'))).toBe(false)
    expect(registry.mayUpload(req(managerActor, `/reviews/${reviewId}/import/extra`))).toBe(false)
    expect(registry.mayUpload(req(undefined, `/reviews/${reviewId}/import`))).toBe(false)
  })

  it('has a form that sends its token in the body, not in the address', async () => {
    const reviewId = await newReview()
    const page = await manager.get(`/reviews/${reviewId}/import`)
    const form = /<form[^>]*data-qa="import-upload-form"[^>]*>/.exec(page.text)![0]
    expect(form).toContain(`action="/reviews/${reviewId}/import"`)
    expect(form).not.toContain('_csrf')
    expect(page.text).toMatch(/<form[^>]*data-qa="import-upload-form"[^>]*>\s*<input type="hidden" name="_csrf" value="[^"]+">/)
  })

  it('is for the business manager only', async () => {
    const reviewId = await newReview()
    const lead = await signIn(t, f.users.AGENCY_LEAD)
    expect((await lead.get(`/reviews/${reviewId}/import`)).status).toBe(403)
    const page = await manager.get(`/reviews/${reviewId}/import`)
    expect(page.status).toBe(200)
    // The session's token, masked afresh for this page.
    expect(unmaskToken(csrfFrom(page.text))).toBe(unmaskToken(token))
  })
})

describe('an exported workbook imports back to the same plan', () => {
  const tricky = [
    'Finding,Questions,Agency,Response,Actions,RAG,Constraints/Problems,Target Date/Evidence,Lead Person,Desired Outcome',
    '3. Escaping,3a Tricky cells,Police,"- we agree",+ weekly huddles,Completed,"@ risk: staffing","End of Q3\n(provisional)",DI Grey,',
    ',,Police,,Second action,,,"Spring term\n\nMinutes of the subgroup",,"Better\noutcomes"',
    ',,Health,Nothing to add,,,,,,',
    ',3b No responses yet,,,,,,,,',
  ].join('\r\n')

  async function importInto(reviewId: string, bytes: Buffer | string, name: string, fields: Record<string, string> = {}) {
    const res = await upload(reviewId, bytes, name)
    expect(res.status, name).toBe(302)
    const uploadId = /\/import\/([0-9a-f-]{36})$/.exec(res.headers.location as string)![1]!
    const done = await confirm(reviewId, uploadId, fields)
    expect(done.status, name).toBe(302)
  }

  async function planOf(reviewId: string) {
    const { buildPlan } = await import('../../src/features/reviews/reviews.rules.js')
    const state = await asSystem((trx) => reviewsRepository().currentPlan(trx, reviewId))
    return buildPlan(state.items, state.actions, '2026-01-01').map((f) => ({
      number: f.number,
      title: f.title,
      questions: f.questions.map((q) => ({
        code: q.code,
        text: q.text,
        responses: q.responses.map((r) => ({
          agencyName: r.agencyName,
          response: r.response,
          actions: r.actions.map((a) => ({
            text: a.text,
            rag: a.rag,
            constraints: a.constraints,
            targetDate: a.targetDate,
            targetText: a.targetText,
            evidence: a.evidence,
            leadText: a.leadText,
            desiredOutcome: a.desiredOutcome,
          })),
        })),
      })),
    }))
  }

  it('round-trips the messy plan and tricky cells through the reviews XLSX export', async () => {
    const source = await newReview()
    await importInto(source, await messyWorkbook(), 'messy.xlsx', { 'map-0': 'AMBER', 'map-1': 'RED' })
    await importInto(source, tricky, 'tricky.csv')
    const original = await planOf(source)
    expect(original.map((f) => f.number)).toEqual(['1', '2', '3'])
    const none = { rag: null, constraints: null, targetDate: null, targetText: null, evidence: null, leadText: null, desiredOutcome: null }
    expect(original[2]).toEqual({
      number: '3',
      title: 'Escaping',
      questions: [
        {
          code: '3a',
          text: 'Tricky cells',
          responses: [
            { agencyName: 'Health', response: 'Nothing to add', actions: [] },
            {
              agencyName: 'Police',
              response: '- we agree',
              actions: [
                {
                  ...none,
                  text: '+ weekly huddles',
                  rag: 'COMPLETED',
                  constraints: '@ risk: staffing',
                  targetText: 'End of Q3\n(provisional)',
                  leadText: 'DI Grey',
                },
                {
                  ...none,
                  text: 'Second action',
                  targetText: 'Spring term',
                  evidence: 'Minutes of the subgroup',
                  desiredOutcome: 'Better\noutcomes',
                },
              ],
            },
          ],
        },
        { code: '3b', text: 'No responses yet', responses: [] },
      ],
    })

    const exported = await manager
      .get(`/reviews/${source}/report.xlsx?asAt=${new Date().toISOString().slice(0, 10)}`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => cb(null, Buffer.concat(chunks)))
      })
    expect(exported.status).toBe(200)
    const copy = await newReview()
    await importInto(copy, exported.body as Buffer, 'export.xlsx')
    expect(await planOf(copy)).toEqual(original)
  })
})

describe('a crafted spreadsheet', () => {
  it('refuses a 200,000-row workbook with the row limit, while other pages keep answering', async () => {
    const reviewId = await newReview()
    const bytes = await largeWorkbook(200_000)
    expect(bytes.length).toBeLessThan(5 * 1024 * 1024)
    const [imported, health, page] = await Promise.all([
      upload(reviewId, bytes, 'plan.xlsx'),
      request(t.app).get('/health'),
      manager.get(`/reviews/${reviewId}/import`),
    ])
    expect(imported.status).toBe(400)
    expect(imported.text).toContain('The file must have 5,000 rows or fewer.')
    expect(health.status).toBe(200)
    expect(page.status).toBe(200)
    expect(await actionsOf(reviewId)).toEqual([])
    const kept = await asSystem((trx) => trx.selectFrom('actionPlanUpload').select('id').where('reviewId', '=', reviewId).execute())
    expect(kept).toEqual([])
  }, 120_000)
})
