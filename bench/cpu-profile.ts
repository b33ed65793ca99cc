/**
 * Where the app's CPU goes under load: starts the app (NODE_ENV=production) with `--cpu-prof`,
 * signs in the bench social worker, drives one page with autocannon, stops the app and prints
 * the profile's self time by package (or source folder) and the hottest functions.
 *
 *   npx tsx bench/cpu-profile.ts --page case --connections 32 --seconds 10
 *   npx tsx bench/cpu-profile.ts --page /work --top 40
 *
 * The .cpuprofile is kept (its path is printed): open it in Chrome DevTools for the call tree.
 */
import { parseArgs } from 'node:util'
import { mkdtemp, readdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { BENCH_PASSWORD, BENCH_SESSION_SECRET, BENCH_USERS, benchServerEnv, type BenchUserKey } from './support/bench-env.js'
import { benchFacts } from './support/bench-db.js'
import { signInOverHttp } from './support/http-session.js'
import { cloneSessions } from './support/sessions.js'
import { runLoad } from './support/load.js'
import { startProcess } from './support/server.js'

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hsb_bench' },
    page: { type: 'string', default: 'case' },
    user: { type: 'string', default: 'socialWorker' },
    connections: { type: 'string', default: '32' },
    seconds: { type: 'string', default: '10' },
    top: { type: 'string', default: '30' },
    port: { type: 'string', default: '3293' },
  },
})
const databaseUrl = values['database-url']!
const port = Number(values.port)
const connections = Number(values.connections)
const facts = await benchFacts({ databaseUrl })
const pick = () => facts.readableCaseIds[Math.floor(Math.random() * facts.readableCaseIds.length)]!
const pagePath = values.page === 'case' ? () => `/cases/${pick()}` : () => values.page!

const dir = await mkdtemp(path.join(tmpdir(), 'hsb-cpu-'))
const env = { ...benchServerEnv({ port, databaseUrl }), NODE_ENV: 'production', SECURE_COOKIES: 'false' }
let requests = 0
const app = await startProcess('src/server.ts', env, { port, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] })
try {
  const user = BENCH_USERS[values.user as BenchUserKey]
  const { cookie } = await signInOverHttp(app.baseUrl, user, BENCH_PASSWORD)
  const cookies = await cloneSessions(databaseUrl, cookie, BENCH_SESSION_SECRET, connections)
  await runLoad({ url: app.baseUrl, connections, seconds: 2, cookies, path: pagePath })
  const r = await runLoad({ url: app.baseUrl, connections, seconds: Number(values.seconds), cookies, path: pagePath })
  requests = r.requests
  console.log(
    `${values.page} c=${connections}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, not 2xx ${r.non2xx}`,
  )
} finally {
  await app.stop('SIGTERM')
}

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }
type Profile = { nodes: Node[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }
const file = (await readdir(dir)).find((f) => f.endsWith('.cpuprofile'))
if (!file) throw new Error(`no profile written in ${dir}`)
const profile = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as Profile
// Only the measured run: the samples in the last `seconds` before the app was told to stop
// (start-up, sign-in and the warm-up are left out; stopping takes well under the 0.3 s skipped).
const at: number[] = []
let t = profile.startTime
for (const d of profile.timeDeltas) at.push((t += d))
const windowEnd = t - 300_000
const windowStart = windowEnd - Number(values.seconds) * 1e6
const hits = new Map<number, number>()
let inWindow = 0
profile.samples.forEach((id, i) => {
  if (at[i]! < windowStart || at[i]! > windowEnd) return
  hits.set(id, (hits.get(id) ?? 0) + 1)
  inWindow++
})
const msPerSample = (Number(values.seconds) * 1000) / Math.max(1, inWindow)
const where = (url: string): string => {
  if (!url) return '(native/idle/gc)'
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (nm) return nm[1]!
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0]
  const src = /\/(src|bench)\/(.*)\/[^/]+$/.exec(url)
  return src ? `${src[1]}/${src[2]}` : url
}
const byPlace = new Map<string, number>()
const byFunction = new Map<string, number>()
let total = 0
for (const n of profile.nodes) {
  const ms = (hits.get(n.id) ?? 0) * msPerSample
  if (!ms) continue
  total += ms
  const place = n.callFrame.functionName === '(idle)' ? '(idle)' : where(n.callFrame.url)
  byPlace.set(place, (byPlace.get(place) ?? 0) + ms)
  const fn = `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms)
}
const show = (m: Map<string, number>, n: number) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `  ${((100 * v) / total).toFixed(1).padStart(5)}%  ${v.toFixed(0).padStart(6)} ms  ${k}`)
    .join('\n')
const busy = total - (byPlace.get('(idle)') ?? 0)
console.log(
  `\nProfile ${path.join(dir, file)}: ${total.toFixed(0)} ms of the measured run sampled, ${busy.toFixed(0)} ms busy = ${(busy / Math.max(1, requests)).toFixed(2)} ms of CPU per request\n\nSelf time by package or folder:\n${show(byPlace, Number(values.top))}`,
)
console.log(`\nHottest functions (self time):\n${show(byFunction, Number(values.top))}`)
