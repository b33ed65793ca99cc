import { Router } from 'express'
import { requireUuid } from '../../platform/http/errors.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { presentCaseQueue, presentHsbOverview, presentMyWork, presentNotifications } from './queues.presenter.js'
import { pageFrom, parseQueueQuery } from './queues.rules.js'
import type { QueuesService } from './queues.service.js'

const SIGNED_IN = { kind: 'signed-in' } as const
const VIEWS = 'queues/views'

/**
 * The work queues and notifications. Lists are sorted, filtered and paged through the query
 * string (status, sort, page: nothing personal); the service decides which children show.
 */
export function queuesRoutes(registry: RouteRegistry, queues: QueuesService): Router {
  const router = Router()
  const route = routesFor(registry, router)

  route.get('/work', SIGNED_IN, async (req, res) => {
    const view = await queues.myWork(req.actor!, parseQueueQuery('my-work', req.query), pageFrom(req.query['meetings-page']), req.requestId)
    res.render(`${VIEWS}/my-work.njk`, presentMyWork(view, req.actor!))
  })

  route.get('/work/front-door', { kind: 'partnership', action: 'work:front-door' }, async (req, res) => {
    const view = await queues.frontDoor(req.actor!, parseQueueQuery('front-door', req.query), req.requestId)
    res.render(`${VIEWS}/case-queue.njk`, presentCaseQueue(view, req.actor!))
  })

  route.get('/work/team', { kind: 'partnership', action: 'work:team' }, async (req, res) => {
    const view = await queues.team(req.actor!, parseQueueQuery('team', req.query), req.requestId)
    res.render(`${VIEWS}/case-queue.njk`, presentCaseQueue(view, req.actor!))
  })

  route.get('/work/hsb-overview', { kind: 'partnership', action: 'work:hsb-overview' }, async (req, res) => {
    const view = await queues.hsbOverview(req.actor!, parseQueueQuery('hsb-overview', req.query), req.requestId)
    res.render(`${VIEWS}/case-queue.njk`, presentHsbOverview(view, req.actor!))
  })

  route.get('/notifications', SIGNED_IN, async (req, res) => {
    const view = await queues.listNotifications(req.actor!, pageFrom(req.query.page), req.requestId)
    res.render(`${VIEWS}/notifications.njk`, presentNotifications(view))
  })

  route.post('/notifications/:notificationId/read', SIGNED_IN, async (req, res) => {
    await queues.markNotificationRead(req.actor!, requireUuid(req.params.notificationId), req.requestId)
    req.session.flash = { heading: 'Notification marked as read' }
    res.redirect('/notifications')
  })

  return router
}
