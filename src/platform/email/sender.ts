import type { Logger } from 'pino'
import type { EmailConfig } from '../../config.js'
import { transaction, type Db } from '../db/transaction.js'
import { afterFailure, describeSendError, invitationEmail, notificationEmail } from './email.rules.js'
import { outboxRepository, type ClaimedEmail } from './outbox.repository.js'

/** What the sender needs of a mail transport (nodemailer's, or a test's). */
export type MailTransport = { sendMail(message: { from: string; to: string; subject: string; text: string }): Promise<unknown> }

export type DrainResult = { sent: number; retrying: number; gaveUp: number }

/** How long a claimed email is held for its sender: well over the transport's own time-outs. */
const LEASE_MS = 5 * 60_000
const BATCH = 20

/**
 * Drains the outbox: claims the emails that are due, sends each over the transport, then marks
 * it sent, or due again later (backoff), or given up after the last attempt. Runs as the system
 * (every partnership) with no transaction held open while talking to the mail server. Runs of
 * one sender never overlap; several senders share the work through the claims.
 */
export function outboxSender(deps: { db: Db; transport: MailTransport; email: EmailConfig; now: () => Date; logger: Logger }) {
  const { db, transport, email, now, logger } = deps
  const repo = outboxRepository()
  let running: Promise<DrainResult> | null = null

  async function sendOne(row: ClaimedEmail, result: DrainResult) {
    const message = row.linkToken ? invitationEmail(email.publicBaseUrl, row.linkToken) : notificationEmail(row.kind, email.publicBaseUrl)
    try {
      await transport.sendMail({ from: email.from, to: row.toAddress, subject: message.subject, text: message.text })
    } catch (err) {
      const error = describeSendError(err)
      const next = afterFailure(row.attempts, now(), email)
      if (next.giveUp) {
        await transaction(db, 'system', (trx) => repo.markGaveUp(trx, row.id, error, now()))
        logger.warn({ outboxId: row.id, attempts: row.attempts, error }, 'email given up after its last attempt')
        result.gaveUp++
      } else {
        await transaction(db, 'system', (trx) => repo.markRetry(trx, row.id, error, next.nextAttemptAt))
        logger.info({ outboxId: row.id, attempts: row.attempts, error }, 'email not sent: will try again')
        result.retrying++
      }
      return
    }
    await transaction(db, 'system', (trx) => repo.markSent(trx, row.id, now()))
    logger.info({ outboxId: row.id, attempts: row.attempts }, 'email sent')
    result.sent++
  }

  async function drainOnce(): Promise<DrainResult> {
    const result: DrainResult = { sent: 0, retrying: 0, gaveUp: 0 }
    for (;;) {
      const claimed = await transaction(db, 'system', (trx) => repo.claimDue(trx, now(), LEASE_MS, BATCH))
      for (const row of claimed) await sendOne(row, result)
      if (claimed.length < BATCH) return result
    }
  }

  return {
    /** Sends what is due now. A call while a run is going joins that run. */
    drain(): Promise<DrainResult> {
      running ??= drainOnce().finally(() => {
        running = null
      })
      return running
    },
    /** Resolves once no run is going (for stopping). */
    async idle(): Promise<void> {
      await running?.catch(() => undefined)
    },
  }
}
export type OutboxSender = ReturnType<typeof outboxSender>
