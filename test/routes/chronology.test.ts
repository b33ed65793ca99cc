import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { childrenRepository } from '../../src/features/children/children.repository.js'
import type { CurrentUser } from '../../src/platform/auth/current-user.js'
import { addCalendarDays, londonDate } from '../../src/platform/clocks/london-time.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'

let t: TestApp
let f: Fixtures
let manager: CurrentUser
let worker: TestAgent
let referrer: TestAgent
const csrf = new Map<TestAgent, string>()
let caseId: string
const asSystem = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)
const post = (agent: TestAgent, path: string, body: Record<string, unknown>) =>
  agent
    .post(path)
    .type('form')
    .send({ _csrf: csrf.get(agent), ...body })
const parts = (prefix: string, iso: string) => {
  const [y, m, d] = iso.split('-')
  return { [`${prefix}-day`]: String(Number(d)), [`${prefix}-month`]: String(Number(m)), [`${prefix}-year`]: y }
}
const today = () => londonDate(new Date())
/** Entry titles on the timeline, in page order. */
const titles = (html: string) => [...html.matchAll(/<h2 class="moj-timeline__title">([^<]*)<\/h2>/g)].map((m) => m[1]!.trim())

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  manager = (await t.services.auth.currentUser(f.users.TEAM_MANAGER.id))!
  worker = await signIn(t, f.users.TEAM_MANAGER)
  referrer = await signIn(t, f.users.REFERRER)
  for (const a of [worker, referrer]) csrf.set(a, await csrfFor(a))
  const { db, kernel } = t.services
  const children = childrenRepository()
  const partnershipId = f.partnershipId
  caseId = await transaction(db, { partnershipId }, async (trx) => {
    const childId = await children.insertChild(trx, { partnershipId, givenNames: 'Chrono', familyName: 'Child', dateOfBirth: '2010-01-01' })
    await children.insertInvolvement(trx, {
      partnershipId,
      childId,
      agencyId: f.agencyIds.csc,
      teamId: f.users.TEAM_MANAGER.teamId,
      kind: 'ALLOCATED',
    })
    await children.insertInvolvement(trx, {
      partnershipId,
      childId,
      agencyId: f.agencyIds.csc,
      userId: f.users.REFERRER.id,
      kind: 'INVOLVED',
    })
    return kernel.openIn(trx, manager, { childId, route: 'NEW', referralReceivedAt: new Date(Date.now() - 3 * 86_400_000) }, 'test')
  })
  await kernel.run(manager, caseId, 's1', (act) => act.apply('RECORD_SCREENING', {}))
  await kernel.run(manager, caseId, 's2', (act) => act.apply('CONFIRM_SCREENING', { rating: 'AMBER' }))
  await kernel.run(manager, caseId, 's3', (act) => act.apply('FINALISE_STRATEGY_MEETING', { outcomes: [] }))
  await kernel.run(manager, caseId, 's4', (act) => act.apply('DECIDE_AIM_ASSESSMENT', { assessmentRoute: 'WELFARE' }))
  const cp = await post(worker, `/cases/${caseId}/criminal-process/new`, {
    kind: 'INVESTIGATION',
    ...parts('date', addCalendarDays(today(), -10)),
    'police-reference': 'NP/1',
  })
  expect(cp.status).toBe(302)
}, 120_000)
afterAll(async () => t.close())

