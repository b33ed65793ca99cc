import { sql } from 'kysely'
import type { IsoDate } from '../../platform/clocks/london-time.js'
import type { Executor } from '../../platform/db/transaction.js'
import { AIM_MODELS, EXPIRY_WINDOW_DAYS, type AgencyModelCount, type AssessmentDue, type ModelCount } from './workforce.rules.js'

/**
 * The workforce counts, each one set-based statement grouped in the database. `day` is the
 * as-at date (UK); `cutoff` the end of that day as an instant (nothing later is counted).
 * Definitions: workforce.rules.ts.
 */
export type AsAt = { partnershipId: string; day: IsoDate; cutoff: Date }

/** People who were not disabled by the cutoff. */
const activeUser = (cutoff: Date) => sql`(u.disabled_at IS NULL OR u.disabled_at >= ${cutoff})`
/** A training record current on the day. */
const currentTraining = (day: IsoDate) => sql`(tr.completed_on <= ${day}::date AND (tr.expires_on IS NULL OR tr.expires_on > ${day}::date))`
const aimModels = sql.join(AIM_MODELS.map((m) => sql`${m}`))

const num = (v: unknown) => Number(v ?? 0)

export function workforceRepository() {
  return {
    async agencies(db: Executor, partnershipId: string): Promise<{ id: string; name: string }[]> {
      return db.selectFrom('agency').select(['id', 'name']).where('partnershipId', '=', partnershipId).orderBy('name').execute()
    },

    async teams(db: Executor, partnershipId: string): Promise<{ id: string; name: string }[]> {
      return db.selectFrom('team').select(['id', 'name']).where('partnershipId', '=', partnershipId).orderBy('name').execute()
    },

    /** Practitioners with current training, by model and agency. */
    async trainedByAgencyAndModel(db: Executor, q: AsAt): Promise<AgencyModelCount[]> {
      const { rows } = await sql<{ agency: string; model: string; n: string }>`
        SELECT u.agency_id AS agency, tr.model AS model, count(DISTINCT tr.user_id) AS n
        FROM training_record tr JOIN app_user u ON u.id = tr.user_id
        WHERE tr.partnership_id = ${q.partnershipId} AND ${currentTraining(q.day)} AND ${activeUser(q.cutoff)}
        GROUP BY u.agency_id, tr.model`.execute(db)
      return rows.map((r) => ({ agencyId: r.agency, model: r.model, n: num(r.n) }))
    },

    /** Practitioners with current training, by model (a person counts once per model). */
    async trainedByModel(db: Executor, q: AsAt): Promise<ModelCount[]> {
      const { rows } = await sql<{ model: string; n: string }>`
        SELECT tr.model AS model, count(DISTINCT tr.user_id) AS n
        FROM training_record tr JOIN app_user u ON u.id = tr.user_id
        WHERE tr.partnership_id = ${q.partnershipId} AND ${currentTraining(q.day)} AND ${activeUser(q.cutoff)}
        GROUP BY tr.model`.execute(db)
      return rows.map((r) => ({ model: r.model, n: num(r.n) }))
    },

    /** Practitioners whose latest current training in a model expires within the window (no renewal beyond it). */
    async expiring(db: Executor, q: AsAt): Promise<ModelCount[]> {
      const { rows } = await sql<{ model: string; n: string }>`
        SELECT latest.model AS model, count(*) AS n
        FROM (
          SELECT tr.user_id, tr.model
          FROM training_record tr JOIN app_user u ON u.id = tr.user_id
          WHERE tr.partnership_id = ${q.partnershipId} AND ${currentTraining(q.day)} AND ${activeUser(q.cutoff)}
          GROUP BY tr.user_id, tr.model
          HAVING bool_and(tr.expires_on IS NOT NULL) AND max(tr.expires_on) <= ${q.day}::date + ${EXPIRY_WINDOW_DAYS}::int
        ) latest
        GROUP BY latest.model`.execute(db)
      return rows.map((r) => ({ model: r.model, n: num(r.n) }))
    },

    /**
     * Practitioners (current AIM training, or a current co-assessment) by how many assessments
     * they were co-assessing at the cutoff: 0, 1, 2, 3+.
     */
    async coAssessorLoad(db: Executor, q: AsAt): Promise<{ bucket: string; n: number }[]> {
      const { rows } = await sql<{ bucket: string; n: string }>`
        WITH load AS (
          SELECT ca.user_id, count(DISTINCT ca.assessment_id) AS n
          FROM aim_co_assessor ca JOIN aim_assessment a ON a.id = ca.assessment_id
          WHERE ca.partnership_id = ${q.partnershipId} AND ca.named_at < ${q.cutoff}
            AND (ca.ended_at IS NULL OR ca.ended_at >= ${q.cutoff})
            AND (a.completed_at IS NULL OR a.completed_at >= ${q.cutoff})
          GROUP BY ca.user_id
        ), people AS (
          SELECT tr.user_id FROM training_record tr JOIN app_user u ON u.id = tr.user_id
          WHERE tr.partnership_id = ${q.partnershipId} AND tr.model IN (${aimModels}) AND ${currentTraining(q.day)} AND ${activeUser(q.cutoff)}
          UNION
          SELECT user_id FROM load
        )
        SELECT CASE WHEN coalesce(l.n, 0) >= 3 THEN '3+' ELSE coalesce(l.n, 0)::text END AS bucket, count(*) AS n
        FROM people p LEFT JOIN load l ON l.user_id = p.user_id
        GROUP BY 1`.execute(db)
      return rows.map((r) => ({ bucket: r.bucket, n: num(r.n) }))
    },

    /** AIM assessments in progress and decided-but-not-started at the cutoff, by model (null: not chosen). */
    async assessmentsDue(db: Executor, q: AsAt): Promise<AssessmentDue[]> {
      const { rows } = await sql<{ model: string | null; progress: string; awaiting: string }>`
        SELECT a.model AS model,
          count(*) FILTER (WHERE a.started_at < ${q.cutoff}) AS progress,
          count(*) FILTER (WHERE a.started_at IS NULL OR a.started_at >= ${q.cutoff}) AS awaiting
        FROM aim_assessment a JOIN hsb_case k ON k.id = a.case_id
        WHERE a.partnership_id = ${q.partnershipId} AND a.decision = 'ASSESS' AND a.decided_at < ${q.cutoff}
          AND (a.completed_at IS NULL OR a.completed_at >= ${q.cutoff})
          AND (k.closed_at IS NULL OR k.closed_at >= ${q.cutoff})
        GROUP BY a.model`.execute(db)
      return rows.map((r) => ({ model: r.model, inProgress: num(r.progress), awaiting: num(r.awaiting) }))
    },
  }
}
export type WorkforceRepository = ReturnType<typeof workforceRepository>
