import { sql } from 'kysely'
import type { Actor } from '../../platform/access/policy.js'
import type { Executor } from '../../platform/db/transaction.js'
import type { Attendance, InvitationPlan, MeetingActionItem, MeetingKind, Minutes, Outcome } from './meetings.rules.js'

export type MeetingRow = {
  id: string
  caseId: string
  kind: MeetingKind
  scheduledFor: Date
  heldAt: Date | null
  chairId: string
  chairName: string
  status: 'SCHEDULED' | 'FINALISED'
  minutes: Record<string, unknown>
  outcomes: string[]
  version: number
  lastSaveKey: string | null
  finalisedAt: Date | null
  finalisedByName: string | null
}

export type InvitationRow = {
  id: string
  agencyId: string
  agencyName: string
  userId: string | null
  userName: string | null
  attendance: 'INVITED' | Attendance
}

export type ActionRow = {
  id: string
  text: string
  ownerUserId: string | null
  ownerName: string | null
  ownerText: string | null
  dueOn: Date | null
}
export type AddendumRow = { id: string; text: string; authorName: string; createdAt: Date }
/** A meeting in the list of a case's meetings. */
export type MeetingListRow = {
  id: string
  kind: MeetingKind
  scheduledFor: Date
  heldAt: Date | null
  status: 'SCHEDULED' | 'FINALISED'
  chairName: string
}
/** An action of one of the case's finalised meetings, and whether it was marked done. */
export type CaseActionRow = {
  id: string
  text: string
  meetingKind: MeetingKind
  ownerName: string | null
  ownerText: string | null
  dueOn: Date | null
  doneAt: Date | null
  doneByName: string | null
}

