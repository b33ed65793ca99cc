import { sql } from 'kysely'
import type { Executor } from '../db/transaction.js'

/**
 * SQL for the email outbox (migration 012). Rows are written by a trigger on `notification`, in
 * the transaction that raises the notification; the sender claims, sends and marks them here.
 */

export type ClaimedEmail = { id: string; kind: string; toAddress: string; attempts: number; linkToken: string | null }

export type OutboxRow = {
  id: string
  notificationId: string
  userId: string
  kind: string
  toAddress: string
  attempts: number
  lastError: string | null
  nextAttemptAt: Date
  sentAt: Date | null
  gaveUpAt: Date | null
}

export function outboxRepository() {
  return {
    /**
     * Claims up to `limit` emails that are due, for `leaseMs`: another sender (another instance,
     * or this one's next run) skips them while the claim holds; a crashed sender's claim runs
     * out and the email is tried again. Each claim counts as an attempt.
     */
    async claimDue(db: Executor, now: Date, leaseMs: number, limit: number): Promise<ClaimedEmail[]> {
      const until = new Date(now.getTime() + leaseMs)
      const result = await sql<ClaimedEmail>`
        UPDATE email_outbox o SET claimed_until = ${until}, attempts = o.attempts + 1
        WHERE o.id IN (
          SELECT id FROM email_outbox
          WHERE sent_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= ${now}
            AND (claimed_until IS NULL OR claimed_until < ${now})
          ORDER BY next_attempt_at, id
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
        RETURNING o.id, o.kind, o.to_address, o.attempts, o.link_token`.execute(db)
      return result.rows
    },

    async markSent(db: Executor, id: string, at: Date): Promise<void> {
      await sql`UPDATE email_outbox SET sent_at = ${at}, claimed_until = NULL, last_error = NULL, link_token = NULL WHERE id = ${id}`.execute(
        db,
      )
    },

    async markRetry(db: Executor, id: string, error: string, nextAttemptAt: Date): Promise<void> {
      await sql`UPDATE email_outbox SET next_attempt_at = ${nextAttemptAt}, claimed_until = NULL, last_error = ${error} WHERE id = ${id}`.execute(
        db,
      )
    },

    async markGaveUp(db: Executor, id: string, error: string, at: Date): Promise<void> {
      await sql`UPDATE email_outbox SET gave_up_at = ${at}, claimed_until = NULL, last_error = ${error}, link_token = NULL WHERE id = ${id}`.execute(
        db,
      )
    },

    /** Gives a notification's email the secret of its link (an invitation), in the notification's transaction. */
    async attachLink(db: Executor, notificationId: string, token: string): Promise<void> {
      await sql`UPDATE email_outbox SET link_token = ${token} WHERE notification_id = ${notificationId}`.execute(db)
    },

    /** Emails not yet sent and not given up on. */
    async countPending(db: Executor): Promise<number> {
      const result = await sql<{ n: string }>`SELECT count(*) AS n FROM email_outbox WHERE sent_at IS NULL AND gave_up_at IS NULL`.execute(
        db,
      )
      return Number(result.rows[0]?.n ?? 0)
    },

    /** For tests and support: the outbox rows of some notifications. */
    async forNotifications(db: Executor, notificationIds: readonly string[]): Promise<OutboxRow[]> {
      if (notificationIds.length === 0) return []
      const result = await sql<OutboxRow>`
        SELECT id, notification_id, user_id, kind, to_address, attempts, last_error, next_attempt_at, sent_at, gave_up_at
        FROM email_outbox WHERE notification_id = ANY(${[...notificationIds]}::uuid[]) ORDER BY created_at, id`.execute(db)
      return result.rows
    },
  }
}
export type OutboxRepository = ReturnType<typeof outboxRepository>