describe('the chronology', () => {
  it('shows every step of the case in order, oldest first, with who and when; newest first when asked', async () => {
    const page = await worker.get(`/cases/${caseId}/chronology`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('class="moj-timeline"')
    const order = titles(page.text)
    expect(order).toEqual([
      'Police investigation started',
      'Request for support received',
      'Record the screening',
      'Confirm the screening (management oversight)',
      'Finalise the strategy meeting',
      'Decided to carry out an AIM assessment',
    ])
    expect(page.text).toContain('by Fixture TEAM_MANAGER')
    expect(page.text).toContain('Police reference: NP/1')
    const newest = await worker.get(`/cases/${caseId}/chronology?order=newest`)
    expect(titles(newest.text)).toEqual([...order].reverse())
    const audit = await asSystem((trx) =>
      trx.selectFrom('auditLog').select('detail').where('action', '=', 'chronology:read').where('recordId', '=', caseId).execute(),
    )
    expect(audit.length).toBeGreaterThanOrEqual(2)
  })

  it('adds curated entries, kept as written; a correction is a new entry naming the one it corrects', async () => {
    const bad = await post(worker, `/cases/${caseId}/chronology/new`, {
      ...parts('date', addCalendarDays(today(), 2)),
      title: 'Title kept',
      text: '',
    })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('The date must be today or in the past')
    expect(bad.text).toContain('Enter what happened')
    expect(bad.text).toContain('value="Title kept"')
    expect(
      (
        await post(worker, `/cases/${caseId}/chronology/new`, {
          ...parts('date', addCalendarDays(today(), -2)),
          title: 'Home visit',
          text: 'Saw the child at home with dad.',
        })
      ).status,
    ).toBe(302)
    const [first] = await asSystem((trx) => trx.selectFrom('chronologyEntry').selectAll().where('caseId', '=', caseId).execute())
    expect(
      (
        await post(worker, `/cases/${caseId}/chronology/new`, {
          ...parts('date', addCalendarDays(today(), -2)),
          title: 'Home visit (corrected)',
          text: 'Saw the child at home with mum, not dad.',
          corrects: first!.id,
        })
      ).status,
    ).toBe(302)
    const rows = await asSystem((trx) =>
      trx.selectFrom('chronologyEntry').selectAll().where('caseId', '=', caseId).orderBy('createdAt').execute(),
    )
    expect(rows.map((r) => r.text)).toEqual(['Saw the child at home with dad.', 'Saw the child at home with mum, not dad.'])
    expect(rows[1]!.correctsEntryId).toBe(first!.id)
    const page = await worker.get(`/cases/${caseId}/chronology`)
    expect(page.text).toContain('Correction to “Home visit”')
    // A referrer reads neither the chronology nor the case (their own request's page only), nor adds to it.
    expect((await referrer.get(`/cases/${caseId}/chronology`)).status).toBe(403)
    expect((await post(referrer, `/cases/${caseId}/chronology/new`, { ...parts('date', today()), title: 'x', text: 'y' })).status).toBe(403)
  })

  it('filters by kind of entry and by date range through the query string; bad dates are refused', async () => {
    const curated = await worker.get(`/cases/${caseId}/chronology?type=CURATED`)
    expect(titles(curated.text)).toEqual(['Home visit', 'Home visit (corrected)'])
    // Curated entries are dated, not timed: no made-up midnight.
    expect(curated.text).not.toContain('12:00am')
    const two = await worker.get(`/cases/${caseId}/chronology?type=CURATED&type=CRIMINAL_PROCESS`)
    expect(titles(two.text)).toEqual(['Police investigation started', 'Home visit', 'Home visit (corrected)'])
    const recent = await worker.get(
      `/cases/${caseId}/chronology?${new URLSearchParams({ ...parts('from', addCalendarDays(today(), -1)) } as Record<string, string>)}`,
    )
    expect(titles(recent.text)).not.toContain('Police investigation started')
    expect(titles(recent.text)).not.toContain('Home visit')
    expect(titles(recent.text)).toContain('Decided to carry out an AIM assessment')
    const none = await worker.get(
      `/cases/${caseId}/chronology?${new URLSearchParams({ ...parts('to', addCalendarDays(today(), -30)) } as Record<string, string>)}`,
    )
    expect(none.text).toContain('No entries match this filter')
    const bad = await worker.get(`/cases/${caseId}/chronology?from-day=31&from-month=2&from-year=2026`)
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('must be a real date')
  })

  it('prints and exports to PDF with the entries’ count, as an attachment named without personal data', async () => {
    const print = await worker.get(`/cases/${caseId}/chronology/print?type=CURATED`)
    expect(print.status).toBe(200)
    expect(print.text).toContain('2 entries')
    const pdf = await worker
      .get(`/cases/${caseId}/chronology.pdf`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => cb(null, Buffer.concat(chunks)))
      })
    expect(pdf.status).toBe(200)
    expect(pdf.headers['content-type']).toBe('application/pdf')
    expect(pdf.headers['content-disposition']).toBe(`attachment; filename="chronology-${caseId}.pdf"`)
    expect(pdf.headers['cache-control']).toContain('no-store')
    const body = (pdf.body as Buffer).toString('latin1')
    expect(body.startsWith('%PDF')).toBe(true)
    expect(body).toContain('Chronology: 8 entries')
    const filtered = await worker
      .get(`/cases/${caseId}/chronology.pdf?type=CURATED`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => cb(null, Buffer.concat(chunks)))
      })
    expect((filtered.body as Buffer).toString('latin1')).toContain('Chronology: 2 entries')
    const audit = await asSystem((trx) =>
      trx.selectFrom('auditLog').select('detail').where('action', '=', 'chronology:read').where('recordId', '=', caseId).execute(),
    )
    expect(audit.map((a) => a.detail.format)).toEqual(expect.arrayContaining(['html', 'print', 'pdf']))
  })
})
