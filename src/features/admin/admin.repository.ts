import { sql } from 'kysely'
import type { Role } from '../../platform/access/roles.js'
import { PERSON_COLUMNS, replaceUserRoles, rolesOfUser } from '../../platform/auth/auth.repository.js'
import type { Executor } from '../../platform/db/transaction.js'
import type { RoleGrantState } from './admin.tables.js'

export type UserSummary = { id: string; displayName: string; email: string; agencyName: string; roles: Role[]; disabledAt: Date | null }

export type UserDetail = UserSummary & {
  partnershipId: string
  agencyId: string
  version: number
  hasMfa: boolean
  hasPassword: boolean
  /** Signed in through the organisation's sign-in service (OpenID Connect) at least once. */
  oidcLinked: boolean
  teams: { id: string; name: string }[]
}

export type TrainingRow = { id: string; model: string; completedOn: Date; expiresOn: Date | null; createdAt: Date }
export type UserEventRow = { id: string; kind: string; detail: Record<string, unknown>; occurredAt: Date; actorName: string | null }
/** An agency and its teams, retired ones too (to name them in a person's history); forms offer those not retired. */
export type AgencyRow = {
  id: string
  name: string
  kind: string
  retired: boolean
  teams: { id: string; name: string; retired: boolean }[]
}

/** A role that opens children's records, waiting for (or given) a second person's decision. */
export type RoleGrantRow = {
  id: string
  userId: string
  userName: string
  agencyName: string
  roles: Role[]
  requestedBy: string | null
  requestedByName: string | null
  requestedAt: Date
  state: RoleGrantState
}

