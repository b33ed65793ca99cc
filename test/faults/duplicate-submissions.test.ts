import { randomUUID } from 'node:crypto'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CurrentUser } from '../../src/platform/auth/current-user.js'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'
import { asSystem, caseAtStrategyDue, hidden, HOUR, london, poster, referredCase } from './support.js'

/**
 * Fault: the same submission sent 10 times at once (a double-click, a retried request, a
 * proxy replaying a POST). Forms that create a record carry an idempotency key: one record,
 * and every copy lands on it. Forms without a key are protected by the pathway's state and the
 * version: one record, the copies get 409, never a 5xx.
 */
const COPIES = 10

let t: TestApp
let f: Fixtures
let manager: CurrentUser
let worker: TestAgent
let chair: TestAgent
const csrf = new Map<TestAgent, string>()
const post = poster(csrf)

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  manager = (await t.services.auth.currentUser(f.users.TEAM_MANAGER.id))!
  worker = await signIn(t, f.users.SOCIAL_WORKER)
  chair = await signIn(t, f.users.TEAM_MANAGER)
  for (const a of [worker, chair]) csrf.set(a, await csrfFor(a))
}, 120_000)
afterAll(async () => t.close())

const sendCopies = (agent: TestAgent, path: string, body: Record<string, unknown>) =>
  Promise.all(Array.from({ length: COPIES }, () => post(agent, path, body)))

describe(`the same submission sent ${COPIES} times`, () => {
  it('new child record (idempotency key): one child, every copy sent to it', async () => {
    const form = {
      'idempotency-key': randomUUID(),
      'given-names': 'Rowan',
      'family-name': `Duplicate${Date.now()}`,
      'date-of-birth-day': '14',
      'date-of-birth-month': '9',
      'date-of-birth-year': '2014',
    }
    const responses = await sendCopies(worker, '/children/new', form)
    expect(responses.map((r) => r.status)).toEqual(Array(COPIES).fill(302))
    expect(new Set(responses.map((r) => r.headers.location)).size).toBe(1)
    const rows = await asSystem(t, (trx) =>
      trx.selectFrom('child').select('id').where('idempotencyKey', '=', form['idempotency-key']).execute(),
    )
    expect(rows).toHaveLength(1)
  })

  it('request for support (idempotency key): one request, one case', async () => {
    const childId = f.children.SOCIAL_WORKER.INVOLVED
    const casesBefore = await asSystem(t, (trx) => trx.selectFrom('hsbCase').select('id').where('childId', '=', childId).execute())
    const form = {
      'received-day': '2',
      'received-month': '3',
      'received-year': '2026',
      'received-time': '09:15',
      'what-happened': 'Fictional account for the duplicate-submission fault test.',
      contexts: ['SCHOOL'],
      'sharing-basis': 'CONSENT',
      'consent-sought': 'yes',
      'open-case': 'no',
      'idempotency-key': randomUUID(),
    }
    const responses = await sendCopies(worker, `/children/${childId}/request-for-support`, form)
    expect(responses.map((r) => r.status)).toEqual(Array(COPIES).fill(302))
    expect(new Set(responses.map((r) => r.headers.location)).size).toBe(1)
    const rows = await asSystem(t, (trx) =>
      trx.selectFrom('requestForSupport').select('caseId').where('idempotencyKey', '=', form['idempotency-key']).execute(),
    )
    expect(rows).toHaveLength(1)
    const casesAfter = await asSystem(t, (trx) => trx.selectFrom('hsbCase').select('id').where('childId', '=', childId).execute())
    expect(casesAfter).toHaveLength(casesBefore.length + 1)
  })

  it('arranging a strategy meeting (idempotency key): one meeting, one history event', async () => {
    const caseId = await caseAtStrategyDue(t, f, manager)
    const page = await chair.get(`/cases/${caseId}/strategy-meeting/new`)
    const when = london(new Date(Date.now() + 2 * HOUR))
    const responses = await sendCopies(chair, `/cases/${caseId}/strategy-meeting/new`, {
      'form-key': hidden(page.text, 'form-key'),
      kind: 'STRATEGY_MEETING',
      'date-day': when.day,
      'date-month': when.month,
      'date-year': when.year,
      time: when.time,
      chair: f.users.TEAM_MANAGER.id,
      agencies: [f.agencyIds.police],
      people: [],
    })
    expect(responses.map((r) => r.status)).toEqual(Array(COPIES).fill(302))
    expect(await asSystem(t, (trx) => trx.selectFrom('meeting').select('id').where('caseId', '=', caseId).execute())).toHaveLength(1)
    const events = await asSystem(t, (trx) =>
      trx.selectFrom('caseEvent').select('id').where('caseId', '=', caseId).where('action', '=', 'SCHEDULE_STRATEGY_MEETING').execute(),
    )
    expect(events).toHaveLength(1)
  })

  it('screening (no key; the version): one screening, the copies 409, no 5xx', async () => {
    const caseId = await referredCase(t, f, manager)
    const page = await worker.get(`/cases/${caseId}/screening`)
    const responses = await sendCopies(worker, `/cases/${caseId}/screening`, {
      'tool-version': 'BROOK_ORIGINAL',
      version: hidden(page.text, 'version'),
      rows: '3',
      'overall-rationale': 'Overall amber',
      'behaviour-1-description': 'Fictional behaviour',
      'behaviour-1-date-day': '2',
      'behaviour-1-date-month': '3',
      'behaviour-1-date-year': '2026',
      'behaviour-1-context': 'SCHOOL',
      'behaviour-1-hackett': 'PROBLEMATIC',
      'behaviour-1-rating': 'AMBER',
      'behaviour-1-rationale': 'Seen by staff',
    })
    const statuses = responses.map((r) => r.status).sort()
    expect(statuses).toEqual([302, ...Array(COPIES - 1).fill(409)])
    expect(await asSystem(t, (trx) => trx.selectFrom('screening').select('id').where('caseId', '=', caseId).execute())).toHaveLength(1)
  })
})
