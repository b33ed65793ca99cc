/**
 * Throughput from one app instance to two (issue 8, item 6): the same page under the same load
 * (autocannon, each connection with its own session) on one instance, directly and behind the
 * round-robin proxy (test/faults/support/proxy.ts), then on two instances behind the proxy, all
 * on the benchmark database (hsb_bench, seeded by bench/pages.ts or bench/seed.ts; never dropped here).
 *
 *   npx tsx bench/two-instances.ts                       (case page, 16 connections, 10 s per run)
 *   npx tsx bench/two-instances.ts --page my-work --connections 32 --seconds 20
 *   npx tsx bench/two-instances.ts --write               (also writes its section of bench/RESULTS.md)
 *
 * The proxy and autocannon run in this process; the instances are child processes. On a machine
 * with fewer cores than instances + PostgreSQL + load generator, the ratio says more about the
 * machine than about the service: run it where each instance has a core of its own.
 */
import { parseArgs } from 'node:util'
import { startProxy, type Proxy } from '../test/faults/support/proxy.js'
import { BENCH_PASSWORD, BENCH_SESSION_SECRET, BENCH_USERS, benchServerEnv } from './support/bench-env.js'
import { benchFacts, databaseExists } from './support/bench-db.js'
import { signInOverHttp } from './support/http-session.js'
import { runLoad, type LoadResult } from './support/load.js'
import { machineLine, writeSection } from './support/machine.js'
import { cloneSessions } from './support/sessions.js'
import { startProcess, type Running } from './support/server.js'

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hsb_bench' },
    page: { type: 'string', default: 'case' },
    connections: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    'proxy-port': { type: 'string', default: '3625' },
    'port-a': { type: 'string', default: '3626' },
    'port-b': { type: 'string', default: '3627' },
    write: { type: 'boolean', default: false },
  },
})

const databaseUrl = values['database-url']!
const connections = Number(values.connections)
const seconds = Number(values.seconds)
const warmup = Number(values.warmup)
const ports = { proxy: Number(values['proxy-port']), a: Number(values['port-a']), b: Number(values['port-b']) }
const log = (s: string) => console.log(s)

if (!(await databaseExists(databaseUrl)))
  throw new Error(`${databaseUrl} does not exist: seed it first (npx tsx bench/pages.ts --children 10000)`)
const facts = await benchFacts({ databaseUrl })
const pathOf: Record<string, () => string> = {
  case: () => `/cases/${facts.readableCaseIds[Math.floor(Math.random() * facts.readableCaseIds.length)]!}`,
  'my-work': () => '/work',
}
const path = pathOf[values.page!]
if (!path) throw new Error(`--page is case or my-work, not ${values.page}`)
const machine = await machineLine(databaseUrl)
log(
  `${facts.children.toLocaleString('en-GB')} children; page ${values.page}; ${connections} connections, ${seconds} s per run after ${warmup} s warm-up`,
)
log(`Machine: ${machine}`)

const env = (port: number) => ({
  ...benchServerEnv({ databaseUrl, port }),
  NODE_ENV: 'production',
  SECURE_COOKIES: 'false',
  TRUST_PROXY: 'true',
})
const started: Running[] = []
let proxy: Proxy | undefined
const stopAll = async () => {
  await proxy?.close()
  await Promise.all(started.map((r) => r.stop()))
}
process.once('SIGINT', () => void stopAll().then(() => process.exit(130)))

type Row = { label: string; r: LoadResult; split: string }
const rows: Row[] = []
async function measure(label: string, url: string, cookies: readonly string[]): Promise<LoadResult> {
  await runLoad({ url, connections, seconds: warmup, cookies, path })
  const before = proxy?.upstreams.map((u) => u.served) ?? []
  const r = await runLoad({ url, connections, seconds, cookies, path })
  const split = proxy && url === proxy.url ? proxy.upstreams.map((u, i) => `${u.name} ${u.served - (before[i] ?? 0)}`).join(', ') : 'direct'
  rows.push({ label, r, split })
  const bad = r.non2xx + r.errors + r.timeouts
  log(
    `${label.padEnd(30)} ${r.rps.toFixed(1).padStart(7)} req/s  p50 ${r.p50.toFixed(0)} ms  p95 ${r.p95.toFixed(0)} ms  p99 ${r.p99.toFixed(0)} ms  (${split})${bad ? `  NOT 2xx: ${bad}` : ''}`,
  )
  return r
}

try {
  // One instance: directly, then behind the proxy (the proxy's own cost).
  started.push(await startProcess('src/server.ts', env(ports.a), { port: ports.a }))
  proxy = await startProxy({ port: ports.proxy, upstreams: [{ name: 'a', port: ports.a }] })
  const signedIn = await signInOverHttp(proxy.url, BENCH_USERS.socialWorker, BENCH_PASSWORD)
  const probe = await fetch(proxy.url + path(), { headers: { cookie: signedIn.cookie }, redirect: 'manual' })
  if (probe.status !== 200) throw new Error(`the ${values.page} page answered ${probe.status}, not 200`)
  const cookies = await cloneSessions(databaseUrl, signedIn.cookie, BENCH_SESSION_SECRET, connections)
  const direct = await measure('One instance, direct', started[0]!.baseUrl, cookies)
  const one = await measure('One instance behind the proxy', proxy.url, cookies)

  // Two instances behind the proxy (round robin; sessions are in the database).
  await proxy.close()
  started.push(await startProcess('src/server.ts', env(ports.b), { port: ports.b }))
  proxy = await startProxy({
    port: ports.proxy,
    upstreams: [
      { name: 'a', port: ports.a },
      { name: 'b', port: ports.b },
    ],
  })
  const two = await measure('Two instances behind the proxy', proxy.url, cookies)

  const ratio = two.rps / one.rps
  log(
    `\nTwo instances ÷ one (both behind the proxy): ${ratio.toFixed(2)}; the proxy's own cost: one instance behind it ÷ direct ${(one.rps / direct.rps).toFixed(2)}`,
  )
  if (values.write) {
    const table = rows.map(
      ({ label, r, split }) =>
        `| ${label} | ${r.rps.toFixed(1)} | ${r.p50.toFixed(0)} | ${r.p95.toFixed(0)} | ${r.p99.toFixed(0)} | ${r.non2xx + r.errors + r.timeouts} | ${split} |`,
    )
    await writeSection(
      'two-instances',
      `## One instance to two (PostgreSQL, ${facts.children.toLocaleString('en-GB')} children)

Run ${new Date().toISOString()} with \`npx tsx bench/two-instances.ts ${process.argv.slice(2).join(' ')}\`.
Machine: ${machine}.
Page: ${values.page}; ${connections} connections, each with its own session; ${seconds} s after ${warmup} s of warm-up. Proxy: test/faults/support/proxy.ts (round robin), in the load generator's process.

| Run | Requests/s | p50 ms | p95 ms | p99 ms | Not 2xx | Served by |
|---|---|---|---|---|---|---|
${table.join('\n')}

Two instances ÷ one: **${ratio.toFixed(2)}**.`,
    )
    log('Written to bench/RESULTS.md')
  }
} finally {
  await stopAll()
}
