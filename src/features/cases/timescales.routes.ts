import { randomUUID } from 'node:crypto'
import { Router } from 'express'
import { formValues } from '../../platform/forms/forms.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { readChangeForm } from './timescales.form.js'
import { changedMessage, presentClock, presentTimescales } from './timescales.presenter.js'
import type { TimescalesService } from './timescales.service.js'

const MANAGE = { kind: 'partnership', action: 'timescales:manage' } as const
const VIEWS = 'cases/views'

/** Local timescales: every clock's lengths, and one clock's page to change its length from a date. */
export function timescalesRoutes(registry: RouteRegistry, service: TimescalesService): Router {
  const router = Router()
  const route = routesFor(registry, router)

  route.get('/admin/timescales', MANAGE, async (req, res) => {
    res.render(`${VIEWS}/timescales.njk`, presentTimescales(await service.overview(req.actor!, req.requestId)))
  })

  route.get('/admin/timescales/:kind', MANAGE, async (req, res) => {
    const page = await service.clock(req.actor!, String(req.params.kind), req.requestId)
    res.render(`${VIEWS}/timescale.njk`, presentClock(page, {}, undefined, randomUUID()))
  })

  route.post('/admin/timescales/:kind', MANAGE, async (req, res) => {
    const kind = String(req.params.kind)
    const result = await service.change(req.actor!, kind, readChangeForm(req.body), req.requestId)
    if (!result.ok)
      return res.status(result.status).render(`${VIEWS}/timescale.njk`, presentClock(result.page, formValues(req.body), result.errors))
    req.session.flash = changedMessage(result.kind, result.unit, result.length, result.effectiveFrom)
    res.redirect(`/admin/timescales/${result.kind}`)
  })

  return router
}
