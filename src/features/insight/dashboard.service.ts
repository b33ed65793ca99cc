import type { Actor } from '../../platform/access/policy.js'
import { londonDate, startOfLondonDay, type IsoDate } from '../../platform/clocks/london-time.js'
import { auditEntry } from '../../platform/audit/audit.repository.js'
import { sharedWork } from '../../platform/concurrency/shared-work.js'
import { transaction } from '../../platform/db/transaction.js'
import type { FeatureDeps } from '../feature-module.js'
import { caseFactorsRepository } from './case-factors.repository.js'
import { factorList } from './case-factors.rules.js'
import { buildFigure, figureSpec, FIGURE_SPECS, type FigureSpec } from './dashboard.figures.js'
import { dashboardRepository, isFigureId, type CaseBehindFigure } from './dashboard.repository.js'
import { applyDisclosure, disclosureModeFor, TOTAL_ROW_KEY, type DisclosureMode } from './disclosure.rules.js'
import type { ShownFigure } from './insight.figures.js'
import {
  financialYearOf,
  financialYearsBetween,
  parseInsightQuery,
  queryString,
  type InsightQuery,
  type Known,
  type ParsedQuery,
  type Period,
} from './insight.query.js'
import { disclosureSettingsIn, type InsightSettings } from './insight.settings.js'
import { provisionByLevel } from './provision.repository.js'

/** The dashboard's figures (ids are stable: the board report and tests use them). */
export const DASHBOARD_FIGURES = [
  'referrals-by-rating',
  'referrals-by-agency',
  'referrals-by-age',
  'strategy-meetings',
  'meeting-outcomes',
  'aim-assessments',
  'interventions',
  'stage-durations',
  're-referrals',
  'open-cases-by-stage',
  'waiting-for-provision',
] as const
export type DashboardFigureId = (typeof DASHBOARD_FIGURES)[number]

export type DashboardView = { figures: ShownFigure[]; mode: DisclosureMode; empty: boolean }
export type CasesBehind =
  | {
      ok: true
      figure: ShownFigure
      rowLabel: string
      columnLabel: string
      cases: CaseBehindFigure[]
      total: number
      notReadable: number
      truncated: boolean
    }
  | { ok: false; reason: 'not-found' | 'not-allowed' }

/**
 * How many figures this process counts at the same time, across every request. A figure holds a
 * database connection while it counts; the limit leaves the rest of the pool (10) to other
 * pages, and figures beyond it wait here rather than for a connection (whose wait times out
 * after DATABASE_TIMEOUT_MS and answers 503). Measured at 100,000 children: without it, 8
 * dashboards at once asked for 32 connections and every one of them failed.
 */
export const FIGURES_IN_FLIGHT = 4
/** How many cases a drill-through lists at most. */
const CASE_LIST_LIMIT = 500

