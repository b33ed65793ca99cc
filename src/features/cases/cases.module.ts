import { Router } from 'express'
import type { RouteRegistry } from '../../platform/http/routes.js'
import type { FeatureDeps, FeatureModule } from '../feature-module.js'
import { casesRoutes } from './cases.routes.js'
import { casesService } from './cases.service.js'
import { timescalesRoutes } from './timescales.routes.js'
import { timescalesService } from './timescales.service.js'

/**
 * The case page, missed-timescale reasons and local timescales (`service.timescales`: the page
 * and the command line); the kernel itself is built once in composition.ts.
 */
export function casesModule(deps: FeatureDeps) {
  const timescales = timescalesService(deps)
  const service = { ...casesService(deps), timescales }
  const routes = (registry: RouteRegistry) => {
    const router = Router()
    router.use(casesRoutes(registry, service))
    router.use(timescalesRoutes(registry, timescales))
    return router
  }
  return { service, routes } satisfies FeatureModule<typeof service>
}
