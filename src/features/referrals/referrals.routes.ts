import { Router } from 'express'
import type { RouteRegistry } from '../../platform/http/routes.js'
import type { ReferralsService } from './referrals.service.js'

export function referralsRoutes(_registry: RouteRegistry, _referrals: ReferralsService): Router {
  return Router()
}
