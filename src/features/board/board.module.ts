import type { RouteRegistry } from '../../platform/http/routes.js'
import type { FeatureDeps, FeatureModule } from '../feature-module.js'
import { boardRoutes } from './board.routes.js'
import { boardService } from './board.service.js'

/** The board's meetings: agenda items, minutes, numbered actions. */
export function boardModule(deps: FeatureDeps) {
  const service = boardService({ access: deps.access, ...(deps.now ? { now: deps.now } : {}) })
  return { service, routes: (registry: RouteRegistry) => boardRoutes(registry, service) } satisfies FeatureModule<typeof service>
}
export type BoardModule = ReturnType<typeof boardModule>
