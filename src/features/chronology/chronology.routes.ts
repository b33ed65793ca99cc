import { Router, type Request } from 'express'
import { requireUuid } from '../../platform/http/errors.js'
import { datePartsOf } from '../../platform/forms/dates.js'
import { field, formValues } from '../../platform/forms/forms.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { formPage } from '../../platform/http/case-pages.js'
import { pdfFileName, renderChronologyPdf } from './chronology.pdf.js'
import { describeFilter, presentChronology, presentCuratedForm, PROTECTIVE_MARKING } from './chronology.presenter.js'
import { caseReference, parseFilter, type CuratedInput } from './chronology.rules.js'
import type { ChronologyFormat, ChronologyService } from './chronology.service.js'

const READ = { kind: 'child', action: 'child:read' } as const
const VIEWS = 'chronology/views'

function readCurated(body: unknown): CuratedInput {
  return {
    date: datePartsOf(body, 'date'),
    title: field(body, 'title'),
    text: field(body, 'text'),
    corrects: field(body, 'corrects'),
    significant: field(body, 'significant') === 'yes',
  }
}

/** The case's chronology: the timeline (filtered by a GET form), a print view, a PDF, and curated entries. */
export function chronologyRoutes(registry: RouteRegistry, service: ChronologyService): Router {
  const router = Router()
  const route = routesFor(registry, router)

  /** The chronology as the query filters it (and what is wrong with the filter), read and audited in this format. */
  async function read(req: Request, format: ChronologyFormat) {
    const caseId = requireUuid(req.params.caseId)
    const { filter, errors } = parseFilter(req.query as Record<string, unknown>)
    return { caseId, filter, errors, view: await service.view(req.actor!, caseId, filter, format, req.requestId) }
  }

  route.get('/cases/:caseId/chronology', READ, async (req, res) => {
    const { view, errors } = await read(req, 'html')
    res.status(errors.length ? 400 : 200).render(`${VIEWS}/chronology.njk`, presentChronology(view, formValues(req.query), errors))
  })

  route.get('/cases/:caseId/chronology/print', READ, async (req, res) => {
    res.render(`${VIEWS}/print.njk`, presentChronology((await read(req, 'print')).view))
  })

  route.get('/cases/:caseId/chronology.pdf', READ, async (req, res) => {
    const { filter, view } = await read(req, 'pdf')
    const pdf = await renderChronologyPdf({
      reference: caseReference(view.kase),
      marking: PROTECTIVE_MARKING,
      entries: view.entries,
      generatedAt: view.generatedAt,
      filterText: describeFilter(filter),
    })
    res.set({
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="${pdfFileName(view.generatedAt)}"`,
      'Cache-Control': 'no-store',
    })
    res.send(pdf)
  })

  formPage(route, READ, '/cases/:caseId/chronology/new', `${VIEWS}/new-entry.njk`, presentCuratedForm, {
    show: service.addForm,
    save: (user, caseId, requestId, req) => service.add(user, caseId, readCurated(req.body), requestId),
    done: (_, caseId) => [{ heading: 'Entry added to the chronology' }, `/cases/${caseId}/chronology`],
  })

  return router
}
