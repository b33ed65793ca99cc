import { sql } from 'kysely'
import type { Executor } from '../../platform/db/transaction.js'
import { meetingsRepository } from '../meetings/meetings.repository.js'
import type { Attendance } from '../meetings/meetings.rules.js'
import type { ConcernLevel, Goal, PanelDecision } from './interventions.rules.js'

export type InterventionMeetingKind = 'REVIEW_STRATEGY_MEETING' | 'END_MEETING'

export type InterventionMeetingRow = {
  id: string
  kind: InterventionMeetingKind
  scheduledFor: Date
  heldAt: Date | null
  chairId: string
  chairName: string
  status: 'SCHEDULED' | 'FINALISED'
  minutes: Record<string, unknown>
  version: number
  finalisedAt: Date | null
  finalisedByName: string | null
}

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
export type CaseActionRow = { id: string; text: string; meetingKind: string; ownerName: string | null; ownerText: string | null; dueOn: Date | null; doneAt: Date | null; doneByName: string | null }
export type ClosureRow = { route: string; levelOfConcern: ConcernLevel | null; reason: string; openWork: string[]; openWorkReason: string | null; closedByName: string; closedAt: Date }

/** SQL only. Every method takes the transaction it runs in. */
export function interventionsRepository() {
  const meetings = meetingsRepository()
  return {
    async insertMeeting(
      db: Executor,
      m: { partnershipId: string; caseId: string; kind: InterventionMeetingKind; scheduledFor: Date; chairId: string; createdBy: string; idempotencyKey: string },
    ): Promise<string> {
      const row = await db.insertInto('meeting').values(m).returning('id').executeTakeFirstOrThrow()
      return row.id
    },

    /** The case's latest meeting of a kind, with its chair's name. */
    async latestMeeting(db: Executor, caseId: string, kind: InterventionMeetingKind): Promise<InterventionMeetingRow | undefined> {
      const row = await db
        .selectFrom('meeting as m')
        .innerJoin('appUser as c', 'c.id', 'm.chairId')
        .leftJoin('appUser as f', 'f.id', 'm.finalisedBy')
        .select(['m.id', 'm.kind', 'm.scheduledFor', 'm.heldAt', 'm.chairId', 'c.displayName as chairName', 'm.status', 'm.minutes', 'm.version', 'm.finalisedAt', 'f.displayName as finalisedByName'])
        .where('m.caseId', '=', caseId)
        .where('m.kind', '=', kind)
        .orderBy('m.createdAt', 'desc')
        .orderBy('m.id')
        .executeTakeFirst()
      return row as InterventionMeetingRow | undefined
    },

    /** Records and locks a meeting's minutes, only if nobody has since the caller read it. */
    async finaliseMeeting(db: Executor, meetingId: string, expectedVersion: number, patch: { heldAt: Date; minutes: Record<string, unknown>; finalisedBy: string; finalisedAt: Date }) {
      const result = await db
        .updateTable('meeting')
        .set((eb) => ({ heldAt: patch.heldAt, minutes: JSON.stringify(patch.minutes), status: 'FINALISED' as const, finalisedBy: patch.finalisedBy, finalisedAt: patch.finalisedAt, version: eb('version', '+', 1) }))
        .where('id', '=', meetingId)
        .where('version', '=', expectedVersion)
        .where('status', '=', 'SCHEDULED')
        .executeTakeFirst()
      return result.numUpdatedRows === 1n
    },

    /** Attendance for every invitation in one statement: the same meeting model as part 1. */
    setAttendance: (db: Executor, meetingId: string, attendance: Record<string, Attendance | null>) => meetings.setAttendance(db, meetingId, attendance),

    // -- The intervention plan ---------------------------------------------------------------

    async findPlan(db: Executor, caseId: string): Promise<PlanRow | undefined> {
      return db.selectFrom('interventionPlan').select(['id', 'version', 'reviewMeetingId', 'updatedAt']).where('caseId', '=', caseId).executeTakeFirst()
    },

    async insertPlan(db: Executor, p: { partnershipId: string; caseId: string; reviewMeetingId: string; goals: Goal[]; createdBy: string }): Promise<string> {
      const plan = await db.insertInto('interventionPlan').values({ partnershipId: p.partnershipId, caseId: p.caseId, reviewMeetingId: p.reviewMeetingId }).returning('id').executeTakeFirstOrThrow()
      await db
        .insertInto('interventionPlanVersion')
        .values({ partnershipId: p.partnershipId, planId: plan.id, version: 1, goals: JSON.stringify(p.goals), changeNote: 'Agreed at the review meeting', createdBy: p.createdBy })
        .execute()
      return plan.id
    },

    /** A new version of the plan, only if it is still at the version the person changed. */
    async addPlanVersion(db: Executor, p: { partnershipId: string; planId: string; expectedVersion: number; goals: Goal[]; changeNote: string | null; createdBy: string; at: Date }): Promise<boolean> {
      const moved = await db
        .updateTable('interventionPlan')
        .set({ version: p.expectedVersion + 1, updatedAt: p.at })
        .where('id', '=', p.planId)
        .where('version', '=', p.expectedVersion)
        .executeTakeFirst()
      if (moved.numUpdatedRows !== 1n) return false
      await db
        .insertInto('interventionPlanVersion')
        .values({ partnershipId: p.partnershipId, planId: p.planId, version: p.expectedVersion + 1, goals: JSON.stringify(p.goals), changeNote: p.changeNote, createdBy: p.createdBy })
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

    async hasCompletedAssessment(db: Executor, caseId: string): Promise<boolean> {
      const row = await db.selectFrom('caseEvent').select('id').where('caseId', '=', caseId).where('action', '=', 'COMPLETE_ASSESSMENT').executeTakeFirst()
      return row !== undefined
    },

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

    async insertPanelRequest(db: Executor, p: { partnershipId: string; caseId: string; reason: string; requestedBy: string }): Promise<string> {
      const row = await db.insertInto('hsbPanel').values(p).returning('id').executeTakeFirstOrThrow()
      return row.id
    },

    async recordPanelDecision(db: Executor, panelId: string, d: PanelDecision & { decidedBy: string; decidedAt: Date }): Promise<boolean> {
      const result = await db
        .updateTable('hsbPanel')
        .set({ serviceCommissioned: d.serviceCommissioned, provider: d.provider, level: d.level, panelDate: d.panelDate, decisionNotes: d.notes, decidedBy: d.decidedBy, decidedAt: d.decidedAt })
        .where('id', '=', panelId)
        .where('decidedAt', 'is', null)
        .executeTakeFirst()
      return result.numUpdatedRows === 1n
    },

    /** The partnership's heads of service, to be asked to convene the panel. */
    async headsOfService(db: Executor, partnershipId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('appUser as u')
        .innerJoin('userRole as r', 'r.userId', 'u.id')
        .select('u.id')
        .where('u.partnershipId', '=', partnershipId)
        .where('r.role', '=', 'HEAD_OF_SERVICE')
        .where('u.disabledAt', 'is', null)
        .execute()
      return rows.map((r) => r.id)
    },

    // -- Open work and closure ---------------------------------------------------------------

    async openClocks(db: Executor, caseId: string): Promise<string[]> {
      const rows = await db.selectFrom('caseClock').select('kind').where('caseId', '=', caseId).where('metAt', 'is', null).orderBy('kind').execute()
      return rows.map((r) => r.kind)
    },

    /** Every action of the case's finalised meetings, with whether it was marked done. */
    async listCaseActions(db: Executor, caseId: string): Promise<CaseActionRow[]> {
      return db
        .selectFrom('meetingAction as a')
        .innerJoin('meeting as m', 'm.id', 'a.meetingId')
        .leftJoin('appUser as o', 'o.id', 'a.ownerUserId')
        .leftJoin('meetingActionDone as d', 'd.meetingActionId', 'a.id')
        .leftJoin('appUser as du', 'du.id', 'd.doneBy')
        .select(['a.id', 'a.text', 'm.kind as meetingKind', 'o.displayName as ownerName', 'a.ownerText', 'a.dueOn', 'd.doneAt', 'du.displayName as doneByName'])
        .where('m.caseId', '=', caseId)
        .where('m.status', '=', 'FINALISED')
        .orderBy('m.createdAt')
        .orderBy('a.createdAt')
        .orderBy('a.id')
        .execute()
    },

    async markActionDone(db: Executor, d: { partnershipId: string; caseId: string; actionId: string; doneBy: string }): Promise<void> {
      await db
        .insertInto('meetingActionDone')
        .values({ meetingActionId: d.actionId, partnershipId: d.partnershipId, caseId: d.caseId, doneBy: d.doneBy })
        .onConflict((oc) => oc.column('meetingActionId').doNothing())
        .execute()
    },

    async insertClosure(
      db: Executor,
      c: { partnershipId: string; caseId: string; endMeetingId: string | null; route: 'END_MEETING' | 'NO_AIM_ASSESSMENT'; levelOfConcern: ConcernLevel | null; reason: string; openWork: string[]; openWorkReason: string | null; closedBy: string },
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
        .select(['c.route', 'c.levelOfConcern', 'c.reason', 'c.openWork', 'c.openWorkReason', 'u.displayName as closedByName', 'c.closedAt'])
        .where('c.caseId', '=', caseId)
        .executeTakeFirst()
      return row ? { ...row, openWork: Array.isArray(row.openWork) ? (row.openWork as string[]) : [] } : undefined
    },

    /** Meetings of the case of these kinds, for the plan page's list. */
    async listMeetings(db: Executor, caseId: string) {
      return db
        .selectFrom('meeting as m')
        .innerJoin('appUser as c', 'c.id', 'm.chairId')
        .select(['m.id', 'm.kind', 'm.scheduledFor', 'm.heldAt', 'm.status', 'c.displayName as chairName'])
        .where('m.caseId', '=', caseId)
        .orderBy(sql`coalesce(m.held_at, m.scheduled_for)`)
        .execute()
    },
  }
}
export type InterventionsRepository = ReturnType<typeof interventionsRepository>
