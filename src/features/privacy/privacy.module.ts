import type { RouteRegistry } from '../../platform/http/routes.js'
import type { FeatureDeps, FeatureModule } from '../feature-module.js'
import { privacyRoutes } from './privacy.routes.js'
import { privacyService } from './privacy.service.js'

/** The privacy officer's workspace: privacy alerts and their review, access reports. */
export function privacyModule(deps: FeatureDeps) {
  const service = privacyService(deps)
  return { service, routes: (registry: RouteRegistry) => privacyRoutes(registry, service) } satisfies FeatureModule<typeof service>
}
export type PrivacyModule = ReturnType<typeof privacyModule>
