import { sql, type Insertable } from 'kysely'
import type { Actor, Relationship } from '../../platform/access/policy.js'
import { breakGlassOpen, namedOnRestriction, relationshipToChild } from '../../platform/access/relationship.sql.js'
import type { Executor } from '../../platform/db/transaction.js'
import type { CaseStatus } from '../cases/index.js'
import type { RequestUpdateTable } from './referrals.tables.js'

/** One request a person raised, with what its referrer may be told of where it is. */
export type OwnRequestRow = {
  caseId: string
  childId: string
  childName: string
  receivedAt: Date
  status: CaseStatus
  closedAtTheFrontDoor: boolean
  updates: number
  lastUpdateAt: Date | null
  /** For the access policy: the person's standing to the child now. */
  relationship: Relationship
  isRestricted: boolean
  isNamedOnRestriction: boolean
  breakGlass: boolean
}

/** A request as its referrer reads it: what they sent, and who has it now. */
export type OwnRequest = {
  id: string
  referrerId: string | null
  referrerAgencyName: string
  receivedAt: Date
  whatHappened: string
  contexts: string[]
  otherChildren: string | null
  closedAtTheFrontDoor: boolean
  /** The team working with the child (none while the request is at the front door). */
  allocatedTeamName: string | null
}

export type RequestUpdateRow = { id: string; title: string; body: string; sharedAt: Date; sharedByName: string; sharedByAgencyName: string }

/** An update as stored: its id and when it was shared are the database's. */
export type NewRequestUpdate = Omit<Insertable<RequestUpdateTable>, 'id' | 'sharedAt'>

/** How many of a person's requests their list shows, newest first. */
export const OWN_REQUESTS_SHOWN = 100

const closedAtTheFrontDoor = (caseId: string) =>
  sql<boolean>`EXISTS (SELECT 1 FROM case_event e WHERE e.case_id = ${sql.ref(caseId)} AND e.action = 'CLOSE_NO_FURTHER_ACTION')`

/** SQL only, for the referrer's view of their requests and what is shared back with them. */
export function referrerViewRepository() {
  return {
    /** The requests this person raised, newest first, each with its case's status and standing. One statement. */
    async listOwnRequests(db: Executor, actor: Actor): Promise<{ rows: OwnRequestRow[]; total: number }> {
      const rows = await db
        .selectFrom('requestForSupport as r')
        .innerJoin('hsbCase as k', 'k.id', 'r.caseId')
        .innerJoin('child as c', 'c.id', 'k.childId')
        .select([
          'k.id as caseId',
          'c.id as childId',
          sql<string>`c.given_names || ' ' || c.family_name`.as('childName'),
          'r.receivedAt',
          'k.status',
          closedAtTheFrontDoor('k.id').as('closedAtTheFrontDoor'),
          sql<number>`(SELECT count(*)::int FROM request_update u WHERE u.request_id = r.id)`.as('updates'),
          sql<Date | null>`(SELECT max(u.shared_at) FROM request_update u WHERE u.request_id = r.id)`.as('lastUpdateAt'),
          relationshipToChild(sql.ref('c.id'), actor).as('relationship'),
          'c.isRestricted',
          namedOnRestriction(sql.ref('c.id'), actor).as('isNamedOnRestriction'),
          breakGlassOpen(sql.ref('c.id'), actor).as('breakGlass'),
          sql<number>`count(*) OVER ()::int`.as('total'),
        ])
        .where('r.referrerId', '=', actor.id)
        .where('r.partnershipId', '=', actor.partnershipId)
        .orderBy('r.receivedAt', 'desc')
        .orderBy('k.id')
        .limit(OWN_REQUESTS_SHOWN)
        .execute()
      return { rows: rows.map(({ total: _, ...r }) => ({ ...r, status: r.status as CaseStatus })), total: rows[0]?.total ?? 0 }
    },

    async findOwnRequest(db: Executor, caseId: string): Promise<OwnRequest | undefined> {
      return db
        .selectFrom('requestForSupport as r')
        .innerJoin('hsbCase as k', 'k.id', 'r.caseId')
        .innerJoin('agency as g', 'g.id', 'r.referrerAgencyId')
        .leftJoin('team as t', 't.id', 'k.allocatedTeamId')
        .select([
          'r.id',
          'r.referrerId',
          'g.name as referrerAgencyName',
          'r.receivedAt',
          'r.whatHappened',
          'r.contexts',
          'r.otherChildren',
          closedAtTheFrontDoor('k.id').as('closedAtTheFrontDoor'),
          't.name as allocatedTeamName',
        ])
        .where('r.caseId', '=', caseId)
        .executeTakeFirst()
    },

    /** Who raised the case's request, for the page that shares with them (none for a case opened otherwise). */
    async referrerOf(
      db: Executor,
      caseId: string,
    ): Promise<{ requestId: string; referrerId: string; name: string; agencyName: string } | undefined> {
      return db
        .selectFrom('requestForSupport as r')
        .innerJoin('appUser as u', 'u.id', 'r.referrerId')
        .innerJoin('agency as g', 'g.id', 'r.referrerAgencyId')
        .select(['r.id as requestId', 'u.id as referrerId', 'u.displayName as name', 'g.name as agencyName'])
        .where('r.caseId', '=', caseId)
        .executeTakeFirst()
    },

    /** What was shared back on a request, oldest first. */
    async listUpdates(db: Executor, requestId: string): Promise<RequestUpdateRow[]> {
      return db
        .selectFrom('requestUpdate as u')
        .innerJoin('appUser as p', 'p.id', 'u.sharedBy')
        .innerJoin('agency as g', 'g.id', 'p.agencyId')
        .select(['u.id', 'u.title', 'u.body', 'u.sharedAt', 'p.displayName as sharedByName', 'g.name as sharedByAgencyName'])
        .where('u.requestId', '=', requestId)
        .orderBy('u.sharedAt')
        .orderBy('u.id')
        .execute()
    },

    /** Stores an update once per form: the same form sent again finds the first (null). */
    async insertUpdate(db: Executor, row: NewRequestUpdate): Promise<string | null> {
      const inserted = await db
        .insertInto('requestUpdate')
        .values(row)
        .onConflict((oc) => oc.columns(['caseId', 'idempotencyKey']).doNothing())
        .returning('id')
        .executeTakeFirst()
      return inserted?.id ?? null
    },
  }
}
export type ReferrerViewRepository = ReturnType<typeof referrerViewRepository>
