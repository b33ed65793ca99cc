import http from 'node:http'
import { percentile } from './load.js'

/**
 * An open-model load generator: requests start at a fixed rate whatever the answers' speed (as
 * real users do; a closed loop like autocannon's slows down with the server and hides queueing).
 * Each request is one simulated user's action, drawn by weight from a mix. Latency is measured
 * from the planned start, so a generator that falls behind is charged to the server, not hidden.
 */
export type Action = {
  kind: string
  weight: number
  /** Builds one request for a simulated user (by index). */
  request: (user: number) => { method: 'GET' | 'POST'; path: string; body?: string; expect: (status: number) => boolean }
}

export type KindResult = { kind: string; requests: number; errors: number; p50: number; p95: number; p99: number }
export type OpenLoadResult = {
  seconds: number
  rate: number
  requests: number
  errors: number
  errorRate: number
  achievedRate: number
  p50: number
  p95: number
  p99: number
  byKind: KindResult[]
  firstErrors: string[]
}

export async function runOpenLoad(opts: {
  baseUrl: string
  users: number
  rate: number
  seconds: number
  actions: readonly Action[]
  cookieOf: (user: number) => string
  /** A seed for the draws, so two runs send the same mix. */
  seed?: number
  onSecond?: (elapsed: number) => void
}): Promise<OpenLoadResult> {
  const url = new URL(opts.baseUrl)
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.users })
  const total = opts.actions.reduce((s, a) => s + a.weight, 0)
  let state = opts.seed ?? 1
  const random = () => {
    // mulberry32: small, fast and deterministic.
    state = (state + 0x6d2b79f5) | 0
    let x = Math.imul(state ^ (state >>> 15), 1 | state)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
  const pick = () => {
    let r = random() * total
    for (const a of opts.actions) if ((r -= a.weight) < 0) return a
    return opts.actions[opts.actions.length - 1]!
  }
  const latencies = new Map<string, number[]>()
  const errors = new Map<string, number>()
  const firstErrors: string[] = []
  const inFlight = new Set<Promise<void>>()
  const send = (action: Action, user: number, plannedAt: number) => {
    const req = action.request(user)
    const p = new Promise<void>((resolve) => {
      const done = (status: number, detail: string) => {
        const ms = performance.now() - plannedAt
        const list = latencies.get(action.kind) ?? []
        list.push(ms)
        latencies.set(action.kind, list)
        if (!req.expect(status)) {
          errors.set(action.kind, (errors.get(action.kind) ?? 0) + 1)
          if (firstErrors.length < 10) firstErrors.push(`${action.kind} ${req.method} ${req.path.split('?')[0]} → ${detail}`)
        }
        resolve()
      }
      const r = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: req.method,
          path: req.path,
          agent,
          headers: {
            cookie: opts.cookieOf(user),
            ...(req.body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(req.body) } : {}),
          },
          timeout: 30_000,
        },
        (res) => {
          res.resume()
          res.on('end', () => done(res.statusCode ?? 0, String(res.statusCode)))
        },
      )
      r.on('timeout', () => r.destroy(new Error('timeout')))
      r.on('error', (err) => done(0, err.message))
      if (req.body) r.write(req.body)
      r.end()
    })
    inFlight.add(p)
    void p.then(() => inFlight.delete(p))
  }

  const start = performance.now()
  const interval = 1000 / opts.rate
  let sent = 0
  let lastSecond = 0
  while (performance.now() - start < opts.seconds * 1000) {
    const plannedAt = start + sent * interval
    const wait = plannedAt - performance.now()
    if (wait > 1) await new Promise((r) => setTimeout(r, wait))
    send(pick(), Math.floor(random() * opts.users), plannedAt)
    sent++
    const second = Math.floor((performance.now() - start) / 1000)
    if (second !== lastSecond) {
      lastSecond = second
      opts.onSecond?.(second)
    }
  }
  await Promise.all(inFlight)
  agent.destroy()
  const elapsed = (performance.now() - start) / 1000

  const all = [...latencies.values()].flat().sort((a, b) => a - b)
  const errorCount = [...errors.values()].reduce((s, n) => s + n, 0)
  const byKind = [...latencies.entries()].map(([kind, list]) => {
    const sorted = [...list].sort((a, b) => a - b)
    return {
      kind,
      requests: list.length,
      errors: errors.get(kind) ?? 0,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
    }
  })
  return {
    seconds: elapsed,
    rate: opts.rate,
    requests: all.length,
    errors: errorCount,
    errorRate: all.length ? errorCount / all.length : 0,
    achievedRate: all.length / elapsed,
    p50: percentile(all, 50),
    p95: percentile(all, 95),
    p99: percentile(all, 99),
    byKind,
    firstErrors,
  }
}

/** The mix the issue names: 70% reads, 15% searches, 10% writes, 5% exports. */
export function standardMix(o: {
  caseIds: readonly string[]
  csrf: string
  today: { day: string; month: string; year: string }
}): Action[] {
  const caseOf = (user: number) => o.caseIds[user % o.caseIds.length]!
  let n = 0
  const ok = (s: number) => s === 200
  const redirected = (s: number) => s === 302
  return [
    { kind: 'read: case page', weight: 50, request: (u) => ({ method: 'GET', path: `/cases/${caseOf(u)}`, expect: ok }) },
    { kind: 'read: my work', weight: 10, request: () => ({ method: 'GET', path: '/work', expect: ok }) },
    { kind: 'read: chronology', weight: 10, request: (u) => ({ method: 'GET', path: `/cases/${caseOf(u)}/chronology`, expect: ok }) },
    {
      kind: 'search: find a child',
      weight: 15,
      request: () => ({
        method: 'POST',
        path: '/children/search',
        body: new URLSearchParams({
          _csrf: o.csrf,
          'given-names': 'Alex',
          'family-name': `Load${++n % 50}`,
          'date-of-birth-day': '4',
          'date-of-birth-month': '5',
          'date-of-birth-year': '2012',
        }).toString(),
        // Searches are limited per person (20 in 5 minutes): past that, a load user's search is refused with a 429, as designed.
        expect: (s) => s === 200 || s === 429,
      }),
    },
    {
      kind: 'write: chronology entry',
      weight: 10,
      request: (u) => ({
        method: 'POST',
        path: `/cases/${caseOf(u)}/chronology/new`,
        body: new URLSearchParams({
          _csrf: o.csrf,
          'date-day': o.today.day,
          'date-month': o.today.month,
          'date-year': o.today.year,
          title: 'Load test note',
          text: `Synthetic entry ${++n}`,
        }).toString(),
        expect: redirected,
      }),
    },
    {
      kind: 'export: chronology PDF',
      weight: 5,
      request: (u) => ({ method: 'GET', path: `/cases/${caseOf(u)}/chronology.pdf`, expect: ok }),
    },
  ]
}
