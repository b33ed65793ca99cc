import nodemailer from 'nodemailer'
import PgBoss from 'pg-boss'
import type { Logger } from 'pino'
import type { Config } from '../../config.js'
import { transaction, type Db } from '../db/transaction.js'
import { createLogger } from '../http/logger.js'
import { outboxRepository } from './outbox.repository.js'
import { outboxSender, type MailTransport } from './sender.js'

/** The pg-boss queue whose jobs drain the outbox. */
export const DRAIN_QUEUE = 'email-outbox-drain'
/** pg-boss keeps its tables in a schema of its own, created by pg-boss on start. */
export const JOB_QUEUE_SCHEMA = 'pgboss'
/** PostgreSQL's SQLSTATE for "deadlock detected". */
const DEADLOCK_DETECTED = '40P01'

export type EmailDeps = {
  config: Config
  db: Db
  /** Tests move time on to see retries fall due. */
  now?: () => Date
  logger?: Logger
  /** Tests may hand in a transport; otherwise nodemailer over SMTP from the config. */
  transport?: MailTransport
}

/**
 * Email notifications (docs/email.md). Every in-app notification queues an email in the
 * `email_outbox` table in its own transaction (a trigger, migration 012); this service sends
 * them over SMTP:
 *  - on PostgreSQL, through pg-boss: a "drain the outbox" job, asked for every poll interval
 *    and once a minute by pg-boss's own schedule, runs on one instance at a time;
 *  - on the embedded database, by an in-process poller every poll interval.
 * Without SMTP_HOST nothing is sent: emails wait in the outbox and this is logged once.
 */
export function emailService(deps: EmailDeps) {
  const { config, db } = deps
  const email = config.email
  const now = deps.now ?? (() => new Date())
  const logger = deps.logger ?? createLogger(config.logLevel)
  const smtp = email.smtp
  const transport: MailTransport | undefined =
    deps.transport ??
    (smtp
      ? nodemailer.createTransport({
          host: smtp.host,
          port: smtp.port,
          secure: smtp.secure,
          ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 30_000,
        })
      : undefined)
  const sender = transport ? outboxSender({ db, transport, email, now, logger }) : undefined

  const drainSafely = async () => {
    try {
      await sender?.drain()
    } catch (err) {
      logger.error({ err: { message: (err as Error).message } }, 'email outbox could not be drained')
    }
  }

  /**
   * pg-boss 10 creates a queue (its row and its partition table) without a lock, so instances
   * starting together on a new database can deadlock there (its own internal queue in start(),
   * ours in createQueue). PostgreSQL aborts one of them; that instance starts its job queue
   * again, and by then the queue exists. test/faults/two-instances.test.ts starts two at once.
   */
  async function startJobQueue(connectionString: string): Promise<() => Promise<void>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await startJobQueueOnce(connectionString)
      } catch (err) {
        if ((err as { code?: string }).code !== DEADLOCK_DETECTED || attempt >= 5) throw err
        logger.warn({ attempt }, 'job queue start deadlocked with another instance starting: trying again')
        await new Promise((r) => setTimeout(r, 100 * attempt + Math.random() * 200))
      }
    }
  }

  async function startJobQueueOnce(connectionString: string): Promise<() => Promise<void>> {
    const boss = new PgBoss({ connectionString, schema: JOB_QUEUE_SCHEMA, application_name: 'hsb-pathway-jobs', max: 3 })
    boss.on('error', (err: Error) => logger.warn({ err: { message: err.message } }, 'job queue error'))
    try {
      await boss.start()
      // "stately": at most one drain job waiting and one running, however many instances ask.
      await boss.createQueue(DRAIN_QUEUE, { name: DRAIN_QUEUE, policy: 'stately', retryLimit: 0, expireInSeconds: 600 })
    } catch (err) {
      await boss.stop({ graceful: false, wait: true }).catch(() => undefined)
      throw err
    }
    await boss.work(DRAIN_QUEUE, { pollingIntervalSeconds: Math.max(0.5, email.pollIntervalMs / 1000) }, async () => {
      await sender?.drain()
    })
    await boss.schedule(DRAIN_QUEUE, '* * * * *', {})
    const ask = () => {
      boss
        .send(DRAIN_QUEUE, {})
        .catch((err: unknown) => logger.warn({ err: { message: (err as Error).message } }, 'email drain job not queued'))
    }
    ask()
    const timer = setInterval(ask, email.pollIntervalMs)
    timer.unref()
    logger.info({ queue: DRAIN_QUEUE, schema: JOB_QUEUE_SCHEMA }, 'email sender started on the job queue')
    return async () => {
      clearInterval(timer)
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 })
      await sender?.idle()
    }
  }

  function startPoller(): () => Promise<void> {
    void drainSafely()
    const timer = setInterval(() => void drainSafely(), email.pollIntervalMs)
    timer.unref()
    logger.info({ intervalMs: email.pollIntervalMs }, 'email sender started (in-process poller)')
    return async () => {
      clearInterval(timer)
      await sender?.idle()
    }
  }

  return {
    /** Starts the sender (called by server.ts); returns how to stop it. */
    async start(): Promise<() => Promise<void>> {
      if (!sender) {
        logger.info('email not configured: notification emails stay in the outbox until SMTP_HOST is set')
        return async () => {}
      }
      return email.jobQueueDatabaseUrl ? startJobQueue(email.jobQueueDatabaseUrl) : startPoller()
    },

    /** Sends what is due now (the jobs call this; so can tests and support). Nothing without SMTP. */
    async drain() {
      return sender ? sender.drain() : { sent: 0, retrying: 0, gaveUp: 0 }
    },

    /** How many emails wait to be sent. */
    async pending(): Promise<number> {
      return transaction(db, 'system', (trx) => outboxRepository().countPending(trx))
    },
  }
}
export type EmailService = ReturnType<typeof emailService>
