import type { Server } from 'node:http'
import { createApp } from './app.js'
import { createServices } from './composition.js'
import { ConfigError, loadConfig } from './config.js'
import { seedDemo } from './demo/seed.js'
import { startSealer } from './platform/audit/audit-chain.js'
import { openDatabase } from './platform/db/connect.js'
import { migrate } from './platform/db/migrate.js'
import { isWorker, runPrimary } from './platform/http/cluster.js'
import { createLogger } from './platform/http/logger.js'

/** Entry: config → database → migrations → (demo data) → app → listen. */
async function main() {
  const started = Date.now()
  let config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`)
      process.exit(1)
    }
    throw err
  }
  const logger = createLogger(config.logLevel)
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    appRole: config.databaseAppRole,
    timeoutMs: config.databaseTimeoutMs,
    onPoolError: (err) => logger.warn({ err: { message: err.message } }, 'database connection dropped'),
  })
  const migrated = await migrate(handle.db, config.databaseAppRole)
  logger.info({ applied: migrated.applied, database: handle.kind }, 'database ready')
  const services = await createServices(config, handle)
  if (config.demoMode && !isWorker()) {
    const seeded = await seedDemo(services)
    logger.info({ created: seeded.created, users: seeded.users }, 'demo mode: demo partnership loaded')
  }
  if (config.workers > 1 && !isWorker()) {
    // The primary has migrated (and seeded the demo); the workers serve (src/platform/http/cluster.ts).
    await handle.close()
    logger.info({ workers: config.workers }, 'starting worker processes')
    runPrimary(config.workers, logger)
    return
  }
  const { app } = createApp(config, services, logger)
  const sealer = startSealer(handle.db, config.auditSealIntervalMs, (err) =>
    logger.error({ err: { message: (err as Error).message } }, 'audit sealer failed'),
  )
  const housekeeping = setInterval(() => {
    services.auth.pruneExpired().catch((err: unknown) => logger.error({ err: { message: (err as Error).message } }, 'housekeeping failed'))
  }, 10 * 60_000)
  housekeeping.unref()
  const clockNotifications = setInterval(() => {
    services.queues.service
      .raiseClockNotifications()
      .catch((err: unknown) => logger.error({ err: { message: (err as Error).message } }, 'clock notifications failed'))
  }, 60_000)
  clockNotifications.unref()
  const stopEmail = await services.email.start()
  const server: Server = app.listen(config.port, config.host, () => {
    logger.info(
      { port: config.port, demoMode: config.demoMode, startupMs: Date.now() - started, rssMb: Math.round(process.memoryUsage().rss / 1e6) },
      `HSB Pathway listening on http://localhost:${config.port}`,
    )
  })

  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'shutting down: finishing requests in flight')
    const force = setTimeout(() => process.exit(1), 10_000)
    force.unref()
    server.close(async () => {
      clearInterval(housekeeping)
      clearInterval(clockNotifications)
      await sealer.stop()
      await stopEmail()
      await handle.close()
      logger.info('stopped')
      process.exit(0)
    })
    server.closeIdleConnections()
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

main().catch((err: unknown) => {
  process.stderr.write(`HSB Pathway failed to start: ${(err as Error).message}\n`)
  process.exit(1)
})
