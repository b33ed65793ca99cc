import { Router, type Request, type Response } from 'express'
import {
  financialYearOf,
  financialYearsBetween,
  periodFromKey,
  queryString,
  AGE_BANDS,
  ETHNICITY_FILTERS,
  GENDER_FILTERS,
  RATINGS,
  SEND_FILTERS,
  type InsightQuery,
  type Known,
} from './insight.query.js'
import { londonDate } from '../../platform/clocks/london-time.js'
import { NotFoundError } from '../../platform/http/errors.js'
import type { FieldError } from '../../platform/forms/forms.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { caseFactorsRoutes } from './case-factors.routes.js'
import { barChartSvg } from './chart.svg.js'
import { figuresCsv, figuresXlsx, type ExportMeta } from './figure-export.js'
import type { ShownFigure } from './insight.figures.js'
import { provisionRoutes } from './provision.routes.js'
import type { FiguresView, WorkforceService } from './workforce.service.js'

const READ = { kind: 'partnership', action: 'insight:read' } as const
const VIEWS = 'insight/views'
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** Which column each figure's chart draws. */
const CHART_COLUMN: Record<string, string> = { 'trained-by-agency': 'AIM3', 'trained-capacity': 'trained', 'case-factors': 'share' }

type Option = { value: string; text: string; selected?: boolean }
const options = (list: readonly { value: string; label: string }[], selected: string | undefined, empty: string): Option[] => [
  { value: '', text: empty },
  ...list.map((o) => ({ value: o.value, text: o.label, selected: o.value === selected })),
]

/** The filter form: periods offered (financial years, plus the one in the query if it is another kind), and the filters' lists. */
function filterForm(params: Record<string, string>, known: Known, today: string) {
  const years = financialYearsBetween(financialYearOf(today) - 5, today)
  const periods: Option[] = years.map((p) => ({ value: p.key, text: p.label }))
  const chosen = params.period ?? years[0]!.key
  const extra = chosen !== 'custom' ? periodFromKey(chosen) : null
  if (extra && !periods.some((p) => p.value === extra.key)) periods.unshift({ value: extra.key, text: extra.label })
  periods.push({ value: 'custom', text: 'Custom dates' })
  for (const p of periods) p.selected = p.value === chosen
  return {
    params,
    periodItems: periods,
    ratingItems: options(RATINGS, params.rating, 'Any rating'),
    ageItems: options(AGE_BANDS, params.age, 'Any age'),
    genderItems: options(GENDER_FILTERS, params.gender, 'Any gender'),
    ethnicityItems: options(ETHNICITY_FILTERS, params.ethnicity, 'Any ethnic group'),
    sendItems: options(SEND_FILTERS, params.send, 'Either'),
    agencyItems: options(
      known.agencies.map((a) => ({ value: a.id, label: a.name })),
      params.agency,
      'Any agency',
    ),
    teamItems: options(
      known.teams.map((t) => ({ value: t.id, label: t.name })),
      params.team,
      'Any team',
    ),
  }
}

/** Each figure with its chart and download links (the view's query string kept). */
function figureBlocks(figures: readonly ShownFigure[], base: string, params: Record<string, string>) {
  const qs = queryString(params)
  const suffix = qs ? `?${qs}` : ''
  return figures.map((fig) => ({
    fig,
    chart: barChartSvg(fig, CHART_COLUMN[fig.id] ? { column: CHART_COLUMN[fig.id]! } : {}),
    downloads: { csv: `${base}/figures/${fig.id}.csv${suffix}`, xlsx: `${base}/figures/${fig.id}.xlsx${suffix}` },
  }))
}

function filtersLabel(q: InsightQuery, known: Known): string {
  const f = q.filters
  const parts = [
    f.agencyId && `Agency: ${known.agencies.find((a) => a.id === f.agencyId)?.name ?? ''}`,
    f.teamId && `Team: ${known.teams.find((t) => t.id === f.teamId)?.name ?? ''}`,
    f.rating && `Rating: ${RATINGS.find((r) => r.value === f.rating)?.label}`,
    f.ageBand && `Age: ${AGE_BANDS.find((a) => a.value === f.ageBand)?.label}`,
    f.gender && `Gender: ${GENDER_FILTERS.find((g) => g.value === f.gender)?.label}`,
    f.ethnicity && `Ethnic group: ${ETHNICITY_FILTERS.find((e) => e.value === f.ethnicity)?.label}`,
    f.send && `SEND: ${SEND_FILTERS.find((s) => s.value === f.send)?.label}`,
  ].filter(Boolean)
  return parts.length ? parts.join('; ') : 'None'
}

