import { sql, type Insertable } from 'kysely'
import type { Executor } from '../../platform/db/transaction.js'
import type {
  AuditToolDefinition,
  CaseAuditFindingTable,
  CaseAuditRecommendationTable,
  CaseAuditTable,
  CohortFilter,
  SummaryAnswers,
} from './case-audits.tables.js'
import { HSB_PRACTICE_TOOL, HSB_PRACTICE_TOOL_NAME } from './case-audits.rules.js'

export type ToolRow = { id: string; name: string; source: string; definition: AuditToolDefinition; createdAt: Date }
export type AuditRow = {
  id: string
  partnershipId: string
  theme: string
  panelDate: Date
  toolId: string
  toolName: string
  purpose: string | null
  parentAuditId: string | null
  status: 'OPEN' | 'CLOSED'
  cohortFilter: CohortFilter | null
  cohortCaseIds: string[] | null
  sampleSize: number | null
  seed: string | null
  sampledAt: Date | null
  panelNotes: string | null
  /** When the panel met; null until its record is saved (`panelDate` is when it was planned for). */
  panelHeldAt: Date | null
  panelLateReason: string | null
  panelRecordedAt: Date | null
  reviewId: string | null
  createdAt: Date
  closedAt: Date | null
}
export type AuditAgencyRow = {
  id: string
  agencyId: string
  agencyName: string
  participation: 'TAKING_PART' | 'UNABLE'
  leadAuditorId: string | null
  leadAuditorName: string | null
  reason: string | null
}
export type SampleRow = {
  id: string
  caseId: string
  drawNumber: number
  replacesSampleId: string | null
  consent: 'NOT_SOUGHT' | 'SOUGHT' | 'GIVEN' | 'REFUSED'
  consentBy: string | null
  consentOn: Date | null
  consentHow: string | null
  consentRecordedAt: Date | null
  discussedAtPanel: boolean
}
export type SummaryRow = {
  id: string
  sampleId: string
  agencyId: string
  agencyName: string
  auditorId: string
  auditorName: string
  answers: SummaryAnswers
  overallGrade: string | null
  summary: string | null
  feedbackGiven: boolean
  feedback: string | null
  savedAt: Date
}
export type FindingRow = {
  id: string
  kind: 'GOOD_PRACTICE' | 'LEARNING' | 'CONCLUSION'
  text: string
  tags: string[]
  /** When it was agreed. */
  occurredAt: Date
  lateReason: string | null
  /** When it was recorded. */
  createdAt: Date
}
export type RecommendationRow = {
  id: string
  text: string
  ownerAgencyId: string | null
  ownerAgencyName: string | null
  allAgencies: boolean
  ownerText: string | null
  dueOn: Date
  sentToPlanAt: Date | null
}

const AUDIT_COLUMNS = [
  'a.id',
  'a.partnershipId',
  'a.theme',
  'a.panelDate',
  'a.toolId',
  't.name as toolName',
  'a.purpose',
  'a.parentAuditId',
  'a.status',
  'a.cohortFilter',
  'a.cohortCaseIds',
  'a.sampleSize',
  'a.seed',
  'a.sampledAt',
  'a.panelNotes',
  'a.panelHeldAt',
  'a.panelLateReason',
  'a.panelRecordedAt',
  'a.reviewId',
  'a.createdAt',
  'a.closedAt',
] as const

/** Audits with their tool's name. */
const audits = (db: Executor) => db.selectFrom('caseAudit as a').innerJoin('caseAuditTool as t', 't.id', 'a.toolId').select(AUDIT_COLUMNS)

