import { Router } from 'express'
import { requireUuid } from '../../platform/http/errors.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import type { ChildrenService } from './children.service.js'
import { presentAccessHistory, presentChild } from './children.presenter.js'

export function childrenRoutes(registry: RouteRegistry, children: ChildrenService): Router {
  const router = Router()
  const route = routesFor(registry, router)

  route.get('/children/:childId', { kind: 'child', action: 'child:read' }, async (req, res) => {
    const view = await children.viewChild(req.actor!, requireUuid(req.params.childId), req.requestId)
    res.render('children/views/child.njk', presentChild(view))
  })

  route.get('/children/:childId/access-history', { kind: 'child', action: 'child:view-record-history' }, async (req, res) => {
    const view = await children.viewAccessHistory(req.actor!, requireUuid(req.params.childId), req.requestId)
    res.render('children/views/access-history.njk', presentAccessHistory(view))
  })

  return router
}
