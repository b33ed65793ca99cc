import { randomUUID } from 'node:crypto'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'

let t: TestApp
let f: Fixtures
let lead: TestAgent
let head: TestAgent
let worker: TestAgent
let manager: TestAgent
const csrf = new Map<TestAgent, string>()
/** A child the social worker works with (named on an open involvement). */
let childId: string

const asSystem = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)
const post = (agent: TestAgent, path: string, body: Record<string, unknown>) =>
  agent
    .post(path)
    .type('form')
    .send({ _csrf: csrf.get(agent), ...body })
const state = () =>
  asSystem(async (trx) => ({
    restricted: (await trx.selectFrom('child').select('isRestricted').where('id', '=', childId).executeTakeFirstOrThrow()).isRestricted,
    named: (await trx.selectFrom('childRestrictedAccess').select('userId').where('childId', '=', childId).execute())
      .map((r) => r.userId)
      .sort(),
    history: await trx
      .selectFrom('childRestrictionChange')
      .select(['restricted', 'reason', 'namedUserIds', 'changedBy'])
      .where('childId', '=', childId)
      .orderBy('changedAt')
      .orderBy('id')
      .execute(),
  }))
const audits = (action: string) =>
  asSystem((trx) =>
    trx
      .selectFrom('auditLog')
      .select(['userId', 'outcome', 'detail'])
      .where('recordId', '=', childId)
      .where('action', '=', action)
      .execute(),
  )

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  childId = f.children.SOCIAL_WORKER.INVOLVED
  lead = await signIn(t, f.users.HSB_LEAD)
  head = await signIn(t, f.users.HEAD_OF_SERVICE)
  worker = await signIn(t, f.users.SOCIAL_WORKER)
  manager = await signIn(t, f.users.TEAM_MANAGER)
  for (const a of [lead, head, worker, manager]) csrf.set(a, await csrfFor(a))
}, 120_000)
afterAll(async () => t.close())

