import { sql } from 'kysely'
import type { Services } from '../../src/composition.js'
import type { Role } from '../../src/platform/access/roles.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { BENCH_PASSWORD, BENCH_USERS, type BenchUserKey } from '../support/bench-env.js'
import type { SeedOptions } from './generator.js'
import { GIVEN_NAMES, FAMILY_NAMES } from './names.js'
import { rngFor } from './prng.js'
import { RowBuffer, type TableSpec } from './rows.js'

/**
 * Partnerships, agencies and teams (through the admin service, as the app makes them), and the
 * people who work the cases (bulk rows: no password, so they cannot sign in). Partnership 1
 * also gets the benchmark's own people, made through the admin service with a password and a
 * known TOTP seed; each takes the first place of its kind, so it has a realistic caseload.
 */
export type Person = { id: string; teamId: string | null; agencyId: string }

export type PartnershipOrg = {
  id: string
  index: number
  name: string
  /** Children in this partnership, and the global index of its first. */
  childCount: number
  childOffset: number
  agencies: { csc: string; police: string; yos: string; health: string; school: string; partnership: string }
  teams: { frontDoor: string; assessment: string[]; sqr: string; cpu: string; yot: string; nursing: string }
  people: {
    socialWorkers: Person[]
    frontDoorWorkers: Person[]
    /** One per assessment team (same order), then the front door's. */
    teamManagers: Person[]
    hsbLeads: Person[]
    police: Person[]
    yos: Person[]
    referrers: Person[]
  }
  /** Partnership 1 only: the people who sign in. */
  benchUsers?: Record<BenchUserKey, string>
}

const USER: TableSpec = {
  table: 'app_user',
  columns: [
    ['id', 'uuid'],
    ['partnership_id', 'uuid'],
    ['agency_id', 'uuid'],
    ['email', 'text'],
    ['display_name', 'text'],
  ],
}
const USER_ROLE: TableSpec = {
  table: 'user_role',
  columns: [
    ['user_id', 'uuid'],
    ['role', 'text'],
  ],
}
const TEAM_MEMBER: TableSpec = {
  table: 'team_member',
  columns: [
    ['team_id', 'uuid'],
    ['user_id', 'uuid'],
  ],
}

export function partnershipName(seed: number, index: number): string {
  return `Bench Partnership ${index + 1} (seed ${seed})`
}

export async function createOrganisation(services: Services, options: SeedOptions): Promise<PartnershipOrg[]> {
  const orgs: PartnershipOrg[] = []
  const base = Math.floor(options.children / options.partnerships)
  let offset = 0
  for (let p = 0; p < options.partnerships; p++) {
    const childCount = p === options.partnerships - 1 ? options.children - offset : base
    orgs.push(await createPartnership(services, options, p, childCount, offset))
    offset += childCount
  }
  return orgs
}

