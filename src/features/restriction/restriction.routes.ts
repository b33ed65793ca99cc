import { Router } from 'express'
import { formValues } from '../../platform/forms/forms.js'
import { requireUuid } from '../../platform/http/errors.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { presentBreakGlass, presentRemoval, presentRestriction } from './restriction.presenter.js'
import type { RestrictionService } from './restriction.service.js'

const RESTRICT = { kind: 'child', action: 'child:restrict' } as const
const BREAK_GLASS = { kind: 'child', action: 'child:break-glass' } as const
const VIEWS = 'restriction/views'

/** Restricting a child's record, and break-glass (issue 18): pages from the child's record and from a refusal. */
export function restrictionRoutes(registry: RouteRegistry, service: RestrictionService): Router {
  const router = Router()
  const route = routesFor(registry, router)

  route.get('/children/:childId/restriction', RESTRICT, async (req, res) => {
    const page = await service.restrictionPage(req.actor!, requireUuid(req.params.childId), req.requestId)
    res.render(`${VIEWS}/restriction.njk`, presentRestriction(page))
  })

  route.post('/children/:childId/restriction', RESTRICT, async (req, res) => {
    const childId = requireUuid(req.params.childId)
    const result = await service.saveRestriction(req.actor!, childId, req.body, req.requestId)
    if (!result.ok)
      return res.status(400).render(`${VIEWS}/restriction.njk`, presentRestriction(result.page, formValues(req.body), result.errors))
    req.session.flash = {
      heading: 'The record is restricted',
      text: 'Only the people named can open it now. The change is in the restriction history.',
    }
    res.redirect(`/children/${childId}/restriction`)
  })

  route.get('/children/:childId/restriction/remove', RESTRICT, async (req, res) => {
    const page = await service.restrictionPage(req.actor!, requireUuid(req.params.childId), req.requestId)
    res.render(`${VIEWS}/remove-restriction.njk`, presentRemoval(page))
  })

  route.post('/children/:childId/restriction/remove', RESTRICT, async (req, res) => {
    const childId = requireUuid(req.params.childId)
    const result = await service.removeRestriction(req.actor!, childId, req.body, req.requestId)
    if (!result.ok)
      return res.status(400).render(`${VIEWS}/remove-restriction.njk`, presentRemoval(result.page, formValues(req.body), result.errors))
    req.session.flash = {
      heading: 'The restriction is removed',
      text: 'The record is open again to everyone whose role and work with the child allow it.',
    }
    res.redirect(`/children/${childId}`)
  })

  route.get('/children/:childId/break-glass', BREAK_GLASS, async (req, res) => {
    const page = await service.breakGlassPage(req.actor!, requireUuid(req.params.childId), req.requestId)
    res.render(`${VIEWS}/break-glass.njk`, presentBreakGlass(page))
  })

  route.post('/children/:childId/break-glass', BREAK_GLASS, async (req, res) => {
    const childId = requireUuid(req.params.childId)
    const result = await service.openBreakGlass(req.actor!, childId, req.body, req.requestId)
    if (!result.ok)
      return res.status(400).render(`${VIEWS}/break-glass.njk`, presentBreakGlass(result.page, formValues(req.body), result.errors))
    res.redirect(`/children/${childId}`)
  })

  return router
}
