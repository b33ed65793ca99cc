import { ALL_RELATIONSHIPS, type Relationship } from '../../src/platform/access/policy.js'
import { ALL_ROLES, type Role } from '../../src/platform/access/roles.js'
import { newTotpSecret } from '../../src/platform/auth/totp.js'
import type { Services } from '../../src/composition.js'
import { randomUUID } from 'node:crypto'
import { childrenRepository } from '../../src/features/children/children.repository.js'
import { referralsRepository } from '../../src/features/referrals/referrals.repository.js'
import { transaction } from '../../src/platform/db/transaction.js'

export const TEST_PASSWORD = 'granite-orchard-lantern-42'

export type FixtureUser = { id: string; email: string; role: Role; totpSecret: string; agencyId: string; teamId: string }

export type Fixtures = {
  partnershipId: string
  otherPartnershipId: string
  agencyIds: { csc: string; police: string; other: string }
  users: Record<Role, FixtureUser>
  /** For each role, one child per relationship that role's user has to it. */
  children: Record<Role, Record<Relationship, string>>
  /** For each role, a restricted child the user is involved with but not named on. */
  restrictedChildren: Record<Role, string>
  /** A child in another partnership. */
  otherPartnershipChild: string
  /** Each fixture child's case (opened at the front door), by child id. */
  caseOf: Record<string, string>
}

/**
 * A partnership with one person for every role (each in their own team) and, for each of
 * them, fixture children set up so that they stand in each relationship to one of them.
 * All of it is fictional and made through the services where a service exists.
 */
export async function createFixtures(services: Services): Promise<Fixtures> {
  const { db } = services
  const admin = services.admin.service
  const children = childrenRepository()
  const suffix = Math.random().toString(36).slice(2, 8)
  const partnershipId = await admin.createPartnership(`Fixture Partnership ${suffix}`)
  const otherPartnershipId = await admin.createPartnership(`Other Fixture Partnership ${suffix}`)
  const system = { system: true as const, partnershipId }
  const csc = await admin.createAgency(system, { name: 'Fixture Children’s Services', kind: 'CHILDRENS_SERVICES' })
  const police = await admin.createAgency(system, { name: 'Fixture Police', kind: 'POLICE' })
  const other = await admin.createAgency(system, { name: 'Fixture School', kind: 'EDUCATION' })
  const users = {} as Record<Role, FixtureUser>
  for (const role of ALL_ROLES) {
    const agencyId = role === 'POLICE_OFFICER' ? police : csc
    const teamId = await admin.createTeam(system, { agencyId, name: `Team for ${role}` })
    const totpSecret = newTotpSecret()
    const email = `${role.toLowerCase()}.${suffix}@fixture.example`
    const result = await admin.createUser(
      system,
      { displayName: `Fixture ${role}`, email, agencyId, roles: [role], teamIds: [teamId], password: TEST_PASSWORD, totpSecret },
      null,
    )
    if (!result.ok) throw new Error(result.errors.map((e) => e.text).join('; '))
    users[role] = { id: result.value, email, role, totpSecret, agencyId, teamId }
  }

  const byRole = {} as Fixtures['children']
  const restricted = {} as Fixtures['restrictedChildren']
  await transaction(db, { partnershipId }, async (trx) => {
    for (const role of ALL_ROLES) {
      const u = users[role]
      const set = {} as Record<Relationship, string>
      for (const relationship of ALL_RELATIONSHIPS) {
        const childId = await children.insertChild(trx, {
          partnershipId,
          givenNames: 'Fixture',
          familyName: `${role}-${relationship}`,
          dateOfBirth: '2012-04-01',
        })
        const base = { partnershipId, childId, kind: 'INVOLVED' as const }
        if (relationship === 'INVOLVED') await children.insertInvolvement(trx, { ...base, agencyId: u.agencyId, userId: u.id })
        if (relationship === 'SAME_TEAM') await children.insertInvolvement(trx, { ...base, agencyId: u.agencyId, teamId: u.teamId })
        if (relationship === 'SAME_AGENCY') await children.insertInvolvement(trx, { ...base, agencyId: u.agencyId })
        if (relationship === 'OTHER_AGENCY') await children.insertInvolvement(trx, { ...base, agencyId: other })
        set[relationship] = childId
      }
      byRole[role] = set
      const restrictedId = await children.insertChild(trx, {
        partnershipId,
        givenNames: 'Restricted',
        familyName: role,
        dateOfBirth: '2011-09-09',
        isRestricted: true,
      })
      await children.insertInvolvement(trx, { partnershipId, childId: restrictedId, agencyId: u.agencyId, userId: u.id, kind: 'ALLOCATED' })
      restricted[role] = restrictedId
    }
  })
  const otherSystem = { system: true as const, partnershipId: otherPartnershipId }
  const otherAgency = await admin.createAgency(otherSystem, { name: 'Elsewhere Children’s Services', kind: 'CHILDRENS_SERVICES' })
  const otherPartnershipChild = await transaction(db, { partnershipId: otherPartnershipId }, async (trx) => {
    const id = await children.insertChild(trx, {
      partnershipId: otherPartnershipId,
      givenNames: 'Elsewhere',
      familyName: 'Child',
      dateOfBirth: '2010-01-01',
    })
    await children.insertInvolvement(trx, { partnershipId: otherPartnershipId, childId: id, agencyId: otherAgency, kind: 'INVOLVED' })
    return id
  })
  const caseOf: Record<string, string> = {}
  const opener = await services.auth.currentUser(users.TEAM_MANAGER.id)
  const otherOpener = { ...opener!, partnershipId: otherPartnershipId }
  await transaction(db, { partnershipId }, async (trx) => {
    const all = [...ALL_ROLES.flatMap((r) => Object.values(byRole[r])), ...Object.values(restricted)]
    for (const childId of all) {
      caseOf[childId] = await services.kernel.openIn(trx, opener!, { childId, route: 'NEW', referralReceivedAt: new Date() }, 'fixture')
    }
  })
  // Each person raised the request on their INVOLVED child's case: they may follow it as its referrer.
  const requests = referralsRepository()
  await transaction(db, { partnershipId }, async (trx) => {
    for (const role of ALL_ROLES) {
      const u = users[role]
      await requests.insertRequest(trx, {
        partnershipId,
        caseId: caseOf[byRole[role].INVOLVED]!,
        referrerId: u.id,
        referrerAgencyId: u.agencyId,
        receivedAt: new Date(),
        whatHappened: `Fixture request raised by ${role}.`,
        contexts: ['SCHOOL'],
        otherChildren: null,
        sharingBasis: 'SAFEGUARDING_WITHOUT_CONSENT',
        consentSought: false,
        sharingNote: null,
        idempotencyKey: randomUUID(),
      })
    }
  })
  caseOf[otherPartnershipChild] = await transaction(db, { partnershipId: otherPartnershipId }, (trx) =>
    services.kernel.openIn(trx, otherOpener, { childId: otherPartnershipChild, route: 'NEW', referralReceivedAt: new Date() }, 'fixture'),
  )
  return {
    caseOf,
    partnershipId,
    otherPartnershipId,
    agencyIds: { csc, police, other },
    users,
    children: byRole,
    restrictedChildren: restricted,
    otherPartnershipChild,
  }
}