/** SQL only. Every method takes the transaction it runs in. */
export function meetingsRepository() {
  return {
    /** The imported meetings cases already have, as `caseId|sourceKey` (minutes' `importedFrom`). */
    async importedSourceKeys(db: Executor, caseIds: readonly string[]): Promise<Set<string>> {
      const rows = await db
        .selectFrom('meeting')
        .select(['caseId', sql<string>`minutes->>'importedFrom'`.as('sourceKey')])
        .where('caseId', 'in', [...new Set(caseIds)])
        .where(sql<boolean>`minutes ? 'importedFrom'`)
        .execute()
      return new Set(rows.map((r) => `${r.caseId}|${r.sourceKey}`))
    },

    async insertImported(
      db: Executor,
      rows: readonly { partnershipId: string; caseId: string; heldAt: Date; importedBy: string; sourceKey: string; note: string }[],
    ): Promise<void> {
      if (rows.length === 0) return
      await db
        .insertInto('meeting')
        .values(
          rows.map((r) => ({
            partnershipId: r.partnershipId,
            caseId: r.caseId,
            kind: 'STRATEGY_DISCUSSION' as const,
            scheduledFor: r.heldAt,
            heldAt: r.heldAt,
            chairId: r.importedBy,
            status: 'FINALISED' as const,
            minutes: JSON.stringify({ importedFrom: r.sourceKey, note: r.note }),
            createdBy: r.importedBy,
            finalisedBy: r.importedBy,
            finalisedAt: r.heldAt,
          })),
        )
        .execute()
    },

    async findByKey(db: Executor, caseId: string, key: string): Promise<string | undefined> {
      const row = await db
        .selectFrom('meeting')
        .select('id')
        .where('caseId', '=', caseId)
        .where('idempotencyKey', '=', key)
        .executeTakeFirst()
      return row?.id
    },

    async insertMeeting(
      db: Executor,
      m: {
        partnershipId: string
        caseId: string
        kind: MeetingKind
        scheduledFor: Date
        chairId: string
        createdBy: string
        idempotencyKey: string
      },
    ): Promise<string> {
      const row = await db.insertInto('meeting').values(m).returning('id').executeTakeFirstOrThrow()
      return row.id
    },

    async insertInvitations(db: Executor, partnershipId: string, meetingId: string, invitations: readonly InvitationPlan[]): Promise<void> {
      if (invitations.length === 0) return
      await db
        .insertInto('meetingInvitation')
        .values(invitations.map((i) => ({ partnershipId, meetingId, agencyId: i.agencyId, userId: i.userId })))
        .execute()
    },

    /** The case's latest meeting of these kinds, with its chair's name. */
    async latest(db: Executor, caseId: string, kinds: readonly MeetingKind[]): Promise<MeetingRow | undefined> {
      const row = await db
        .selectFrom('meeting as m')
        .innerJoin('appUser as c', 'c.id', 'm.chairId')
        .leftJoin('appUser as f', 'f.id', 'm.finalisedBy')
        .select([
          'm.id',
          'm.caseId',
          'm.kind',
          'm.scheduledFor',
          'm.heldAt',
          'm.chairId',
          'c.displayName as chairName',
          'm.status',
          'm.minutes',
          'm.outcomes',
          'm.version',
          'm.lastSaveKey',
          'm.finalisedAt',
          'f.displayName as finalisedByName',
        ])
        .where('m.caseId', '=', caseId)
        .where('m.kind', 'in', kinds)
        .orderBy('m.createdAt', 'desc')
        .orderBy('m.id')
        .executeTakeFirst()
      return row as MeetingRow | undefined
    },

    /** Every meeting of the case, in the order they were held (or are arranged for). */
    async listForCase(db: Executor, caseId: string): Promise<MeetingListRow[]> {
      return db
        .selectFrom('meeting as m')
        .innerJoin('appUser as c', 'c.id', 'm.chairId')
        .select(['m.id', 'm.kind', 'm.scheduledFor', 'm.heldAt', 'm.status', 'c.displayName as chairName'])
        .where('m.caseId', '=', caseId)
        .orderBy(sql`coalesce(m.held_at, m.scheduled_for)`)
        .execute()
    },

    /**
     * How this person is invited: by name (their own row: invited so, or having accepted their
     * agency's invitation), and whether their agency is invited as a whole. Only a named
     * invitation opens the meeting's record; an agency's opens its invitation.
     */
    async invitationOf(db: Executor, meetingId: string, actor: Actor): Promise<{ named: boolean; agency: boolean }> {
      const rows = await db
        .selectFrom('meetingInvitation')
        .select('userId')
        .where('meetingId', '=', meetingId)
        .where((eb) => eb.or([eb('userId', '=', actor.id), eb.and([eb('userId', 'is', null), eb('agencyId', '=', actor.agencyId)])]))
        .execute()
      return { named: rows.some((r) => r.userId === actor.id), agency: rows.some((r) => r.userId === null) }
    },

    /** Accepting an agency's invitation: the person is invited by name (once, whatever the number of clicks). */
    async acceptInvitation(db: Executor, i: { partnershipId: string; meetingId: string; agencyId: string; userId: string }): Promise<void> {
      await db
        .insertInto('meetingInvitation')
        .values(i)
        .onConflict((oc) => oc.columns(['meetingId', 'agencyId', 'userId']).doNothing())
        .execute()
    },

    async listInvitations(db: Executor, meetingId: string): Promise<InvitationRow[]> {
      return db
        .selectFrom('meetingInvitation as i')
        .innerJoin('agency as a', 'a.id', 'i.agencyId')
        .leftJoin('appUser as u', 'u.id', 'i.userId')
        .select(['i.id', 'i.agencyId', 'a.name as agencyName', 'i.userId', 'u.displayName as userName', 'i.attendance'])
        .where('i.meetingId', '=', meetingId)
        .orderBy('a.name')
        .orderBy(sql`u.display_name NULLS FIRST`)
        .orderBy('i.id')
        .execute()
    },

    async listActions(db: Executor, meetingId: string): Promise<ActionRow[]> {
      return db
        .selectFrom('meetingAction as x')
        .leftJoin('appUser as u', 'u.id', 'x.ownerUserId')
        .select(['x.id', 'x.text', 'x.ownerUserId', 'u.displayName as ownerName', 'x.ownerText', 'x.dueOn'])
        .where('x.meetingId', '=', meetingId)
        .orderBy('x.createdAt')
        .orderBy('x.id')
        .execute()
    },

    async listAddenda(db: Executor, meetingId: string): Promise<AddendumRow[]> {
      return db
        .selectFrom('meetingAddendum as d')
        .innerJoin('appUser as u', 'u.id', 'd.authorId')
        .select(['d.id', 'd.text', 'u.displayName as authorName', 'd.createdAt'])
        .where('d.meetingId', '=', meetingId)
        .orderBy('d.id')
        .execute()
    },

    /**
     * Saves a meeting's record (the strategy meeting's draft minutes, or a later meeting's record)
     * only if nobody has since the caller read it (version check), and only while not finalised;
     * with `finalisedBy` and `finalisedAt` it is finalised and locked.
     */
    async updateMinutes(
      db: Executor,
      meetingId: string,
      expectedVersion: number,
      patch: {
        heldAt: Date | null
        minutes: Minutes | Record<string, unknown>
        outcomes?: Outcome[]
        lastSaveKey?: string
        finalisedBy?: string
        finalisedAt?: Date
      },
    ): Promise<boolean> {
      const { minutes, finalisedBy, finalisedAt, ...rest } = patch
      const result = await db
        .updateTable('meeting')
        .set((eb) => ({
          ...rest,
          minutes: JSON.stringify(minutes),
          ...(finalisedBy && finalisedAt ? { status: 'FINALISED' as const, finalisedBy, finalisedAt } : {}),
          version: eb('version', '+', 1),
        }))
        .where('id', '=', meetingId)
        .where('version', '=', expectedVersion)
        .where('status', '=', 'SCHEDULED')
        .executeTakeFirst()
      return result.numUpdatedRows === 1n
    },

    /** Attendance for every invitation in one statement. */
    async setAttendance(db: Executor, meetingId: string, attendance: Record<string, Attendance | null>): Promise<void> {
      const rows = Object.entries(attendance)
      if (rows.length === 0) return
      const values = sql.join(rows.map(([id, value]) => sql`(${id}::uuid, ${value ?? 'INVITED'})`))
      await sql`UPDATE meeting_invitation AS i SET attendance = v.attendance
        FROM (VALUES ${values}) AS v(id, attendance)
        WHERE i.id = v.id AND i.meeting_id = ${meetingId}`.execute(db)
    },

    /** Actions are part of the draft until the minutes are finalised: each save replaces them. */
    async replaceActions(db: Executor, partnershipId: string, meetingId: string, actions: readonly MeetingActionItem[]): Promise<void> {
      await db.deleteFrom('meetingAction').where('meetingId', '=', meetingId).execute()
      if (actions.length === 0) return
      const start = Date.now()
      await db
        .insertInto('meetingAction')
        .values(actions.map((a, i) => ({ partnershipId, meetingId, ...a, createdAt: new Date(start + i) })))
        .execute()
    },

    /** Every action of the case's finalised meetings, with whether it was marked done. */
    async listCaseActions(db: Executor, caseId: string): Promise<CaseActionRow[]> {
      return db
        .selectFrom('meetingAction as a')
        .innerJoin('meeting as m', 'm.id', 'a.meetingId')
        .leftJoin('appUser as o', 'o.id', 'a.ownerUserId')
        .leftJoin('meetingActionDone as d', 'd.meetingActionId', 'a.id')
        .leftJoin('appUser as du', 'du.id', 'd.doneBy')
        .select([
          'a.id',
          'a.text',
          'm.kind as meetingKind',
          'o.displayName as ownerName',
          'a.ownerText',
          'a.dueOn',
          'd.doneAt',
          'du.displayName as doneByName',
        ])
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

    async findAddendumByKey(db: Executor, meetingId: string, key: string): Promise<boolean> {
      const row = await db
        .selectFrom('meetingAddendum')
        .select('id')
        .where('meetingId', '=', meetingId)
        .where('idempotencyKey', '=', key)
        .executeTakeFirst()
      return row !== undefined
    },

    async insertAddendum(
      db: Executor,
      a: { partnershipId: string; meetingId: string; text: string; authorId: string; idempotencyKey: string },
    ): Promise<void> {
      await db.insertInto('meetingAddendum').values(a).execute()
    },
  }
}
export type MeetingsRepository = ReturnType<typeof meetingsRepository>