/** SQL only. Every method takes the transaction it runs in; row-level security scopes it to the partnership. */
export function caseAuditsRepository() {
  return {
    /** The shipped HSB practice template, added once per partnership. */
    async ensureBuiltInTool(db: Executor, partnershipId: string): Promise<void> {
      await sql`INSERT INTO case_audit_tool (partnership_id, name, source, definition)
        SELECT ${partnershipId}, ${HSB_PRACTICE_TOOL_NAME}, 'BUILT_IN', ${JSON.stringify(HSB_PRACTICE_TOOL)}::jsonb
        WHERE NOT EXISTS (SELECT 1 FROM case_audit_tool WHERE partnership_id = ${partnershipId} AND source = 'BUILT_IN')
        ON CONFLICT DO NOTHING`.execute(db)
    },

    async listTools(db: Executor): Promise<ToolRow[]> {
      return db
        .selectFrom('caseAuditTool')
        .select(['id', 'name', 'source', 'definition', 'createdAt'])
        .orderBy(sql`source = 'BUILT_IN'`, 'desc')
        .orderBy('name')
        .execute()
    },

    async findTool(db: Executor, id: string): Promise<ToolRow | undefined> {
      return db
        .selectFrom('caseAuditTool')
        .select(['id', 'name', 'source', 'definition', 'createdAt'])
        .where('id', '=', id)
        .executeTakeFirst()
    },

    async toolNameTaken(db: Executor, name: string): Promise<boolean> {
      return !!(await db
        .selectFrom('caseAuditTool')
        .select('id')
        .where(sql<boolean>`lower(name) = lower(${name.trim()})`)
        .executeTakeFirst())
    },

    async insertTool(
      db: Executor,
      t: { partnershipId: string; name: string; source: 'JSON' | 'CSV' | 'FORM'; definition: AuditToolDefinition; createdBy: string },
    ): Promise<string> {
      const row = await db
        .insertInto('caseAuditTool')
        .values({ ...t, definition: JSON.stringify(t.definition) })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id
    },

    async insertAudit(db: Executor, a: Insertable<CaseAuditTable>): Promise<string> {
      const row = await db.insertInto('caseAudit').values(a).returning('id').executeTakeFirstOrThrow()
      return row.id
    },

    async findAudit(db: Executor, id: string): Promise<AuditRow | undefined> {
      return audits(db).where('a.id', '=', id).executeTakeFirst()
    },

    /** Locks the audit's row for a change, so two changes to the same audit queue rather than race. */
    async lockAudit(db: Executor, id: string): Promise<AuditRow | undefined> {
      return audits(db).where('a.id', '=', id).forUpdate('a').executeTakeFirst()
    },

    /** Every audit, latest first by when its panel met (or, until then, is planned for). */
    async listAudits(db: Executor): Promise<(AuditRow & { samples: number; consented: number })[]> {
      return audits(db)
        .select([
          sql<number>`(SELECT count(*)::int FROM case_audit_sample s WHERE s.audit_id = a.id)`.as('samples'),
          sql<number>`(SELECT count(*)::int FROM case_audit_sample s WHERE s.audit_id = a.id AND s.consent = 'GIVEN')`.as('consented'),
        ])
        .orderBy(sql`coalesce((a.panel_held_at AT TIME ZONE 'Europe/London')::date, a.panel_date)`, 'desc')
        .orderBy('a.createdAt', 'desc')
        .execute()
    },

    async listDeepDives(db: Executor, parentId: string): Promise<AuditRow[]> {
      return audits(db).where('a.parentAuditId', '=', parentId).orderBy('a.createdAt').execute()
    },

    /** Audits (open ones first) in which this person is a lead auditor. */
    async auditsForAuditor(db: Executor, userId: string): Promise<string[]> {
      const rows = await db.selectFrom('caseAuditAgency').select('auditId').where('leadAuditorId', '=', userId).execute()
      return rows.map((r) => r.auditId)
    },

    async listAuditAgencies(db: Executor, auditId: string): Promise<AuditAgencyRow[]> {
      return db
        .selectFrom('caseAuditAgency as x')
        .innerJoin('agency as g', 'g.id', 'x.agencyId')
        .leftJoin('appUser as u', 'u.id', 'x.leadAuditorId')
        .select([
          'x.id',
          'x.agencyId',
          'g.name as agencyName',
          'x.participation',
          'x.leadAuditorId',
          'u.displayName as leadAuditorName',
          'x.reason',
        ])
        .where('x.auditId', '=', auditId)
        .orderBy('x.participation', 'desc')
        .orderBy('g.name')
        .execute()
    },

    async replaceAuditAgencies(
      db: Executor,
      partnershipId: string,
      auditId: string,
      rows: { agencyId: string; participation: 'TAKING_PART' | 'UNABLE'; leadAuditorId: string | null; reason: string | null }[],
    ): Promise<void> {
      await db.deleteFrom('caseAuditAgency').where('auditId', '=', auditId).execute()
      if (rows.length)
        await db
          .insertInto('caseAuditAgency')
          .values(rows.map((r) => ({ ...r, partnershipId, auditId })))
          .execute()
    },

    /**
     * The cohort, in one statement: the partnership's cases (not restricted records) open on the
     * date (opened on or before it and not closed by then), with the ratings, statuses and involved
     * agency asked for. Sorted by case id. A case opens when its request for support was received
     * and closes when it closed, whenever either was entered (ADR 0008), so a past date finds the
     * cases open then. The rating and status are the case's now, not as they were on the date.
     */
    async cohort(db: Executor, f: CohortFilter): Promise<string[]> {
      const rows = await sql<{ id: string }>`
        SELECT k.id FROM hsb_case k JOIN child c ON c.id = k.child_id
        WHERE NOT c.is_restricted
          AND (k.opened_at AT TIME ZONE 'Europe/London')::date <= ${f.openOn}::date
          AND (k.closed_at IS NULL OR (k.closed_at AT TIME ZONE 'Europe/London')::date > ${f.openOn}::date)
          AND (cardinality(${f.ratings}::text[]) = 0 OR k.rating = ANY(${f.ratings}::text[]))
          AND (cardinality(${f.statuses}::text[]) = 0 OR k.status = ANY(${f.statuses}::text[]))
          AND (${f.agencyId}::uuid IS NULL OR EXISTS (
            SELECT 1 FROM child_involvement i WHERE i.child_id = k.child_id AND i.agency_id = ${f.agencyId}::uuid
              AND (i.started_at AT TIME ZONE 'Europe/London')::date <= ${f.openOn}::date
              AND (i.ended_at IS NULL OR (i.ended_at AT TIME ZONE 'Europe/London')::date > ${f.openOn}::date)))
        ORDER BY k.id`.execute(db)
      return rows.rows.map((r) => r.id)
    },

    async recordSample(
      db: Executor,
      auditId: string,
      s: { filter: CohortFilter; caseIds: string[]; size: number; seed: number; by: string },
    ): Promise<void> {
      await db
        .updateTable('caseAudit')
        .set({
          cohortFilter: JSON.stringify(s.filter),
          cohortCaseIds: s.caseIds,
          sampleSize: s.size,
          seed: s.seed,
          sampledAt: new Date(),
          sampledBy: s.by,
        })
        .where('id', '=', auditId)
        .execute()
    },

    async insertSamples(
      db: Executor,
      partnershipId: string,
      auditId: string,
      draws: {
        caseId: string
        drawNumber: number
        replacesSampleId?: string | null
        consent?: 'GIVEN'
        consentBy?: string | null
        consentOn?: string | null
        consentHow?: string | null
      }[],
    ): Promise<void> {
      if (!draws.length) return
      await db
        .insertInto('caseAuditSample')
        .values(
          draws.map((d) => ({
            partnershipId,
            auditId,
            caseId: d.caseId,
            drawNumber: d.drawNumber,
            replacesSampleId: d.replacesSampleId ?? null,
            ...(d.consent
              ? { consent: d.consent, consentBy: d.consentBy ?? null, consentOn: d.consentOn ?? null, consentHow: d.consentHow ?? null }
              : {}),
          })),
        )
        .execute()
    },

    async listSamples(db: Executor, auditId: string): Promise<SampleRow[]> {
      return db
        .selectFrom('caseAuditSample')
        .select([
          'id',
          'caseId',
          'drawNumber',
          'replacesSampleId',
          'consent',
          'consentBy',
          'consentOn',
          'consentHow',
          'consentRecordedAt',
          'discussedAtPanel',
        ])
        .where('auditId', '=', auditId)
        .orderBy('drawNumber')
        .execute()
    },

    async updateConsent(
      db: Executor,
      sampleId: string,
      c: { state: 'SOUGHT' | 'GIVEN' | 'REFUSED'; by: string | null; on: string | null; how: string | null; recordedBy: string },
    ): Promise<void> {
      await db
        .updateTable('caseAuditSample')
        .set({
          consent: c.state,
          consentBy: c.by,
          consentOn: c.on,
          consentHow: c.how,
          consentRecordedBy: c.recordedBy,
          consentRecordedAt: new Date(),
        })
        .where('id', '=', sampleId)
        .execute()
    },

    /** The panel's record: the cases discussed, its notes, when it met (and why entered late), and when it was recorded (now). */
    async recordPanel(
      db: Executor,
      auditId: string,
      p: { discussed: string[]; notes: string | null; heldAt: Date; lateReason: string | null },
    ): Promise<void> {
      await db
        .updateTable('caseAuditSample')
        .set({ discussedAtPanel: sql<boolean>`id = ANY(${p.discussed}::uuid[]) AND consent = 'GIVEN'` })
        .where('auditId', '=', auditId)
        .execute()
      await db
        .updateTable('caseAudit')
        .set({ panelNotes: p.notes, panelHeldAt: p.heldAt, panelLateReason: p.lateReason, panelRecordedAt: new Date() })
        .where('id', '=', auditId)
        .execute()
    },

    async findSummary(db: Executor, sampleId: string, agencyId: string): Promise<SummaryRow | undefined> {
      return summaries(db).where('s.sampleId', '=', sampleId).where('s.agencyId', '=', agencyId).executeTakeFirst()
    },

    async listSummaries(db: Executor, auditId: string): Promise<SummaryRow[]> {
      return summaries(db).where('s.auditId', '=', auditId).orderBy('g.name').execute()
    },

    async saveSummary(
      db: Executor,
      s: {
        partnershipId: string
        auditId: string
        sampleId: string
        agencyId: string
        auditorId: string
        answers: SummaryAnswers
        overallGrade: string | null
        summary: string
        feedbackGiven: boolean
        feedback: string | null
      },
    ): Promise<void> {
      const values = { ...s, answers: JSON.stringify(s.answers), savedAt: new Date() }
      await db
        .insertInto('caseAuditSummary')
        .values(values)
        .onConflict((oc) =>
          oc
            .columns(['sampleId', 'agencyId'])
            .doUpdateSet({
              auditorId: s.auditorId,
              answers: values.answers,
              overallGrade: s.overallGrade,
              summary: s.summary,
              feedbackGiven: s.feedbackGiven,
              feedback: s.feedback,
              savedAt: values.savedAt,
            }),
        )
        .execute()
    },

    /** What an auditor reads of a sampled case: no names or date of birth leave this query except the DOB for the age band. */
    async caseForAudit(db: Executor, caseId: string) {
      const kase = await db
        .selectFrom('hsbCase as k')
        .innerJoin('child as c', 'c.id', 'k.childId')
        .select([
          'k.id',
          'k.status',
          'k.rating',
          'k.route',
          'k.openedAt',
          'k.closedAt',
          'k.referralReceivedAt',
          'c.dateOfBirth',
          'c.isRestricted',
        ])
        .where('k.id', '=', caseId)
        .executeTakeFirst()
      if (!kase) return undefined
      const events = await db
        .selectFrom('caseEvent')
        .select(['id', 'action', 'toStatus', 'occurredAt'])
        .where('caseId', '=', caseId)
        .orderBy('occurredAt')
        .orderBy('id')
        .execute()
      const meetings = await db
        .selectFrom('meeting')
        .select(['id', 'kind', 'scheduledFor', 'heldAt', 'status', 'outcomes'])
        .where('caseId', '=', caseId)
        .orderBy('scheduledFor')
        .execute()
      return { kase, events, meetings }
    },

    async insertFinding(db: Executor, f: Insertable<CaseAuditFindingTable>): Promise<void> {
      await db.insertInto('caseAuditFinding').values(f).execute()
    },

    async listFindings(db: Executor, auditIds: string[]): Promise<(FindingRow & { auditId: string })[]> {
      if (!auditIds.length) return []
      return db
        .selectFrom('caseAuditFinding')
        .select(['id', 'auditId', 'kind', 'text', 'tags', 'occurredAt', 'lateReason', 'createdAt'])
        .where('auditId', 'in', auditIds)
        .orderBy('occurredAt')
        .orderBy('createdAt')
        .orderBy('id')
        .execute()
    },

    async insertRecommendation(db: Executor, r: Insertable<CaseAuditRecommendationTable>): Promise<void> {
      await db.insertInto('caseAuditRecommendation').values(r).execute()
    },

    async listRecommendations(db: Executor, auditIds: string[]): Promise<(RecommendationRow & { auditId: string })[]> {
      if (!auditIds.length) return []
      return db
        .selectFrom('caseAuditRecommendation as r')
        .leftJoin('agency as g', 'g.id', 'r.ownerAgencyId')
        .select([
          'r.id',
          'r.auditId',
          'r.text',
          'r.ownerAgencyId',
          'g.name as ownerAgencyName',
          'r.allAgencies',
          'r.ownerText',
          'r.dueOn',
          'r.sentToPlanAt',
        ])
        .where('r.auditId', 'in', auditIds)
        .orderBy('r.createdAt')
        .orderBy('r.id')
        .execute()
    },

    async markSentToPlan(db: Executor, auditIds: string[], reviewId: string, mainAuditId: string): Promise<void> {
      await db
        .updateTable('caseAuditRecommendation')
        .set({ sentToPlanAt: new Date() })
        .where('auditId', 'in', auditIds)
        .where('sentToPlanAt', 'is', null)
        .execute()
      await db.updateTable('caseAudit').set({ reviewId }).where('id', '=', mainAuditId).execute()
    },

    async close(db: Executor, auditId: string, by: string): Promise<void> {
      await db
        .updateTable('caseAudit')
        .set({ status: 'CLOSED', closedAt: new Date(), closedBy: by })
        .where('id', '=', auditId)
        .where('status', '=', 'OPEN')
        .execute()
    },

    /** Learning themes counted across every audit of the partnership. */
    async themeCounts(db: Executor): Promise<{ tag: string; findings: number; audits: number }[]> {
      const rows = await sql<{ tag: string; findings: number; audits: number }>`
        SELECT t.tag, count(*)::int AS findings, count(DISTINCT f.audit_id)::int AS audits
        FROM case_audit_finding f CROSS JOIN LATERAL unnest(f.tags) AS t(tag)
        GROUP BY t.tag ORDER BY count(*) DESC, t.tag`.execute(db)
      return rows.rows
    },
  }
}
export type CaseAuditsRepository = ReturnType<typeof caseAuditsRepository>

function summaries(db: Executor) {
  return db
    .selectFrom('caseAuditSummary as s')
    .innerJoin('agency as g', 'g.id', 's.agencyId')
    .innerJoin('appUser as u', 'u.id', 's.auditorId')
    .select([
      's.id',
      's.sampleId',
      's.agencyId',
      'g.name as agencyName',
      's.auditorId',
      'u.displayName as auditorName',
      's.answers',
      's.overallGrade',
      's.summary',
      's.feedbackGiven',
      's.feedback',
      's.savedAt',
    ])
}

/** The partnership's name, for the report's heading. */
export async function partnershipName(db: Executor, partnershipId: string): Promise<string> {
  const row = await db.selectFrom('partnership').select('name').where('id', '=', partnershipId).executeTakeFirst()
  return row?.name ?? ''
}
