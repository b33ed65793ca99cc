import type { RouteRegistry } from '../../platform/http/routes.js'
import type { FeatureDeps, FeatureModule } from '../feature-module.js'
import { meetingsRoutes } from './meetings.routes.js'
import { meetingsService } from './meetings.service.js'

/** The strategy meeting or discussion: arranging it, its minutes and addenda, and who may read it. */
export function meetingsModule(deps: FeatureDeps) {
  const service = meetingsService(deps)
  return { service, routes: (registry: RouteRegistry) => meetingsRoutes(registry, service) } satisfies FeatureModule<typeof service>
}
export type MeetingsModule = ReturnType<typeof meetingsModule>
