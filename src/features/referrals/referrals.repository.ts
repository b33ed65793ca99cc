import type { Selectable } from 'kysely'
import { involvementOpen } from '../../platform/access/relationship.sql.js'
import type { Executor } from '../../platform/db/transaction.js'
import type { RequestForSupportTable } from './referrals.tables.js'
import type { Rating } from './screening.rules.js'

type StoredRequest = Selectable<RequestForSupportTable>
/** What a request for support says. */
type RequestContent = Pick<
  StoredRequest,
  'receivedAt' | 'whatHappened' | 'contexts' | 'otherChildren' | 'sharingBasis' | 'consentSought' | 'sharingNote'
>

export type NewRequestForSupport = RequestContent &
  Pick<StoredRequest, 'partnershipId' | 'caseId' | 'referrerAgencyId' | 'idempotencyKey'> & { referrerId: string }

export type RequestForSupportRow = RequestContent & { referrerName: string | null; referrerAgencyName: string }

/** One behaviour as stored in screening.behaviours: the practitioner's own words, never the tool's. */
export type StoredBehaviour = {
  description: string
  date: string | null
  context: string | null
  hackett: string | null
  rating: Rating
  rationale: string
}

export type ScreeningRow = {
  id: string
  tool: string
  toolVersion: string
  ageBand: string
  behaviours: StoredBehaviour[]
  overallRating: Rating
  rationale: string
  screenedBy: string
  screenedByName: string
  screenedAt: Date
  oversightByName: string | null
  oversightAt: Date | null
  oversightNote: string | null
  oversightOutcome: 'CONFIRMED' | 'RETURNED' | null
}

export type NewScreening = { partnershipId: string; caseId: string } & Pick<
  ScreeningRow,
  'tool' | 'toolVersion' | 'ageBand' | 'behaviours' | 'overallRating' | 'rationale' | 'screenedBy' | 'screenedAt'
>

export type WorkerOption = { id: string; displayName: string; teamId: string; teamName: string }

/** The child a request for support is about, with the person's standing (for the access policy), in one statement. */

