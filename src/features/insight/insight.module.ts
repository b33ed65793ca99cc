import { Router } from 'express'
import type { RouteRegistry } from '../../platform/http/routes.js'
import type { FeatureDeps, FeatureModule } from '../feature-module.js'
import { dashboardRoutes } from './dashboard.routes.js'
import { dashboardService } from './dashboard.service.js'
import { insightSettings } from './insight.settings.js'
import { reportRoutes } from './report.routes.js'
import { boardReportService } from './report.service.js'
import { workforceRoutes } from './workforce.routes.js'
import { workforceService } from './workforce.service.js'

/** Insight: the partnership's figures, workforce, case factors, provision, disclosure control and the board's report. */
export function insightModule(deps: FeatureDeps) {
  const settings = insightSettings(deps)
  const dashboard = dashboardService(deps, settings)
  const workforce = workforceService(deps, settings)
  const report = boardReportService(deps, dashboard)
  const service = { settings, dashboard, workforce, report }
  const routes = (registry: RouteRegistry) => {
    const router = Router()
    router.use(dashboardRoutes(registry, dashboard, settings))
    router.use(workforceRoutes(registry, workforce))
    router.use(reportRoutes(registry, report))
    return router
  }
  return { service, routes } satisfies FeatureModule<typeof service>
}
export type InsightModule = ReturnType<typeof insightModule>
