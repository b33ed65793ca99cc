import { sql } from 'kysely'
import type { Role } from '../access/roles.js'
import type { Executor } from '../db/transaction.js'
import { replaceUserRoles } from './auth.repository.js'

export type OidcAccount = { id: string; partnershipId: string; oidcSubject: string | null; disabledAt: Date | null }

/** The SQL behind OpenID Connect sign-in. `app_user` has no row-level security: look-ups work before a scope is known. */
export function oidcRepository() {
  const columns = ['id', 'partnershipId', 'oidcSubject', 'disabledAt'] as const
  return {
    async findBySubject(db: Executor, subject: string): Promise<OidcAccount | undefined> {
      return db.selectFrom('appUser').select(columns).where('oidcSubject', '=', subject).executeTakeFirst()
    },

    /** Case-insensitive, as the unique index on lower(email) is. */
    async findByEmail(db: Executor, email: string): Promise<OidcAccount | undefined> {
      return db
        .selectFrom('appUser')
        .select(columns)
        .where(sql`lower(email)`, '=', email.trim().toLowerCase())
        .executeTakeFirst()
    },

    /** Locks the person's row for the rest of the transaction, so the checks made on it still hold at commit. */
    async lockById(db: Executor, userId: string): Promise<OidcAccount | undefined> {
      return db.selectFrom('appUser').select(columns).where('id', '=', userId).forUpdate().executeTakeFirst()
    },

    /** Links the account to the provider's subject only if it is not linked yet; false when it was. */
    async linkSubject(db: Executor, userId: string, subject: string): Promise<boolean> {
      const result = await db
        .updateTable('appUser')
        .set({ oidcSubject: subject, updatedAt: new Date() })
        .where('id', '=', userId)
        .where('oidcSubject', 'is', null)
        .executeTakeFirst()
      return result.numUpdatedRows === 1n
    },

    async listRoles(db: Executor, userId: string): Promise<string[]> {
      const rows = await db.selectFrom('userRole').select('role').where('userId', '=', userId).orderBy('role').execute()
      return rows.map((r) => r.role)
    },

    /** Bumps the version too, so an administrator's form opened before the change is refused as stale. */
    async replaceRoles(db: Executor, userId: string, roles: readonly Role[]): Promise<void> {
      await db
        .updateTable('appUser')
        .set((eb) => ({ version: eb('version', '+', 1), updatedAt: new Date() }))
        .where('id', '=', userId)
        .execute()
      await replaceUserRoles(db, userId, roles)
    },

    /** History of the change; no actor, as the identity provider made it. */
    async insertRolesFromIdpEvent(
      db: Executor,
      event: { partnershipId: string; userId: string; from: readonly string[]; to: readonly string[] },
    ): Promise<void> {
      await db
        .insertInto('userEvent')
        .values({
          partnershipId: event.partnershipId,
          userId: event.userId,
          actorId: null,
          kind: 'ROLES_FROM_IDP',
          detail: JSON.stringify({ from: { roles: event.from }, to: { roles: event.to } }),
        })
        .execute()
    },
  }
}
export type OidcRepository = ReturnType<typeof oidcRepository>
