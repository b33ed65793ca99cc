import cluster from 'node:cluster'
import type { Logger } from 'pino'

/**
 * More than one process serving requests on one machine (WEB_CONCURRENCY, PostgreSQL only): the
 * primary process has applied the migrations and forks the workers, which share the port (Node's
 * cluster module hands connections round-robin). Each worker is a whole instance — its own pool,
 * sealer, clock job and email worker — exactly as two instances behind a proxy are, which the
 * two-instance fault test covers (sessions in the database, jobs run once, sign-in throttling in
 * the database). A worker that dies is replaced; SIGTERM stops them all, each finishing its
 * requests in flight.
 */
export function runPrimary(workers: number, logger: Logger): void {
  let stopping = false
  const deaths: number[] = []
  const fork = () => cluster.fork()
  for (let i = 0; i < workers; i++) fork()
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        logger.info('all workers stopped')
        process.exit(0)
      }
      return
    }
    // Replace a worker that died, unless workers keep dying at once (a start-up fault): then stop.
    const now = Date.now()
    deaths.push(now)
    while (deaths.length && deaths[0]! < now - 60_000) deaths.shift()
    logger.error({ workerPid: worker.process.pid, code, signal }, 'worker stopped unexpectedly')
    if (deaths.length > workers * 3) {
      logger.fatal('workers keep stopping: giving up')
      process.exit(1)
    }
    setTimeout(() => {
      if (!stopping) fork()
    }, 500).unref()
  })
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'stopping the workers')
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal)
    setTimeout(() => process.exit(1), 15_000).unref()
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}

export const isWorker = () => cluster.isWorker
