import type { Services } from '../composition.js'
import { newTotpSecret } from '../platform/auth/totp.js'
import { DEMO_AGENCIES, DEMO_PARTNERSHIP, DEMO_PASSWORD, DEMO_USERS } from './demo-data.js'
import { seedDemoPathway } from './demo-pathway.js'
import { seedDemoEmail } from './demo-email.js'
import { seedDemoAssessments } from './demo-assessments.js'
import { seedDemoInterventions } from './demo-interventions.js'
import { seedDemoRestrictedMaterial } from './demo-restricted-material.js'
import { seedDemoCriminalProcess } from './demo-criminal-process.js'
import { seedDemoChronology } from './demo-chronology.js'
import { seedDemoReviews } from './demo-reviews.js'
import { seedDemoPlanImport } from './demo-plan-import.js'
import { seedDemoBoard } from './demo-board.js'
import { seedDemoInsight } from './demo-insight.js'
import { seedDemoCaseAudits } from './demo-case-audits.js'
import { seedDemoAdmin } from './demo-admin.js'
import { seedDemoSsdImport } from './demo-ssd-import.js'
import { seedDemoRetention } from './demo-retention.js'
import { seedDemoTimescales } from './demo-timescales.js'
import { seedDemoOrganisations } from './demo-organisations.js'
import { seedDemoPrivacy } from './demo-privacy.js'
import { seedDemoRestriction } from './demo-restriction.js'
import { seedDemoSubjectAccess } from './demo-subject-access.js'

/**
 * The pathway in use (children at each step, made by the demo people through the services), then
 * each feature's own demo data (src/demo/demo-<feature>.ts), in pathway order.
 */
const DEMO_SEEDS: ((services: Services, partnershipId: string) => Promise<unknown>)[] = [
  seedDemoPathway,
  seedDemoAssessments,
  seedDemoInterventions,
  seedDemoRestrictedMaterial,
  seedDemoCriminalProcess,
  seedDemoChronology,
  seedDemoReviews,
  seedDemoPlanImport,
  seedDemoBoard,
  seedDemoEmail,
  seedDemoCaseAudits,
  seedDemoAdmin,
  seedDemoSsdImport,
  seedDemoInsight,
  seedDemoOrganisations,
  // The partnership's retention decisions, a legal hold and an erasure waiting for approval (nothing erased).
  seedDemoRetention,
  // From a date to come: no demo clock (all started by now) changes.
  seedDemoTimescales,
  // Restriction history and a break-glass opening, whose reads raise the privacy officer's alerts.
  seedDemoRestriction,
  // A subject access request for Ash Fernley, gathered (Robin Quayle's name pre-marked) and waiting for approval.
  seedDemoSubjectAccess,
  // After every other seed: the alerts their reads raised (restriction and break-glass), one of them reviewed.
  seedDemoPrivacy,
]

export type SeedResult = { created: boolean; partnershipId: string; users: number }

/** Loads the demo partnership and the pathway in use through the services, as people would. Does nothing if it is there. */
export async function seedDemo(services: Services): Promise<SeedResult> {
  const admin = services.admin.service
  const existing = await admin.findPartnership(DEMO_PARTNERSHIP)
  if (existing) return { created: false, partnershipId: existing, users: 0 }

  const partnershipId = await admin.createPartnership(DEMO_PARTNERSHIP)
  const system = { system: true as const, partnershipId }
  const agencyIds = new Map<string, string>()
  const teamIds = new Map<string, string>()
  for (const agency of DEMO_AGENCIES) {
    const agencyId = await admin.createAgency(system, { name: agency.name, kind: agency.kind })
    agencyIds.set(agency.key, agencyId)
    for (const team of agency.teams) {
      teamIds.set(team, await admin.createTeam(system, { agencyId, name: team }))
    }
  }
  await services.referrals.service.setFrontDoorTeam(system, teamIds.get('Front Door (MASH)') as string)
  for (const user of DEMO_USERS) {
    const result = await admin.createUser(
      system,
      {
        displayName: user.displayName,
        email: user.email,
        agencyId: agencyIds.get(user.agency) as string,
        roles: user.roles,
        teamIds: user.teams.map((t) => teamIds.get(t) as string),
        password: DEMO_PASSWORD,
        totpSecret: newTotpSecret(),
      },
      null,
    )
    if (!result.ok) throw new Error(`Demo user could not be created: ${result.errors.map((e) => e.text).join('; ')}`)
    for (const training of user.training ?? []) {
      await admin.recordTraining(system, result.value, training, null)
    }
  }
  for (const seed of DEMO_SEEDS) await seed(services, partnershipId)
  return { created: true, partnershipId, users: DEMO_USERS.length }
}
