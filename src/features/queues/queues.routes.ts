import { Router } from 'express'
import type { RouteRegistry } from '../../platform/http/routes.js'
import type { QueuesService } from './queues.service.js'

export function queuesRoutes(_registry: RouteRegistry, _queues: QueuesService): Router {
  return Router()
}
