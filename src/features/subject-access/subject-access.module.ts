import type { RouteRegistry } from '../../platform/http/routes.js'
import type { FeatureDeps, FeatureModule } from '../feature-module.js'
import { subjectAccessRoutes } from './subject-access.routes.js'
import { subjectAccessService } from './subject-access.service.js'

/** Subject access requests (UK GDPR Article 15): gather, redact, approve by a second person, release as a PDF (ADR 0011). */
export function subjectAccessModule(deps: FeatureDeps) {
  const service = subjectAccessService(deps)
  return { service, routes: (registry: RouteRegistry) => subjectAccessRoutes(registry, service, deps.now) } satisfies FeatureModule<
    typeof service
  >
}
export type SubjectAccessModule = ReturnType<typeof subjectAccessModule>