/** SQL only. Every method takes the transaction it runs in. */
export function referralsRepository() {
  return {
    async findRequestByKey(db: Executor, idempotencyKey: string): Promise<{ caseId: string; referrerId: string | null } | undefined> {
      return db
        .selectFrom('requestForSupport')
        .select(['caseId', 'referrerId'])
        .where('idempotencyKey', '=', idempotencyKey)
        .executeTakeFirst()
    },

    async insertRequest(db: Executor, row: NewRequestForSupport): Promise<void> {
      await db.insertInto('requestForSupport').values(row).execute()
    },

    async findRequest(db: Executor, caseId: string): Promise<RequestForSupportRow | undefined> {
      return db
        .selectFrom('requestForSupport as r')
        .innerJoin('agency as g', 'g.id', 'r.referrerAgencyId')
        .leftJoin('appUser as u', 'u.id', 'r.referrerId')
        .select([
          'r.receivedAt',
          'r.whatHappened',
          'r.contexts',
          'r.otherChildren',
          'r.sharingBasis',
          'r.consentSought',
          'r.sharingNote',
          'u.displayName as referrerName',
          'g.name as referrerAgencyName',
        ])
        .where('r.caseId', '=', caseId)
        .executeTakeFirst()
    },

    /** The partnership's front door (MASH) teams, with their agency. */
    async frontDoorTeams(db: Executor, partnershipId: string): Promise<{ id: string; agencyId: string }[]> {
      return db
        .selectFrom('team')
        .select(['id', 'agencyId'])
        .where('partnershipId', '=', partnershipId)
        .where('isFrontDoor', '=', true)
        .orderBy('name')
        .execute()
    },

    /** The team currently allocated to the child (open-case route), if any. */
    async allocatedTeamOfChild(db: Executor, childId: string): Promise<{ teamId: string; agencyId: string } | undefined> {
      const row = await db
        .selectFrom('childInvolvement as i')
        .select(['i.teamId', 'i.agencyId'])
        .where('i.childId', '=', childId)
        .where('i.kind', '=', 'ALLOCATED')
        .where(involvementOpen('i'))
        .where('i.teamId', 'is not', null)
        .orderBy('i.startedAt', 'desc')
        .executeTakeFirst()
      return row?.teamId ? { teamId: row.teamId, agencyId: row.agencyId } : undefined
    },

    /** The involvements that let this case's screeners work with the child, until it is allocated. */
    async insertScreeningInvolvements(
      db: Executor,
      partnershipId: string,
      caseId: string,
      involvementIds: readonly string[],
    ): Promise<void> {
      if (involvementIds.length === 0) return
      await db
        .insertInto('screeningInvolvement')
        .values(involvementIds.map((involvementId) => ({ partnershipId, caseId, involvementId })))
        .execute()
    },

    /**
     * This case's screeners' involvements still open, but not one that is also another case's
     * still waiting at the front door (not allocated, not closed): its screeners still need it.
     */
    async screeningInvolvementsToEnd(db: Executor, caseId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('screeningInvolvement as s')
        .innerJoin('childInvolvement as i', 'i.id', 's.involvementId')
        .select('s.involvementId')
        .where('s.caseId', '=', caseId)
        .where(involvementOpen('i'))
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('screeningInvolvement as o')
                .innerJoin('hsbCase as k', 'k.id', 'o.caseId')
                .select('o.caseId')
                .whereRef('o.involvementId', '=', 's.involvementId')
                .where('o.caseId', '<>', caseId)
                .where('k.allocatedTeamId', 'is', null)
                .where('k.closedAt', 'is', null),
            ),
          ),
        )
        .execute()
      return rows.map((r) => r.involvementId)
    },

    async setFrontDoor(db: Executor, partnershipId: string, teamId: string, isFrontDoor: boolean): Promise<boolean> {
      const result = await db
        .updateTable('team')
        .set({ isFrontDoor })
        .where('id', '=', teamId)
        .where('partnershipId', '=', partnershipId)
        .executeTakeFirst()
      return result.numUpdatedRows === 1n
    },

    async latestScreening(db: Executor, caseId: string): Promise<ScreeningRow | undefined> {
      const row = await db
        .selectFrom('screening as s')
        .innerJoin('appUser as u', 'u.id', 's.screenedBy')
        .leftJoin('appUser as o', 'o.id', 's.oversightBy')
        .select([
          's.id',
          's.tool',
          's.toolVersion',
          's.ageBand',
          's.behaviours',
          's.overallRating',
          's.rationale',
          's.screenedBy',
          'u.displayName as screenedByName',
          's.screenedAt',
          'o.displayName as oversightByName',
          's.oversightAt',
          's.oversightNote',
          's.oversightOutcome',
        ])
        .where('s.caseId', '=', caseId)
        .orderBy('s.screenedAt', 'desc')
        .orderBy('s.id', 'desc')
        .executeTakeFirst()
      return row as ScreeningRow | undefined
    },

    async insertScreening(db: Executor, s: NewScreening): Promise<string> {
      const row = await db
        .insertInto('screening')
        .values({ ...s, behaviours: JSON.stringify(s.behaviours) })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id
    },

    /** Records a manager's oversight once: a screening already overseen is left as it is. */
    async recordOversight(
      db: Executor,
      screeningId: string,
      o: { by: string; at: Date; note: string | null; outcome: 'CONFIRMED' | 'RETURNED' },
    ): Promise<boolean> {
      const result = await db
        .updateTable('screening')
        .set({ oversightBy: o.by, oversightAt: o.at, oversightNote: o.note, oversightOutcome: o.outcome })
        .where('id', '=', screeningId)
        .where('oversightAt', 'is', null)
        .executeTakeFirst()
      return result.numUpdatedRows === 1n
    },

    /** Active social workers in the partnership's teams, one row per team they are in. */
    async listSocialWorkers(db: Executor, partnershipId: string): Promise<WorkerOption[]> {
      return db
        .selectFrom('teamMember as m')
        .innerJoin('team as t', 't.id', 'm.teamId')
        .innerJoin('appUser as u', 'u.id', 'm.userId')
        .innerJoin('userRole as r', (j) => j.onRef('r.userId', '=', 'u.id').on('r.role', '=', 'SOCIAL_WORKER'))
        .select(['u.id', 'u.displayName', 't.id as teamId', 't.name as teamName'])
        .where('t.partnershipId', '=', partnershipId)
        .where('u.disabledAt', 'is', null)
        .orderBy('u.displayName')
        .orderBy('t.name')
        .execute()
    },
  }
}
export type ReferralsRepository = ReturnType<typeof referralsRepository>
