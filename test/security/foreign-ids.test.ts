import fc from 'fast-check'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALL_RELATIONSHIPS, can, type Relationship } from '../../src/platform/access/policy.js'
import type { Role } from '../../src/platform/access/roles.js'
import { newTotpSecret } from '../../src/platform/auth/totp.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, TEST_PASSWORD, type Fixtures } from '../support/fixtures.js'
import { concretePath, idParams, keyOf, SESSION_ROUTES } from './route-params.js'

/**
 * Object-level access, property-based: on every route that takes an id, people are sent the
 * ids of records that are not theirs to see (another partnership's child, case, person or
 * notification; a child in their own partnership they have no relationship with that opens
 * it; an id nobody has). Never a 200 or a redirect onward with the record, never a 5xx, never
 * the child's name on the page, and nothing changed. FOREIGN_ID_RUNS sets the number of cases.
 */
const RUNS = Number(process.env.FOREIGN_ID_RUNS ?? 150)
const ATTACKERS: Role[] = [
  'SOCIAL_WORKER',
  'TEAM_MANAGER',
  'POLICE_OFFICER',
  'REFERRER',
  'HSB_LEAD',
  'SYSTEM_ADMINISTRATOR',
  'BOARD_MEMBER',
]

let t: TestApp
let f: Fixtures
const agents = new Map<Role, TestAgent>()
const csrf = new Map<Role, string>()
/** Another partnership's records. */
let other: { childId: string; caseId: string; userId: string; notificationId: string }
/** A notification of someone else in the same partnership. */
let neighboursNotification: string

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  for (const role of ATTACKERS) {
    const agent = await signIn(t, f.users[role])
    agents.set(role, agent)
    csrf.set(role, await csrfFor(agent))
  }
  const otherAgency = await t.services.admin.service.createAgency(
    { system: true, partnershipId: f.otherPartnershipId },
    { name: 'Elsewhere Police', kind: 'POLICE' },
  )
  const created = await t.services.admin.service.createUser(
    { system: true, partnershipId: f.otherPartnershipId },
    {
      displayName: 'Elsewhere Officer',
      email: `elsewhere.${Date.now()}@fixture.example`,
      agencyId: otherAgency,
      roles: ['POLICE_OFFICER'],
      teamIds: [],
      password: TEST_PASSWORD,
      totpSecret: newTotpSecret(),
    },
    null,
  )
  if (!created.ok) throw new Error('could not create the other partnership’s person')
  const otherCase = f.caseOf[f.otherPartnershipChild]!
  const note = (partnershipId: string, userId: string, caseId: string) =>
    transaction(
      t.services.db,
      'system',
      async (trx) =>
        (
          await trx
            .insertInto('notification')
            .values({ partnershipId, userId, kind: 'STRATEGY_MEETING_DUE', caseId, dedupeKey: `foreign-${caseId}` })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
    )
  other = {
    childId: f.otherPartnershipChild,
    caseId: otherCase,
    userId: created.value,
    notificationId: await note(f.otherPartnershipId, created.value, otherCase),
  }
  neighboursNotification = await note(f.partnershipId, f.users.PRIVACY_OFFICER.id, f.caseOf[f.children.PRIVACY_OFFICER.INVOLVED]!)
}, 180_000)
afterAll(async () => t.close())

/** Routes that take an id, but not the sign-in flow. */
const idRoutes = () => t.registry.routes.filter((r) => idParams(r).length > 0 && !SESSION_ROUTES.has(keyOf(r)))

type Target = { label: string; values: Record<string, string>; marker: string | null }