/** The service dashboard: figures from the records for any period, with disclosure control. */
export function dashboardService(deps: FeatureDeps, settings: InsightSettings) {
  const { db, audit } = deps
  const now = deps.now ?? (() => new Date())
  const repo = dashboardRepository()
  const scope = (actor: Actor) => ({ partnershipId: actor.partnershipId })
  // Identical figures asked for while one is being counted share that count (a board meeting
  // opening the same dashboard at once counts it once). Nothing is kept once it is counted.
  const figureWork = sharedWork<Awaited<ReturnType<typeof countFigure>>>(FIGURES_IN_FLIGHT)
  const sharedCount = (actor: Actor, spec: FigureSpec, q: InsightQuery) =>
    figureWork.run(JSON.stringify([actor.partnershipId, spec.id, q]), () => countFigure(actor, spec, q))

  async function modeFor(actor: Actor, publication: boolean): Promise<DisclosureMode> {
    return disclosureModeFor(actor, { ...(await settings.disclosure(actor.partnershipId)), publication })
  }

  /** Counts one figure and turns it into a Figure (capacity columns from the provision register). */
  async function countFigure(actor: Actor, spec: FigureSpec, q: InsightQuery) {
    if (!isFigureId(spec.id)) throw new Error(`no facts for figure ${spec.id}`)
    const id = spec.id
    return transaction(db, scope(actor), async (trx) => {
      const factors = id === 'case-factors' ? factorList(await caseFactorsRepository().types(trx, actor.partnershipId)) : undefined
      const counts = await repo.counts(trx, id, { partnershipId: actor.partnershipId, q, now: now(), ...(factors ? { factors } : {}) })
      if (spec.id !== 'waiting-for-provision') return buildFigure(spec, counts)
      // Any instant inside the as-at day (the register's dates are calendar dates).
      const provision = await provisionByLevel(trx, actor.partnershipId, startOfLondonDay(q.asAt))
      const services: Record<string, number | null> = {}
      const places: Record<string, number | null> = {}
      for (const p of provision) {
        services[p.level] = p.services
        places[p.level] = p.places
      }
      return buildFigure(spec, counts, { services, places })
    })
  }

  return {
    async known(partnershipId: string): Promise<Known> {
      return transaction(db, { partnershipId }, (trx) => repo.known(trx, partnershipId))
    },

    /** Reads a query string for this person (today in UK time unless given). */
    async parse(actor: Actor, query: Record<string, unknown>, today: IsoDate = londonDate(now())): Promise<ParsedQuery> {
      return parseInsightQuery(query, today, await this.known(actor.partnershipId))
    },

    /** The financial years offered, newest first: from the first request for support to this year. */
    async periods(actor: Actor): Promise<Period[]> {
      const first = await transaction(db, scope(actor), (trx) => repo.firstReferral(trx, actor.partnershipId))
      const today = londonDate(now())
      return financialYearsBetween(first ? financialYearOf(londonDate(first)) : financialYearOf(today), today)
    },

    /**
     * The figures for a person, with disclosure control for their role; `publication: true`
     * suppresses whatever the role (board report, JSNA extract). `figureIds` picks some.
     */
    async view(
      actor: Actor,
      q: InsightQuery,
      opts: { publication?: boolean; figureIds?: readonly DashboardFigureId[]; params?: Record<string, string>; requestId?: string } = {},
    ): Promise<DashboardView> {
      const specs = FIGURE_SPECS.filter((s) => !s.elsewhere && (!opts.figureIds || (opts.figureIds as readonly string[]).includes(s.id)))
      // The disclosure mode and the audit entry for the view, in one transaction before the figures.
      const mode = await transaction(db, scope(actor), async (trx) => {
        const found = disclosureModeFor(actor, {
          ...(await disclosureSettingsIn(trx, actor.partnershipId)),
          publication: opts.publication ?? false,
        })
        const action = opts.publication ? 'insight:publication-figures' : 'insight:dashboard'
        await audit.allowed(
          trx,
          actor,
          {
            action,
            recordType: 'partnership',
            recordId: actor.partnershipId,
            detail: { figures: specs.length, suppressed: found.suppress },
          },
          opts.requestId ?? null,
        )
        return found
      })
      // One statement per figure, at most FIGURES_IN_FLIGHT at once in this process.
      const figures = await Promise.all(specs.map((spec) => sharedCount(actor, spec, q)))
      // Empty: nothing happened in the period (snapshots at the as-at date do not count).
      const inPeriod = figures.filter((f) => figureSpec(f.id)?.basis === 'period')
      const empty = inPeriod.every((f) => f.rows.every((r) => r.values.every((v, i) => f.columns[i]!.kind !== 'count' || !v)))
      const params = opts.params ?? {}
      const shown = figures.map((figure) =>
        applyDisclosure(
          figure,
          mode,
          figure.drillable
            ? (rowKey, columnKey) => `/insight/cases?${queryString(params, { figure: figure.id, row: rowKey, column: columnKey })}`
            : undefined,
        ),
      )
      return { figures: shown, mode, empty }
    },

    /**
     * The cases behind one count, for people allowed to drill through: only the cases they may
     * open are listed; each listed child's read is audited.
     */
    async casesBehind(
      actor: Actor,
      q: InsightQuery,
      cell: { figure: string; row: string; column: string },
      params: Record<string, string>,
      requestId: string,
    ): Promise<CasesBehind> {
      const mode = await modeFor(actor, false)
      if (!mode.drill) return { ok: false, reason: 'not-allowed' }
      const spec = figureSpec(cell.figure)
      if (!spec || !spec.drillable || !isFigureId(spec.id)) return { ok: false, reason: 'not-found' }
      const column = spec.columns.find((c) => c.key === cell.column && c.kind === 'count')
      if (!column) return { ok: false, reason: 'not-found' }
      const figure = await sharedCount(actor, spec, q)
      const isTotal = cell.row === TOTAL_ROW_KEY && spec.totalRow
      const row = isTotal ? { label: 'Total' } : figure.rows.find((r) => r.key === cell.row)
      if (!row) return { ok: false, reason: 'not-found' }
      const id = spec.id
      const found = await transaction(db, scope(actor), async (trx) => {
        const factors = id === 'case-factors' ? factorList(await caseFactorsRepository().types(trx, actor.partnershipId)) : undefined
        const result = await repo.casesBehind(
          trx,
          id,
          { partnershipId: actor.partnershipId, q, now: now(), ...(factors ? { factors } : {}) },
          { rowKey: isTotal ? null : cell.row, colKey: cell.column },
          actor,
          CASE_LIST_LIMIT,
        )
        const listed = result.cases.map((c) =>
          auditEntry(
            actor,
            { action: 'insight:case-list', recordType: 'child', recordId: c.childId, detail: { caseId: c.caseId, figure: spec.id } },
            true,
            requestId,
          ),
        )
        await audit.recordMany(trx, listed)
        return result
      })
      const shown = applyDisclosure(figure, mode, (r, c) => `/insight/cases?${queryString(params, { figure: spec.id, row: r, column: c })}`)
      return { ok: true, figure: shown, rowLabel: row.label, columnLabel: column.label, ...found }
    },
  }
}
export type DashboardService = ReturnType<typeof dashboardService>
