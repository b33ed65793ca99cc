import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import request from 'supertest'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALL_RELATIONSHIPS, type Relationship } from '../../src/platform/access/policy.js'
import { ALL_ROLES, type Role } from '../../src/platform/access/roles.js'
import { transaction } from '../../src/platform/db/transaction.js'
import type { RegisteredRoute } from '../../src/platform/http/routes.js'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, TEST_PASSWORD, type Fixtures } from '../support/fixtures.js'
import { ROOT } from '../support/paths.js'

/** A child route: each role's relationships, and "RESTRICTED" when it opens a restricted record the person is not named on. */
type Entry = 'public' | 'public-when-configured' | 'signed-in' | { roles: Role[] } | Partial<Record<Role, (Relationship | 'RESTRICTED')[]>>
type MatrixFile = { routes: Record<string, Entry>; stateDependent?: string[] }
/** The core matrix plus one file per feature in test/security/matrix/ (same shape). */
const matrix = (() => {
  const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as MatrixFile
  const core = read(path.join(ROOT, 'test/security/authorisation-matrix.json'))
  const dir = path.join(ROOT, 'test/security/matrix')
  const merged = { routes: { ...core.routes }, stateDependent: [...(core.stateDependent ?? [])] }
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const part = read(path.join(dir, file))
    for (const [key, entry] of Object.entries(part.routes)) {
      if (key in merged.routes) throw new Error(`${file}: ${key} is already in the matrix`)
      merged.routes[key] = entry
    }
    merged.stateDependent.push(...(part.stateDependent ?? []))
  }
  return merged
})()

const keyOf = (r: RegisteredRoute) => `${r.method.toUpperCase()} ${r.path}`

let t: TestApp
let f: Fixtures
const agents = new Map<Role, TestAgent>()
const csrf = new Map<Role, string>()
/** A person the admin routes act on, so that nobody signed in here is disabled by the test. */
let bystanderId: string

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  const created = await t.services.admin.service.createUser(
    { system: true, partnershipId: f.partnershipId },
    {
      displayName: 'Bystander Person',
      email: 'bystander@fixture.example',
      agencyId: f.agencyIds.csc,
      roles: ['REFERRER'],
      teamIds: [],
      password: TEST_PASSWORD,
    },
    null,
  )
  if (!created.ok) throw new Error('bystander not created')
  bystanderId = created.value
  for (const role of ALL_ROLES) {
    const agent = await signIn(t, f.users[role])
    agents.set(role, agent)
    csrf.set(role, await csrfFor(agent))
  }
}, 120_000)
afterAll(async () => t.close())

function fillPath(route: RegisteredRoute, childId: string): string {
  return route.path
    .replace(':childId', childId)
    .replace(':caseId', f.caseOf[childId] ?? '00000000-0000-4000-8000-000000000000')
    .replace(':kind', 'REFERRAL_DECISION')
    .replace(':userId', bystanderId)
}

async function call(agent: TestAgent | request.Agent, route: RegisteredRoute, url: string, token: string | undefined) {
  return route.method === 'get'
    ? agent.get(url)
    : agent
        .post(url)
        .type('form')
        .send(token ? { _csrf: token } : {})
}

