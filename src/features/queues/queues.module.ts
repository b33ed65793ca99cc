import type { RouteRegistry } from '../../platform/http/routes.js'
import type { FeatureDeps, FeatureModule } from '../feature-module.js'
import { queuesRoutes } from './queues.routes.js'
import { queuesService } from './queues.service.js'

/** The work queues (front door, my work, team, HSB lead overview) and a person's notifications. */
export function queuesModule(deps: FeatureDeps) {
  const service = queuesService({ db: deps.db, access: deps.access, ...(deps.now ? { now: deps.now } : {}) })
  return { service, routes: (registry: RouteRegistry) => queuesRoutes(registry, service) } satisfies FeatureModule<typeof service>
}
