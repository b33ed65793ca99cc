import { Router } from 'express'
import { requireUuid } from '../../platform/http/errors.js'
import { formValues } from '../../platform/forms/forms.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { readEntryForm } from './criminal-process.form.js'
import { presentCriminalProcess, presentEntryForm } from './criminal-process.presenter.js'
import type { CriminalProcessService } from './criminal-process.service.js'

const READ = { kind: 'child', action: 'child:read' } as const
const VIEWS = 'criminal-process/views'

/** The criminal process of a case: read it, and record an entry. The service decides who may. */
export function criminalProcessRoutes(registry: RouteRegistry, service: CriminalProcessService): Router {
  const router = Router()
  const route = routesFor(registry, router)

  route.get('/cases/:caseId/criminal-process', READ, async (req, res) => {
    const page = await service.view(req.actor!, requireUuid(req.params.caseId), req.requestId)
    res.render(`${VIEWS}/criminal-process.njk`, presentCriminalProcess(page))
  })

  route.get('/cases/:caseId/criminal-process/new', READ, async (req, res) => {
    const { kase } = await service.form(req.actor!, requireUuid(req.params.caseId), req.requestId)
    res.render(`${VIEWS}/new-entry.njk`, presentEntryForm(kase))
  })

  route.post('/cases/:caseId/criminal-process/new', READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const result = await service.record(req.actor!, caseId, readEntryForm(req.body), req.requestId)
    if (!result.ok)
      return res.status(400).render(`${VIEWS}/new-entry.njk`, presentEntryForm(result.kase, formValues(req.body), result.errors))
    req.session.flash = { heading: 'Criminal process entry recorded' }
    res.redirect(`/cases/${caseId}/criminal-process`)
  })

  return router
}
