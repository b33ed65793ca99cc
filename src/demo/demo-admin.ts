import type { Services } from '../composition.js'
import { demoPeople } from './demo-steps.js'

const REQUEST_ID = 'demo-admin'

/**
 * Separation of duties in use: the system administrator has asked for a lead auditor to be given
 * the social worker role too. It opens children's records, so it waits on "Roles waiting for
 * approval" for a head of service or HSB lead; the privacy officer has been told. All fictional.
 */
export async function seedDemoAdmin(services: Services, partnershipId: string): Promise<void> {
  const admin = services.admin.service
  const { chris } = await demoPeople(services, partnershipId, { chris: 'chris.morgan@northshire.example' })
  const { users } = await admin.listUsers(chris, { page: 1, search: 'grace.lewis@northshire.example' })
  const grace = users[0]
  if (!grace) throw new Error('Demo data: no lead auditor Grace Lewis')
  const { user } = await admin.viewUser(chris, grace.id)
  const result = await admin.setRolesAndTeams(
    chris,
    grace.id,
    { roles: [...user.roles, 'SOCIAL_WORKER'], teamIds: user.teams.map((t) => t.id), version: user.version },
    REQUEST_ID,
  )
  if (!result.ok || result.value.awaitingApproval.length === 0) throw new Error('Demo data: the role request was not made')
}
