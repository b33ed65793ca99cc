import { randomUUID } from 'node:crypto'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CurrentUser } from '../../src/platform/auth/current-user.js'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'
import { asSystem, caseAtStrategyDue, hidden, HOUR, london, poster, referredCase } from './support.js'

/**
 * Fault: many people save the same record at once, all from the same (soon stale) version.
 * Exactly one save wins; every other gets 409 with its typed text kept; nothing is lost
 * silently (the stored record is the winner's, whole). Runs on PGlite (requests serialised on
 * one connection) and on PostgreSQL (TEST_DATABASE_URL, vitest.faults.config.ts: real races).
 */
const EDITORS = Number(process.env.FAULT_EDITORS ?? 50)

let t: TestApp
let f: Fixtures
let manager: CurrentUser
let chair: TestAgent
let lead: TestAgent
let worker: TestAgent
const csrf = new Map<TestAgent, string>()
const post = poster(csrf)

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  manager = (await t.services.auth.currentUser(f.users.TEAM_MANAGER.id))!
  chair = await signIn(t, f.users.TEAM_MANAGER)
  lead = await signIn(t, f.users.HSB_LEAD)
  worker = await signIn(t, f.users.SOCIAL_WORKER)
  for (const a of [chair, lead, worker]) csrf.set(a, await csrfFor(a))
}, 120_000)
afterAll(async () => t.close())

describe(`${EDITORS} concurrent editors with the same version`, () => {
  it('strategy meeting minutes: one save wins, the rest get 409, the stored minutes are the winner’s', async () => {
    const caseId = await caseAtStrategyDue(t, f, manager)
    const form = await chair.get(`/cases/${caseId}/strategy-meeting/new`)
    const when = london(new Date(Date.now() - HOUR))
    const arranged = await post(chair, `/cases/${caseId}/strategy-meeting/new`, {
      'form-key': hidden(form.text, 'form-key'),
      kind: 'STRATEGY_MEETING',
      'date-day': when.day,
      'date-month': when.month,
      'date-year': when.year,
      time: when.time,
      chair: f.users.TEAM_MANAGER.id,
      agencies: [f.agencyIds.police],
      people: [],
    })
    expect(arranged.status).toBe(302)
    const page = await chair.get(`/cases/${caseId}/strategy-meeting`)
    const version = hidden(page.text, 'version')
    expect(version).toMatch(/^\d+$/)

    const editors = Array.from({ length: EDITORS }, (_, i) => ({
      agent: i % 2 === 0 ? chair : lead,
      text: `Decision typed by editor ${i}`,
    }))
    const responses = await Promise.all(
      editors.map((e) =>
        post(e.agent, `/cases/${caseId}/strategy-meeting`, { version, 'form-key': randomUUID(), decisions: e.text, risks: e.text }),
      ),
    )
    const statuses = responses.map((r) => r.status)
    expect(statuses.filter((s) => s === 302)).toHaveLength(1)
    expect(statuses.filter((s) => s === 409)).toHaveLength(EDITORS - 1)
    const winner = editors[statuses.indexOf(302)]!
    // Each refused editor gets their own words back, not someone else's.
    responses.forEach((r, i) => {
      if (r.status === 409) expect(r.text).toContain(editors[i]!.text)
    })
    const stored = await asSystem(t, (trx) =>
      trx.selectFrom('meeting').select(['minutes', 'version']).where('caseId', '=', caseId).executeTakeFirstOrThrow(),
    )
    expect(stored.version).toBe(Number(version) + 1)
    expect(stored.minutes).toMatchObject({ decisions: winner.text, risks: winner.text })
  })

  it('screening: one screening recorded, one history event, the rest 409', async () => {
    const caseId = await referredCase(t, f, manager)
    const form = await worker.get(`/cases/${caseId}/screening`)
    expect(form.status).toBe(200)
    const version = hidden(form.text, 'version')
    const base = { version, 'tool-version': 'BROOK_ORIGINAL', rows: '3', 'overall-rationale': 'Overall amber' }
    const behaviour = (i: number) => ({
      'behaviour-1-description': `Behaviour described by editor ${i}`,
      'behaviour-1-date-day': '2',
      'behaviour-1-date-month': '3',
      'behaviour-1-date-year': '2026',
      'behaviour-1-context': 'SCHOOL',
      'behaviour-1-hackett': 'PROBLEMATIC',
      'behaviour-1-rating': 'AMBER',
      'behaviour-1-rationale': 'Seen by staff',
    })
    const responses = await Promise.all(
      Array.from({ length: EDITORS }, (_, i) => post(i % 2 ? worker : chair, `/cases/${caseId}/screening`, { ...base, ...behaviour(i) })),
    )
    const statuses = responses.map((r) => r.status)
    expect(statuses.filter((s) => s >= 500)).toEqual([])
    expect(statuses.filter((s) => s === 302)).toHaveLength(1)
    expect(statuses.filter((s) => s === 409)).toHaveLength(EDITORS - 1)
    const screenings = await asSystem(t, (trx) => trx.selectFrom('screening').select('behaviours').where('caseId', '=', caseId).execute())
    expect(screenings).toHaveLength(1)
    const events = await asSystem(t, (trx) =>
      trx.selectFrom('caseEvent').select('action').where('caseId', '=', caseId).where('action', '=', 'RECORD_SCREENING').execute(),
    )
    expect(events).toHaveLength(1)
  })
})
