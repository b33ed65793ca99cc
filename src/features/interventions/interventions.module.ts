import type { RouteRegistry } from '../../platform/http/routes.js'
import type { FeatureDeps, FeatureModule } from '../feature-module.js'
import { interventionsRoutes } from './interventions.routes.js'
import { interventionsService } from './interventions.service.js'

/** Review meeting, intervention plan, HSB panel, end meeting and closure. */
export function interventionsModule(deps: FeatureDeps) {
  const service = interventionsService(deps)
  return { service, routes: (registry: RouteRegistry) => interventionsRoutes(registry, service) } satisfies FeatureModule<typeof service>
}
export type InterventionsModule = ReturnType<typeof interventionsModule>
