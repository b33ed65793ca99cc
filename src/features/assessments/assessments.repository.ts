import type { CaseClockRow } from '../cases/index.js'
import { sql, type Insertable } from 'kysely'
import type { Role } from '../../platform/access/roles.js'
import type { Executor } from '../../platform/db/transaction.js'
import type { PersonOption as DirectoryPerson } from '../../platform/organisation/directory.js'
import type { AssessmentRecord, Discussion, Information, Interview, Model, TrainingRecord } from './assessments.rules.js'
import type { AimAssessmentTable } from './assessments.tables.js'

export type AssessmentRow = {
  id: string
  caseId: string
  childId: string
  decision: 'ASSESS' | 'NO_ASSESSMENT'
  decisionReasons: string
  route: 'WELFARE' | 'CRIMINAL' | null
  decidedAt: Date
  decidedByName: string
  policeContactId: string | null
  policeContactName: string | null
  leadAgencyId: string | null
  leadAgencyName: string | null
  administeringAgencyId: string | null
  administeringAgencyName: string | null
  discussionHeldOn: Date | null
  discussionAgencyIds: string[]
  discussionNotes: string | null
  discussionRecordedByName: string | null
  startedAt: Date | null
  model: Model | null
  record: Record<string, unknown>
  recordVersion: number
  completedAt: Date | null
}

export type CoAssessorRow = {
  id: string
  userId: string
  displayName: string
  agencyName: string
  model: Model
  involvementId: string
  namedAt: Date
  namedByName: string
  signedOffAt: Date | null
  signedRecordVersion: number | null
  endedAt: Date | null
  replacementReason: string | null
}

/** Someone who may be named a co-assessor (the partnership's directory), with their training records. */
export type PersonOption = DirectoryPerson & { training: TrainingRecord[] }
export type InformationRow = {
  id: string
  sourceAgencyName: string | null
  source: string
  summary: string
  datedOn: Date
  recordedByName: string
  createdAt: Date
}
export type InterviewRow = {
  id: string
  heldOn: Date
  interviewee: Interview['interviewee']
  intervieweeDetail: string | null
  place: string
  notes: string | null
  recordedByName: string
}
export type ExtensionRow = { id: string; previousDueAt: Date; newDueAt: Date; reason: string; extendedByName: string; createdAt: Date }
/** A clock as the case kernel keeps it (the cases feature's row type, not a copy). */
export type ClockRow = CaseClockRow

const AIM_CLOCKS = ['AIM_TARGET', 'AIM_INTERVIEWS'] as const

