import { Router } from 'express'
import type { RouteRegistry } from '../../platform/http/routes.js'
import type { MeetingsService } from './meetings.service.js'

export function meetingsRoutes(_registry: RouteRegistry, _meetings: MeetingsService): Router {
  return Router()
}