describe('the authorisation matrix', () => {
  it('has an entry for every registered route, and no entry for a route that does not exist', () => {
    const registered = t.registry.routes.map(keyOf)
    const missing = registered.filter((k) => !(k in matrix.routes))
    expect(missing, 'routes missing from test/security/authorisation-matrix.json').toEqual([])
    const stale = Object.entries(matrix.routes)
      .filter(([k, v]) => v !== 'public-when-configured' && !registered.includes(k))
      .map(([k]) => k)
    expect(stale, 'matrix entries for routes that are not registered').toEqual([])
  })

  it('agrees with each route’s declared permission kind', () => {
    for (const route of t.registry.routes) {
      const entry = matrix.routes[keyOf(route)]
      const kind = route.permission.kind
      if (entry === 'public' || entry === 'public-when-configured') expect(kind, keyOf(route)).toBe('public')
      else if (entry === 'signed-in') expect(kind, keyOf(route)).toBe('signed-in')
      else if (entry && 'roles' in entry) expect(kind, keyOf(route)).toBe('partnership')
      else expect(kind, keyOf(route)).toBe('child')
    }
  })

  it('sends anyone not signed in to the sign-in page for every route that is not public', async () => {
    for (const route of t.registry.routes.filter((r) => r.permission.kind !== 'public')) {
      const anon = request.agent(t.app)
      const page = await anon.get('/sign-in')
      const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1]
      const res = await call(anon, route, fillPath(route, f.children.HSB_LEAD.INVOLVED), token)
      expect([res.status, res.headers.location], keyOf(route)).toEqual([302, '/sign-in'])
    }
  })

  // Sign-out ends the session, so it is called last.
  const ordered = () => [...t.registry.routes].sort((a, b) => Number(a.path === '/sign-out') - Number(b.path === '/sign-out'))

  for (const role of ALL_ROLES) {
    it(`is what ${role} gets from every route`, async () => {
      const agent = agents.get(role)!
      for (const route of ordered()) {
        const entry = matrix.routes[keyOf(route)]!
        if (route.permission.kind === 'child') {
          const allowed = (entry as Partial<Record<Role, Relationship[]>>)[role] ?? []
          for (const relationship of ALL_RELATIONSHIPS) {
            const res = await call(agent, route, fillPath(route, f.children[role][relationship]), csrf.get(role))
            const label = `${role} ${keyOf(route)} as ${relationship}`
            if (!allowed.includes(relationship)) expect(res.status, label).toBe(403)
            else if (route.method === 'get' && !matrix.stateDependent.includes(keyOf(route))) expect(res.status, label).toBe(200)
            else expect([res.status < 500, res.status !== 403], label).toEqual([true, true])
          }
          const restricted = await call(agent, route, fillPath(route, f.restrictedChildren[role]), csrf.get(role))
          // "RESTRICTED" in a role's list: the route opens a restricted record the person is not named on
          // (the privacy officer's view of who has seen one); otherwise it is refused.
          const opensRestricted = (allowed as string[]).includes('RESTRICTED')
          expect(restricted.status, `${role} ${keyOf(route)} on a restricted record`).toBe(opensRestricted ? 200 : 403)
          const elsewhere = await call(agent, route, fillPath(route, f.otherPartnershipChild), csrf.get(role))
          expect(elsewhere.status, `${role} ${keyOf(route)} in another partnership`).toBe(404)
          continue
        }
        const res = await call(agent, route, fillPath(route, ''), csrf.get(role))
        const denied = typeof entry === 'object' && 'roles' in entry && !entry.roles.includes(role)
        if (denied) expect(res.status, `${role} ${keyOf(route)}`).toBe(403)
        else {
          expect(res.status, `${role} ${keyOf(route)}`).not.toBe(403)
          expect(res.status, `${role} ${keyOf(route)}`).toBeLessThan(500)
        }
      }
    }, 60_000)
  }

  it('records every refusal in the audit log, and a board member never reads a child', async () => {
    const rows = await transaction(t.services.db, 'system', (trx) =>
      trx
        .selectFrom('auditLog')
        .select(['userId', 'recordType', 'outcome'])
        .where('userId', '=', f.users.BOARD_MEMBER.id)
        .where('recordType', 'in', ['child', 'case', 'meeting'])
        .execute(),
    )
    // For each route about a child: five relationships and one restricted record (the other
    // partnership's child is invisible: 404), each refused and recorded.
    const childRoutes = t.registry.routes.filter((r) => r.permission.kind === 'child')
    expect(rows.length).toBeGreaterThanOrEqual(childRoutes.length * 6)
    expect(rows.filter((r) => r.outcome !== 'DENIED')).toEqual([])
  })
})
