import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'

/**
 * A partnership's own behaviour catalogue: the HSB lead loads it by pasting a CSV file, and the
 * screening form then offers its behaviours. The behaviours here are invented test text.
 */
let t: TestApp
let f: Fixtures
let lead: TestAgent
let worker: TestAgent
let leadCsrf: string
let workerCsrf: string

const HEADER = 'tool_version,age_band,rating,behaviour'
const asSystem = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)
const items = () =>
  asSystem((trx) =>
    trx
      .selectFrom('screeningCatalogueItem')
      .select(['toolVersion', 'ageBand', 'rating', 'behaviour', 'loadedBy'])
      .where('partnershipId', '=', f.partnershipId)
      .orderBy('behaviour')
      .execute(),
  )
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? ''

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  lead = await signIn(t, f.users.HSB_LEAD)
  worker = await signIn(t, f.users.SOCIAL_WORKER)
  leadCsrf = await csrfFor(lead)
  workerCsrf = await csrfFor(worker)
}, 120_000)
afterAll(async () => t.close())

const load = (text: string) => lead.post('/screening-catalogue').type('form').send({ _csrf: leadCsrf, catalogue: text })

describe('the screening behaviour catalogue', () => {
  it('an HSB lead sees an empty catalogue, and a bad file is refused by row with nothing saved', async () => {
    const page = await lead.get('/screening-catalogue')
    expect(page.status).toBe(200)
    expect(page.text).toContain('Your partnership has not loaded a catalogue.')
    expect(page.text).toContain('Paste the file’s contents')

    const bad = `${HEADER}\nBROOK_ORIGINAL,13 to 17,AMBER,Example behaviour A (test)\nBROOK_ORIGINAL,13 to 17,PURPLE,Example behaviour B (test)\nBROOK_ORIGINAL,10 to 13,RED,Example behaviour C (test)\n`
    const res = await load(bad)
    expect(res.status).toBe(400)
    expect(res.text).toContain('There is a problem')
    expect(res.text).toContain('Row 3: rating “PURPLE” must be GREEN, AMBER or RED')
    expect(res.text).toContain('Row 4: age band “10 to 13” is not a band of BROOK_ORIGINAL')
    expect(res.text).toContain('Example behaviour B (test)') // the pasted text is kept
    expect(await items()).toEqual([])
  })

  it('an HSB lead loads a valid file; the summary counts it and the load is audited with counts only', async () => {
    const csv = [
      `\uFEFF${HEADER}`,
      'BROOK_ORIGINAL,13 to 17,GREEN,"Example behaviour A (test), with a comma"',
      'BROOK_ORIGINAL,13 to 17,RED,Example behaviour B (test)',
      'BROOK_ORIGINAL,5 to 9,AMBER,Example behaviour C (test)',
      'BROOK_2020,14 to 17,AMBER,Example behaviour D (test)',
    ].join('\r\n')
    const res = await load(csv)
    expect(res.status, res.text.slice(0, 400)).toBe(302)
    expect(res.headers.location).toBe('/screening-catalogue')
    const page = await lead.get('/screening-catalogue')
    expect(page.text).toContain('Catalogue loaded')
    expect(page.text).toContain('4 behaviours loaded')
    expect(page.text).toContain('data-qa="catalogue-summary"')
    expect(await items()).toEqual([
      {
        toolVersion: 'BROOK_ORIGINAL',
        ageBand: 'AGE_13_17',
        rating: 'GREEN',
        behaviour: 'Example behaviour A (test), with a comma',
        loadedBy: f.users.HSB_LEAD.id,
      },
      {
        toolVersion: 'BROOK_ORIGINAL',
        ageBand: 'AGE_13_17',
        rating: 'RED',
        behaviour: 'Example behaviour B (test)',
        loadedBy: f.users.HSB_LEAD.id,
      },
      {
        toolVersion: 'BROOK_ORIGINAL',
        ageBand: 'AGE_5_9',
        rating: 'AMBER',
        behaviour: 'Example behaviour C (test)',
        loadedBy: f.users.HSB_LEAD.id,
      },
      {
        toolVersion: 'BROOK_2020',
        ageBand: 'AGE_14_17',
        rating: 'AMBER',
        behaviour: 'Example behaviour D (test)',
        loadedBy: f.users.HSB_LEAD.id,
      },
    ])
    const audit = await asSystem((trx) =>
      trx.selectFrom('auditLog').select(['userId', 'outcome', 'detail']).where('action', '=', 'screening-catalogue:load').execute(),
    )
    expect(audit).toEqual([
      { userId: f.users.HSB_LEAD.id, outcome: 'ALLOWED', detail: { loaded: 4, replaced: 0, versions: 'BROOK_2020,BROOK_ORIGINAL' } },
    ])
  })

  it('a social worker cannot open or post to the page (403), and the refusal is audited', async () => {
    expect((await worker.get('/screening-catalogue')).status).toBe(403)
    const res = await worker
      .post('/screening-catalogue')
      .type('form')
      .send({ _csrf: workerCsrf, catalogue: `${HEADER}\nBROOK_ORIGINAL,5 to 9,RED,Example behaviour E (test)` })
    expect(res.status).toBe(403)
    expect(await items()).toHaveLength(4)
    // Refused by role at the route, before the service: audited with the route.
    const denied = await asSystem((trx) =>
      trx
        .selectFrom('auditLog')
        .select(['action', 'recordId'])
        .where('userId', '=', f.users.SOCIAL_WORKER.id)
        .where('outcome', '=', 'DENIED')
        .where('recordType', '=', 'route')
        .execute(),
    )
    expect(denied.map((d) => d.recordId).sort()).toEqual(['GET /screening-catalogue', 'POST /screening-catalogue'])
    expect(denied.every((d) => d.action === 'screening:manage-catalogue')).toBe(true)
  })

  it('the screening form offers the band’s behaviours, and a chosen one fills an empty description and its rating', async () => {
    const caseId = f.caseOf[f.children.SOCIAL_WORKER.INVOLVED]!
    const form = await worker.get(`/cases/${caseId}/screening`)
    expect(form.status, form.text.slice(0, 300)).toBe(200)
    expect(form.text).toContain('Choose from your partnership’s catalogue (optional)')
    expect(form.text.match(/data-qa="catalogue-select"/g)).toHaveLength(3)
    expect(form.text).toContain('Example behaviour A (test), with a comma (Green)')
    expect(form.text).not.toContain('Example behaviour C (test)') // another age band
    expect(form.text).not.toContain('Example behaviour D (test)') // another tool version
    const optionB = /<option value="([0-9a-f-]{36})"[^>]*>Example behaviour B \(test\) \(Red\)<\/option>/.exec(form.text)?.[1]
    expect(optionB).toMatch(/^[0-9a-f-]{36}$/)

    const res = await worker
      .post(`/cases/${caseId}/screening`)
      .type('form')
      .send({
        _csrf: workerCsrf,
        'tool-version': 'BROOK_ORIGINAL',
        version: hidden(form.text, 'version'),
        rows: '3',
        'overall-rationale': 'Overall rationale.',
        'behaviour-1-catalogue': optionB,
        'behaviour-1-rationale': 'Chosen from the catalogue.',
        'behaviour-2-catalogue': optionB,
        'behaviour-2-description': 'My own words about a second behaviour',
        'behaviour-2-rating': 'GREEN',
        'behaviour-2-rationale': 'Typed by me.',
      })
    expect(res.status, res.text.slice(0, 600)).toBe(302)
    const saved = await asSystem((trx) =>
      trx.selectFrom('screening').select(['behaviours', 'overallRating']).where('caseId', '=', caseId).executeTakeFirstOrThrow(),
    )
    expect(saved.overallRating).toBe('RED')
    expect(saved.behaviours).toMatchObject([
      { description: 'Example behaviour B (test)', rating: 'RED', rationale: 'Chosen from the catalogue.' },
      { description: 'My own words about a second behaviour', rating: 'GREEN', rationale: 'Typed by me.' },
    ])
  })

  it('loading again replaces that tool version’s catalogue and leaves the others', async () => {
    const res = await load(`${HEADER}
BROOK_ORIGINAL,13 to 17,AMBER,Example behaviour E (test)
`)
    expect(res.status).toBe(302)
    expect((await items()).map((i) => i.behaviour)).toEqual(['Example behaviour D (test)', 'Example behaviour E (test)'])
    const form = await worker.get(`/cases/${f.caseOf[f.children.SOCIAL_WORKER.SAME_TEAM]!}/screening`)
    expect(form.status).toBe(200)
    expect(form.text).toContain('Example behaviour E (test) (Amber)')
    expect(form.text).not.toContain('Example behaviour B (test)')
    const audit = await asSystem((trx) =>
      trx
        .selectFrom('auditLog')
        .select('detail')
        .where('action', '=', 'screening-catalogue:load')
        .orderBy('occurredAt', 'desc')
        .executeTakeFirstOrThrow(),
    )
    expect(audit.detail).toEqual({ loaded: 1, replaced: 3, versions: 'BROOK_ORIGINAL' })
  })
})
