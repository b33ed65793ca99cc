import { randomUUID } from 'node:crypto'
import { Router } from 'express'
import { requireUuid } from '../../platform/http/errors.js'
import { formValues } from '../../platform/forms/forms.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { caseStepRoutes } from './case-step.routes.js'
import { catalogueErrors, loadedMessage, presentCatalogue } from './catalogue.presenter.js'
import { parseRequestForSupport } from './request-for-support.form.js'
import { newRequestValues, presentRequestForm } from './request-for-support.presenter.js'
import type { ReferralsService } from './referrals.service.js'

const REFER = { kind: 'child', action: 'child:refer' } as const
const VIEW = 'referrals/views/request-for-support.njk'
/** The HSB lead's page: the service refuses anyone else (there is no partnership action for it). */
const MANAGE_CATALOGUE = { kind: 'partnership', action: 'screening:manage-catalogue' } as const
const CATALOGUE_VIEW = 'referrals/views/screening-catalogue.njk'

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

  route.get('/screening-catalogue', MANAGE_CATALOGUE, async (req, res) => {
    res.render(CATALOGUE_VIEW, presentCatalogue(await referrals.viewCatalogue(req.actor!, req.requestId)))
  })

  route.post('/screening-catalogue', MANAGE_CATALOGUE, async (req, res) => {
    const text = typeof req.body?.catalogue === 'string' ? (req.body.catalogue as string) : ''
    const result = await referrals.loadCatalogue(req.actor!, text, req.requestId)
    if (!result.ok)
      return res.status(400).render(CATALOGUE_VIEW, presentCatalogue(result.summary, { catalogue: text }, catalogueErrors(result.errors)))
    req.session.flash = loadedMessage(result.counts)
    res.redirect('/screening-catalogue')
  })

  caseStepRoutes(route, referrals)
  return router
}