/** SQL only. Every method takes the transaction it runs in. */
export function assessmentsRepository() {
  return {
    async findByCase(db: Executor, caseId: string): Promise<AssessmentRow | undefined> {
      const row = await db
        .selectFrom('aimAssessment as a')
        .innerJoin('appUser as d', 'd.id', 'a.decidedBy')
        .leftJoin('appUser as p', 'p.id', 'a.policeContactId')
        .leftJoin('agency as l', 'l.id', 'a.leadAgencyId')
        .leftJoin('agency as m', 'm.id', 'a.administeringAgencyId')
        .leftJoin('appUser as r', 'r.id', 'a.discussionRecordedBy')
        .select([
          'a.id',
          'a.caseId',
          'a.childId',
          'a.decision',
          'a.decisionReasons',
          'a.route',
          'a.decidedAt',
          'd.displayName as decidedByName',
          'a.policeContactId',
          'p.displayName as policeContactName',
          'a.leadAgencyId',
          'l.name as leadAgencyName',
          'a.administeringAgencyId',
          'm.name as administeringAgencyName',
          'a.discussionHeldOn',
          'a.discussionAgencyIds',
          'a.discussionNotes',
          'r.displayName as discussionRecordedByName',
          'a.startedAt',
          'a.model',
          'a.record',
          'a.recordVersion',
          'a.completedAt',
        ])
        .where('a.caseId', '=', caseId)
        .executeTakeFirst()
      return row as AssessmentRow | undefined
    },

    async insertAssessment(db: Executor, a: Insertable<AimAssessmentTable>): Promise<string> {
      const row = await db.insertInto('aimAssessment').values(a).returning('id').executeTakeFirstOrThrow()
      return row.id
    },

    async recordDiscussion(db: Executor, id: string, d: Discussion, by: string, startedAt: Date): Promise<void> {
      await db
        .updateTable('aimAssessment')
        .set({
          discussionHeldOn: d.heldOn,
          discussionAgencyIds: d.agencyIds,
          discussionNotes: d.notes,
          discussionRecordedBy: by,
          leadAgencyId: d.leadAgencyId,
          administeringAgencyId: d.administeringAgencyId,
          startedAt,
        })
        .where('id', '=', id)
        .execute()
    },

    async setModel(db: Executor, id: string, model: Model): Promise<void> {
      await db.updateTable('aimAssessment').set({ model }).where('id', '=', id).execute()
    },

    /** The directory's people with any of these roles (not disabled), with their training records too, in one statement. */
    async listPeople(db: Executor, partnershipId: string, roles: readonly Role[]): Promise<PersonOption[]> {
      const rows = await db
        .selectFrom('appUser as u')
        .innerJoin('agency as g', 'g.id', 'u.agencyId')
        .select([
          'u.id',
          'u.displayName',
          'u.agencyId',
          'g.name as agencyName',
          sql<Role[]>`coalesce((SELECT array_agg(r.role ORDER BY r.role) FROM user_role r WHERE r.user_id = u.id), '{}')`.as('roles'),
          sql<
            TrainingRecord[]
          >`coalesce((SELECT json_agg(json_build_object('model', t.model, 'completedOn', to_char(t.completed_on, 'YYYY-MM-DD'), 'expiresOn', to_char(t.expires_on, 'YYYY-MM-DD')) ORDER BY t.completed_on) FROM training_record t WHERE t.user_id = u.id), '[]'::json)`.as(
            'training',
          ),
        ])
        .where('u.partnershipId', '=', partnershipId)
        .where('u.disabledAt', 'is', null)
        .where(sql<boolean>`EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = u.id AND r.role = ANY(${[...roles]}::text[]))`)
        .orderBy('u.displayName')
        .orderBy('u.id')
        .execute()
      return rows.map((r) => ({
        ...r,
        training: typeof r.training === 'string' ? (JSON.parse(r.training) as TrainingRecord[]) : r.training,
      }))
    },

    async listCoAssessors(db: Executor, assessmentId: string): Promise<CoAssessorRow[]> {
      const rows = await db
        .selectFrom('aimCoAssessor as c')
        .innerJoin('appUser as u', 'u.id', 'c.userId')
        .innerJoin('agency as g', 'g.id', 'u.agencyId')
        .innerJoin('appUser as n', 'n.id', 'c.namedBy')
        .select([
          'c.id',
          'c.userId',
          'u.displayName',
          'g.name as agencyName',
          'c.model',
          'c.involvementId',
          'c.namedAt',
          'n.displayName as namedByName',
          'c.signedOffAt',
          'c.signedRecordVersion',
          'c.endedAt',
          'c.replacementReason',
        ])
        .where('c.assessmentId', '=', assessmentId)
        .orderBy('c.namedAt')
        .orderBy('u.displayName')
        .execute()
      return rows as CoAssessorRow[]
    },

    async insertCoAssessor(
      db: Executor,
      c: {
        partnershipId: string
        assessmentId: string
        userId: string
        model: Model
        involvementId: string
        namedBy: string
        namedAt: Date
      },
    ): Promise<string> {
      const row = await db.insertInto('aimCoAssessor').values(c).returning('id').executeTakeFirstOrThrow()
      return row.id
    },

    async endCoAssessor(db: Executor, id: string, e: { at: Date; replacedBy?: string; reason?: string }): Promise<void> {
      await db
        .updateTable('aimCoAssessor')
        .set({ endedAt: e.at, ...(e.replacedBy ? { replacedBy: e.replacedBy } : {}), ...(e.reason ? { replacementReason: e.reason } : {}) })
        .where('id', '=', id)
        .where('endedAt', 'is', null)
        .execute()
    },

    async signOff(db: Executor, id: string, recordVersion: number, at: Date): Promise<void> {
      await db.updateTable('aimCoAssessor').set({ signedOffAt: at, signedRecordVersion: recordVersion }).where('id', '=', id).execute()
    },

    async listInformation(db: Executor, assessmentId: string): Promise<InformationRow[]> {
      return db
        .selectFrom('aimInformation as i')
        .leftJoin('agency as g', 'g.id', 'i.sourceAgencyId')
        .innerJoin('appUser as u', 'u.id', 'i.recordedBy')
        .select([
          'i.id',
          'g.name as sourceAgencyName',
          'i.source',
          'i.summary',
          'i.datedOn',
          'u.displayName as recordedByName',
          'i.createdAt',
        ])
        .where('i.assessmentId', '=', assessmentId)
        .orderBy('i.datedOn')
        .orderBy('i.createdAt')
        .execute()
    },

    /** False when this form was already saved (a second click). */
    async insertInformation(
      db: Executor,
      i: Information & { partnershipId: string; assessmentId: string; recordedBy: string; idempotencyKey: string },
    ): Promise<string | null> {
      const row = await db
        .insertInto('aimInformation')
        .values(i)
        .onConflict((oc) => oc.columns(['assessmentId', 'idempotencyKey']).doNothing())
        .returning('id')
        .executeTakeFirst()
      return row?.id ?? null
    },

    async listInterviews(db: Executor, assessmentId: string): Promise<InterviewRow[]> {
      return db
        .selectFrom('aimInterview as i')
        .innerJoin('appUser as u', 'u.id', 'i.recordedBy')
        .select(['i.id', 'i.heldOn', 'i.interviewee', 'i.intervieweeDetail', 'i.place', 'i.notes', 'u.displayName as recordedByName'])
        .where('i.assessmentId', '=', assessmentId)
        .orderBy('i.heldOn')
        .orderBy('i.createdAt')
        .execute()
    },

    async insertInterview(
      db: Executor,
      i: Interview & { partnershipId: string; assessmentId: string; recordedBy: string; idempotencyKey: string },
    ): Promise<string | null> {
      const { detail, ...rest } = i
      const row = await db
        .insertInto('aimInterview')
        .values({ ...rest, intervieweeDetail: detail })
        .onConflict((oc) => oc.columns(['assessmentId', 'idempotencyKey']).doNothing())
        .returning('id')
        .executeTakeFirst()
      return row?.id ?? null
    },

    /** Saves the record only if nobody has since the caller read it. */
    async updateRecord(db: Executor, id: string, expectedVersion: number, record: AssessmentRecord): Promise<boolean> {
      const result = await db
        .updateTable('aimAssessment')
        .set((eb) => ({ record: JSON.stringify(record), recordVersion: eb('recordVersion', '+', 1) }))
        .where('id', '=', id)
        .where('recordVersion', '=', expectedVersion)
        .where('completedAt', 'is', null)
        .executeTakeFirst()
      return result.numUpdatedRows === 1n
    },

    async complete(db: Executor, id: string, at: Date): Promise<void> {
      await db.updateTable('aimAssessment').set({ completedAt: at }).where('id', '=', id).execute()
    },

    async aimClocks(db: Executor, caseId: string): Promise<ClockRow[]> {
      return db
        .selectFrom('caseClock')
        .select(['kind', 'startedAt', 'dueAt', 'metAt', 'missedReason', 'stopReason'])
        .where('caseId', '=', caseId)
        .where('kind', 'in', [...AIM_CLOCKS])
        .orderBy('kind')
        .execute()
    },

    async insertExtension(
      db: Executor,
      e: { partnershipId: string; assessmentId: string; previousDueAt: Date; newDueAt: Date; reason: string; extendedBy: string },
    ): Promise<void> {
      await db.insertInto('aimExtension').values(e).execute()
    },

    async listExtensions(db: Executor, assessmentId: string): Promise<ExtensionRow[]> {
      const rows = await db
        .selectFrom('aimExtension as e')
        .innerJoin('appUser as u', 'u.id', 'e.extendedBy')
        .select(['e.id', 'e.previousDueAt', 'e.newDueAt', 'e.reason', 'u.displayName as extendedByName', 'e.createdAt'])
        .where('e.assessmentId', '=', assessmentId)
        .orderBy('e.id')
        .execute()
      return rows.map((r) => ({ ...r, id: String(r.id) }))
    },
  }
}
export type AssessmentsRepository = ReturnType<typeof assessmentsRepository>
