import { Router } from 'express'
import { isUuid, requireUuid } from '../../platform/http/errors.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { readQueueQuery, readRangeQuery, readReviewForm } from './privacy.form.js'
import { PATHS, presentAlert, presentAlerts, presentOverview, presentPeople, presentPersonReport } from './privacy.presenter.js'
import { queueFilter } from './privacy.rules.js'
import type { PrivacyService } from './privacy.service.js'

const REVIEW = { kind: 'partnership', action: 'privacy:review' } as const
const VIEWS = 'privacy/views'

const pageOf = (value: unknown) => {
  const s = typeof value === 'string' ? value : ''
  return /^\d{1,6}$/.test(s) && Number(s) >= 1 ? Number(s) : 1
}

/** The privacy officer's workspace: the landing page, the alert queue and reviews, and access reports. HTTP only. */
export function privacyRoutes(registry: RouteRegistry, service: PrivacyService): Router {
  const router = Router()
  const route = routesFor(registry, router)

  route.get(PATHS.overview, REVIEW, async (req, res) => {
    res.render(`${VIEWS}/overview.njk`, presentOverview(await service.overview(req.actor!, req.requestId)))
  })

  route.get(PATHS.alerts, REVIEW, async (req, res) => {
    const view = await service.listAlerts(req.actor!, queueFilter(readQueueQuery(req.query)), req.requestId)
    res.render(`${VIEWS}/alerts.njk`, presentAlerts(view))
  })

  route.get('/privacy/alerts/:alertId', REVIEW, async (req, res) => {
    const view = await service.alert(req.actor!, requireUuid(req.params.alertId), req.requestId)
    res.render(`${VIEWS}/alert.njk`, presentAlert(view))
  })

  route.post('/privacy/alerts/:alertId', REVIEW, async (req, res) => {
    const alertId = requireUuid(req.params.alertId)
    const input = readReviewForm(req.body)
    const result = await service.review(req.actor!, alertId, input, req.requestId)
    if (!result.ok) return res.status(400).render(`${VIEWS}/alert.njk`, presentAlert(result.view, { errors: result.errors, input }))
    req.session.flash = { heading: 'Alert reviewed', text: 'Your review is recorded. It cannot be changed.' }
    res.redirect(PATHS.alert(alertId))
  })

  route.get(PATHS.access, REVIEW, async (req, res) => {
    const person = typeof req.query.person === 'string' ? req.query.person : undefined
    if (person !== undefined && isUuid(person)) return res.redirect(PATHS.person(person.toLowerCase()))
    const view = await service.people(req.actor!, req.requestId)
    const error = person !== undefined ? 'Select a person' : undefined
    res.status(error ? 400 : 200).render(`${VIEWS}/access.njk`, presentPeople(view, error))
  })

  route.get('/privacy/access/people/:userId', REVIEW, async (req, res) => {
    const query = readRangeQuery(req.query)
    const view = await service.personReport(req.actor!, requireUuid(req.params.userId), query, pageOf(query.page), req.requestId)
    res.status(view.errors.length ? 400 : 200).render(`${VIEWS}/person.njk`, presentPersonReport(view))
  })

  return router
}
