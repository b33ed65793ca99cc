import { sql } from 'kysely'
import type { Role } from '../access/roles.js'
import type { Executor } from '../db/transaction.js'

export type AgencyOption = { id: string; name: string; kind: string }
export type TeamOption = { id: string; name: string; agencyId: string; agencyName: string }
/** What a list is for: offering (current only, the default) or naming what records already hold. */
export type Listing = { includeRetired?: boolean }
export type PersonOption = { id: string; displayName: string; agencyId: string; agencyName: string; roles: Role[] }

/**
 * The partnership's organisation as forms offer it: its agencies, teams and people (with an
 * account that is not disabled). The organisation tables have no row-level security, so every
 * query here names the partnership. SQL only; every method takes the caller's transaction.
 */
export function directory() {
  return {
    /**
     * The agencies a form offers for a new record: not retired (features/organisations). Naming
     * the agencies of records already kept (a report, an old plan) takes `{ includeRetired: true }`.
     */
    async agencies(db: Executor, partnershipId: string, options: Listing = {}): Promise<AgencyOption[]> {
      return db
        .selectFrom('agency')
        .select(['id', 'name', 'kind'])
        .where('partnershipId', '=', partnershipId)
        .$if(!options.includeRetired, (q) => q.where('retiredAt', 'is', null))
        .orderBy('name')
        .execute()
    },

    /** The teams a form offers: not retired, nor in a retired agency (unless `includeRetired`). */
    async teams(db: Executor, partnershipId: string, options: Listing = {}): Promise<TeamOption[]> {
      return db
        .selectFrom('team as t')
        .innerJoin('agency as g', 'g.id', 't.agencyId')
        .select(['t.id', 't.name', 't.agencyId', 'g.name as agencyName'])
        .where('t.partnershipId', '=', partnershipId)
        .$if(!options.includeRetired, (q) => q.where('t.retiredAt', 'is', null).where('g.retiredAt', 'is', null))
        .orderBy('g.name')
        .orderBy('t.name')
        .execute()
    },

    /** People (not disabled) with their agency and roles; only those holding one of `roles` when given. */
    async people(db: Executor, partnershipId: string, roles?: readonly Role[]): Promise<PersonOption[]> {
      return db
        .selectFrom('appUser as u')
        .innerJoin('agency as g', 'g.id', 'u.agencyId')
        .select([
          'u.id',
          'u.displayName',
          'u.agencyId',
          'g.name as agencyName',
          sql<Role[]>`coalesce((SELECT array_agg(r.role ORDER BY r.role) FROM user_role r WHERE r.user_id = u.id), '{}')`.as('roles'),
        ])
        .where('u.partnershipId', '=', partnershipId)
        .where('u.disabledAt', 'is', null)
        .$if(!!roles, (q) =>
          q.where(({ exists, selectFrom }) =>
            exists(
              selectFrom('userRole as r')
                .select('r.userId')
                .whereRef('r.userId', '=', 'u.id')
                .where('r.role', 'in', [...roles!]),
            ),
          ),
        )
        .orderBy('u.displayName')
        .orderBy('u.id')
        .execute()
    },

    /** The ids of the people (not disabled) holding any of these roles: who a notification goes to. */
    async holdersOf(db: Executor, partnershipId: string, roles: readonly Role[]): Promise<string[]> {
      const rows = await db
        .selectFrom('appUser as u')
        .innerJoin('userRole as r', 'r.userId', 'u.id')
        .select('u.id')
        .distinct()
        .where('u.partnershipId', '=', partnershipId)
        .where('u.disabledAt', 'is', null)
        .where('r.role', 'in', [...roles])
        .execute()
      return rows.map((r) => r.id)
    },

    /** A team's manager (the first by name, not disabled), if it has one. */
    async teamManagerOf(db: Executor, teamId: string): Promise<string | undefined> {
      const row = await db
        .selectFrom('teamMember as m')
        .innerJoin('userRole as r', 'r.userId', 'm.userId')
        .innerJoin('appUser as u', 'u.id', 'm.userId')
        .select('m.userId')
        .where('m.teamId', '=', teamId)
        .where('r.role', '=', 'TEAM_MANAGER')
        .where('u.disabledAt', 'is', null)
        .orderBy('u.displayName')
        .executeTakeFirst()
      return row?.userId
    },
  }
}
export type Directory = ReturnType<typeof directory>
