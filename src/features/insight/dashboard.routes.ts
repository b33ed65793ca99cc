import { Router, type Request } from 'express'
import { londonDate } from '../../platform/clocks/london-time.js'
import { ForbiddenError, NotFoundError } from '../../platform/http/errors.js'
import { field, type FieldError } from '../../platform/forms/forms.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { STATUS_LABELS } from '../cases/index.js'
import { landingFor } from '../home/index.js'
import { barChartSvg } from './chart.svg.js'
import { FIGURE_SPECS } from './dashboard.figures.js'
import { presentAsAt, presentFilters, presentFigures } from './dashboard.presenter.js'
import type { DashboardFigureId, DashboardService } from './dashboard.service.js'
import { figuresCsv, figuresXlsx } from './figure-export.js'
import { parseInsightQuery, queryString } from './insight.query.js'
import type { InsightSettings } from './insight.settings.js'

const READ = { kind: 'partnership', action: 'insight:read' } as const
const MANAGE = { kind: 'partnership', action: 'insight:manage' } as const
/** The cases behind a figure: only for roles that see unsuppressed figures. */
const DRILL = { kind: 'partnership', action: 'insight:unsuppressed' } as const
const VIEWS = 'insight/views'
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** /insight: the service dashboard, its downloads, the cases behind a figure, and the suppression threshold. */
export function dashboardRoutes(registry: RouteRegistry, dashboard: DashboardService, settings: InsightSettings): Router {
  const router = Router()
  const route = routesFor(registry, router)

  /** The query string read for this person, and the filter form's lists. */
  async function read(req: Request) {
    const actor = req.actor!
    // The agencies and teams are read once: for checking the query string and for the form.
    const [known, periods] = await Promise.all([dashboard.known(actor.partnershipId), dashboard.periods(actor)])
    const today = londonDate(new Date())
    const parsed = parseInsightQuery(req.query as Record<string, unknown>, today, known)
    return { parsed, today, filters: presentFilters(parsed.params, known, periods, today), landingKey: landingFor(actor.roles).key }
  }

  route.get('/insight', READ, async (req, res) => {
    const { parsed, today, filters, landingKey } = await read(req)
    if (!parsed.ok)
      return res
        .status(400)
        .render(`${VIEWS}/dashboard.njk`, { pageTitle: 'HSB service dashboard', errors: parsed.errors, filters, landingKey })
    const view = await dashboard.view(req.actor!, parsed.value, { params: parsed.params, requestId: req.requestId })
    const downloads = (id: string) => ({
      csv: `/insight/figures/${id}.csv?${queryString(parsed.params)}`,
      xlsx: `/insight/figures/${id}.xlsx?${queryString(parsed.params)}`,
    })
    res.render(`${VIEWS}/dashboard.njk`, {
      pageTitle: 'HSB service dashboard',
      filters,
      landingKey,
      query: parsed.value,
      asAt: presentAsAt(parsed.value.asAt, today),
      mode: view.mode,
      empty: view.empty,
      figures: presentFigures(view.figures, (f) => barChartSvg(f), downloads),
      allDownloads: downloads('all'),
      params: queryString(parsed.params),
    })
  })

  // One figure, or "all", as CSV or XLSX (the same view as the page, with disclosure control).
  for (const format of ['csv', 'xlsx'] as const) {
    route.get(`/insight/figures/:figure.${format}`, READ, async (req, res) => {
      const id = String(req.params.figure)
      if (id !== 'all' && !FIGURE_SPECS.some((f) => f.id === id)) throw new NotFoundError()
      const { parsed, filters } = await read(req)
      if (!parsed.ok) return res.redirect(`/insight?${queryString(parsed.params)}`)
      const figureIds = id === 'all' ? undefined : FIGURE_SPECS.filter((f) => f.id === id).map((f) => f.id as DashboardFigureId)
      const view = await dashboard.view(req.actor!, parsed.value, {
        params: {},
        requestId: req.requestId,
        ...(figureIds ? { figureIds } : {}),
      })
      const meta = {
        title: 'HSB service dashboard',
        periodLabel: parsed.value.period.label,
        asAt: parsed.value.asAt,
        filtersLabel: filters.summary.join('; ') || 'None',
        generatedAt: new Date(),
      }
      const name = `hsb-${id}-${parsed.value.period.from}-to-${parsed.value.period.to}`
      res.setHeader('Content-Disposition', `attachment; filename="${name}.${format}"`)
      if (format === 'csv') {
        res.setHeader('Content-Type', 'text/csv; charset=utf-8')
        return res.send(figuresCsv(view.figures, meta))
      }
      res.setHeader('Content-Type', XLSX)
      res.send(await figuresXlsx(view.figures, meta))
    })
  }

  route.get('/insight/cases', DRILL, async (req, res) => {
    const { parsed } = await read(req)
    if (!parsed.ok) return res.redirect(`/insight?${queryString(parsed.params)}`)
    const one = (name: string) => field(req.query, name)
    const result = await dashboard.casesBehind(
      req.actor!,
      parsed.value,
      { figure: one('figure'), row: one('row'), column: one('column') },
      parsed.params,
      req.requestId,
    )
    if (!result.ok && result.reason === 'not-allowed')
      throw new ForbiddenError('Your role sees the partnership’s figures, not the children behind them')
    if (!result.ok) throw new NotFoundError()
    res.render(`${VIEWS}/cases.njk`, {
      pageTitle: `${result.figure.title}: cases`,
      ...result,
      statusLabels: STATUS_LABELS,
      query: parsed.value,
      back: `/insight?${queryString(parsed.params)}#${result.figure.id}`,
    })
  })

  const settingsPage = async (req: Request, values: { threshold?: string; loneCategory?: string } = {}, errors: FieldError[] = []) => {
    const saved = await settings.disclosure(req.actor!.partnershipId)
    const lone = values.loneCategory ?? (saved.hideLoneCategory ? 'yes' : 'no')
    return {
      pageTitle: 'Disclosure control',
      threshold: values.threshold ?? String(saved.threshold),
      loneCategoryItems: [
        { value: 'yes', text: 'Yes, hide those zeros too (recommended)', checked: lone === 'yes' },
        { value: 'no', text: 'No, show them as 0', checked: lone === 'no' },
      ],
      errors,
    }
  }
  route.get('/insight/settings', MANAGE, async (req, res) => res.render(`${VIEWS}/settings.njk`, await settingsPage(req)))
  route.post('/insight/settings', MANAGE, async (req, res) => {
    const raw = field(req.body, 'threshold').trim()
    const lone = field(req.body, 'lone-category')
    const value = /^\d{1,2}$/.test(raw) ? Number(raw) : NaN
    const errors: FieldError[] = []
    if (!(value >= 2 && value <= 20)) errors.push({ href: '#threshold', text: 'Enter a whole number from 2 to 20' })
    if (lone !== 'yes' && lone !== 'no') errors.push({ href: '#lone-category', text: 'Select whether to hide those zeros' })
    if (errors.length)
      return res.status(400).render(`${VIEWS}/settings.njk`, await settingsPage(req, { threshold: raw, loneCategory: lone }, errors))
    await settings.setDisclosure(req.actor!, { threshold: value, hideLoneCategory: lone === 'yes' }, req.requestId)
    req.session.flash = { heading: `Counts from 1 to ${value - 1} are now suppressed for board members, analysts and published figures` }
    res.redirect('/insight/settings')
  })

  return router
}
