import { sql } from 'kysely'
import { isRole, type Role } from '../access/roles.js'
import type { Executor } from '../db/transaction.js'
import type { CurrentUser } from './current-user.js'

export type SignInRecord = {
  id: string
  partnershipId: string
  email: string
  displayName: string
  passwordHash: string | null
  totpSecret: string | null
  totpLastStep: string | null
  disabledAt: Date | null
}

export type FailureCount = { count: number; oldestAt: Date | null }
export type FailureCounts = { pair: FailureCount; account: FailureCount; client: FailureCount }
export type SecurityCodeState = { wrongCodes: number; lockedUntil: Date | null }

/** What sign-in writes into a person's history (user_event). */
export type UserEventKind = 'SECURITY_CODE_WRONG' | 'SECURITY_CODES_LOCKED' | 'SECURITY_CODES_UNLOCKED' | 'PASSWORD_SET'

/** A person's roles, in order (on the app_user row aliased u; user_role.role is checked against the roles). */
export const rolesOfUser = sql<Role[]>`coalesce((SELECT array_agg(r.role ORDER BY r.role) FROM user_role r WHERE r.user_id = u.id), '{}')`
const teamsOfUser = sql<string[]>`coalesce((SELECT array_agg(t.team_id::text) FROM team_member t WHERE t.user_id = u.id), '{}')`

/** Who a person is (app_user aliased u, their agency aliased g): a signed-in person, or one an administrator looks at. */
export const PERSON_COLUMNS = ['u.id', 'u.partnershipId', 'u.agencyId', 'u.displayName', 'u.email', 'g.name as agencyName'] as const
/** The signed-in person, for both ways of loading them. */
const CURRENT_USER_COLUMNS = [...PERSON_COLUMNS, rolesOfUser.as('roles'), teamsOfUser.as('teamIds')] as const

/** What signing in checks about an account. */
const signInRecord = (db: Executor) =>
  db
    .selectFrom('appUser')
    .select(['id', 'partnershipId', 'email', 'displayName', 'passwordHash', 'totpSecret', 'totpLastStep', 'disabledAt'])

/** Replaces a person's roles (those given, none if empty). */
export async function replaceUserRoles(db: Executor, userId: string, roles: readonly Role[]): Promise<void> {
  await db.deleteFrom('userRole').where('userId', '=', userId).execute()
  if (roles.length)
    await db
      .insertInto('userRole')
      .values(roles.map((role) => ({ userId, role })))
      .execute()
}

