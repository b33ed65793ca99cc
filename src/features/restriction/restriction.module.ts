import type { RouteRegistry } from '../../platform/http/routes.js'
import type { FeatureDeps, FeatureModule } from '../feature-module.js'
import { restrictionRoutes } from './restriction.routes.js'
import { restrictionService } from './restriction.service.js'

/** Restricting a child's record with its history, and break-glass (issue 18). */
export function restrictionModule(deps: FeatureDeps) {
  const service = restrictionService({
    access: deps.access,
    notifications: deps.notifications,
    breakGlassHours: deps.config.breakGlassHours,
  })
  return { service, routes: (registry: RouteRegistry) => restrictionRoutes(registry, service) } satisfies FeatureModule<typeof service>
}
