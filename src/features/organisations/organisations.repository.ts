import { sql } from 'kysely'
import type { Executor } from '../../platform/db/transaction.js'
import type { Change, Named } from './organisations.rules.js'

export type TeamSummary = { id: string; name: string; isFrontDoor: boolean; retired: boolean; members: number }
export type AgencySummary = { id: string; name: string; kind: string; retiredAt: Date | null; activePeople: number; teams: TeamSummary[] }
export type AgencyDetail = AgencySummary & { version: number; createdAt: Date }
export type TeamDetail = {
  id: string
  name: string
  agencyId: string
  agencyName: string
  agencyRetired: boolean
  isFrontDoor: boolean
  retiredAt: Date | null
  version: number
  createdAt: Date
  /** The people in the team (accounts not disabled), by name. */
  members: string[]
  /** How many other teams of the partnership are the front door. */
  otherFrontDoors: number
}
export type ChangeRow = Change & { id: string; changedAt: Date; changedByName: string | null }

/**
 * SQL for the partnership's agencies, teams and their history. The organisation tables have no
 * row-level security: every query names the partnership (or an id found through it).
 */
export function organisationsRepository() {
  const teamsJson = sql<TeamSummary[]>`coalesce((
      SELECT json_agg(json_build_object(
        'id', t.id, 'name', t.name, 'isFrontDoor', t.is_front_door, 'retired', t.retired_at IS NOT NULL,
        'members', (SELECT count(*) FROM team_member m JOIN app_user u ON u.id = m.user_id WHERE m.team_id = t.id AND u.disabled_at IS NULL)
      ) ORDER BY t.retired_at IS NOT NULL, lower(t.name))
      FROM team t WHERE t.agency_id = g.id), '[]'::json)`
  const activePeople = sql<number>`(SELECT count(*)::int FROM app_user u WHERE u.agency_id = g.id AND u.disabled_at IS NULL)`

  const agencies = (db: Executor, partnershipId: string) =>
    db
      .selectFrom('agency as g')
      .select([
        'g.id',
        'g.name',
        'g.kind',
        'g.retiredAt',
        'g.version',
        'g.createdAt',
        activePeople.as('activePeople'),
        teamsJson.as('teams'),
      ])
      .where('g.partnershipId', '=', partnershipId)

  return {
    /** Serialises changes to one partnership's organisations (names are checked, then kept, in one go). */
    async lockPartnership(db: Executor, partnershipId: string): Promise<void> {
      await db.selectFrom('partnership').select('id').where('id', '=', partnershipId).forUpdate().execute()
    },

    /** Every agency with its teams: current ones first, then retired, each by name. */
    async listAgencies(db: Executor, partnershipId: string): Promise<AgencySummary[]> {
      return agencies(db, partnershipId)
        .orderBy(sql`g.retired_at IS NOT NULL`)
        .orderBy(sql`lower(g.name)`)
        .execute()
    },

    async findAgency(db: Executor, partnershipId: string, agencyId: string): Promise<AgencyDetail | undefined> {
      return agencies(db, partnershipId).where('g.id', '=', agencyId).executeTakeFirst()
    },

    async findTeam(db: Executor, partnershipId: string, teamId: string): Promise<TeamDetail | undefined> {
      return db
        .selectFrom('team as t')
        .innerJoin('agency as g', 'g.id', 't.agencyId')
        .select([
          't.id',
          't.name',
          't.agencyId',
          'g.name as agencyName',
          sql<boolean>`g.retired_at IS NOT NULL`.as('agencyRetired'),
          't.isFrontDoor',
          't.retiredAt',
          't.version',
          't.createdAt',
          sql<string[]>`coalesce((SELECT array_agg(u.display_name ORDER BY u.display_name) FROM team_member m
            JOIN app_user u ON u.id = m.user_id WHERE m.team_id = t.id AND u.disabled_at IS NULL), '{}')`.as('members'),
          sql<number>`(SELECT count(*)::int FROM team o WHERE o.partnership_id = t.partnership_id AND o.id <> t.id AND o.is_front_door)`.as(
            'otherFrontDoors',
          ),
        ])
        .where('t.partnershipId', '=', partnershipId)
        .where('t.id', '=', teamId)
        .executeTakeFirst()
    },

    /** Every agency's name (retired ones too): names are unique in the partnership. */
    async agencyNames(db: Executor, partnershipId: string): Promise<Named[]> {
      return db
        .selectFrom('agency')
        .select(['id', 'name', sql<boolean>`retired_at IS NOT NULL`.as('retired')])
        .where('partnershipId', '=', partnershipId)
        .execute()
    },

    async teamNames(db: Executor, partnershipId: string): Promise<Named[]> {
      return db
        .selectFrom('team as t')
        .innerJoin('agency as g', 'g.id', 't.agencyId')
        .select(['t.id', 't.name', sql<boolean>`t.retired_at IS NOT NULL`.as('retired'), 'g.name as agencyName'])
        .where('t.partnershipId', '=', partnershipId)
        .execute()
    },

    /** The agencies a new team may join. */
    async currentAgencies(db: Executor, partnershipId: string): Promise<{ id: string; name: string }[]> {
      return db
        .selectFrom('agency')
        .select(['id', 'name'])
        .where('partnershipId', '=', partnershipId)
        .where('retiredAt', 'is', null)
        .orderBy(sql`lower(name)`)
        .execute()
    },

    async insertAgency(db: Executor, row: { partnershipId: string; name: string; kind: string }): Promise<string> {
      return (await db.insertInto('agency').values(row).returning('id').executeTakeFirstOrThrow()).id
    },

    async insertTeam(db: Executor, row: { partnershipId: string; agencyId: string; name: string; isFrontDoor: boolean }): Promise<string> {
      return (await db.insertInto('team').values(row).returning('id').executeTakeFirstOrThrow()).id
    },

    /** Changes the agency if it is still at `version` (false: someone changed it since). */
    async updateAgency(db: Executor, agencyId: string, version: number, set: { name?: string; kind?: string; retiredAt?: Date }) {
      const row = await db
        .updateTable('agency')
        .set({ ...set, version: version + 1 })
        .where('id', '=', agencyId)
        .where('version', '=', version)
        .where('retiredAt', 'is', null)
        .returning('id')
        .executeTakeFirst()
      return row !== undefined
    },

    async updateTeam(db: Executor, teamId: string, version: number, set: { name?: string; isFrontDoor?: boolean; retiredAt?: Date }) {
      const row = await db
        .updateTable('team')
        .set({ ...set, version: version + 1 })
        .where('id', '=', teamId)
        .where('version', '=', version)
        .where('retiredAt', 'is', null)
        .returning('id')
        .executeTakeFirst()
      return row !== undefined
    },

    async insertChanges(
      db: Executor,
      of: { partnershipId: string; agencyId?: string; teamId?: string; changedBy: string | null; formKey?: string | null },
      changes: readonly Change[],
    ): Promise<void> {
      if (!changes.length) return
      await db
        .insertInto('organisationChange')
        .values(
          changes.map((c) => ({
            partnershipId: of.partnershipId,
            agencyId: of.agencyId ?? null,
            teamId: of.teamId ?? null,
            change: c.change,
            before: c.before ? JSON.stringify(c.before) : null,
            after: c.after ? JSON.stringify(c.after) : null,
            changedBy: of.changedBy,
            formKey: of.formKey ?? null,
          })),
        )
        .execute()
    },

    /** What a form with this key added already (sent twice), if anything. */
    async addedWith(
      db: Executor,
      partnershipId: string,
      formKey: string,
    ): Promise<{ agencyId: string | null; teamId: string | null } | undefined> {
      return db
        .selectFrom('organisationChange')
        .select(['agencyId', 'teamId'])
        .where('partnershipId', '=', partnershipId)
        .where('formKey', '=', formKey)
        .executeTakeFirst()
    },

    /** The history of an agency or a team, newest first. */
    async history(db: Executor, of: { agencyId: string } | { teamId: string }): Promise<ChangeRow[]> {
      return db
        .selectFrom('organisationChange as c')
        .leftJoin('appUser as u', 'u.id', 'c.changedBy')
        .select(['c.id', 'c.change', 'c.before', 'c.after', 'c.changedAt', 'u.displayName as changedByName'])
        .$if('agencyId' in of, (q) => q.where('c.agencyId', '=', (of as { agencyId: string }).agencyId))
        .$if('teamId' in of, (q) => q.where('c.teamId', '=', (of as { teamId: string }).teamId))
        .orderBy('c.changedAt', 'desc')
        .orderBy('c.id', 'desc')
        .execute()
    },
  }
}
export type OrganisationsRepository = ReturnType<typeof organisationsRepository>
