import { canInPartnership, type Actor } from '../../platform/access/policy.js'
import type { AuditDetail, AuditSubject } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { londonDate, type IsoDate } from '../../platform/clocks/london-time.js'
import { transaction, type Trx } from '../../platform/db/transaction.js'
import { ForbiddenError, NotFoundError } from '../../platform/http/errors.js'
import type { FieldError } from '../../platform/forms/forms.js'
import type { FeatureDeps } from '../feature-module.js'
import { DASHBOARD_FIGURES, type DashboardService } from './dashboard.service.js'
import { parseInsightQuery, type InsightQuery } from './insight.query.js'
import type { ReportSection } from './insight.tables.js'
import { jsnaCsv, jsnaFileName } from './jsna.js'
import { boardReportRepository, type ReportRow, type SectionVersionRow } from './report.repository.js'
import {
  CURRENT_FIGURES,
  HEADLINE_FIGURES,
  buildReportDocument,
  previousPeriod,
  reportContent,
  reportPeriod,
  validateReportInput,
  validateSectionBody,
  yearOptions,
  type ReportContent,
  type ReportDocument,
  type ReportInput,
  type SectionDef,
} from './report.rules.js'

type Fail<P> = { ok: false; status: 400 | 409; errors: FieldError[]; page: P }

/** The query for a period, with no filters: a report covers the whole partnership. */
function queryFor(from: IsoDate, to: IsoDate, today: IsoDate): InsightQuery {
  const parsed = parseInsightQuery({ period: 'custom', from, to }, today, { agencies: [], teams: [] })
  if (!parsed.ok) throw new Error('A stored report period did not parse')
  return { ...parsed.value, period: reportPeriod(from, to) }
}

/**
 * The board's annual HSB report: a period and four text sections (every saved version kept),
 * with the figures for the period filled from the records through the dashboard, ALWAYS with
 * publication suppression whatever the reader's role; and the JSNA data extract. Reading is for
 * insight:read, writing for insight:write-report (checked by the routes, and again here).
 */
