import type { RouteRegistry } from '../../platform/http/routes.js'
import type { FeatureDeps, FeatureModule } from '../feature-module.js'
import { retentionRoutes } from './retention.routes.js'
import { retentionService } from './retention.service.js'

/** Retention of children's records: the partnership's schedule, legal holds, reviewed erasures and tombstones (ADR 0012). */
export function retentionModule(deps: FeatureDeps) {
  const service = retentionService({
    db: deps.db,
    audit: deps.audit,
    access: deps.access,
    notifications: deps.notifications,
    ...(deps.now ? { now: deps.now } : {}),
  })
  return { service, routes: (registry: RouteRegistry) => retentionRoutes(registry, service) } satisfies FeatureModule<typeof service>
}
export type RetentionModule = ReturnType<typeof retentionModule>
