import http from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A small load balancer for the two-instance tests and benchmark, on Node's `http` module:
 * round robin over the upstreams, each response marked with the upstream that served it
 * (`x-upstream`), an active health check (GET /health every `healthEveryMs`), and a retry on
 * the next upstream when one refuses the connection. A GET/HEAD whose upstream dropped the
 * connection before answering (a killed instance) is retried too; a POST is retried only when
 * it was never sent (connection refused), so a form is never submitted twice by the proxy.
 * Request bodies are read in full before forwarding (forms are small), so a retry can resend them.
 */
export type UpstreamTarget = { name: string; port: number; host?: string }
export type UpstreamState = UpstreamTarget & { healthy: boolean; served: number; downSince: number | null }
export type ProxyStats = { retried: number; failed: number }
export type Proxy = {
  url: string
  port: number
  upstreams: UpstreamState[]
  stats: ProxyStats
  /** Resolves once the named upstream has been marked down (by a refused connection or the health check). */
  waitUntilDown(name: string, timeoutMs?: number): Promise<number>
  close(): Promise<void>
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
])
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS'])
/** Errors that mean the upstream is not there (nothing was sent): always safe to try the next one. */
const NOT_THERE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH'])

function withoutHopByHop(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {}
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v
  return out
}

export async function startProxy(opts: {
  port: number
  upstreams: readonly UpstreamTarget[]
  healthPath?: string
  healthEveryMs?: number
}): Promise<Proxy> {
  const healthPath = opts.healthPath ?? '/health'
  const upstreams: UpstreamState[] = opts.upstreams.map((u) => ({ host: '127.0.0.1', ...u, healthy: true, served: 0, downSince: null }))
  const stats: ProxyStats = { retried: 0, failed: 0 }
  // Idle upstream connections are closed after 4 s, before the app's own 5 s keep-alive time-out,
  // so a request is never sent on a connection the app is closing.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, timeout: 4000 })
  let next = 0

  const markDown = (u: UpstreamState) => {
    if (u.healthy) {
      u.healthy = false
      u.downSince = Date.now()
    }
  }
  const markUp = (u: UpstreamState) => {
    u.healthy = true
    u.downSince = null
  }

  /** This request's order of upstreams: round robin over the healthy ones, then the rest as a last resort. */
  function order(): UpstreamState[] {
    const start = next++ % upstreams.length
    const rotated = [...upstreams.slice(start), ...upstreams.slice(0, start)]
    return [...rotated.filter((u) => u.healthy), ...rotated.filter((u) => !u.healthy)]
  }

  type Attempt = { ok: true; res: http.IncomingMessage } | { ok: false; code: string; sent: boolean }
  function attempt(u: UpstreamState, req: http.IncomingMessage, body: Buffer): Promise<Attempt> {
    return new Promise((resolve) => {
      const headers = withoutHopByHop(req.headers)
      const remote = req.socket.remoteAddress ?? ''
      headers['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${String(req.headers['x-forwarded-for'])}, ${remote}` : remote
      headers['x-forwarded-proto'] = 'http'
      headers['content-length'] = String(body.length)
      const up = http.request({ host: u.host, port: u.port, method: req.method, path: req.url, headers, agent }, (res) =>
        resolve({ ok: true, res }),
      )
      up.on('error', (err: NodeJS.ErrnoException) =>
        resolve({ ok: false, code: err.code ?? 'ERROR', sent: !NOT_THERE.has(err.code ?? '') }),
      )
      up.end(body)
    })
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks)
        const candidates = order()
        for (let i = 0; i < candidates.length; i++) {
          const u = candidates[i]!
          const result = await attempt(u, req, body)
          if (result.ok) {
            u.served++
            res.writeHead(result.res.statusCode ?? 502, { ...withoutHopByHop(result.res.headers), 'x-upstream': u.name })
            result.res.pipe(res)
            result.res.on('error', () => res.destroy())
            return
          }
          // Refused: the upstream is not there. Dropped before answering: down too (a killed process).
          markDown(u)
          const retryable = !result.sent || IDEMPOTENT.has(req.method ?? '')
          if (!retryable || i === candidates.length - 1) break
          stats.retried++
        }
        stats.failed++
        res.writeHead(502, { 'content-type': 'text/plain' }).end('Bad gateway: no upstream answered')
      })()
    })
  })
  server.keepAliveTimeout = 5000

  const checkAll = () =>
    Promise.all(
      upstreams.map(async (u) => {
        try {
          const r = await fetch(`http://${u.host}:${u.port}${healthPath}`, { signal: AbortSignal.timeout(1000) })
          await r.arrayBuffer()
          if (r.status === 200) markUp(u)
          else markDown(u)
        } catch {
          markDown(u)
        }
      }),
    )
  const timer = setInterval(() => void checkAll(), opts.healthEveryMs ?? 500)
  timer.unref()

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    upstreams,
    stats,
    async waitUntilDown(name, timeoutMs = 30_000) {
      const u = upstreams.find((x) => x.name === name)
      if (!u) throw new Error(`no upstream ${name}`)
      const until = Date.now() + timeoutMs
      while (u.healthy) {
        if (Date.now() > until) throw new Error(`the proxy did not notice ${name} was down within ${timeoutMs} ms`)
        await new Promise((r) => setTimeout(r, 20))
      }
      return u.downSince!
    },
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer)
        agent.destroy()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
