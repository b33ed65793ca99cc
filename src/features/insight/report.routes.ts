import { Router, type Response } from 'express'
import { requireUuid, NotFoundError } from '../../platform/http/errors.js'
import { field, formValues, wholeNumber, type FieldError } from '../../platform/forms/forms.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { barChartSvg } from './chart.svg.js'
import type { ShownFigure } from './insight.figures.js'
import { queryString, type Period } from './insight.query.js'
import { reportDocx } from './report.docx.js'
import { reportPdf } from './report.pdf.js'
import { defaultTitle, sectionBySlug, suppressionNote, type ReportContent } from './report.rules.js'
import type { BoardReportService } from './report.service.js'

const READ = { kind: 'partnership', action: 'insight:read' } as const
const WRITE = { kind: 'partnership', action: 'insight:write-report' } as const
const VIEWS = 'insight/views'
/** The report's downloads. */
const REPORT_FILES = [
  { format: 'docx', type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', make: reportDocx },
  { format: 'pdf', type: 'application/pdf', make: reportPdf },
] as const

/** The query string that asks the dashboard (and the JSNA extract) for a period. */
export const periodQuery = (p: Pick<Period, 'kind' | 'key' | 'from' | 'to'>) =>
  p.kind === 'custom' ? queryString({ period: 'custom', from: p.from, to: p.to }) : queryString({ period: p.key })

const yearItems = (years: readonly Period[], selected: string) =>
  years.map((y) => ({ value: y.key, text: y.label, checked: y.key === selected }))

const sectionFor = (slug: unknown) => {
  const def = typeof slug === 'string' ? sectionBySlug(slug) : undefined
  if (!def) throw new NotFoundError()
  return def
}

/** The report page's sections, with each figure's chart drawn and, for the period before, its own ids (no duplicate ids on the page). */
function presentSections(content: ReportContent) {
  return content.sections.map((s) => ({
    ...s,
    figures: s.figures.map(({ figure, summary }) => {
      const fig: ShownFigure = s.def.previous
        ? { ...figure, id: `previous-${figure.id}`, title: `${figure.title} (${s.period.label})` }
        : figure
      return { fig, chartSvg: barChartSvg(fig), summary }
    }),
  }))
}

/** The board's annual HSB report pack (/insight/reports...) and the JSNA data extract (/insight/jsna.csv). */
export function reportRoutes(registry: RouteRegistry, service: BoardReportService): Router {
  const router = Router()
  const route = routesFor(registry, router)

  route.get('/insight/reports', READ, async (req, res) => {
    const page = await service.list(req.actor!)
    const { defaultKey } = service.jsnaOptions()
    res.render(`${VIEWS}/report-list.njk`, {
      ...page,
      jsnaHref: `/insight/jsna.csv?${queryString({ period: defaultKey })}`,
      pageTitle: 'Board reports',
    })
  })

  const newView = async (res: Response, values: Record<string, string | string[]>, errors: FieldError[] = []) => {
    const { years, defaultKey } = await service.newForm(res.req.actor!)
    const selected = (values.period as string | undefined) ?? defaultKey
    const title = (values.title as string | undefined) ?? defaultTitle(years.find((y) => y.key === defaultKey)!)
    return { pageTitle: 'Start a board report', errors, values: { ...values, title }, yearItems: yearItems(years, selected), selected }
  }
  route.get('/insight/reports/new', WRITE, async (_req, res) => res.render(`${VIEWS}/report-new.njk`, await newView(res, {})))
  route.post('/insight/reports/new', WRITE, async (req, res) => {
    const input = {
      title: field(req.body, 'title'),
      period: field(req.body, 'period'),
      from: field(req.body, 'from'),
      to: field(req.body, 'to'),
    }
    const result = await service.create(req.actor!, input, req.requestId)
    if (!result.ok)
      return res
        .status(400)
        .render(
          `${VIEWS}/report-new.njk`,
          await newView(res, { ...formValues(req.body), title: input.title, period: input.period }, result.errors),
        )
    req.session.flash = { heading: 'Board report started' }
    res.redirect(`/insight/reports/${result.reportId}`)
  })

  for (const file of REPORT_FILES) {
    route.get(`/insight/reports/:reportId.${file.format}`, READ, async (req, res) => {
      const { doc, fileName } = await service.document(req.actor!, requireUuid(req.params.reportId), file.format, req.requestId)
      res.setHeader('Content-Type', file.type)
      res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`)
      res.send(await file.make(doc))
    })
  }

  route.get('/insight/reports/:reportId', READ, async (req, res) => {
    const page = await service.report(req.actor!, requireUuid(req.params.reportId))
    res.render(`${VIEWS}/report.njk`, {
      ...page,
      sections: presentSections(page.content),
      suppressionNote: suppressionNote(null),
      jsnaHref: `/insight/jsna.csv?${periodQuery(page.content.period)}`,
      pageTitle: page.report.title,
    })
  })

  const sectionView = (
    page: Awaited<ReturnType<BoardReportService['sectionForm']>>,
    body?: string,
    errors: FieldError[] = [],
    conflict = false,
  ) => ({
    ...page,
    pageTitle: `${page.section.heading} – ${page.report.title}`,
    body: body ?? page.current?.body ?? '',
    version: page.current?.version ?? 0,
    errors,
    conflict,
  })
  route.get('/insight/reports/:reportId/sections/:section', WRITE, async (req, res) => {
    res.render(
      `${VIEWS}/report-section.njk`,
      sectionView(await service.sectionForm(req.actor!, requireUuid(req.params.reportId), sectionFor(req.params.section))),
    )
  })
  route.post('/insight/reports/:reportId/sections/:section', WRITE, async (req, res) => {
    const reportId = requireUuid(req.params.reportId)
    const def = sectionFor(req.params.section)
    const body = field(req.body, 'body')
    const result = await service.saveSection(
      req.actor!,
      reportId,
      def,
      { body, version: wholeNumber(field(req.body, 'version')) },
      req.requestId,
    )
    if (!result.ok)
      return res
        .status(result.status)
        .render(`${VIEWS}/report-section.njk`, sectionView(result.page, body, result.errors, result.status === 409))
    req.session.flash = { heading: `“${def.heading}” saved` }
    res.redirect(`/insight/reports/${reportId}#${def.slug}`)
  })

  route.get('/insight/jsna.csv', READ, async (req, res) => {
    const result = await service.jsna(req.actor!, req.query as Record<string, unknown>, req.requestId)
    if (!result.ok) {
      const { years } = service.jsnaOptions()
      const selected = result.params.period ?? ''
      return res
        .status(400)
        .render(`${VIEWS}/report-jsna.njk`, {
          pageTitle: 'Download the JSNA data extract',
          errors: result.errors,
          values: result.params,
          yearItems: yearItems(years, selected),
          selected,
        })
    }
    res.setHeader('Content-Type', 'text/csv; charset=utf-8')
    res.setHeader('Content-Disposition', `attachment; filename="${result.fileName}"`)
    res.send(result.csv)
  })

  return router
}
