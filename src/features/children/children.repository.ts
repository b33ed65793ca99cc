import { sql } from 'kysely'
import type { Actor, Relationship } from '../../platform/access/policy.js'
import { namedOnRestriction, relationshipToChild } from '../../platform/access/relationship.sql.js'
import type { Executor } from '../../platform/db/transaction.js'

export type ChildForAccess = {
  id: string
  partnershipId: string
  givenNames: string
  familyName: string
  dateOfBirth: Date
  isRestricted: boolean
  isNamedOnRestriction: boolean
  relationship: Relationship
}

export type Involvement = {
  kind: 'ALLOCATED' | 'INVOLVED'
  agencyName: string
  teamName: string | null
  userDisplayName: string | null
  startedAt: Date
}

export type NewChild = { partnershipId: string; givenNames: string; familyName: string; dateOfBirth: string; isRestricted?: boolean }
export type NewInvolvement = {
  partnershipId: string
  childId: string
  agencyId: string
  teamId?: string | null
  userId?: string | null
  kind: 'ALLOCATED' | 'INVOLVED'
}

export function childrenRepository() {
  return {
    /**
     * The child with the actor's relationship to them, worked out in the same statement:
     * named on an open involvement, through a team, through the agency, or not at all.
     */
    async findForAccess(db: Executor, childId: string, actor: Actor): Promise<ChildForAccess | undefined> {
      const row = await db
        .selectFrom('child as c')
        .select([
          'c.id',
          'c.partnershipId',
          'c.givenNames',
          'c.familyName',
          'c.dateOfBirth',
          'c.isRestricted',
          namedOnRestriction(sql.ref('c.id'), actor).as('isNamedOnRestriction'),
          relationshipToChild(sql.ref('c.id'), actor).as('relationship'),
        ])
        .where('c.id', '=', childId)
        .executeTakeFirst()
      return row
    },

    async listInvolvements(db: Executor, childId: string): Promise<Involvement[]> {
      return db
        .selectFrom('childInvolvement as i')
        .innerJoin('agency as g', 'g.id', 'i.agencyId')
        .leftJoin('team as t', 't.id', 'i.teamId')
        .leftJoin('appUser as u', 'u.id', 'i.userId')
        .select(['i.kind', 'g.name as agencyName', 't.name as teamName', 'u.displayName as userDisplayName', 'i.startedAt'])
        .where('i.childId', '=', childId)
        .where('i.endedAt', 'is', null)
        .orderBy('i.kind')
        .orderBy('g.name')
        .execute()
    },

    async insertChild(db: Executor, child: NewChild): Promise<string> {
      const row = await db
        .insertInto('child')
        .values({ ...child, isRestricted: child.isRestricted ?? false })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id
    },

    async insertInvolvement(db: Executor, involvement: NewInvolvement): Promise<void> {
      await db
        .insertInto('childInvolvement')
        .values({ ...involvement, teamId: involvement.teamId ?? null, userId: involvement.userId ?? null })
        .execute()
    },

    async grantRestrictedAccess(db: Executor, partnershipId: string, childId: string, userId: string): Promise<void> {
      await db.insertInto('childRestrictedAccess').values({ partnershipId, childId, userId }).execute()
    },
  }
}
export type ChildrenRepository = ReturnType<typeof childrenRepository>