export function adminRepository() {
  return {
    async listUsers(
      db: Executor,
      partnershipId: string,
      options: { search?: string; offset: number; limit: number },
    ): Promise<{ users: UserSummary[]; total: number }> {
      let query = db.selectFrom('appUser as u').innerJoin('agency as g', 'g.id', 'u.agencyId').where('u.partnershipId', '=', partnershipId)
      if (options.search) {
        const like = `%${options.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
        query = query.where((eb) => eb.or([eb('u.displayName', 'ilike', like), eb('u.email', 'ilike', like)]))
      }
      const [users, count] = await Promise.all([
        query
          .select(['u.id', 'u.displayName', 'u.email', 'g.name as agencyName', 'u.disabledAt', rolesOfUser.as('roles')])
          .orderBy('u.displayName')
          .orderBy('u.id')
          .offset(options.offset)
          .limit(options.limit)
          .execute(),
        query.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
      ])
      return { users, total: Number(count.n) }
    },

    async findUser(db: Executor, partnershipId: string, userId: string): Promise<UserDetail | undefined> {
      return db
        .selectFrom('appUser as u')
        .innerJoin('agency as g', 'g.id', 'u.agencyId')
        .select([
          ...PERSON_COLUMNS,
          'u.disabledAt',
          'u.version',
          sql<boolean>`u.totp_secret IS NOT NULL`.as('hasMfa'),
          sql<boolean>`u.oidc_subject IS NOT NULL`.as('oidcLinked'),
          sql<boolean>`u.password_hash IS NOT NULL`.as('hasPassword'),
          rolesOfUser.as('roles'),
          sql<{ id: string; name: string }[]>`coalesce((SELECT json_agg(json_build_object('id', t.id, 'name', t.name) ORDER BY t.name)
            FROM team_member m JOIN team t ON t.id = m.team_id WHERE m.user_id = u.id), '[]'::json)`.as('teams'),
        ])
        .where('u.partnershipId', '=', partnershipId)
        .where('u.id', '=', userId)
        .executeTakeFirst()
    },

    async emailInUse(db: Executor, email: string): Promise<boolean> {
      const row = await db
        .selectFrom('appUser')
        .select('id')
        .where(sql`lower(email)`, '=', email.trim().toLowerCase())
        .executeTakeFirst()
      return !!row
    },

    async insertUser(
      db: Executor,
      user: {
        partnershipId: string
        agencyId: string
        email: string
        displayName: string
        passwordHash: string | null
        totpSecret?: string | null
      },
    ): Promise<string> {
      const row = await db
        .insertInto('appUser')
        .values({ ...user, totpSecret: user.totpSecret ?? null, oidcSubject: null, disabledAt: null, updatedAt: new Date() })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id
    },

    async replaceRolesAndTeams(db: Executor, userId: string, roles: readonly Role[], teamIds: readonly string[]): Promise<void> {
      await db.deleteFrom('teamMember').where('userId', '=', userId).execute()
      await replaceUserRoles(db, userId, roles)
      if (teamIds.length)
        await db
          .insertInto('teamMember')
          .values(teamIds.map((teamId) => ({ userId, teamId })))
          .execute()
    },

    /** Optimistic lock: the update happens only if nobody changed the person since the form was shown. */
    async bumpVersion(db: Executor, userId: string, expectedVersion: number): Promise<boolean> {
      const result = await db
        .updateTable('appUser')
        .set((eb) => ({ version: eb('version', '+', 1), updatedAt: new Date() }))
        .where('id', '=', userId)
        .where('version', '=', expectedVersion)
        .executeTakeFirst()
      return result.numUpdatedRows === 1n
    },

    async setDisabled(db: Executor, userId: string, disabled: boolean): Promise<void> {
      await db
        .updateTable('appUser')
        .set((eb) => ({ disabledAt: disabled ? new Date() : null, version: eb('version', '+', 1), updatedAt: new Date() }))
        .where('id', '=', userId)
        .execute()
    },

    async endSessions(db: Executor, userId: string): Promise<number> {
      const result = await db.deleteFrom('httpSession').where('userId', '=', userId).executeTakeFirst()
      return Number(result.numDeletedRows)
    },

    async insertTraining(
      db: Executor,
      record: {
        partnershipId: string
        userId: string
        model: string
        completedOn: string
        expiresOn: string | null
        recordedBy: string | null
      },
    ): Promise<string> {
      const row = await db.insertInto('trainingRecord').values(record).returning('id').executeTakeFirstOrThrow()
      return row.id
    },

    async listTraining(db: Executor, userId: string): Promise<TrainingRow[]> {
      return db
        .selectFrom('trainingRecord')
        .select(['id', 'model', 'completedOn', 'expiresOn', 'createdAt'])
        .where('userId', '=', userId)
        .orderBy('completedOn', 'desc')
        .execute()
    },

    async insertEvent(
      db: Executor,
      event: { partnershipId: string; userId: string; actorId: string | null; kind: string; detail: Record<string, unknown> },
    ): Promise<void> {
      await db
        .insertInto('userEvent')
        .values({ ...event, detail: JSON.stringify(event.detail) })
        .execute()
    },

    async listEvents(db: Executor, userId: string): Promise<UserEventRow[]> {
      return db
        .selectFrom('userEvent as e')
        .leftJoin('appUser as a', 'a.id', 'e.actorId')
        .select(['e.id', 'e.kind', 'e.detail', 'e.occurredAt', 'a.displayName as actorName'])
        .where('e.userId', '=', userId)
        .orderBy('e.id', 'desc')
        .limit(100)
        .execute()
    },

    /** Withdraws the person's open request (the roles asked of the administrator changed). */
    async withdrawRoleGrants(db: Executor, userId: string): Promise<void> {
      await db
        .updateTable('roleGrantRequest')
        .set({ state: 'WITHDRAWN', decidedAt: new Date() })
        .where('userId', '=', userId)
        .where('state', '=', 'PENDING')
        .execute()
    },

    /** Opens a request for roles that need a second person, withdrawing any older open one for the person. */
    async requestRoles(db: Executor, grant: { partnershipId: string; userId: string; roles: readonly Role[]; requestedBy: string }) {
      await this.withdrawRoleGrants(db, grant.userId)
      const row = await db
        .insertInto('roleGrantRequest')
        .values({ ...grant, roles: [...grant.roles] })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id
    },

    /** The partnership's requests, open ones (or one, by id, locked for its decision). */
    async roleGrants(
      db: Executor,
      partnershipId: string,
      filter: { id: string } | { state: 'PENDING'; userId?: string },
    ): Promise<RoleGrantRow[]> {
      let query = db
        .selectFrom('roleGrantRequest as q')
        .innerJoin('appUser as u', 'u.id', 'q.userId')
        .innerJoin('agency as g', 'g.id', 'u.agencyId')
        .leftJoin('appUser as r', 'r.id', 'q.requestedBy')
        .select([
          'q.id',
          'q.userId',
          'u.displayName as userName',
          'g.name as agencyName',
          sql<Role[]>`q.roles`.as('roles'),
          'q.requestedBy',
          'r.displayName as requestedByName',
          'q.requestedAt',
          'q.state',
        ])
        .where('q.partnershipId', '=', partnershipId)
      if ('id' in filter) return query.where('q.id', '=', filter.id).forUpdate('q').execute()
      query = query.where('q.state', '=', 'PENDING')
      if (filter.userId) query = query.where('q.userId', '=', filter.userId)
      return query.orderBy('q.requestedAt').orderBy('q.id').execute()
    },

    async decideRoleGrant(db: Executor, id: string, state: 'APPROVED' | 'DECLINED', decidedBy: string): Promise<void> {
      await db.updateTable('roleGrantRequest').set({ state, decidedBy, decidedAt: new Date() }).where('id', '=', id).execute()
    },

    async addRoles(db: Executor, userId: string, roles: readonly Role[]): Promise<void> {
      await db
        .insertInto('userRole')
        .values(roles.map((role) => ({ userId, role })))
        .onConflict((oc) => oc.columns(['userId', 'role']).doNothing())
        .execute()
      await db
        .updateTable('appUser')
        .set((eb) => ({ version: eb('version', '+', 1), updatedAt: new Date() }))
        .where('id', '=', userId)
        .execute()
    },

    async listAgencies(db: Executor, partnershipId: string): Promise<AgencyRow[]> {
      return db
        .selectFrom('agency as g')
        .select([
          'g.id',
          'g.name',
          'g.kind',
          sql<boolean>`g.retired_at IS NOT NULL`.as('retired'),
          sql<
            AgencyRow['teams']
          >`coalesce((SELECT json_agg(json_build_object('id', t.id, 'name', t.name, 'retired', t.retired_at IS NOT NULL) ORDER BY t.name)
            FROM team t WHERE t.agency_id = g.id), '[]'::json)`.as('teams'),
        ])
        .where('g.partnershipId', '=', partnershipId)
        .orderBy('g.name')
        .execute()
    },

    async insertPartnership(db: Executor, name: string): Promise<string> {
      const row = await db.insertInto('partnership').values({ name }).returning('id').executeTakeFirstOrThrow()
      return row.id
    },

    async insertAgency(db: Executor, agency: { partnershipId: string; name: string; kind: string }): Promise<string> {
      const row = await db.insertInto('agency').values(agency).returning('id').executeTakeFirstOrThrow()
      return row.id
    },

    async insertTeam(db: Executor, team: { partnershipId: string; agencyId: string; name: string }): Promise<string> {
      const row = await db.insertInto('team').values(team).returning('id').executeTakeFirstOrThrow()
      return row.id
    },

    async findPartnershipByName(db: Executor, name: string): Promise<string | undefined> {
      const row = await db.selectFrom('partnership').select('id').where('name', '=', name).executeTakeFirst()
      return row?.id
    },
  }
}
export type AdminRepository = ReturnType<typeof adminRepository>
