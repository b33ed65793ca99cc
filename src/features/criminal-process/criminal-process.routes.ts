import { Router } from 'express'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { casePage, formPage } from '../../platform/http/case-pages.js'
import { readEntryForm } from './criminal-process.form.js'
import { presentCriminalProcess, presentEntryForm } from './criminal-process.presenter.js'
import type { CriminalProcessService } from './criminal-process.service.js'

const READ = { kind: 'child', action: 'child:read' } as const
const VIEWS = 'criminal-process/views'

/** The criminal process of a case: read it, and record an entry. The service decides who may. */
export function criminalProcessRoutes(registry: RouteRegistry, service: CriminalProcessService): Router {
  const router = Router()
  const route = routesFor(registry, router)

  route.get('/cases/:caseId/criminal-process', READ, casePage(service.view, `${VIEWS}/criminal-process.njk`, presentCriminalProcess))

  formPage(route, READ, '/cases/:caseId/criminal-process/new', `${VIEWS}/new-entry.njk`, presentEntryForm, {
    show: service.form,
    save: (user, caseId, requestId, req) => service.record(user, caseId, readEntryForm(req.body), requestId),
    done: (_, caseId) => [{ heading: 'Criminal process entry recorded' }, `/cases/${caseId}/criminal-process`],
  })

  return router
}
