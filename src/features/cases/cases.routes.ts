import { Router } from 'express'
import { NotFoundError, requireUuid } from '../../platform/http/errors.js'
import { formValues } from '../../platform/forms/forms.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { CLOCK_LABELS } from '../../platform/clocks/clocks.rules.js'
import { presentCase } from './cases.presenter.js'
import type { CasesService } from './cases.service.js'

const READ = { kind: 'child', action: 'child:read' } as const

/** The page asking why a clock's timescale was missed. */
const clockReasonPage = (caseId: string, kind: string) => ({
  pageTitle: 'Why was the timescale missed?',
  caseId,
  kind,
  clockLabel: CLOCK_LABELS[kind as keyof typeof CLOCK_LABELS],
})

export function casesRoutes(registry: RouteRegistry, cases: CasesService): Router {
  const router = Router()
  const route = routesFor(registry, router)

  route.get('/cases/:caseId', READ, async (req, res) => {
    const view = await cases.viewCase(req.actor!, requireUuid(req.params.caseId), req.requestId)
    res.render('cases/views/case.njk', presentCase(view))
  })

  route.get('/cases/:caseId/clocks/:kind/reason', READ, async (req, res) => {
    const view = await cases.viewCase(req.actor!, requireUuid(req.params.caseId), req.requestId)
    const kind = String(req.params.kind)
    if (!view.clocks.some((c) => c.kind === kind)) throw new NotFoundError()
    res.render('cases/views/clock-reason.njk', { ...clockReasonPage(view.kase.id, kind), values: {} })
  })

  route.post('/cases/:caseId/clocks/:kind/reason', READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const kind = String(req.params.kind)
    const reason = typeof req.body?.reason === 'string' ? req.body.reason : ''
    const result = await cases.recordClockReason(req.actor!, caseId, kind, reason, req.requestId)
    if (!result.ok) {
      const page = { ...clockReasonPage(caseId, kind), errors: result.errors, values: formValues(req.body) }
      return res.status(400).render('cases/views/clock-reason.njk', page)
    }
    req.session.flash = { heading: 'Reason recorded' }
    res.redirect(`/cases/${caseId}`)
  })

  return router
}
