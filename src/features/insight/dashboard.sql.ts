import { sql, type RawBuilder } from 'kysely'
import { countedAt, FELL_DUE, STILL_RUNNING, type TimescaleOutcome } from './dashboard.rules.js'
import { AGE_BANDS, type Filters, type InsightQuery } from './insight.query.js'

/**
 * The SQL behind every dashboard figure, as "facts": one row per thing counted, with the case it
 * belongs to, the figure's row and column it counts towards, a label for rows that come from the
 * data (agencies, providers) and a value for medians:
 *
 *   (unit_id, case_id, row_key, col_key, label, value)
 *
 * A figure is then `count(DISTINCT unit_id)` grouped by row and column, and the cases behind any
 * cell are `DISTINCT case_id` for that row and column: the same facts, so a figure and its list of
 * cases cannot disagree. Every fact is limited to the partnership (explicitly, as well as by
 * row-level security), to the period, to what had happened by the end of the as-at day (by when
 * it happened, not when it was entered: a case step's `occurred_at`, a case's `opened_at` and
 * `closed_at`, a meeting's `held_at`), and to the filters. Tables are aliased c (hsb_case) and ch
 * (child) wherever filters apply. docs/insight-figures.md says what each figure counts.
 */

export type Facts = RawBuilder<unknown>
/**
 * `factors`: the case factors to count (the standard list and the partnership's own), for 'case-factors'.
 * `now`: the time the figures are counted (default: the time of the call): as at today, a clock not
 * yet due by then is still running.
 */
export type FactsContext = { partnershipId: string; q: InsightQuery; factors?: readonly { code: string; label: string }[]; now?: Date }

/** The rating confirmed by a manager's oversight, as it stood at the as-at cut-off. */
export const confirmedRating = (cutoff: Date) =>
  sql<
    string | null
  >`(SELECT s.overall_rating FROM screening s WHERE s.case_id = c.id AND s.oversight_outcome = 'CONFIRMED' AND s.oversight_at < ${cutoff} ORDER BY s.oversight_at DESC LIMIT 1)`

/** The child's age in whole years on the day the request for support was received (UK time). */
const ageAtReferral = sql<number>`date_part('year', age((c.referral_received_at AT TIME ZONE 'Europe/London')::date, ch.date_of_birth))::int`

export const ageBandSql = sql<string>`CASE ${sql.join(
  AGE_BANDS.map((b) => sql`WHEN ${ageAtReferral} BETWEEN ${sql.lit(b.min)} AND ${sql.lit(b.max)} THEN ${sql.lit(b.value)}`),
  sql` `,
)} END`

/** The filters as conditions on c (hsb_case) and ch (child). */
export function filterSql(f: Filters, cutoff: Date): RawBuilder<boolean> {
  const conditions: RawBuilder<unknown>[] = [sql`true`]
  if (f.agencyId) {
    conditions.push(sql`(EXISTS (SELECT 1 FROM request_for_support r WHERE r.case_id = c.id AND r.referrer_agency_id = ${f.agencyId})
      OR EXISTS (SELECT 1 FROM child_involvement i WHERE i.child_id = c.child_id AND i.agency_id = ${f.agencyId} AND i.started_at < ${cutoff}))`)
  }
  if (f.teamId) {
    conditions.push(sql`(c.allocated_team_id = ${f.teamId}
      OR EXISTS (SELECT 1 FROM child_involvement i WHERE i.child_id = c.child_id AND i.team_id = ${f.teamId} AND i.started_at < ${cutoff}))`)
  }
  if (f.rating) conditions.push(sql`${confirmedRating(cutoff)} = ${f.rating}`)
  if (f.ageBand) {
    const band = AGE_BANDS.find((b) => b.value === f.ageBand)!
    conditions.push(sql`${ageAtReferral} BETWEEN ${band.min} AND ${band.max}`)
  }
  if (f.gender) conditions.push(sql`coalesce(nullif(ch.gender, ''), 'NOT_KNOWN') = ${f.gender}`)
  if (f.ethnicity) conditions.push(sql`coalesce(nullif(ch.ethnicity, ''), 'NOT_KNOWN') = ${f.ethnicity}`)
  if (f.send === 'yes') conditions.push(sql`coalesce(trim(ch.send_needs), '') <> ''`)
  if (f.send === 'no') conditions.push(sql`coalesce(trim(ch.send_needs), '') = ''`)
  return sql<boolean>`(${sql.join(conditions, sql` AND `)})`
}

