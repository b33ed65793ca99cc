import autocannon from 'autocannon'

/**
 * One autocannon run: throughput and latency percentiles (p50/p95/p99 from every response's
 * own time; autocannon's summary has no p95), and the responses that were not 2xx.
 */
export type LoadResult = {
  connections: number
  seconds: number
  requests: number
  rps: number
  p50: number
  p95: number
  p99: number
  non2xx: number
  errors: number
  timeouts: number
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

export async function runLoad(opts: {
  url: string
  connections: number
  seconds: number
  headers?: Record<string, string>
  /** One cookie per connection (its own session), taken in turn as connections start. */
  cookies?: readonly string[]
  /** Picks each request's path (e.g. a different case each time). */
  path?: () => string
  method?: 'GET' | 'POST'
  body?: () => string
}): Promise<LoadResult> {
  const times: number[] = []
  let nextCookie = 0
  let non2xx = 0
  const instance = autocannon({
    url: opts.url,
    connections: opts.connections,
    duration: opts.seconds,
    headers: opts.headers ?? {},
    timeout: 10,
    requests: [
      {
        method: opts.method ?? 'GET',
        setupRequest: (req: Record<string, unknown>, context: Record<string, unknown>) => {
          if (opts.cookies && context.cookie === undefined) context.cookie = opts.cookies[nextCookie++ % opts.cookies.length]
          return {
            ...req,
            ...(context.cookie ? { headers: { ...(req.headers as Record<string, string>), cookie: context.cookie as string } } : {}),
            ...(opts.path ? { path: opts.path() } : {}),
            ...(opts.body ? { body: opts.body() } : {}),
          }
        },
      },
    ],
  })
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    times.push(ms)
    if (status < 200 || status >= 300) non2xx++
  })
  const result = await instance
  times.sort((a, b) => a - b)
  return {
    connections: opts.connections,
    seconds: opts.seconds,
    requests: times.length,
    rps: times.length / opts.seconds,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  }
}
