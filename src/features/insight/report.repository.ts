import { sql } from 'kysely'
import type { Executor } from '../../platform/db/transaction.js'
import type { ReportSection } from './insight.tables.js'

const iso = (d: Date) => d.toISOString().slice(0, 10)

export type ReportRow = {
  id: string
  title: string
  periodFrom: string
  periodTo: string
  createdAt: Date
  createdByName: string | null
  lastEditedAt: Date
}
export type SectionVersionRow = { section: ReportSection; version: number; body: string; createdAt: Date; createdByName: string | null }

/** The board report's tables. Row-level security keeps every query inside the transaction's partnership. */
export function boardReportRepository() {
  const reports = (db: Executor) =>
    db
      .selectFrom('boardReport as r')
      .leftJoin('appUser as u', 'u.id', 'r.createdBy')
      .select((eb) => [
        'r.id',
        'r.title',
        'r.periodFrom',
        'r.periodTo',
        'r.createdAt',
        'u.displayName as createdByName',
        eb
          .selectFrom('boardReportSection as s')
          .select((e) => e.fn.max('s.createdAt').as('at'))
          .whereRef('s.reportId', '=', 'r.id')
          .as('lastSectionAt'),
      ])
  type Raw = Awaited<ReturnType<ReturnType<typeof reports>['execute']>>[number]
  const toRow = (r: Raw): ReportRow => ({
    id: r.id,
    title: r.title,
    periodFrom: iso(r.periodFrom),
    periodTo: iso(r.periodTo),
    createdAt: r.createdAt,
    createdByName: r.createdByName,
    lastEditedAt: r.lastSectionAt ? new Date(r.lastSectionAt) : r.createdAt,
  })

  return {
    /** When the partnership's earliest request for support was received (its history's first day), or null. */
    async earliestRequest(db: Executor): Promise<Date | null> {
      const row = await sql<{ earliest: Date | null }>`SELECT min(referral_received_at) AS earliest FROM hsb_case`.execute(db)
      return row.rows[0]?.earliest ?? null
    },

    async list(db: Executor): Promise<ReportRow[]> {
      const rows = await reports(db).orderBy('r.periodFrom', 'desc').orderBy('r.createdAt', 'desc').execute()
      return rows.map(toRow)
    },

    async find(db: Executor, id: string): Promise<ReportRow | undefined> {
      const row = await reports(db).where('r.id', '=', id).executeTakeFirst()
      return row ? toRow(row) : undefined
    },

    async insert(
      db: Executor,
      v: { partnershipId: string; title: string; periodFrom: string; periodTo: string; createdBy: string },
    ): Promise<string> {
      return (await db.insertInto('boardReport').values(v).returning('id').executeTakeFirstOrThrow()).id
    },

    /** Every saved version of the report's sections, newest first within each section. */
    async versions(db: Executor, reportId: string, section?: ReportSection): Promise<SectionVersionRow[]> {
      let q = db
        .selectFrom('boardReportSection as s')
        .leftJoin('appUser as u', 'u.id', 's.createdBy')
        .select(['s.section', 's.version', 's.body', 's.createdAt', 'u.displayName as createdByName'])
        .where('s.reportId', '=', reportId)
      if (section) q = q.where('s.section', '=', section)
      return q.orderBy('s.section').orderBy('s.version', 'desc').execute()
    },

    /**
     * Appends a version of a section if the one the writer saw (0: none yet) is still the latest;
     * false when someone saved since. Serialised per section under a lock, so two saves of the
     * same version never both land.
     */
    async appendVersion(
      db: Executor,
      v: { partnershipId: string; reportId: string; section: ReportSection; seenVersion: number; body: string; by: string },
    ): Promise<boolean> {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`board_report_section:${v.reportId}:${v.section}`}))`.execute(db)
      const row = await db
        .selectFrom('boardReportSection')
        .select((eb) => eb.fn.max('version').as('v'))
        .where('reportId', '=', v.reportId)
        .where('section', '=', v.section)
        .executeTakeFirst()
      const current = Number(row?.v ?? 0)
      if (current !== v.seenVersion) return false
      await db
        .insertInto('boardReportSection')
        .values({
          partnershipId: v.partnershipId,
          reportId: v.reportId,
          section: v.section,
          version: current + 1,
          body: v.body,
          createdBy: v.by,
        })
        .execute()
      return true
    },
  }
}
export type BoardReportRepository = ReturnType<typeof boardReportRepository>