export function authRepository() {
  return {
    async findForSignIn(db: Executor, email: string): Promise<SignInRecord | undefined> {
      return signInRecord(db)
        .where(sql`lower(email)`, '=', email.trim().toLowerCase())
        .executeTakeFirst()
    },

    async findById(db: Executor, userId: string): Promise<SignInRecord | undefined> {
      return signInRecord(db).where('id', '=', userId).executeTakeFirst()
    },

    /** The signed-in person with roles, teams and agency, in one statement. */
    async loadCurrentUser(db: Executor, userId: string): Promise<CurrentUser | undefined> {
      const row = await db
        .selectFrom('appUser as u')
        .innerJoin('agency as g', 'g.id', 'u.agencyId')
        .select(CURRENT_USER_COLUMNS)
        .where('u.id', '=', userId)
        .where('u.disabledAt', 'is', null)
        .executeTakeFirst()
      if (!row) return undefined
      const roles: Role[] = row.roles.filter(isRole)
      return { ...row, roles, teamIds: row.teamIds }
    },

    /**
     * A live session row and, in the same statement, the person it belongs to as
     * `loadCurrentUser` would load them (undefined when disabled or gone): one round trip
     * instead of two on every signed-in request.
     */
    async loadSessionWithUser(
      db: Executor,
      sid: string,
      now: Date,
    ): Promise<{ data: unknown; userId: string | null; user: CurrentUser | undefined } | undefined> {
      const row = await db
        .selectFrom('httpSession as s')
        .leftJoin('appUser as u', (join) => join.onRef('u.id', '=', 's.userId').on('u.disabledAt', 'is', null))
        .leftJoin('agency as g', 'g.id', 'u.agencyId')
        .select(['s.data', 's.userId', ...CURRENT_USER_COLUMNS])
        .where('s.sid', '=', sid)
        .where('s.expiresAt', '>', now)
        .executeTakeFirst()
      if (!row) return undefined
      const { data, userId, id, partnershipId, agencyId, displayName, email, agencyName } = row
      const user: CurrentUser | undefined =
        id && partnershipId && agencyId && displayName !== null && email !== null && agencyName !== null
          ? { id, partnershipId, agencyId, displayName, email, agencyName, roles: row.roles.filter(isRole), teamIds: row.teamIds }
          : undefined
      return { data, userId, user }
    },

    async setTotpSecret(db: Executor, userId: string, secret: string, step: number): Promise<void> {
      await db
        .updateTable('appUser')
        .set({ totpSecret: secret, totpLastStep: step, updatedAt: new Date() })
        .where('id', '=', userId)
        .execute()
    },

    /** Records the accepted step only if it is newer: a code cannot be used twice, even in a race. */
    async claimTotpStep(db: Executor, userId: string, step: number): Promise<boolean> {
      const result = await db
        .updateTable('appUser')
        .set({ totpLastStep: step })
        .where('id', '=', userId)
        .where((eb) => eb.or([eb('totpLastStep', 'is', null), eb('totpLastStep', '<', String(step))]))
        .executeTakeFirst()
      return result.numUpdatedRows === 1n
    },

    async recordFailure(db: Executor, emailHash: string, clientKey: string): Promise<void> {
      await db.insertInto('signInFailure').values({ emailHash, clientKey }).execute()
    },

    /**
     * Recent failures for the password throttle, in one statement: for this account from this
     * address (the pair), for this account from any address, and from this address for any account.
     */
    async countFailures(db: Executor, emailHash: string, clientKey: string, since: Date): Promise<FailureCounts> {
      const row = await db
        .selectFrom('signInFailure')
        .select([
          sql<string>`count(*) FILTER (WHERE email_hash = ${emailHash} AND client_key = ${clientKey})`.as('pair'),
          sql<string>`count(*) FILTER (WHERE email_hash = ${emailHash})`.as('account'),
          sql<string>`count(*) FILTER (WHERE client_key = ${clientKey})`.as('client'),
          sql<Date | null>`min(occurred_at) FILTER (WHERE email_hash = ${emailHash} AND client_key = ${clientKey})`.as('oldestPairAt'),
          sql<Date | null>`min(occurred_at) FILTER (WHERE email_hash = ${emailHash})`.as('oldestAccountAt'),
          sql<Date | null>`min(occurred_at) FILTER (WHERE client_key = ${clientKey})`.as('oldestClientAt'),
        ])
        .where((eb) => eb.or([eb('emailHash', '=', emailHash), eb('clientKey', '=', clientKey)]))
        .where('occurredAt', '>', since)
        .executeTakeFirstOrThrow()
      return {
        pair: { count: Number(row.pair), oldestAt: row.oldestPairAt },
        account: { count: Number(row.account), oldestAt: row.oldestAccountAt },
        client: { count: Number(row.client), oldestAt: row.oldestClientAt },
      }
    },

    async clearFailures(db: Executor, emailHash: string, clientKey: string): Promise<void> {
      await db.deleteFrom('signInFailure').where('emailHash', '=', emailHash).where('clientKey', '=', clientKey).execute()
    },

    async pruneFailures(db: Executor, before: Date): Promise<void> {
      await db.deleteFrom('signInFailure').where('occurredAt', '<', before).execute()
    },

    /**
     * Holds the account's row until the transaction ends, so that two code checks for one account
     * (in any process) are counted one after the other, never both against the same count.
     */
    async holdForCodeCheck(db: Executor, userId: string): Promise<void> {
      await db.selectFrom('appUser').select('id').where('id', '=', userId).forUpdate().executeTakeFirst()
    },

    async securityCodeState(db: Executor, userId: string): Promise<SecurityCodeState | undefined> {
      return db.selectFrom('securityCodeLock').select(['wrongCodes', 'lockedUntil']).where('userId', '=', userId).executeTakeFirst()
    },

    /** Counts one more wrong code for the account; returns how many in a row now. */
    async recordWrongCode(db: Executor, userId: string, partnershipId: string, at: Date): Promise<number> {
      const row = await db
        .insertInto('securityCodeLock')
        .values({ userId, partnershipId, wrongCodes: 1, lastWrongAt: at })
        .onConflict((oc) =>
          oc.column('userId').doUpdateSet((eb) => ({ wrongCodes: eb('securityCodeLock.wrongCodes', '+', 1), lastWrongAt: at })),
        )
        .returning('wrongCodes')
        .executeTakeFirstOrThrow()
      return row.wrongCodes
    },

    async lockSecurityCodes(db: Executor, userId: string, lockedAt: Date, lockedUntil: Date): Promise<void> {
      await db.updateTable('securityCodeLock').set({ lockedAt, lockedUntil }).where('userId', '=', userId).execute()
    },

    /** Forgets the account's wrong codes and any lock; returns what there was. */
    async resetSecurityCodes(db: Executor, userId: string): Promise<SecurityCodeState | undefined> {
      return db.deleteFrom('securityCodeLock').where('userId', '=', userId).returning(['wrongCodes', 'lockedUntil']).executeTakeFirst()
    },

    /** An entry in the person's history (user_event), which administrators read. */
    async insertUserEvent(
      db: Executor,
      event: {
        partnershipId: string
        userId: string
        actorId: string | null
        kind: UserEventKind
        detail: Record<string, string | number | boolean | null>
      },
    ): Promise<void> {
      await db
        .insertInto('userEvent')
        .values({ ...event, detail: JSON.stringify(event.detail) })
        .execute()
    },

    async pruneSessions(db: Executor, now: Date): Promise<void> {
      await db.deleteFrom('httpSession').where('expiresAt', '<=', now).execute()
    },

    async listDemoAccounts(db: Executor): Promise<{ email: string; displayName: string; roles: string[]; agencyName: string }[]> {
      return db
        .selectFrom('appUser as u')
        .innerJoin('agency as g', 'g.id', 'u.agencyId')
        .select(['u.email', 'u.displayName', 'g.name as agencyName', rolesOfUser.as('roles')])
        .where('u.disabledAt', 'is', null)
        .where('u.passwordHash', 'is not', null)
        .orderBy('u.displayName')
        .execute()
    },
  }
}
export type AuthRepository = ReturnType<typeof authRepository>
