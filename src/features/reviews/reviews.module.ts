import type { FeatureDeps, FeatureModule } from '../feature-module.js'
import { reviewsRoutes } from './reviews.routes.js'
import { reviewsService } from './reviews.service.js'

/** Reviews and their action plans: findings, questions, agency responses, actions, history, as-at reports. */
export function reviewsModule(deps: FeatureDeps) {
  const service = reviewsService({
    access: deps.access,
    evidenceDir: deps.config.evidenceDir,
    lateEntryDays: deps.config.lateEntryReasonAfterDays,
    ...(deps.now ? { now: deps.now } : {}),
  })
  return { service, routes: (registry) => reviewsRoutes(registry, service) } satisfies FeatureModule<typeof service>
}
export type ReviewsModule = ReturnType<typeof reviewsModule>