/** Requests for support received in the period (and recorded by the as-at date). */
function referralCohort({ partnershipId, q }: FactsContext, join: RawBuilder<unknown> = sql``): RawBuilder<unknown> {
  return sql`hsb_case c JOIN child ch ON ch.id = c.child_id ${join}
    WHERE c.partnership_id = ${partnershipId} AND c.referral_received_at >= ${q.fromInstant} AND c.referral_received_at < ${q.toInstantExclusive}
      AND c.opened_at < ${q.asAtCutoff} AND ${filterSql(q.filters, q.asAtCutoff)}`
}

/** The case's status at the cut-off: its last change of status recorded before then. */
const statusAt = (cutoff: Date) =>
  sql`(SELECT e.to_status FROM case_event e WHERE e.case_id = c.id AND e.occurred_at < ${cutoff} AND e.from_status IS DISTINCT FROM e.to_status ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1)`

/** Cases open at the cut-off (a case closed before then cannot be). */
function openAt({ partnershipId, q }: FactsContext): RawBuilder<unknown> {
  return sql`hsb_case c JOIN child ch ON ch.id = c.child_id
    CROSS JOIN LATERAL (SELECT ${statusAt(q.asAtCutoff)} AS status) st
    WHERE c.partnership_id = ${partnershipId} AND c.opened_at < ${q.asAtCutoff} AND (c.closed_at IS NULL OR c.closed_at >= ${q.asAtCutoff})
      AND st.status IS NOT NULL AND st.status NOT IN ('CLOSED', 'EARLY_HELP') AND ${filterSql(q.filters, q.asAtCutoff)}`
}

/** The level of concern in the case's AIM assessment, once it was completed (before the cut-off). */
const levelOfConcern = (cutoff: Date) =>
  sql`coalesce((SELECT a.record->>'levelOfConcern' FROM aim_assessment a WHERE a.case_id = c.id AND a.completed_at < ${cutoff}), 'NOT_RECORDED')`

/** `timescaleOutcome` (dashboard.rules.ts) of the clock on row k at the instant `at`, in SQL. */
export function timescaleOutcomeSql(at: Date): RawBuilder<TimescaleOutcome> {
  const when = sql`${at}::timestamptz`
  return sql<TimescaleOutcome>`(CASE
    WHEN k.met_at IS NOT NULL AND k.met_at < ${when} THEN
      CASE WHEN k.stop_reason IS NULL THEN CASE WHEN k.met_at <= k.due_at THEN 'WITHIN' ELSE 'LATE' END
           WHEN k.met_at > k.due_at THEN 'MISSED_BEFORE_CLOSING' ELSE 'CLOSED_BEFORE_DUE' END
    WHEN k.started_at >= ${when} THEN 'NOT_STARTED'
    WHEN ${when} > k.due_at THEN 'OVERDUE'
    ELSE 'RUNNING' END)`
}

/** A strategy meeting counts in the column `meetings`, a strategy discussion (it too stops the 24-hour clock) in 'discussions'. */
const strategyKindColumn = (meetings: string) =>
  sql`(CASE m.kind WHEN 'STRATEGY_MEETING' THEN ${sql.lit(meetings)} WHEN 'STRATEGY_DISCUSSION' THEN 'discussions' END)`
