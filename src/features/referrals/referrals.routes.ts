import { randomUUID } from 'node:crypto'
import { Router } from 'express'
import { requireUuid } from '../../platform/http/errors.js'
import { formValues } from '../../platform/http/forms.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { caseStepRoutes } from './case-step.routes.js'
import { parseRequestForSupport } from './request-for-support.form.js'
import { newRequestValues, presentRequestForm } from './request-for-support.presenter.js'
import type { ReferralsService } from './referrals.service.js'

const REFER = { kind: 'child', action: 'child:refer' } as const
const VIEW = 'referrals/views/request-for-support.njk'

/** The request for support about a child, then the steps on the case it opens. */
export function referralsRoutes(registry: RouteRegistry, referrals: ReferralsService): Router {
  const router = Router()
  const route = routesFor(registry, router)

  route.get('/children/:childId/request-for-support', REFER, async (req, res) => {
    const child = await referrals.viewRequestForm(req.actor!, requireUuid(req.params.childId), req.requestId)
    res.render(VIEW, presentRequestForm(child, newRequestValues(new Date(), randomUUID())))
  })

  route.post('/children/:childId/request-for-support', REFER, async (req, res) => {
    const childId = requireUuid(req.params.childId)
    const result = await referrals.submitRequest(req.actor!, childId, parseRequestForSupport(req.body), req.requestId)
    if (!result.ok) return res.status(400).render(VIEW, presentRequestForm(result.child, formValues(req.body), result.errors))
    req.session.flash = { heading: 'Request for support sent', text: 'It is in the front-door queue, waiting to be screened.' }
    res.redirect(`/cases/${result.caseId}`)
  })

  caseStepRoutes(route, referrals)
  return router
}
