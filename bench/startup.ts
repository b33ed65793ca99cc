/**
 * Start-up benchmark: time from launching the server to the first 200 from /health, on an
 * empty data folder (create database, migrate, load the demo partnership through the services)
 * and again on the seeded folder, with the process's memory once it is up; and the command
 * line's `migrate` + `seed-demo` on an empty folder. These are the time budgets that used to be
 * assertions in the test suites (the demo seed's 30 s, the command-line test's 120 s): the suites
 * now only check behaviour, and the figures are printed here.
 *
 *   npx tsx bench/startup.ts [--runs 3] [--root DIR] [--runtime built|tsx]
 *
 * `--root` measures another checkout (e.g. the commit before a change, in the same run, so the
 * two can be compared as a ratio); `--runtime` defaults to `built` (what `npm start` runs: node
 * on dist/, built first) where the checkout has scripts/build.mjs, and to `tsx` otherwise.
 */
import { execFile, spawn } from 'node:child_process'
import { access, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs, promisify } from 'node:util'

const exec = promisify(execFile)
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    port: { type: 'string', default: '3190' },
    root: { type: 'string', default: process.cwd() },
    runtime: { type: 'string' },
  },
})
const runs = Number(values.runs)
const port = Number(values.port)
const root = path.resolve(values.root!)
const canBuild = await access(path.join(root, 'scripts/build.mjs')).then(
  () => true,
  () => false,
)
const runtime = values.runtime ?? (canBuild ? 'built' : 'tsx')
const tsx = path.join(root, 'node_modules/.bin/tsx')

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
  const args = runtime === 'built' ? [path.join(root, 'dist/server.js')] : ['--import', 'tsx', 'src/server.ts']
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', NODE_ENV: 'development' },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  try {
    await waitForHealth(started + 600_000)
    const ms = Date.now() - started
    await new Promise((r) => setTimeout(r, 500))
    return { ms, rssMb: await rssOf(child.pid!) }
  } finally {
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGTERM')
    await exited
  }
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = Date.now()
  await fn()
  return Date.now() - started
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

console.log(`checkout ${root}, runtime ${runtime}`)
if (runtime === 'built')
  console.log(
    `build (npm run build): ${await timed(() => exec(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root }))} ms`,
  )

const empty: number[] = []
const seeded: number[] = []
const rss: number[] = []
const cli: number[] = []
for (let i = 0; i < runs; i++) {
  const dir = await mkdtemp(path.join(tmpdir(), 'hsb-bench-'))
  const cliDir = await mkdtemp(path.join(tmpdir(), 'hsb-bench-cli-'))
  try {
    const first = await startOnce(dir)
    const second = await startOnce(dir)
    empty.push(first.ms)
    seeded.push(second.ms)
    rss.push(second.rssMb)
    const env = { ...process.env, DATA_DIR: cliDir, LOG_LEVEL: 'silent' }
    cli.push(
      await timed(async () => {
        await exec(tsx, ['src/cli/index.ts', 'migrate'], { cwd: root, env })
        await exec(tsx, ['src/cli/index.ts', 'seed-demo'], { cwd: root, env })
      }),
    )
  } finally {
    await rm(dir, { recursive: true, force: true })
    await rm(cliDir, { recursive: true, force: true })
  }
}
console.log(`start-up, empty data folder (create, migrate, demo data): median ${median(empty)} ms  [${empty.join(', ')}]`)
console.log(`start-up, seeded data folder:                              median ${median(seeded)} ms  [${seeded.join(', ')}]`)
console.log(`ratio seeded / empty: ${(median(seeded) / median(empty)).toFixed(2)}`)
console.log(`memory after start (RSS, seeded): median ${median(rss).toFixed(0)} MB  [${rss.map((r) => r.toFixed(0)).join(', ')}]`)
console.log(`command line, migrate + seed-demo on an empty folder: median ${median(cli)} ms  [${cli.join(', ')}]`)
