import { createHash, randomBytes } from 'node:crypto'
import type { Generated } from 'kysely'
import type { AuditRepository } from '../audit/audit.repository.js'
import type { CreatedAt } from '../db/columns.js'
import { transaction, type Db, type Executor } from '../db/transaction.js'
import { INVITATION_DAYS } from '../email/email.rules.js'
import { outboxRepository } from '../email/outbox.repository.js'
import type { Notifications } from '../notifications/notifications.js'
import { authRepository } from './auth.repository.js'
import { checkPassword, hashPassword } from './passwords.js'

/** An invitation to set one's own password (migration 019). Only the secret's hash is kept. */
export interface AccountInvitationTable {
  id: Generated<string>
  partnershipId: string
  userId: string
  tokenHash: string
  createdBy: string | null
  createdAt: CreatedAt
  expiresAt: Date
  usedAt: Date | null
  withdrawnAt: Date | null
}

declare module '../db/schema.js' {
  interface Database {
    accountInvitation: AccountInvitationTable
  }
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex')
const DAY_MS = 24 * 60 * 60 * 1000

export type InvitationStatus = { sentAt: Date; expiresAt: Date; usedAt: Date | null } | null

/** What the set-up page may show of an invitation: whose account (their name only), or why not. */
export type OpenInvitation = { ok: true; displayName: string; email: string } | { ok: false; reason: 'unknown' | 'expired' | 'used' }

type Deps = { db: Db; audit: AuditRepository; notifications: Notifications; now?: () => Date }

/**
 * Separation of duties: an administrator never knows another person's password. An account made
 * by an administrator gets an invitation, emailed to the person only (the link's secret is in the
 * email, never on a page), and the person sets their own password with it. A new invitation
 * withdraws the older one; a link works once, for INVITATION_DAYS days.
 */
export function accountInvitations({ db, audit, notifications, now = () => new Date() }: Deps) {
  const outbox = outboxRepository()
  const users = authRepository()

  async function find(trx: Executor, token: string) {
    return trx
      .selectFrom('accountInvitation as i')
      .innerJoin('appUser as u', 'u.id', 'i.userId')
      .select([
        'i.id',
        'i.userId',
        'i.partnershipId',
        'i.expiresAt',
        'i.usedAt',
        'i.withdrawnAt',
        'u.displayName',
        'u.email',
        'u.disabledAt',
      ])
      .where('i.tokenHash', '=', hashOf(token))
      .forUpdate('i')
      .executeTakeFirst()
  }

  function check(row: Awaited<ReturnType<typeof find>>): OpenInvitation {
    if (!row || row.disabledAt || row.withdrawnAt) return { ok: false, reason: 'unknown' }
    if (row.usedAt) return { ok: false, reason: 'used' }
    if (row.expiresAt <= now()) return { ok: false, reason: 'expired' }
    return { ok: true, displayName: row.displayName, email: row.email }
  }

  return {
    /** In the administrator's transaction: a new invitation for `userId`, its email queued with the link. */
    async issue(trx: Executor, invite: { partnershipId: string; userId: string; createdBy: string }): Promise<void> {
      const at = now()
      await trx
        .updateTable('accountInvitation')
        .set({ withdrawnAt: at })
        .where('userId', '=', invite.userId)
        .where('usedAt', 'is', null)
        .where('withdrawnAt', 'is', null)
        .execute()
      const token = randomBytes(32).toString('base64url')
      const row = await trx
        .insertInto('accountInvitation')
        .values({ ...invite, tokenHash: hashOf(token), createdAt: at, expiresAt: new Date(at.getTime() + INVITATION_DAYS * DAY_MS) })
        .returning('id')
        .executeTakeFirstOrThrow()
      await notifications.raise(trx, {
        partnershipId: invite.partnershipId,
        userId: invite.userId,
        kind: 'ACCOUNT_INVITATION',
        dedupeKey: `invitation:${row.id}`,
      })
      const notice = await trx
        .selectFrom('notification')
        .select('id')
        .where('userId', '=', invite.userId)
        .where('dedupeKey', '=', `invitation:${row.id}`)
        .executeTakeFirstOrThrow()
      await outbox.attachLink(trx, notice.id, token)
    },

    /** The latest invitation of a person, for their admin page. */
    async statusOf(trx: Executor, userId: string): Promise<InvitationStatus> {
      const row = await trx
        .selectFrom('accountInvitation')
        .select(['createdAt as sentAt', 'expiresAt', 'usedAt'])
        .where('userId', '=', userId)
        .where('withdrawnAt', 'is', null)
        .orderBy('createdAt', 'desc')
        .limit(1)
        .executeTakeFirst()
      return row ?? null
    },

    /** Whether a link still works (the set-up page). */
    async open(token: string): Promise<OpenInvitation> {
      return transaction(db, 'system', async (trx) => check(await find(trx, token)))
    },

    /**
     * The person sets their own password; the link is used up. Audited as theirs. The password is
     * checked and hashed outside the transaction; the link is checked again inside it.
     */
    async accept(
      token: string,
      password: string,
      requestId: string,
    ): Promise<{ ok: true } | { ok: false; problem: string } | OpenInvitation> {
      const first = await transaction(db, 'system', async (trx) => {
        const row = await find(trx, token)
        return { row, state: check(row) }
      })
      if (!first.state.ok || !first.row) return first.state
      const problem = checkPassword(password, { email: first.row.email, displayName: first.row.displayName })
      if (problem) return { ok: false, problem }
      const passwordHash = await hashPassword(password)
      return transaction(db, 'system', async (trx) => {
        const row = await find(trx, token)
        const state = check(row)
        if (!state.ok || !row) return state
        await trx.updateTable('appUser').set({ passwordHash, updatedAt: now() }).where('id', '=', row.userId).execute()
        await trx.updateTable('accountInvitation').set({ usedAt: now() }).where('id', '=', row.id).execute()
        // A new password ends every session the account had.
        await trx.deleteFrom('httpSession').where('userId', '=', row.userId).execute()
        const person = { partnershipId: row.partnershipId, userId: row.userId }
        await users.insertUserEvent(trx, { ...person, actorId: row.userId, kind: 'PASSWORD_SET', detail: {} })
        const subject = { action: 'account:set-password', recordType: 'user', recordId: row.userId }
        await audit.allowed(trx, { id: row.userId, partnershipId: row.partnershipId }, subject, requestId)
        return { ok: true as const }
      })
    },
  }
}
export type AccountInvitations = ReturnType<typeof accountInvitations>
