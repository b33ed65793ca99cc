import type { RouteRegistry } from '../../platform/http/routes.js'
import type { FeatureDeps, FeatureModule } from '../feature-module.js'
import { ssdImportRoutes } from './ssd-import.routes.js'
import { ssdImportService } from './ssd-import.service.js'

/** Bringing children and their history in from the council's case system (SSD), and the HSB episodes back out. */
export function ssdImportModule(deps: FeatureDeps) {
  const service = ssdImportService({ db: deps.db, audit: deps.audit, cases: deps.cases, ...(deps.now ? { now: deps.now } : {}) })
  return { service, routes: (registry: RouteRegistry) => ssdImportRoutes(registry, service, deps.access) } satisfies FeatureModule<
    typeof service
  >
}
export type SsdImportModule = ReturnType<typeof ssdImportModule>