/** Same-partnership children this role may not open (by the access policy itself), with their cases. */
function unrelatedChildren(role: Role): Target[] {
  const user = { id: f.users[role].id, partnershipId: f.partnershipId, roles: [role] }
  return ALL_RELATIONSHIPS.filter(
    (relationship: Relationship) =>
      !can({ ...user, agencyId: f.users[role].agencyId, teamIds: [f.users[role].teamId] }, 'child:read', {
        kind: 'child',
        partnershipId: f.partnershipId,
        relationship,
        isRestricted: false,
        isNamedOnRestriction: false,
        breakGlass: false,
      }),
  ).map((relationship) => {
    const childId = f.children[role][relationship]
    return { label: `own partnership, ${relationship}`, values: { childId, caseId: f.caseOf[childId]! }, marker: `${role}-${relationship}` }
  })
}

function targets(role: Role): Target[] {
  return [
    {
      label: 'other partnership',
      values: { childId: other.childId, caseId: other.caseId, userId: other.userId, notificationId: other.notificationId },
      marker: 'Elsewhere',
    },
    {
      label: 'restricted, not named',
      values: {
        childId: f.restrictedChildren.SOCIAL_WORKER,
        caseId: f.caseOf[f.restrictedChildren.SOCIAL_WORKER]!,
        notificationId: neighboursNotification,
      },
      marker: role === 'SOCIAL_WORKER' ? null : 'Restricted',
    },
    ...unrelatedChildren(role),
  ]
}

describe('object-level access with other people’s ids', () => {
  it('never serves or changes a record that is not the person’s to see, and never fails with a 5xx', async () => {
    const routes = idRoutes()
    expect(routes.length).toBeGreaterThan(10)
    const failures: string[] = []
    const statuses = new Map<number, number>()
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ATTACKERS),
        fc.constantFrom(...routes),
        fc.nat(),
        fc.uuid({ version: 4 }),
        async (role, route, pick, randomId) => {
          const options = [
            ...targets(role),
            {
              label: 'nobody’s id',
              values: { childId: randomId, caseId: randomId, userId: randomId, notificationId: randomId },
              marker: null,
            },
          ]
          const target = options[pick % options.length]!
          // Referring a child you do not know is allowed by design (child:refer): only another partnership's child is foreign there.
          if (route.permission.kind === 'child' && route.permission.action === 'child:refer' && target.label.startsWith('own partnership'))
            return
          // The restricted child belongs to the social worker; others are not named on it.
          if (target.label.startsWith('restricted') && role === 'SOCIAL_WORKER') return
          const path = concretePath(route, target.values)
          const agent = agents.get(role)!
          const res =
            route.method === 'get'
              ? await agent.get(path)
              : await agent
                  .post(path)
                  .type('form')
                  .send({ _csrf: csrf.get(role) })
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
          const where = `${role} ${keyOf(route)} with ${target.label} → ${res.status}`
          if (res.status >= 500) failures.push(`${where}: server error`)
          if (res.status === 200 || res.status === 201) failures.push(`${where}: served`)
          if (res.status === 302 && !String(res.headers.location).startsWith('/sign-in'))
            failures.push(`${where}: redirected to ${String(res.headers.location)}`)
          if (target.marker && res.text?.includes(target.marker)) failures.push(`${where}: the page names the child`)
        },
      ),
      { numRuns: RUNS },
    )
    expect(failures).toEqual([])
    // The property really sent requests, and refusals were seen (403 and 404).
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(RUNS / 3)
    expect(statuses.get(404) ?? 0).toBeGreaterThan(0)
    expect(statuses.get(403) ?? 0).toBeGreaterThan(0)
  })

  it('leaves other people’s notifications unread when someone else marks them read', async () => {
    for (const id of [other.notificationId, neighboursNotification]) {
      await agents
        .get('SOCIAL_WORKER')!
        .post(`/notifications/${id}/read`)
        .type('form')
        .send({ _csrf: csrf.get('SOCIAL_WORKER') })
    }
    const rows = await transaction(t.services.db, 'system', (trx) =>
      trx.selectFrom('notification').select('readAt').where('id', 'in', [other.notificationId, neighboursNotification]).execute(),
    )
    expect(rows.map((r) => r.readAt)).toEqual([null, null])
  })
})