export function boardReportService(deps: FeatureDeps, dashboard: DashboardService) {
  const { db, access } = deps
  const now = deps.now ?? (() => new Date())
  const repo = boardReportRepository()
  const scope = (user: Actor) => ({ partnershipId: user.partnershipId })
  const today = () => londonDate(now())
  const canWrite = (user: Actor) => canInPartnership(user, 'insight:write-report')
  const mustWrite = (user: Actor) => {
    if (!canWrite(user)) throw new ForbiddenError()
  }

  const onReport = (action: string, recordId: string | null, detail: AuditDetail = {}): AuditSubject => ({
    action: `insight:${action}`,
    recordType: 'board_report',
    recordId,
    detail,
  })

  async function reportOf(trx: Trx, reportId: string): Promise<ReportRow> {
    const report = await repo.find(trx, reportId)
    if (!report) throw new NotFoundError()
    return report
  }

  const latest = (versions: readonly SectionVersionRow[]) => {
    const bySection = new Map<ReportSection, SectionVersionRow>()
    for (const v of versions) if (!bySection.has(v.section) || bySection.get(v.section)!.version < v.version) bySection.set(v.section, v)
    return bySection
  }

  /** The report's content: sections in order with their text and figures (publication suppression). */
  async function content(
    user: Actor,
    reportId: string,
  ): Promise<{ report: ReportRow; content: ReportContent; latest: Map<ReportSection, SectionVersionRow> }> {
    const { report, versions } = await transaction(db, scope(user), async (trx) => ({
      report: await reportOf(trx, reportId),
      versions: await repo.versions(trx, reportId),
    }))
    // A past period's figures, snapshots included (open cases, stages), are as at its last day, not today.
    const asAtEndOf = (to: IsoDate) => (to < today() ? to : today())
    const day = asAtEndOf(report.periodTo)
    const previous = previousPeriod(report.periodFrom, report.periodTo)
    const current = await dashboard.view(user, queryFor(report.periodFrom, report.periodTo, day), {
      publication: true,
      figureIds: CURRENT_FIGURES,
    })
    const before = await dashboard.view(user, queryFor(previous.from, previous.to, asAtEndOf(previous.to)), {
      publication: true,
      figureIds: HEADLINE_FIGURES,
    })
    const last = latest(versions)
    const bodies = Object.fromEntries([...last].map(([k, v]) => [k, v.body])) as Partial<Record<ReportSection, string>>
    return {
      report,
      latest: last,
      content: reportContent({
        title: report.title,
        from: report.periodFrom,
        to: report.periodTo,
        asAt: day,
        generatedAt: now(),
        bodies,
        current: current.figures,
        previous: before.figures,
      }),
    }
  }

  async function sectionPage(trx: Trx, user: Actor, reportId: string, def: SectionDef) {
    const report = await reportOf(trx, reportId)
    const history = await repo.versions(trx, reportId, def.key)
    return {
      report,
      period: reportPeriod(report.periodFrom, report.periodTo),
      section: def,
      current: history[0] ?? null,
      history,
      canWrite: canWrite(user),
    }
  }

  return {
    async list(user: Actor) {
      return transaction(db, scope(user), async (trx) => ({
        reports: (await repo.list(trx)).map((r) => ({ ...r, period: reportPeriod(r.periodFrom, r.periodTo) })),
        canWrite: canWrite(user),
      }))
    },

    /** The financial years offered on the "start a report" form, and the default (the last complete one). */
    async newForm(user: Actor) {
      mustWrite(user)
      const earliest = await transaction(db, scope(user), (trx) => repo.earliestRequest(trx))
      return yearOptions(today(), earliest ? londonDate(earliest) : null)
    },

    async create(
      user: CurrentUser,
      input: ReportInput,
      requestId: string,
    ): Promise<{ ok: true; reportId: string } | { ok: false; errors: FieldError[] }> {
      mustWrite(user)
      const checked = validateReportInput(input, today())
      if (!checked.ok) return checked
      return access.run(user, requestId, async ({ trx, record }) => {
        const reportId = await repo.insert(trx, {
          partnershipId: user.partnershipId,
          title: checked.value.title,
          periodFrom: checked.value.from,
          periodTo: checked.value.to,
          createdBy: user.id,
        })
        await record(onReport('create-report', reportId, { from: checked.value.from, to: checked.value.to }))
        return { ok: true as const, reportId }
      })
    },

    /** The report page: its content, and for each section who saved the text shown and when. */
    async report(user: Actor, reportId: string) {
      const { report, content: c, latest: last } = await content(user, reportId)
      return {
        report,
        content: c,
        saved: Object.fromEntries([...last].map(([k, v]) => [k, { version: v.version, by: v.createdByName, at: v.createdAt }])) as Partial<
          Record<ReportSection, { version: number; by: string | null; at: Date }>
        >,
        canWrite: canWrite(user),
      }
    },

    async sectionForm(user: Actor, reportId: string, def: SectionDef) {
      mustWrite(user)
      return transaction(db, scope(user), (trx) => sectionPage(trx, user, reportId, def))
    },

    /** Saves a new version of a section; refused (the typed text kept) when someone saved it since the form was opened. */
    async saveSection(
      user: CurrentUser,
      reportId: string,
      def: SectionDef,
      form: { body: string; version: number | null },
      requestId: string,
    ): Promise<{ ok: true } | Fail<Awaited<ReturnType<typeof sectionPage>>>> {
      mustWrite(user)
      return access.run(user, requestId, async ({ trx, record }) => {
        const page = await sectionPage(trx, user, reportId, def)
        const checked = validateSectionBody(form.body)
        if (!checked.ok) return { ok: false as const, status: 400 as const, errors: checked.errors, page }
        const saved =
          form.version !== null &&
          (await repo.appendVersion(trx, {
            partnershipId: user.partnershipId,
            reportId,
            section: def.key,
            seenVersion: form.version,
            body: checked.value,
            by: user.id,
          }))
        if (!saved) {
          const text =
            'Someone else saved this section after you opened it. Your text is kept below: check what is saved now, then save again.'
          return { ok: false as const, status: 409 as const, page, errors: [{ href: '#body', text }] }
        }
        await record(onReport('save-report-section', reportId, { section: def.key }))
        return { ok: true as const }
      })
    },

    /** The document model for the DOCX and PDF downloads (audited: a copy leaves the service). */
    async document(
      user: CurrentUser,
      reportId: string,
      format: 'docx' | 'pdf',
      requestId: string,
    ): Promise<{ doc: ReportDocument; fileName: string }> {
      const { report, content: c } = await content(user, reportId)
      await access.run(user, requestId, (act) => act.record(onReport(`download-report-${format}`, reportId)))
      const stem = c.period.kind === 'custom' ? `${report.periodFrom}-to-${report.periodTo}` : c.period.key
      return { doc: buildReportDocument(c), fileName: `hsb-report-${stem}-${report.id.slice(0, 8)}.${format}` }
    },

    /** The JSNA extract for a period from the query string (period, from, to, as-at; no filters). */
    async jsna(
      user: CurrentUser,
      rawQuery: Record<string, unknown>,
      requestId: string,
    ): Promise<{ ok: true; csv: string; fileName: string } | { ok: false; errors: FieldError[]; params: Record<string, string> }> {
      const picked = Object.fromEntries(
        ['period', 'from', 'to', 'as-at'].filter((k) => rawQuery[k] !== undefined).map((k) => [k, rawQuery[k]]),
      )
      const parsed = await dashboard.parse(user, picked, today())
      if (!parsed.ok) return { ok: false, errors: parsed.errors, params: parsed.params }
      const q = parsed.value
      const view = await dashboard.view(user, q, { publication: true, figureIds: DASHBOARD_FIGURES })
      const meta = { from: q.period.from, to: q.period.to, asAt: q.asAt }
      await access.run(user, requestId, (act) => act.record(onReport('download-jsna', null, meta)))
      return { ok: true, csv: jsnaCsv(view.figures, meta), fileName: jsnaFileName(meta) }
    },

    /** The period list for the JSNA form (the same financial years as a report). */
    jsnaOptions() {
      return yearOptions(today())
    },
  }
}
export type BoardReportService = ReturnType<typeof boardReportService>
