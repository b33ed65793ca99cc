import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminUrlOf, recreateDatabase } from '../../bench/support/bench-db.js'
import { startProcess, type Running } from '../../bench/support/server.js'
import { sharedEnv } from './support/instances.js'

/**
 * WEB_CONCURRENCY (src/platform/http/cluster.ts): the primary migrates and forks that many
 * workers, which share the port; a worker that dies is replaced; SIGTERM stops them all. What
 * the workers must not break (sessions, jobs that run once) is two-instances.test.ts's subject:
 * a worker is an instance. PostgreSQL only (skipped in the embedded suite).
 */
const ADMIN_URL = process.env.TEST_DATABASE_URL
const PORT = 3630
let databaseUrl: string
let app: Running

/** The primary's worker processes (its other children, such as tsx's esbuild service, are not workers). */
const workersOf = (pid: number): number[] => {
  try {
    return execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes('src/server.ts'))
      .map((line) => Number(line.trim().split(/\s+/)[0]))
      .filter(Boolean)
  } catch {
    return []
  }
}
/** /health's status, or 0 when the connection fails (one handed to a worker as it dies is reset). */
const health = async () => {
  try {
    return (await fetch(`http://127.0.0.1:${PORT}/health`)).status
  } catch {
    return 0
  }
}
async function until<T>(what: () => Promise<T> | T, ok: (v: T) => boolean, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const v = await what()
    if (ok(v) || Date.now() > deadline) return v
    await new Promise((r) => setTimeout(r, 200))
  }
}

describe.skipIf(!ADMIN_URL)('several worker processes (WEB_CONCURRENCY)', () => {
  beforeAll(async () => {
    const { admin } = adminUrlOf(ADMIN_URL!)
    databaseUrl = new URL('/hsb_fault_cluster', admin).toString()
    await recreateDatabase(databaseUrl)
    app = await startProcess('src/server.ts', { ...sharedEnv(databaseUrl), PORT: String(PORT), WEB_CONCURRENCY: '2' }, { port: PORT })
  }, 120_000)
  afterAll(async () => {
    await app?.stop()
  })

  it('serves from two workers; one killed with SIGKILL is replaced and the service keeps answering; SIGTERM stops them all', async () => {
    const workers = await until(
      () => workersOf(app.pid),
      (w) => w.length === 2,
    )
    expect(workers).toHaveLength(2)
    expect(await health()).toBe(200)

    // A connection the primary hands to the worker at the moment it dies is reset (there is no
    // proxy to retry it, unlike two-instances.test.ts); the service answers again at once.
    process.kill(workers[0]!, 'SIGKILL')
    expect(await until(health, (s) => s === 200, 5_000)).toBe(200)
    const after = await until(
      () => workersOf(app.pid),
      (w) => w.length === 2 && !w.includes(workers[0]!),
    )
    expect(after).toHaveLength(2)
    expect(after).toContain(workers[1])
    expect(after).not.toContain(workers[0])
    expect(await until(health, (s) => s === 200)).toBe(200)

    const exited = new Promise<number | null>((r) => app.child.once('exit', (code) => r(code)))
    app.child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(workersOf(app.pid)).toEqual([])
    for (const pid of after) expect(() => process.kill(pid, 0)).toThrow()
  }, 90_000)
})
