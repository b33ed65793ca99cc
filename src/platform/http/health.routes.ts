import { Router } from 'express'
import { routesFor, type RouteRegistry } from './routes.js'

export type HealthCheck = { check(): Promise<{ database: 'UP' | 'DOWN'; kind: string }> }

/** Outside sessions and CSRF: load balancers and monitors call these without cookies. */
export function healthRoutes(registry: RouteRegistry, health: HealthCheck): Router {
  const router = Router()
  const route = routesFor(registry, router)
  route.get('/health', { kind: 'public' }, async (_req, res) => {
    const result = await health.check()
    const up = result.database === 'UP'
    res
      .status(up ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({
        status: up ? 'UP' : 'DOWN',
        components: { database: { status: result.database, details: { kind: result.kind } } },
        uptime: Math.round(process.uptime()),
      })
  })
  route.get('/ping', { kind: 'public' }, (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'UP' })
  })
  return router
}
