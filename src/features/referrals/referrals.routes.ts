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
import { readShareForm } from './referrer-view.form.js'
import { presentShare, presentYourRequest, presentYourRequests } from './referrer-view.presenter.js'

const REFER = { kind: 'child', action: 'child:refer' } as const
const VIEW = 'referrals/views/request-for-support.njk'
/** The HSB lead's page: the service refuses anyone else (there is no partnership action for it). */
const MANAGE_CATALOGUE = { kind: 'partnership', action: 'screening:manage-catalogue' } as const
const CATALOGUE_VIEW = 'referrals/views/screening-catalogue.njk'
const SIGNED_IN = { kind: 'signed-in' } as const
/** A request's page for the person who raised it: the service also checks that they did. */
const OWN_REQUEST = { kind: 'child', action: 'child:view-own-request' } as const
const READ = { kind: 'child', action: 'child:read' } as const
const SHARE_VIEW = 'referrals/views/referrer-updates.njk'

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
    // Someone working with the child goes on to the case; a referrer follows their request on its own page.
    res.redirect(result.opensCase ? `/cases/${result.caseId}` : `/requests/${result.caseId}`)
  })

  /** The referrer's view: the requests a person raised, and each one's status, outcome and what was shared back. */
  route.get('/requests', SIGNED_IN, async (req, res) => {
    res.render('referrals/views/your-requests.njk', presentYourRequests(await referrals.yourRequests(req.actor!, req.requestId)))
  })

  route.get('/requests/:caseId', OWN_REQUEST, async (req, res) => {
    const view = await referrals.yourRequest(req.actor!, requireUuid(req.params.caseId), req.requestId)
    res.render('referrals/views/your-request.njk', presentYourRequest(view))
  })

  /** On the case: what has been shared with its referrer, and the form to share more (those who work the case). */
  route.get('/cases/:caseId/referrer-updates', READ, async (req, res) => {
    res.render(SHARE_VIEW, presentShare(await referrals.viewShared(req.actor!, requireUuid(req.params.caseId), req.requestId)))
  })

  route.post('/cases/:caseId/referrer-updates', READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const result = await referrals.share(req.actor!, caseId, readShareForm(req.body), req.requestId)
    if (!result.ok) return res.status(result.status).render(SHARE_VIEW, presentShare(result.page, formValues(req.body), result.errors))
    req.session.flash = { heading: 'Update shared with the referrer', text: 'They have been sent a notification.' }
    res.redirect(`/cases/${caseId}/referrer-updates`)
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
