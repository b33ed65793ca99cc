import type { RouteRegistry } from '../../platform/http/routes.js'
import type { FeatureDeps, FeatureModule } from '../feature-module.js'
import { casesRoutes } from './cases.routes.js'
import { casesService } from './cases.service.js'

/** The case page, missed-timescale reasons and local timescales; the kernel itself is built once in composition.ts. */
export function casesModule(deps: FeatureDeps) {
  const service = casesService(deps)
  return { service, routes: (registry: RouteRegistry) => casesRoutes(registry, service) } satisfies FeatureModule<typeof service>
}