async function createPartnership(
  services: Services,
  options: SeedOptions,
  p: number,
  n: number,
  childOffset: number,
): Promise<PartnershipOrg> {
  const admin = services.admin.service
  const name = partnershipName(options.seed, p)
  if (await admin.findPartnership(name)) throw new Error(`“${name}” is already in this database: seed a fresh database`)
  const id = await admin.createPartnership(name)
  const by = { system: true as const, partnershipId: id }
  const agency = (agencyName: string, kind: string) => admin.createAgency(by, { name: agencyName, kind })
  const agencies = {
    csc: await agency('Bench Children’s Services', 'CHILDRENS_SERVICES'),
    police: await agency('Bench Police', 'POLICE'),
    yos: await agency('Bench Youth Offending Service', 'YOUTH_OFFENDING'),
    health: await agency('Bench Community Health', 'HEALTH'),
    school: await agency('Bench Academy Trust', 'EDUCATION'),
    partnership: await agency('Bench Partnership Business Unit', 'PARTNERSHIP'),
  }
  const team = (agencyId: string, teamName: string) => admin.createTeam(by, { agencyId, name: teamName })
  const assessmentCount = Math.max(1, Math.ceil(n / 2500))
  const teams = {
    frontDoor: await team(agencies.csc, 'Front Door (MASH)'),
    assessment: [] as string[],
    sqr: await team(agencies.csc, 'Safeguarding Quality and Review'),
    cpu: await team(agencies.police, 'Child Protection Unit'),
    yot: await team(agencies.yos, 'Youth Offending Team'),
    nursing: await team(agencies.health, 'School Nursing'),
  }
  for (let t = 0; t < assessmentCount; t++) teams.assessment.push(await team(agencies.csc, `Assessment Team ${t + 1}`))
  await services.referrals.service.setFrontDoorTeam(by, teams.frontDoor)

  const org: PartnershipOrg = {
    id,
    index: p,
    name,
    childCount: n,
    childOffset,
    agencies,
    teams,
    people: { socialWorkers: [], frontDoorWorkers: [], teamManagers: [], hsbLeads: [], police: [], yos: [], referrers: [] },
  }

  if (p === 0) {
    const make = async (key: BenchUserKey, role: Role, teamIds: string[]) => {
      const u = BENCH_USERS[key]
      const result = await admin.createUser(
        by,
        {
          displayName: u.displayName,
          email: u.email,
          agencyId: agencies.csc,
          roles: [role],
          teamIds,
          password: BENCH_PASSWORD,
          totpSecret: u.totpSecret,
        },
        null,
      )
      if (!result.ok) throw new Error(`bench user ${key}: ${result.errors.map((e) => e.text).join('; ')}`)
      return result.value
    }
    org.benchUsers = {
      socialWorker: await make('socialWorker', 'SOCIAL_WORKER', [teams.assessment[0]!, teams.frontDoor]),
      teamManager: await make('teamManager', 'TEAM_MANAGER', [teams.assessment[0]!]),
      hsbLead: await make('hsbLead', 'HSB_LEAD', [teams.sqr]),
      headOfService: await make('headOfService', 'HEAD_OF_SERVICE', []),
    }
    org.people.socialWorkers.push({ id: org.benchUsers.socialWorker, teamId: teams.assessment[0]!, agencyId: agencies.csc })
    org.people.frontDoorWorkers.push({ id: org.benchUsers.socialWorker, teamId: teams.frontDoor, agencyId: agencies.csc })
    org.people.teamManagers.push({ id: org.benchUsers.teamManager, teamId: teams.assessment[0]!, agencyId: agencies.csc })
    org.people.hsbLeads.push({ id: org.benchUsers.hsbLead, teamId: teams.sqr, agencyId: agencies.csc })
  }

  const users = new RowBuffer(USER)
  const roles = new RowBuffer(USER_ROLE)
  const members = new RowBuffer(TEAM_MEMBER)
  const rng = rngFor(options.seed, 'people', p)
  let serial = 0
  const add = (list: Person[], count: number, role: Role, agencyId: string, teamFor: (i: number) => string | null) => {
    for (let i = list.length; i < count; i++) {
      const userId = rng.uuid()
      const teamId = teamFor(i)
      const displayName = `${rng.pick(GIVEN_NAMES)} ${rng.pick(FAMILY_NAMES)}`
      users.push([userId, id, agencyId, `${role.toLowerCase().replace(/_/g, '-')}.${p + 1}.${++serial}@bench.example`, displayName])
      roles.push([userId, role])
      if (teamId) members.push([teamId, userId])
      list.push({ id: userId, teamId, agencyId })
    }
  }
  const ppl = org.people
  add(ppl.socialWorkers, Math.max(2, Math.ceil(n / 40)), 'SOCIAL_WORKER', agencies.csc, (i) => teams.assessment[i % assessmentCount]!)
  add(ppl.frontDoorWorkers, Math.max(3, Math.ceil(n / 1500)), 'SOCIAL_WORKER', agencies.csc, () => teams.frontDoor)
  add(ppl.teamManagers, assessmentCount + 1, 'TEAM_MANAGER', agencies.csc, (i) =>
    i < assessmentCount ? teams.assessment[i]! : teams.frontDoor,
  )
  add(ppl.hsbLeads, Math.max(1, Math.ceil(n / 20_000)), 'HSB_LEAD', agencies.csc, () => teams.sqr)
  add(ppl.police, Math.max(2, Math.ceil(n / 1000)), 'POLICE_OFFICER', agencies.police, () => teams.cpu)
  add(ppl.yos, Math.max(2, Math.ceil(n / 2000)), 'YOS_OFFICER', agencies.yos, () => teams.yot)
  add(ppl.referrers, Math.max(5, Math.ceil(n / 500)), 'REFERRER', agencies.school, () => null)
  await transaction(services.db, 'system', async (trx) => {
    await sql`SET LOCAL ROLE NONE`.execute(trx)
    await users.flush(trx)
    await roles.flush(trx)
    await members.flush(trx)
  })
  return org
}