/** Finalised strategy meetings and discussions held in the period, by the end of the as-at day. */
const strategyMeetingsHeld = (partnershipId: string, q: InsightQuery) =>
  sql`m.partnership_id = ${partnershipId} AND m.kind IN ('STRATEGY_MEETING', 'STRATEGY_DISCUSSION') AND m.status = 'FINALISED'
        AND m.held_at >= ${q.fromInstant} AND m.held_at < ${q.toInstantExclusive} AND m.held_at < ${q.asAtCutoff}`

/** Each figure's facts. */
export const FACTS = {
  'referrals-by-rating': (ctx: FactsContext): Facts =>
    sql`SELECT c.id AS unit_id, c.id AS case_id, coalesce(${confirmedRating(ctx.q.asAtCutoff)}, 'NONE') AS row_key, 'referrals' AS col_key, NULL::text AS label, NULL::float8 AS value
      FROM ${referralCohort(ctx)}`,

  'referrals-by-agency': (ctx: FactsContext): Facts =>
    sql`SELECT c.id AS unit_id, c.id AS case_id, coalesce(ra.agency_id::text, 'NONE') AS row_key, 'referrals' AS col_key, ra.agency_name AS label, NULL::float8 AS value
      FROM ${referralCohort(ctx, sql`LEFT JOIN LATERAL (SELECT a.id AS agency_id, a.name AS agency_name FROM request_for_support r JOIN agency a ON a.id = r.referrer_agency_id WHERE r.case_id = c.id) ra ON true`)}`,

  'referrals-by-age': (ctx: FactsContext): Facts =>
    sql`SELECT c.id AS unit_id, c.id AS case_id, coalesce(${ageBandSql}, 'NONE') AS row_key, 'referrals' AS col_key, NULL::text AS label, NULL::float8 AS value
      FROM ${referralCohort(ctx)}`,

  /**
   * Strategy meetings and strategy discussions held (each in its own column), and the 24-hour
   * timescale: every strategy meeting clock that fell due in the period is in 'due' (held on time,
   * held late, not held, or stopped by the case closing after it was due), those held on time
   * also in 'within-24-hours'; a clock not yet due at the time counted is 'running'; one stopped
   * by the case closing before it was due is in none.
   */
  'strategy-meetings': ({ partnershipId, q, now }: FactsContext): Facts => {
    const outcome = timescaleOutcomeSql(countedAt(q.asAtCutoff, now ?? new Date()))
    return sql`SELECT m.id AS unit_id, c.id AS case_id, coalesce(${confirmedRating(q.asAtCutoff)}, 'NONE') AS row_key, ${strategyKindColumn('held')} AS col_key, NULL::text AS label, NULL::float8 AS value
      FROM meeting m JOIN hsb_case c ON c.id = m.case_id JOIN child ch ON ch.id = c.child_id
      WHERE ${strategyMeetingsHeld(partnershipId, q)} AND ${filterSql(q.filters, q.asAtCutoff)}
      UNION ALL
      SELECT k.id AS unit_id, c.id AS case_id, coalesce(${confirmedRating(q.asAtCutoff)}, 'NONE') AS row_key, col.key AS col_key, NULL::text AS label, NULL::float8 AS value
      FROM case_clock k JOIN hsb_case c ON c.id = k.case_id JOIN child ch ON ch.id = c.child_id
      CROSS JOIN LATERAL (SELECT ${outcome} AS outcome) o
      CROSS JOIN LATERAL (VALUES
        (CASE WHEN o.outcome = ANY(${[...FELL_DUE]}::text[]) THEN 'due' END),
        (CASE WHEN o.outcome = 'WITHIN' THEN 'within-24-hours' END),
        (CASE WHEN o.outcome = ANY(${[...STILL_RUNNING]}::text[]) THEN 'running' END)) col(key)
      WHERE k.partnership_id = ${partnershipId} AND k.kind = 'STRATEGY_MEETING'
        AND k.due_at >= ${q.fromInstant} AND k.due_at < ${q.toInstantExclusive}
        AND col.key IS NOT NULL AND ${filterSql(q.filters, q.asAtCutoff)}`
  },

  'meeting-outcomes': ({ partnershipId, q }: FactsContext): Facts =>
    sql`SELECT m.id AS unit_id, c.id AS case_id, o.outcome AS row_key, ${strategyKindColumn('meetings')} AS col_key, NULL::text AS label, NULL::float8 AS value
      FROM meeting m JOIN hsb_case c ON c.id = m.case_id JOIN child ch ON ch.id = c.child_id
      CROSS JOIN LATERAL unnest(m.outcomes) o(outcome)
      WHERE ${strategyMeetingsHeld(partnershipId, q)} AND ${filterSql(q.filters, q.asAtCutoff)}`,

  'aim-assessments': ({ partnershipId, q }: FactsContext): Facts => {
    const completedInPeriod = sql`a.completed_at >= ${q.fromInstant} AND a.completed_at < ${q.toInstantExclusive} AND a.completed_at < ${q.asAtCutoff}`
    return sql`SELECT a.id AS unit_id, c.id AS case_id, a.route AS row_key, col.key AS col_key, NULL::text AS label, NULL::float8 AS value
      FROM aim_assessment a JOIN hsb_case c ON c.id = a.case_id JOIN child ch ON ch.id = c.child_id
      CROSS JOIN LATERAL (VALUES
        (CASE WHEN a.started_at >= ${q.fromInstant} AND a.started_at < ${q.toInstantExclusive} AND a.started_at < ${q.asAtCutoff} THEN 'started' END),
        (CASE WHEN ${completedInPeriod} THEN 'completed' END),
        (CASE WHEN ${completedInPeriod} AND a.completed_at <= a.started_at + interval '42 days' THEN 'within-6-weeks' END),
        (CASE WHEN ${completedInPeriod} AND a.completed_at <= a.started_at + interval '56 days' THEN 'within-8-weeks' END)) col(key)
      WHERE a.partnership_id = ${partnershipId} AND a.decision = 'ASSESS' AND a.started_at IS NOT NULL AND col.key IS NOT NULL
        AND ${filterSql(q.filters, q.asAtCutoff)}`
  },

  interventions: ({ partnershipId, q }: FactsContext): Facts =>
    sql`SELECT c.id AS unit_id, c.id AS case_id, lower(trim(pr.provider)) AS row_key, ${levelOfConcern(q.asAtCutoff)} AS col_key, trim(pr.provider) AS label, NULL::float8 AS value
      FROM hsb_case c JOIN child ch ON ch.id = c.child_id
      CROSS JOIN LATERAL (
        SELECT g->>'provider' AS provider
          FROM intervention_plan p
          JOIN LATERAL (SELECT v.goals FROM intervention_plan_version v WHERE v.plan_id = p.id AND v.created_at < ${q.asAtCutoff} ORDER BY v.version DESC LIMIT 1) v ON true
          CROSS JOIN LATERAL jsonb_array_elements(v.goals) g
         WHERE p.case_id = c.id AND p.created_at >= ${q.fromInstant} AND p.created_at < ${q.toInstantExclusive} AND p.created_at < ${q.asAtCutoff}
        UNION
        SELECT h.provider FROM hsb_panel h
         WHERE h.case_id = c.id AND h.decided_at >= ${q.fromInstant} AND h.decided_at < ${q.toInstantExclusive} AND h.decided_at < ${q.asAtCutoff}
      ) pr
      WHERE c.partnership_id = ${partnershipId} AND coalesce(trim(pr.provider), '') <> '' AND ${filterSql(q.filters, q.asAtCutoff)}`,

  'stage-durations': ({ partnershipId, q }: FactsContext): Facts =>
    sql`SELECT st.event_id::text AS unit_id, st.case_id, st.to_status AS row_key, col.key AS col_key, NULL::text AS label,
          extract(epoch FROM (st.left_at - st.occurred_at)) / 86400.0 AS value
      FROM (
        SELECT e.id AS event_id, e.case_id, e.to_status, e.occurred_at,
               lead(e.occurred_at) OVER (PARTITION BY e.case_id ORDER BY e.occurred_at, e.id) AS left_at
          FROM case_event e JOIN hsb_case c ON c.id = e.case_id JOIN child ch ON ch.id = c.child_id
         WHERE e.partnership_id = ${partnershipId} AND e.occurred_at < ${q.asAtCutoff} AND e.from_status IS DISTINCT FROM e.to_status
           AND c.referral_received_at < ${q.toInstantExclusive} AND (c.closed_at IS NULL OR c.closed_at >= ${q.fromInstant})
           AND ${filterSql(q.filters, q.asAtCutoff)}
      ) st
      CROSS JOIN LATERAL (VALUES ('cases'), ('median-days')) col(key)
      WHERE st.left_at >= ${q.fromInstant} AND st.left_at < ${q.toInstantExclusive}`,

  're-referrals': (ctx: FactsContext): Facts => {
    const base = sql`SELECT c.id AS unit_id, c.id AS case_id, coalesce(${ageBandSql}, 'NONE') AS row_key`
    // A re-referral: the same child was referred before, within the 12 months before this request.
    return sql`${base}, 'referrals' AS col_key, NULL::text AS label, NULL::float8 AS value FROM ${referralCohort(ctx)}
      UNION ALL
      ${base}, 're-referrals' AS col_key, NULL::text AS label, NULL::float8 AS value FROM ${referralCohort(ctx)}
        AND EXISTS (SELECT 1 FROM hsb_case earlier WHERE earlier.child_id = c.child_id AND earlier.id <> c.id AND earlier.opened_at < ${ctx.q.asAtCutoff}
          AND earlier.referral_received_at < c.referral_received_at AND earlier.referral_received_at >= c.referral_received_at - interval '12 months')`
  },

  'open-cases-by-stage': (ctx: FactsContext): Facts =>
    sql`SELECT c.id AS unit_id, c.id AS case_id, st.status AS row_key, 'open' AS col_key, NULL::text AS label, NULL::float8 AS value
      FROM ${openAt(ctx)}`,

  /**
   * Children (not cases) with a request for support in the period, and for each factor whether
   * it was recorded on one of those cases by the end of the as-at day: every child counts in the
   * factor's 'total', and in 'with' or 'without'.
   */
  'case-factors': (ctx: FactsContext): Facts => {
    const factors = ctx.factors ?? []
    return sql`WITH cohort AS (SELECT DISTINCT c.id AS case_id, c.child_id FROM ${referralCohort(ctx)}),
        codes AS (SELECT * FROM unnest(${factors.map((f) => f.code)}::text[], ${factors.map((f) => f.label)}::text[]) AS x(code, label)),
        has AS (SELECT DISTINCT co.child_id, cf.factor_code FROM cohort co JOIN case_factor cf ON cf.case_id = co.case_id
                 WHERE cf.recorded_at < ${ctx.q.asAtCutoff} AND (cf.removed_at IS NULL OR cf.removed_at >= ${ctx.q.asAtCutoff}))
      SELECT co.child_id::text AS unit_id, co.case_id, codes.code AS row_key, col.key AS col_key, codes.label AS label, NULL::float8 AS value
        FROM cohort co CROSS JOIN codes
        CROSS JOIN LATERAL (VALUES ('total'), (CASE WHEN EXISTS (SELECT 1 FROM has WHERE has.child_id = co.child_id AND has.factor_code = codes.code) THEN 'with' ELSE 'without' END)) col(key)`
  },

  'waiting-for-provision': (ctx: FactsContext): Facts =>
    sql`SELECT c.id AS unit_id, c.id AS case_id, ${levelOfConcern(ctx.q.asAtCutoff)} AS row_key, 'waiting' AS col_key, NULL::text AS label, NULL::float8 AS value
      FROM ${openAt(ctx)} AND st.status IN ('REVIEW_MEETING_DUE', 'PANEL_REQUESTED')`,
} as const
