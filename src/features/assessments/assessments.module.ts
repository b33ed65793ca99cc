import type { RouteRegistry } from '../../platform/http/routes.js'
import type { FeatureDeps, FeatureModule } from '../feature-module.js'
import { assessmentsRoutes } from './assessments.routes.js'
import { assessmentsService } from './assessments.service.js'

/** AIM assessment: decision to assess, routes, co-assessors, the assessment and its sign-off. */
export function assessmentsModule(deps: FeatureDeps) {
  const service = assessmentsService(deps)
  return { service, routes: (registry: RouteRegistry) => assessmentsRoutes(registry, service) } satisfies FeatureModule<typeof service>
}
export type AssessmentsModule = ReturnType<typeof assessmentsModule>
