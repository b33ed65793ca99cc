import type { Executor } from '../../platform/db/transaction.js'
import type { ConcernLevel, Goal, PanelDecision } from './interventions.rules.js'

export type PlanRow = { id: string; version: number; reviewMeetingId: string | null; updatedAt: Date }
export type PlanVersionRow = { version: number; goals: unknown; changeNote: string | null; createdByName: string; createdAt: Date }
export type PanelRow = {
  id: string
  reason: string
  requestedByName: string
  requestedAt: Date
  serviceCommissioned: string | null
  provider: string | null
  level: 'TARGETED' | 'SPECIALIST' | 'INTENSIVE' | null
  panelDate: Date | null
  decisionNotes: string | null
  decidedByName: string | null
  decidedAt: Date | null
}
export type ClosureRow = {
  route: string
  levelOfConcern: ConcernLevel | null
  reason: string
  openWork: string[]
  openWorkReason: string | null
  closedByName: string
  closedAt: Date
}

/** SQL only. Every method takes the transaction it runs in. */
export function interventionsRepository() {
  return {
    // -- The intervention plan ---------------------------------------------------------------

    async findPlan(db: Executor, caseId: string): Promise<PlanRow | undefined> {
      return db
        .selectFrom('interventionPlan')
        .select(['id', 'version', 'reviewMeetingId', 'updatedAt'])
        .where('caseId', '=', caseId)
        .executeTakeFirst()
    },

    async insertPlan(
      db: Executor,
      p: { partnershipId: string; caseId: string; reviewMeetingId: string; goals: Goal[]; createdBy: string },
    ): Promise<string> {
      const plan = await db
        .insertInto('interventionPlan')
        .values({ partnershipId: p.partnershipId, caseId: p.caseId, reviewMeetingId: p.reviewMeetingId })
        .returning('id')
        .executeTakeFirstOrThrow()
      await db
        .insertInto('interventionPlanVersion')
        .values({
          partnershipId: p.partnershipId,
          planId: plan.id,
          version: 1,
          goals: JSON.stringify(p.goals),
          changeNote: 'Agreed at the review meeting',
          createdBy: p.createdBy,
        })
        .execute()
      return plan.id
    },

    /** A new version of the plan, only if it is still at the version the person changed. */
    async addPlanVersion(
      db: Executor,
      p: {
        partnershipId: string
        planId: string
        expectedVersion: number
        goals: Goal[]
        changeNote: string | null
        createdBy: string
        at: Date
      },
    ): Promise<boolean> {
      const moved = await db
        .updateTable('interventionPlan')
        .set({ version: p.expectedVersion + 1, updatedAt: p.at })
        .where('id', '=', p.planId)
        .where('version', '=', p.expectedVersion)
        .executeTakeFirst()
      if (moved.numUpdatedRows !== 1n) return false
      await db
        .insertInto('interventionPlanVersion')
        .values({
          partnershipId: p.partnershipId,
          planId: p.planId,
          version: p.expectedVersion + 1,
          goals: JSON.stringify(p.goals),
          changeNote: p.changeNote,
          createdBy: p.createdBy,
        })
        .execute()
      return true
    },

    /** Every version, newest first. */
    async listPlanVersions(db: Executor, planId: string): Promise<PlanVersionRow[]> {
      return db
        .selectFrom('interventionPlanVersion as v')
        .innerJoin('appUser as u', 'u.id', 'v.createdBy')
        .select(['v.version', 'v.goals', 'v.changeNote', 'u.displayName as createdByName', 'v.createdAt'])
        .where('v.planId', '=', planId)
        .orderBy('v.version', 'desc')
        .execute()
    },

    // -- The HSB panel ------------------------------------------------------------------------

    async listPanels(db: Executor, caseId: string): Promise<PanelRow[]> {
      return db
        .selectFrom('hsbPanel as p')
        .innerJoin('appUser as r', 'r.id', 'p.requestedBy')
        .leftJoin('appUser as d', 'd.id', 'p.decidedBy')
        .select([
          'p.id',
          'p.reason',
          'r.displayName as requestedByName',
          'p.requestedAt',
          'p.serviceCommissioned',
          'p.provider',
          'p.level',
          'p.panelDate',
          'p.decisionNotes',
          'd.displayName as decidedByName',
          'p.decidedAt',
        ])
        .where('p.caseId', '=', caseId)
        .orderBy('p.requestedAt', 'desc')
        .orderBy('p.id')
        .execute()
    },

    async insertPanelRequest(
      db: Executor,
      p: { partnershipId: string; caseId: string; reason: string; requestedBy: string },
    ): Promise<string> {
      const row = await db.insertInto('hsbPanel').values(p).returning('id').executeTakeFirstOrThrow()
      return row.id
    },

    async recordPanelDecision(db: Executor, panelId: string, d: PanelDecision & { decidedBy: string; decidedAt: Date }): Promise<boolean> {
      const result = await db
        .updateTable('hsbPanel')
        .set({
          serviceCommissioned: d.serviceCommissioned,
          provider: d.provider,
          level: d.level,
          panelDate: d.panelDate,
          decisionNotes: d.notes,
          decidedBy: d.decidedBy,
          decidedAt: d.decidedAt,
        })
        .where('id', '=', panelId)
        .where('decidedAt', 'is', null)
        .executeTakeFirst()
      return result.numUpdatedRows === 1n
    },

    // -- Open work and closure ---------------------------------------------------------------

    async insertClosure(
      db: Executor,
      c: {
        partnershipId: string
        caseId: string
        endMeetingId: string | null
        route: 'END_MEETING' | 'NO_AIM_ASSESSMENT'
        levelOfConcern: ConcernLevel | null
        reason: string
        openWork: string[]
        openWorkReason: string | null
        closedBy: string
        /** When the case closed (if not now). */
        closedAt?: Date
      },
    ): Promise<void> {
      await db
        .insertInto('caseClosure')
        .values({ ...c, openWork: JSON.stringify(c.openWork) })
        .execute()
    },

    async findClosure(db: Executor, caseId: string): Promise<ClosureRow | undefined> {
      const row = await db
        .selectFrom('caseClosure as c')
        .innerJoin('appUser as u', 'u.id', 'c.closedBy')
        .select([
          'c.route',
          'c.levelOfConcern',
          'c.reason',
          'c.openWork',
          'c.openWorkReason',
          'u.displayName as closedByName',
          'c.closedAt',
        ])
        .where('c.caseId', '=', caseId)
        .executeTakeFirst()
      return row ? { ...row, openWork: Array.isArray(row.openWork) ? (row.openWork as string[]) : [] } : undefined
    },
  }
}
export type InterventionsRepository = ReturnType<typeof interventionsRepository>
