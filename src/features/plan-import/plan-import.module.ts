import type { FeatureDeps, FeatureModule } from '../feature-module.js'
import type { RouteRegistry } from '../../platform/http/routes.js'
import { planImportRoutes } from './plan-import.routes.js'
import { planImportService } from './plan-import.service.js'

/** Import of action plans from CSV and XLSX, with preview and RAG word mapping. */
export function planImportModule(deps: FeatureDeps) {
  const service = planImportService({ access: deps.access, db: deps.db, audit: deps.audit, ...(deps.now ? { now: deps.now } : {}) })
  return { service, routes: (registry: RouteRegistry) => planImportRoutes(registry, service) } satisfies FeatureModule<typeof service>
}
export type PlanImportModule = ReturnType<typeof planImportModule>
