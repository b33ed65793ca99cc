import type { RouteRegistry } from '../../platform/http/routes.js'
import type { FeatureDeps, FeatureModule } from '../feature-module.js'
import { chronologyRoutes } from './chronology.routes.js'
import { chronologyService } from './chronology.service.js'

/** The case's chronology: automatic and curated entries, filter, print, PDF. */
export function chronologyModule(deps: FeatureDeps) {
  const service = chronologyService(deps)
  return { service, routes: (registry: RouteRegistry) => chronologyRoutes(registry, service) } satisfies FeatureModule<typeof service>
}
export type ChronologyModule = ReturnType<typeof chronologyModule>
