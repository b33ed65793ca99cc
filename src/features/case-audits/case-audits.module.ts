import type { FeatureDeps, FeatureModule } from '../feature-module.js'
import type { RouteRegistry } from '../../platform/http/routes.js'
import { caseAuditsRoutes } from './case-audits.routes.js'
import { caseAuditsService } from './case-audits.service.js'

/** Multi-agency case audits: set-up, cohort and seeded sample, consent, auditors, findings, deep dives, report. */
export function caseAuditsModule(deps: FeatureDeps) {
  const service = caseAuditsService({
    access: deps.access,
    lateEntryDays: deps.config.lateEntryReasonAfterDays,
    ...(deps.now ? { now: deps.now } : {}),
  })
  return { service, routes: (registry: RouteRegistry) => caseAuditsRoutes(registry, service) } satisfies FeatureModule<typeof service>
}
export type CaseAuditsModule = ReturnType<typeof caseAuditsModule>
