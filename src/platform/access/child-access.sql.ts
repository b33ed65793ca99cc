import { sql, type RawBuilder } from 'kysely'
import { ALL_RELATIONSHIPS, can, type Actor, type ChildAction, type Relationship } from './policy.js'
import { namedOnRestriction, relationshipToChild } from './relationship.sql.js'

/**
 * The relationships that allow this person a child action (opening the record, by default),
 * asked of the access policy itself for each relationship: the SQL below cannot drift from `can`.
 */
export function readableRelationships(actor: Actor, action: ChildAction = 'child:read'): Relationship[] {
  return ALL_RELATIONSHIPS.filter((relationship) =>
    can(actor, action, {
      kind: 'child',
      partnershipId: actor.partnershipId,
      relationship,
      isRestricted: false,
      isNamedOnRestriction: false,
      breakGlass: false,
    }),
  )
}

/**
 * Lists (queues, the dashboard's cases, notifications) never include a record open to the person
 * only through break-glass: break-glass opens one record from its refusal, for an emergency, and
 * is not a way to find children. So the relationships are asked with `breakGlass: false`.
 *
 * `can(actor, 'child:read', child)` as a SQL condition on the child row `alias`: same
 * partnership, a restricted record only for people named on it, and a relationship the
 * person's roles allow.
 */
export function canReadChildSql(alias: string, actor: Actor): RawBuilder<boolean> {
  const allowed = readableRelationships(actor)
  if (allowed.length === 0) return sql<boolean>`false`
  const child = sql.ref(`${alias}.id`)
  // Every relationship allowed (an HSB lead): the relationship need not be worked out per row.
  const relationship =
    allowed.length === ALL_RELATIONSHIPS.length ? sql`true` : sql`${relationshipToChild(child, actor)} = ANY(${allowed}::text[])`
  return sql<boolean>`(${sql.ref(`${alias}.partnershipId`)} = ${actor.partnershipId}
    AND (NOT ${sql.ref(`${alias}.isRestricted`)} OR ${namedOnRestriction(child, actor)})
    AND ${relationship})`
}