describe('restricting a child’s record', () => {
  it('links from the record for the HSB lead and the head of service only', async () => {
    expect((await lead.get(`/children/${childId}`)).text).toContain('Restrict this record')
    expect((await worker.get(`/children/${childId}`)).text).not.toContain('Restrict this record')
    expect((await worker.get(`/children/${childId}/restriction`)).status).toBe(403)
  })

  it('offers the partnership’s practitioners, with the person restricting and those working with the child ticked', async () => {
    const page = await lead.get(`/children/${childId}/restriction`)
    expect(page.status).toBe(200)
    const checked = [...page.text.matchAll(/name="named" type="checkbox" value="([^"]+)" checked/g)].map((m) => m[1]).sort()
    expect(checked).toEqual([f.users.HSB_LEAD.id, f.users.SOCIAL_WORKER.id].sort())
    expect(page.text).toContain(`value="${f.users.TEAM_MANAGER.id}"`)
    // No one who is not a practitioner (an administrator, a board member).
    expect(page.text).not.toContain(`value="${f.users.SYSTEM_ADMINISTRATOR.id}"`)
    expect(page.text).toContain('This record has never been restricted.')
  })

  it('refuses a blank reason with a message by the field, keeping who was ticked', async () => {
    const res = await post(lead, `/children/${childId}/restriction`, { reason: ' ', named: [f.users.HSB_LEAD.id, f.users.TEAM_MANAGER.id] })
    expect(res.status).toBe(400)
    expect(res.text).toContain('Enter why this record is being restricted')
    expect(res.text).toContain(`value="${f.users.TEAM_MANAGER.id}" checked`)
    expect(res.text).not.toContain(`value="${f.users.SOCIAL_WORKER.id}" checked`)
    expect((await state()).restricted).toBe(false)
  })

  it('refuses to leave the person restricting off the list', async () => {
    const res = await post(lead, `/children/${childId}/restriction`, {
      reason: 'A relative works in the team',
      named: [f.users.SOCIAL_WORKER.id],
    })
    expect(res.status).toBe(400)
    expect(res.text).toContain('Keep yourself on the list of people who can see this record')
    expect((await state()).restricted).toBe(false)
  })

  it('restricts the record to the people named, once per form, with its history and audit', async () => {
    const formKey = randomUUID()
    const body = {
      reason: 'The child’s aunt works in the front door team',
      named: [f.users.HSB_LEAD.id, f.users.SOCIAL_WORKER.id],
      'form-key': formKey,
    }
    const res = await post(lead, `/children/${childId}/restriction`, body)
    expect([res.status, res.headers.location]).toEqual([302, `/children/${childId}/restriction`])
    await post(lead, `/children/${childId}/restriction`, body)
    const s = await state()
    expect(s.restricted).toBe(true)
    expect(s.named).toEqual([f.users.HSB_LEAD.id, f.users.SOCIAL_WORKER.id].sort())
    expect(s.history).toEqual([{ restricted: true, reason: body.reason, namedUserIds: body.named, changedBy: f.users.HSB_LEAD.id }])
    const [entry, ...more] = await audits('child:restrict')
    expect(more).toEqual([])
    expect(entry).toMatchObject({ userId: f.users.HSB_LEAD.id, outcome: 'ALLOWED', detail: expect.objectContaining({ named: 2 }) })
    expect(JSON.stringify(entry!.detail)).not.toContain('aunt')
  })

  it('opens it to the people named only: the team manager, and the head of service not named, are refused', async () => {
    expect((await worker.get(`/children/${childId}`)).status).toBe(200)
    const refused = await manager.get(`/children/${childId}`)
    expect(refused.status).toBe(403)
    // The refusal offers break-glass as on any record (ADR 0010), so it does not say the record is
    // restricted; the break-glass form then refuses it in words that do not say so either.
    expect(refused.text).toContain(`href="/children/${childId}/break-glass"`)
    expect(refused.text).not.toMatch(/restrict/i)
    const glass = await manager.get(`/children/${childId}/break-glass`)
    expect(glass.status).toBe(403)
    expect(glass.text).toContain('This record cannot be opened in an emergency')
    expect(glass.text).not.toMatch(/restrict/i)
    expect((await head.get(`/children/${childId}/restriction`)).status).toBe(403)
    const page = await lead.get(`/children/${childId}`)
    expect(page.text).toContain('Change who can see this record')
    expect(page.text).toContain('Remove the restriction')
  })

  it('changes who is named, with the history shown on the restriction page', async () => {
    const res = await post(lead, `/children/${childId}/restriction`, {
      reason: 'The social worker has moved teams',
      named: [f.users.HSB_LEAD.id, f.users.TEAM_MANAGER.id],
      'form-key': randomUUID(),
    })
    expect(res.status).toBe(302)
    expect((await state()).named).toEqual([f.users.HSB_LEAD.id, f.users.TEAM_MANAGER.id].sort())
    expect(await audits('child:change-restriction')).toHaveLength(1)
    expect((await worker.get(`/children/${childId}`)).status).toBe(403)
    expect((await manager.get(`/children/${childId}`)).status).toBe(200)
    const page = await lead.get(`/children/${childId}/restriction`)
    expect(page.text).toContain('data-qa="restriction-history"')
    expect(page.text).toContain('The social worker has moved teams')
    expect(page.text).toContain('The child’s aunt works in the front door team')
    const blank = await post(lead, `/children/${childId}/restriction`, { reason: '', named: [f.users.HSB_LEAD.id] })
    expect(blank.text).toContain('Enter why you are changing who can see this record')
  })

  it('removes the restriction with a reason', async () => {
    const blank = await post(lead, `/children/${childId}/restriction/remove`, { reason: '' })
    expect(blank.status).toBe(400)
    expect(blank.text).toContain('Enter why the restriction is being removed')
    const res = await post(lead, `/children/${childId}/restriction/remove`, {
      reason: 'The aunt has left the service',
      'form-key': randomUUID(),
    })
    expect([res.status, res.headers.location]).toEqual([302, `/children/${childId}`])
    const s = await state()
    expect(s.restricted).toBe(false)
    expect(s.named).toEqual([])
    expect(s.history.map((h) => h.restricted)).toEqual([true, true, false])
    expect(await audits('child:unrestrict')).toHaveLength(1)
    expect((await worker.get(`/children/${childId}`)).status).toBe(200)
    expect((await lead.get(`/children/${childId}/restriction/remove`)).text).toContain('This record is not restricted.')
  })
})