async function sendFigure(res: Response, view: FiguresView, figureId: string, format: string, meta: ExportMeta, name: string) {
  const figure = view.figures.find((f) => f.id === figureId)
  if (!figure) throw new NotFoundError()
  const fileName = `${name}-${figure.id}-${meta.asAt}.${format}`.replace(/[^A-Za-z0-9._-]/g, '_')
  res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`)
  res.setHeader('X-Content-Type-Options', 'nosniff')
  if (format === 'csv') {
    res.setHeader('Content-Type', 'text/csv; charset=utf-8')
    return res.send(figuresCsv([figure], meta))
  }
  res.setHeader('Content-Type', XLSX)
  res.send(await figuresXlsx([figure], meta))
}

/** The workforce and case-factor figures (with downloads), and the provision register and case factors' own routes. */
export function workforceRoutes(registry: RouteRegistry, service: WorkforceService): Router {
  const router = Router()
  const route = routesFor(registry, router)

  const today = () => londonDate(new Date())

  async function read(req: Request) {
    const parsed = await service.parse(req.actor!, req.query as Record<string, unknown>)
    return { parsed, form: filterForm(parsed.params, parsed.known, today()) }
  }

  const badQuery = (res: Response, view: string, form: ReturnType<typeof filterForm>, errors: FieldError[], pageTitle: string) =>
    res.status(400).render(`${VIEWS}/${view}`, { pageTitle, errors, form, blocks: [], invalid: true })

  route.get('/insight/workforce', READ, async (req, res) => {
    const { parsed, form } = await read(req)
    if (!parsed.ok) return badQuery(res, 'workforce.njk', form, parsed.errors, 'Workforce')
    const view = await service.workforce(req.actor!, parsed.value)
    const params = { 'as-at': parsed.value.asAt }
    res.render(`${VIEWS}/workforce.njk`, {
      pageTitle: 'Workforce',
      errors: [],
      form,
      asAt: parsed.value.asAt,
      empty: view.empty,
      blocks: figureBlocks(view.figures, '/insight/workforce', params),
    })
  })

  route.get('/insight/case-factors', READ, async (req, res) => {
    const { parsed, form } = await read(req)
    if (!parsed.ok) return badQuery(res, 'case-factors.njk', form, parsed.errors, 'Case factors')
    const view = await service.caseFactors(req.actor!, parsed.value, { params: parsed.params })
    res.render(`${VIEWS}/case-factors.njk`, {
      pageTitle: 'Case factors',
      errors: [],
      form,
      query: parsed.value,
      cohort: view.cohort,
      empty: view.empty,
      blocks: figureBlocks(view.figures, '/insight/case-factors', parsed.params),
    })
  })

  for (const format of ['csv', 'xlsx'] as const) {
    route.get(`/insight/workforce/figures/:figure.${format}`, READ, async (req, res) => {
      const { parsed } = await read(req)
      if (!parsed.ok) return res.redirect(`/insight/workforce?${queryString(parsed.params)}`)
      const view = await service.workforce(req.actor!, parsed.value)
      const meta: ExportMeta = {
        title: 'Workforce',
        periodLabel: `As at ${parsed.value.asAt}`,
        asAt: parsed.value.asAt,
        filtersLabel: 'None',
        generatedAt: new Date(),
      }
      await sendFigure(res, view, String(req.params.figure), format, meta, 'workforce')
    })
    route.get(`/insight/case-factors/figures/:figure.${format}`, READ, async (req, res) => {
      const { parsed } = await read(req)
      if (!parsed.ok) return res.redirect(`/insight/case-factors?${queryString(parsed.params)}`)
      const view = await service.caseFactors(req.actor!, parsed.value)
      const meta: ExportMeta = {
        title: 'Case factors',
        periodLabel: parsed.value.period.label,
        asAt: parsed.value.asAt,
        filtersLabel: filtersLabel(parsed.value, parsed.known),
        generatedAt: new Date(),
      }
      await sendFigure(res, view, String(req.params.figure), format, meta, 'case-factors')
    })
  }

  router.use(provisionRoutes(registry, service.provision))
  router.use(caseFactorsRoutes(registry, service.factors))
  return router
}
