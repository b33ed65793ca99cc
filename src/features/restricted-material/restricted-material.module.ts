import type { RouteRegistry } from '../../platform/http/routes.js'
import type { FeatureDeps, FeatureModule } from '../feature-module.js'
import { restrictedMaterialRoutes } from './restricted-material.routes.js'
import { restrictedMaterialService } from './restricted-material.service.js'

/** Restricted interview material (ABE): requests, approval, time-limited access. */
export function restrictedMaterialModule(deps: FeatureDeps) {
  const service = restrictedMaterialService(deps)
  return { service, routes: (registry: RouteRegistry) => restrictedMaterialRoutes(registry, service) } satisfies FeatureModule<
    typeof service
  >
}
export type RestrictedMaterialModule = ReturnType<typeof restrictedMaterialModule>
