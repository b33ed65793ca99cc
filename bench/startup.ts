/**
 * Start-up benchmark: time from launching the server to the first 200 from /health, on an
 * empty data folder (create database, migrate, load demo data) and again on the seeded folder,
 * with the process's memory once it is up. Prints its figures.
 *
 *   npx tsx bench/startup.ts [--runs 3]
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, port: { type: 'string', default: '3190' } } })
const runs = Number(values.runs)
const port = Number(values.port)

async function waitForHealth(deadline: number): Promise<void> {
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`)
      if (res.status === 200) return
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('server did not become healthy in time')
    await new Promise((r) => setTimeout(r, 25))
  }
}

function rssOf(pid: number): Promise<number> {
  return import('node:fs/promises').then(async (fs) => {
    const status = await fs.readFile(`/proc/${pid}/status`, 'utf8')
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024
  })
}

async function startOnce(dataDir: string): Promise<{ ms: number; rssMb: number }> {
  const started = Date.now()
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', NODE_ENV: 'development' },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  try {
    await waitForHealth(started + 120_000)
    const ms = Date.now() - started
    await new Promise((r) => setTimeout(r, 500))
    return { ms, rssMb: await rssOf(child.pid!) }
  } finally {
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGTERM')
    await exited
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const empty: number[] = []
const seeded: number[] = []
const rss: number[] = []
for (let i = 0; i < runs; i++) {
  const dir = await mkdtemp(path.join(tmpdir(), 'hsb-bench-'))
  try {
    const first = await startOnce(dir)
    const second = await startOnce(dir)
    empty.push(first.ms)
    seeded.push(second.ms)
    rss.push(second.rssMb)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
console.log(`start-up, empty data folder (create, migrate, demo data): median ${median(empty)} ms  [${empty.join(', ')}]`)
console.log(`start-up, seeded data folder:                              median ${median(seeded)} ms  [${seeded.join(', ')}]`)
console.log(`ratio seeded / empty: ${(median(seeded) / median(empty)).toFixed(2)}`)
console.log(`memory after start (RSS, seeded): median ${median(rss).toFixed(0)} MB  [${rss.map((r) => r.toFixed(0)).join(', ')}]`)
