import { privacyAlerts } from '../../platform/access/privacy-alerts.js'
import type { RouteRegistry } from '../../platform/http/routes.js'
import type { FeatureDeps, FeatureModule } from '../feature-module.js'
import { childrenRepository } from './children.repository.js'
import { childrenRoutes } from './children.routes.js'
import { childrenService } from './children.service.js'

/** The child's record: finding a child before creating one, the record, linked children, access history. */
export function childrenModule(deps: FeatureDeps) {
  const service = childrenService({
    access: deps.access,
    db: deps.db,
    audit: deps.audit,
    repo: childrenRepository(),
    searchesPerWindow: deps.config.childSearchesPer5Minutes,
    alerts: privacyAlerts({ volumePerHour: deps.config.privacyVolumeAlertPerHour }),
  })
  return { service, routes: (registry: RouteRegistry) => childrenRoutes(registry, service) } satisfies FeatureModule<typeof service>
}
