import type { RouteRegistry } from '../../platform/http/routes.js'
import type { FeatureDeps, FeatureModule } from '../feature-module.js'
import { referralsRoutes } from './referrals.routes.js'
import { referralsService } from './referrals.service.js'

/** Requests for support, screening, oversight, the green decision, allocation and the screening catalogue. */
export function referralsModule(deps: FeatureDeps) {
  const service = referralsService(deps)
  return { service, routes: (registry: RouteRegistry) => referralsRoutes(registry, service) } satisfies FeatureModule<typeof service>
}
