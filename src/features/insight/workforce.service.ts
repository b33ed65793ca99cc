import type { Actor } from '../../platform/access/policy.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { londonDate, type IsoDate } from '../../platform/clocks/london-time.js'
import { transaction } from '../../platform/db/transaction.js'
import type { FeatureDeps } from '../feature-module.js'
import { caseFactorsService } from './case-factors.service.js'
import { applyDisclosure, disclosureModeFor, TOTAL_COLUMN_KEY, type DisclosureMode } from './disclosure.rules.js'
import { SUPPRESSED_MARK, type Figure, type ShownFigure } from './insight.figures.js'
import { parseInsightQuery, queryString, type InsightQuery, type Known, type ParsedQuery } from './insight.query.js'
import type { InsightSettings } from './insight.settings.js'
import { provisionService } from './provision.service.js'
import { workforceRepository } from './workforce.repository.js'
import { capacityFigure, coAssessorLoadFigure, expiringFigure, trainedByAgencyFigure, trainedByModelFigure } from './workforce.rules.js'

export type FiguresView = { figures: ShownFigure[]; mode: DisclosureMode; empty: boolean }

/**
 * Workforce figures (training, expiry, co-assessor load, capacity), the case-factor figure, the
 * provision register and factors on cases. Figures are counted in SQL, then shown through
 * disclosure control for the person's role: they count practitioners or children, never list them.
 */
export function workforceService(deps: FeatureDeps, settings: InsightSettings) {
  const { db } = deps
  const now = deps.now ?? (() => new Date())
  const repo = workforceRepository()
  const provision = provisionService({ ...deps, now })
  const factors = caseFactorsService({ ...deps, now })
  const scope = (user: Actor) => ({ partnershipId: user.partnershipId })

  async function modeFor(user: Actor, publication = false): Promise<DisclosureMode> {
    return disclosureModeFor(user, { ...(await settings.disclosure(user.partnershipId)), publication })
  }

  /** Disclosure control; a capacity cell worked out from a hidden count (pairs = half the trained) is hidden with it. */
  const show = (figures: readonly Figure[], mode: DisclosureMode): ShownFigure[] =>
    figures.map((f) => {
      const shown = applyDisclosure(f, mode)
      const from = f.columns.findIndex((c) => c.key === 'trained')
      const derived = f.columns.findIndex((c) => c.key === 'pairs')
      if (from < 0 || derived < 0) return shown
      const rows = shown.rows.map((row) =>
        row.cells[from]?.hidden === 'suppressed' || row.cells[from]?.hidden === 'secondary'
          ? {
              ...row,
              cells: row.cells.map((cell, i) =>
                i === derived ? { value: null, text: SUPPRESSED_MARK, hidden: 'secondary' as const } : cell,
              ),
            }
          : row,
      )
      return { ...shown, rows }
    })

  async function workforceFigures(user: Actor, q: InsightQuery): Promise<Figure[]> {
    return transaction(db, scope(user), async (trx) => {
      const at = { partnershipId: user.partnershipId, day: q.asAt, cutoff: q.asAtCutoff }
      const agencies = await repo.agencies(trx, user.partnershipId)
      const byModel = await repo.trainedByModel(trx, at)
      return [
        trainedByModelFigure(byModel, q.asAt),
        trainedByAgencyFigure(agencies, await repo.trainedByAgencyAndModel(trx, at), q.asAt),
        expiringFigure(await repo.expiring(trx, at), q.asAt),
        coAssessorLoadFigure(await repo.coAssessorLoad(trx, at), q.asAt),
        capacityFigure(byModel, await repo.assessmentsDue(trx, at), q.asAt),
      ]
    })
  }

  /** The filter form's lists (the partnership's agencies and teams). */
  async function known(partnershipId: string): Promise<Known> {
    return transaction(db, { partnershipId }, async (trx) => ({
      agencies: await repo.agencies(trx, partnershipId),
      teams: await repo.teams(trx, partnershipId),
    }))
  }

  return {
    provision,
    factors,

    known,

    /** Reads a query string for this person (today in UK time unless given). */
    async parse(user: Actor, query: Record<string, unknown>, today: IsoDate = londonDate(now())): Promise<ParsedQuery & { known: Known }> {
      const lists = await known(user.partnershipId)
      return { ...parseInsightQuery(query, today, lists), known: lists }
    },

    /** The workforce figures as at the query's as-at date, for this person. */
    async workforce(user: CurrentUser, q: InsightQuery, opts: { publication?: boolean } = {}): Promise<FiguresView> {
      const figures = await workforceFigures(user, q)
      const mode = await modeFor(user, opts.publication)
      const empty = figures.every((f) => f.rows.every((r) => r.values.every((v) => !v)))
      return { figures: show(figures, mode), mode, empty }
    },

    /** The case-factor figure for the query's cohort, for this person. */
    async caseFactors(
      user: CurrentUser,
      q: InsightQuery,
      opts: { publication?: boolean; params?: Record<string, string> } = {},
    ): Promise<FiguresView & { cohort: number }> {
      const { figure, cohort } = await factors.figure(user, q)
      const mode = await modeFor(user, opts.publication)
      // Children with (or without) a factor link to their cases, for people allowed to see them.
      const hrefFor = (row: string, column: string) =>
        column === TOTAL_COLUMN_KEY
          ? undefined
          : `/insight/cases?${queryString(opts.params ?? {}, { figure: 'case-factors', row, column })}`
      return { figures: [applyDisclosure(figure, mode, hrefFor)], mode, empty: cohort === 0, cohort }
    },
  }
}
export type WorkforceService = ReturnType<typeof workforceService>
