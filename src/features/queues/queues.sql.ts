import { sql, type RawBuilder } from 'kysely'
import type { Actor } from '../../platform/access/policy.js'
import { isPractitioner } from '../../platform/access/roles.js'
import { canReadChildSql, readableRelationships } from '../../platform/access/child-access.sql.js'
import { namedOnRestriction, relationshipToChild } from '../../platform/access/relationship.sql.js'
import type { BankHolidays } from '../../platform/clocks/bank-holidays.js'
import { ALL_CLOCK_KINDS, DEFAULT_TIMESCALES, type ClockState, type TimescaleUnit } from '../../platform/clocks/clocks.rules.js'
import { NOT_URGENT, URGENCY } from './queues.rules.js'

export { canReadChildSql, readableRelationships }

/**
 * SQL expressions the queues share: who may read a child (the access policy, as SQL) and a
 * clock's state (the clock rules, as SQL), so that a queue can filter and sort in one statement.
 */

/**
 * Whether the person may see, in their list, a meeting about the child on row `alias` that they
 * chair or are invited to by name: as the meetings feature decides who reads a meeting, anyone
 * who may read the child, or a practitioner through their invitation, unless the record is
 * restricted and they are not named on it.
 */
export function canSeeOwnMeetingSql(alias: string, actor: Actor): RawBuilder<boolean> {
  if (!isPractitioner(actor.roles)) return canReadChildSql(alias, actor)
  const child = sql.ref(`${alias}.id`)
  return sql<boolean>`(${canReadChildSql(alias, actor)} OR (${sql.ref(`${alias}.partnershipId`)} = ${actor.partnershipId}
    AND (NOT ${sql.ref(`${alias}.isRestricted`)} OR ${namedOnRestriction(child, actor)})))`
}

/**
 * Whether the person may follow, as its referrer, the request on case `caseAlias` about the child
 * on row `childAlias`, as the referrals feature decides: they raised it, and the access policy's
 * `child:view-own-request` allows them on their standing now (the relationships asked of the
 * policy, as `canReadChildSql` does), the record not restricted unless they are named on it.
 */
export function followsOwnRequestSql(caseAlias: string, childAlias: string, actor: Actor): RawBuilder<boolean> {
  const allowed = readableRelationships(actor, 'child:view-own-request')
  if (allowed.length === 0) return sql<boolean>`false`
  const child = sql.ref(`${childAlias}.id`)
  return sql<boolean>`(EXISTS (SELECT 1 FROM request_for_support r WHERE r.case_id = ${sql.ref(`${caseAlias}.id`)} AND r.referrer_id = ${actor.id})
    AND ${relationshipToChild(child, actor)} = ANY(${allowed}::text[])
    AND (NOT ${sql.ref(`${childAlias}.isRestricted`)} OR ${namedOnRestriction(child, actor)}))`
}

const kindsIn = (unit: TimescaleUnit): string[] => ALL_CLOCK_KINDS.filter((k) => DEFAULT_TIMESCALES[k].unit === unit)

/**
 * When a clock on row `alias` (columns kind, started_at, due_at) becomes due soon, mirroring
 * `dueSoonAt` in clocks.rules.ts: the last fifth of its length, rounded up, at least one unit.
 * The length is the clock's own (from its start and due moments), so a partnership changing a
 * timescale later does not move clocks already running. Working days skip weekends and the
 * bank holidays passed in.
 */
export function dueSoonAtSql(alias: string, holidays: BankHolidays): RawBuilder<Date | null> {
  const a = sql.raw(alias)
  const startDate = sql`(${a}.started_at AT TIME ZONE 'Europe/London')::date`
  const dueDate = sql`(${a}.due_at AT TIME ZONE 'Europe/London')::date`
  return sql<Date | null>`(CASE
    WHEN ${a}.kind = ANY(${kindsIn('hours')}::text[]) THEN
      ${a}.due_at - make_interval(hours => ceil(greatest(1, round(extract(epoch FROM ${a}.due_at - ${a}.started_at) / 3600)) / 5.0)::int)
    WHEN ${a}.kind = ANY(${kindsIn('weeks')}::text[]) THEN
      ((${dueDate} - 7 * ceil(greatest(1, (${dueDate} - ${startDate}) / 7) / 5.0)::int + 1)::timestamp AT TIME ZONE 'Europe/London')
    ELSE (
      SELECT (array_agg(g.d ORDER BY g.d DESC))[ceil(count(*) / 5.0)::int] AT TIME ZONE 'Europe/London'
      FROM generate_series((${startDate} + 1)::timestamp, ${dueDate}::timestamp, interval '1 day') AS g(d)
      WHERE extract(isodow FROM g.d) < 6 AND NOT (g.d::date = ANY(${[...holidays]}::date[])))
  END)`
}

/** `clockState(...).state` for the clock on row `alias` (columns as above, met_at and stop_reason) at `now`. */
export function clockStateSql(alias: string, now: Date, holidays: BankHolidays): RawBuilder<ClockState> {
  const a = sql.raw(alias)
  return sql<ClockState>`(CASE
    WHEN ${a}.met_at IS NOT NULL AND ${a}.stop_reason IS NOT NULL THEN 'STOPPED'
    WHEN ${a}.met_at IS NOT NULL THEN CASE WHEN ${a}.met_at <= ${a}.due_at THEN 'MET' ELSE 'MET_LATE' END
    WHEN ${now}::timestamptz > ${a}.due_at THEN 'OVERDUE'
    WHEN ${now}::timestamptz >= ${dueSoonAtSql(alias, holidays)} THEN 'DUE_SOON'
    ELSE 'RUNNING' END)`
}

/** The urgency (see URGENCY) of a state column, for ordering. */
export function urgencySql(state: RawBuilder<unknown>): RawBuilder<number> {
  const whens = Object.entries(URGENCY).map(([s, n]) => sql`WHEN ${sql.lit(s)} THEN ${sql.lit(n)}`)
  return sql<number>`(CASE ${state} ${sql.join(whens, sql` `)} END)`
}

export type CaseClocksRow = { clocks: unknown; urgency: number; nextDueAt: Date | null }

/**
 * Every clock of the case on row `caseAlias` (its id in `idColumn`) with its state, most urgent first, as JSON; the
 * case's urgency (its most urgent open clock) and its next open due moment. One LATERAL
 * subquery: the queue stays one statement whatever the number of cases.
 */
export function caseClocksLateral(caseAlias: string, now: Date, holidays: BankHolidays, idColumn = 'id') {
  const k = sql.raw(`${caseAlias}.${idColumn}`)
  const state = clockStateSql('cc', now, holidays)
  return sql<CaseClocksRow>`LATERAL (
    SELECT coalesce(json_agg(json_build_object(
             'kind', s.kind, 'started_at', s.started_at, 'due_at', s.due_at, 'met_at', s.met_at,
             'missed_reason', s.missed_reason, 'stop_reason', s.stop_reason, 'state', s.state) ORDER BY s.urgency, s.due_at), '[]'::json) AS clocks,
           coalesce(min(s.urgency) FILTER (WHERE s.met_at IS NULL), ${sql.lit(NOT_URGENT)}) AS urgency,
           min(s.due_at) FILTER (WHERE s.met_at IS NULL) AS next_due_at
    FROM (
      SELECT x.*, ${urgencySql(sql.ref('x.state'))} AS urgency
      FROM (SELECT cc.kind, cc.started_at, cc.due_at, cc.met_at, cc.missed_reason, cc.stop_reason, ${state} AS state
            FROM case_clock cc WHERE cc.case_id = ${k}) x
    ) s
  )`
}
