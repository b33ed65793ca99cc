import { sql, type RawBuilder } from 'kysely'
import type { Actor, Relationship } from './policy.js'

const NO_TEAM = '00000000-0000-0000-0000-000000000000'

/**
 * The actor's relationship to a child, as one SQL expression over the child's open involvements
 * (open until their end, which for a time-bound one may lie ahead): named (allocated or
 * involved), through a team, through the agency, other agencies only, or nobody yet. Used
 * wherever a child's data is loaded, so the access policy gets it in the same statement.
 */
export function relationshipToChild(childId: RawBuilder<unknown> | string, actor: Actor): RawBuilder<Relationship> {
  const teamIds = actor.teamIds.length ? [...actor.teamIds] : [NO_TEAM]
  const child = typeof childId === 'string' ? sql`${childId}::uuid` : childId
  return sql<Relationship>`(SELECT CASE
      WHEN bool_or(i.user_id = ${actor.id}) THEN 'INVOLVED'
      WHEN bool_or(i.team_id = ANY(${teamIds}::uuid[])) THEN 'SAME_TEAM'
      WHEN bool_or(i.agency_id = ${actor.agencyId}) THEN 'SAME_AGENCY'
      WHEN count(*) > 0 THEN 'OTHER_AGENCY'
      ELSE 'NONE' END
    FROM child_involvement i WHERE i.child_id = ${child} AND ${involvementOpen('i')})`
}

/**
 * Whether the involvement on row `alias` is open now: not ended, or ending later (the front door
 * after closing a request, for the days the partnership sets). The one definition of an open
 * involvement, wherever involvements are read.
 */
export function involvementOpen(alias: string): RawBuilder<boolean> {
  const a = sql.raw(alias)
  return sql<boolean>`(${a}.ended_at IS NULL OR ${a}.ended_at > now())`
}

/** Whether the actor is named on a restricted child's access list. */
export function namedOnRestriction(childId: RawBuilder<unknown> | string, actor: Actor): RawBuilder<boolean> {
  const child = typeof childId === 'string' ? sql`${childId}::uuid` : childId
  return sql<boolean>`EXISTS (SELECT 1 FROM child_restricted_access r WHERE r.child_id = ${child} AND r.user_id = ${actor.id})`
}

/**
 * Whether the actor has an unexpired break-glass access to the child (break_glass_access, issue
 * 18): one indexed lookup, in the statement that loads the child. Whether it opens the record is
 * the access policy's (`can`: read only, never a restricted record).
 */
export function breakGlassOpen(childId: RawBuilder<unknown> | string, actor: Actor): RawBuilder<boolean> {
  const child = typeof childId === 'string' ? sql`${childId}::uuid` : childId
  return sql<boolean>`EXISTS (SELECT 1 FROM break_glass_access b
    WHERE b.user_id = ${actor.id} AND b.child_id = ${child} AND b.expires_at > now())`
}

/** When the actor's break-glass access to the child ends (the latest unexpired one), or null. */
export function breakGlassUntil(childId: RawBuilder<unknown> | string, actor: Actor): RawBuilder<Date | null> {
  const child = typeof childId === 'string' ? sql`${childId}::uuid` : childId
  return sql<Date | null>`(SELECT max(b.expires_at) FROM break_glass_access b
    WHERE b.user_id = ${actor.id} AND b.child_id = ${child} AND b.expires_at > now())`
}
