import { Router } from 'express'
import { requireUuid } from '../../platform/http/errors.js'
import { datePartsOf } from '../../platform/forms/dates.js'
import { field, formValues } from '../../platform/forms/forms.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { renderChronologyPdf } from './chronology.pdf.js'
import { describeFilter, presentChronology, presentCuratedForm } from './chronology.presenter.js'
import { parseFilter, type CuratedInput } from './chronology.rules.js'
import type { ChronologyService } from './chronology.service.js'

const READ = { kind: 'child', action: 'child:read' } as const
const VIEWS = 'chronology/views'

function readCurated(body: unknown): CuratedInput {
  return { date: datePartsOf(body, 'date'), title: field(body, 'title'), text: field(body, 'text'), corrects: field(body, 'corrects') }
}

/** The case's chronology: the timeline (filtered by a GET form), a print view, a PDF, and curated entries. */
export function chronologyRoutes(registry: RouteRegistry, service: ChronologyService): Router {
  const router = Router()
  const route = routesFor(registry, router)

  route.get('/cases/:caseId/chronology', READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const { filter, errors } = parseFilter(req.query as Record<string, unknown>)
    const view = await service.view(req.actor!, caseId, filter, 'html', req.requestId)
    res.status(errors.length ? 400 : 200).render(`${VIEWS}/chronology.njk`, presentChronology(view, formValues(req.query), errors))
  })

  route.get('/cases/:caseId/chronology/print', READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const { filter } = parseFilter(req.query as Record<string, unknown>)
    const view = await service.view(req.actor!, caseId, filter, 'print', req.requestId)
    res.render(`${VIEWS}/print.njk`, presentChronology(view))
  })

  route.get('/cases/:caseId/chronology.pdf', READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const { filter } = parseFilter(req.query as Record<string, unknown>)
    const view = await service.view(req.actor!, caseId, filter, 'pdf', req.requestId)
    const pdf = await renderChronologyPdf({
      childName: view.kase.childName,
      caseId,
      entries: view.entries,
      generatedAt: view.generatedAt,
      filterText: describeFilter(filter),
    })
    res.set({
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="chronology-${caseId}.pdf"`,
      'Cache-Control': 'no-store',
    })
    res.send(pdf)
  })

  route.get('/cases/:caseId/chronology/new', READ, async (req, res) => {
    const options = await service.addForm(req.actor!, requireUuid(req.params.caseId), req.requestId)
    res.render(`${VIEWS}/new-entry.njk`, presentCuratedForm(options))
  })

  route.post('/cases/:caseId/chronology/new', READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const result = await service.add(req.actor!, caseId, readCurated(req.body), req.requestId)
    if (!result.ok)
      return res.status(400).render(`${VIEWS}/new-entry.njk`, presentCuratedForm(result.options, formValues(req.body), result.errors))
    req.session.flash = { heading: 'Entry added to the chronology' }
    res.redirect(`/cases/${caseId}/chronology`)
  })

  return router
}
