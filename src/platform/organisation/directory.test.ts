import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { transaction } from '../db/transaction.js'
import { createTestApp, type TestApp } from '../../../test/support/app.js'
import { createFixtures, type Fixtures } from '../../../test/support/fixtures.js'
import { directory } from './directory.js'

let t: TestApp
let f: Fixtures
let other: string
beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  // A second partnership with a person in it: the directory never lists them.
  other = await t.services.admin.service.createPartnership('Another Partnership')
  const system = { system: true as const, partnershipId: other }
  const agencyId = await t.services.admin.service.createAgency(system, { name: 'Another Agency', kind: 'POLICE' })
  await t.services.admin.service.createUser(
    system,
    { displayName: 'Other Person', email: 'other.person@another.example', agencyId, roles: ['HSB_LEAD'], teamIds: [], password: null },
    null,
  )
})
afterAll(async () => t?.close())

const dir = directory()
const system = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)

describe('the directory of a partnership', () => {
  it('lists only the partnership’s agencies, teams and people', async () => {
    const agencies = await system((trx) => dir.agencies(trx, f.partnershipId))
    expect(agencies.map((a) => a.name)).not.toContain('Another Agency')
    expect(agencies.map((a) => a.name)).toEqual([...agencies.map((a) => a.name)].sort())
    const people = await system((trx) => dir.people(trx, f.partnershipId))
    expect(people.map((p) => p.displayName)).not.toContain('Other Person')
    expect(people.find((p) => p.id === f.users.HSB_LEAD.id)).toMatchObject({ roles: ['HSB_LEAD'] })
    const teams = await system((trx) => dir.teams(trx, f.partnershipId))
    expect(teams.some((x) => x.id === f.users.TEAM_MANAGER.teamId)).toBe(true)
  })

  it('finds the holders of roles, and people by role', async () => {
    const leads = await system((trx) => dir.holdersOf(trx, f.partnershipId, ['HSB_LEAD']))
    expect(leads).toContain(f.users.HSB_LEAD.id)
    expect(leads).not.toContain(f.users.SOCIAL_WORKER.id)
    const managers = await system((trx) => dir.people(trx, f.partnershipId, ['TEAM_MANAGER']))
    expect(managers.every((p) => p.roles.includes('TEAM_MANAGER'))).toBe(true)
    expect(await system((trx) => dir.teamManagerOf(trx, f.users.TEAM_MANAGER.teamId))).toBe(f.users.TEAM_MANAGER.id)
  })

  it('offers no retired agency or team (nor a team of a retired agency), and names them on request', async () => {
    const by = { system: true as const, partnershipId: f.partnershipId }
    const organisations = t.services.organisations.service
    const added = await organisations.addAgency(by, { name: 'Directory Retired Trust', kind: 'OTHER', key: null }, null)
    const agencyId = added.ok ? added.value : ''
    const team = await organisations.addTeam(by, { name: 'Directory Retired Team', agencyId, frontDoor: 'no', key: null }, null)
    const teamId = team.ok ? team.value : ''
    expect((await system((trx) => dir.teams(trx, f.partnershipId))).map((x) => x.id)).toContain(teamId)
    expect((await organisations.retireTeam(by, teamId, { version: 1 }, null)).ok).toBe(true)
    expect((await system((trx) => dir.teams(trx, f.partnershipId))).map((x) => x.id)).not.toContain(teamId)
    expect((await organisations.retireAgency(by, agencyId, { version: 1 }, null)).ok).toBe(true)
    expect((await system((trx) => dir.agencies(trx, f.partnershipId))).map((a) => a.id)).not.toContain(agencyId)
    const named = await system((trx) => dir.agencies(trx, f.partnershipId, { includeRetired: true }))
    expect(named.find((a) => a.id === agencyId)?.name).toBe('Directory Retired Trust')
    expect((await system((trx) => dir.teams(trx, f.partnershipId, { includeRetired: true }))).map((x) => x.id)).toContain(teamId)
  })
})
