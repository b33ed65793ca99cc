import { createHash, timingSafeEqual } from 'node:crypto'
import { Router, type Request } from 'express'
import { routesFor, type RouteRegistry } from './routes.js'

export type HealthCheck = { check(): Promise<{ database: 'UP' | 'DOWN'; kind: string }> }

export type HealthOptions = {
  /** The bearer token that opens the details (database kind, uptime); undefined: nobody gets them. */
  detailsToken: string | undefined
}

/** Whether the request presents the details token (compared in constant time, whatever its length). */
function presentsToken(req: Request, token: string | undefined): boolean {
  if (!token) return false
  const match = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')
  if (!match?.[1]) return false
  const digest = (s: string) => createHash('sha256').update(s).digest()
  return timingSafeEqual(digest(match[1]), digest(token))
}

/**
 * Outside sessions and CSRF: load balancers and monitors call these without cookies. Anyone is
 * told UP or DOWN and nothing else; the platform, presenting the configured token, gets details.
 */
export function healthRoutes(registry: RouteRegistry, health: HealthCheck, options: HealthOptions): Router {
  const router = Router()
  const route = routesFor(registry, router)
  route.get('/health', { kind: 'public' }, async (req, res) => {
    const result = await health.check()
    const up = result.database === 'UP'
    const status = up ? 'UP' : 'DOWN'
    res
      .status(up ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json(
        presentsToken(req, options.detailsToken)
          ? {
              status,
              components: { database: { status: result.database, details: { kind: result.kind } } },
              uptime: Math.round(process.uptime()),
            }
          : { status },
      )
  })
  route.get('/ping', { kind: 'public' }, (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'UP' })
  })
  return router
}
