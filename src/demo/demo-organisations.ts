import type { Services } from '../composition.js'
import { DEMO_EMAILS } from './demo-data.js'
import { DEMO_REQUEST_ID, demoPeople } from './demo-steps.js'

/** The demo's agency that came and went: added, renamed, then retired when its service closed. */
export const DEMO_RETIRED_AGENCY = { added: 'Northshire Family Mediation Service', renamed: 'Northshire Family Mediation' } as const
/** The demo's renamed team (no other demo data names it after the seed). */
export const DEMO_RENAMED_TEAM = { from: 'Family Support Team', to: 'Family Support and Early Help Team' } as const

/**
 * The partnership's organisations kept on the Organisations pages, through the service, so each
 * history shows in use: Chris Morgan (system administrator) adds a voluntary-sector agency, Ben
 * Carter (business manager) renames it, and Chris retires it (its service closed; nobody used
 * it); Ben renames a children's services team. Runs after every other demo seed, so nothing
 * else looks for the old names.
 */
export async function seedDemoOrganisations(services: Services, partnershipId: string): Promise<void> {
  const organisations = services.organisations.service
  const { chris, ben } = await demoPeople(services, partnershipId, { chris: DEMO_EMAILS.chris, ben: DEMO_EMAILS.ben })
  const fail = (what: string, errors: { text: string }[]): never => {
    throw new Error(`Demo organisations: ${what}: ${errors.map((e) => e.text).join('; ')}`)
  }

  const added = await organisations.addAgency(chris, { name: DEMO_RETIRED_AGENCY.added, kind: 'VOLUNTARY', key: null }, DEMO_REQUEST_ID)
  if (!added.ok) return fail('add', added.errors)
  const renamed = await organisations.changeAgency(
    ben,
    added.value,
    { name: DEMO_RETIRED_AGENCY.renamed, kind: 'VOLUNTARY', version: 1, key: null },
    DEMO_REQUEST_ID,
  )
  if (!renamed.ok) return fail('rename', renamed.errors)
  const retired = await organisations.retireAgency(chris, added.value, { version: 2 }, DEMO_REQUEST_ID)
  if (!retired.ok) return fail('retire', retired.errors)

  const agencies = await organisations.overview(ben, DEMO_REQUEST_ID)
  const team = agencies.flatMap((a) => a.teams).find((t) => t.name === DEMO_RENAMED_TEAM.from)
  if (!team) return
  const { team: detail } = await organisations.viewTeam(ben, team.id, DEMO_REQUEST_ID)
  const teamRenamed = await organisations.changeTeam(
    ben,
    team.id,
    {
      name: DEMO_RENAMED_TEAM.to,
      agencyId: detail.agencyId,
      frontDoor: detail.isFrontDoor ? 'yes' : 'no',
      version: detail.version,
      key: null,
    },
    DEMO_REQUEST_ID,
  )
  if (!teamRenamed.ok) fail('rename team', teamRenamed.errors)
}
