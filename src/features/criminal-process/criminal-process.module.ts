import type { RouteRegistry } from '../../platform/http/routes.js'
import type { FeatureDeps, FeatureModule } from '../feature-module.js'
import { criminalProcessRoutes } from './criminal-process.routes.js'
import { criminalProcessService } from './criminal-process.service.js'

/** The criminal process alongside the pathway: investigation, bail, charge, court, outcome. */
export function criminalProcessModule(deps: FeatureDeps) {
  const service = criminalProcessService(deps)
  return { service, routes: (registry: RouteRegistry) => criminalProcessRoutes(registry, service) } satisfies FeatureModule<typeof service>
}
export type CriminalProcessModule = ReturnType<typeof criminalProcessModule>
