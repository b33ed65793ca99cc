import { sql, type InsertQueryBuilder, type InsertResult } from 'kysely'
import type { Database } from '../../platform/db/schema.js'
import type { Executor } from '../../platform/db/transaction.js'
import { directory } from '../../platform/organisation/directory.js'
import type { ItemState, PlanAction, RagEntry } from './reviews.rules.js'

/** SQL only. Every method takes the transaction it runs in; row-level security scopes it to the partnership. */

export type ReviewRow = { id: string; kind: string; name: string; reviewDate: string | null; createdAt: Date }
export type ReviewListRow = ReviewRow & { actions: number; overdue: number; completed: number }
export type ActionState = {
  text: string
  rag: string | null
  constraints: string | null
  targetDate: string | null
  targetText: string | null
  evidence: string | null
  leadUserId: string | null
  leadText: string | null
  desiredOutcome: string | null
}
export type ActionRow = ActionState & {
  id: string
  reviewId: string
  responseId: string
  agencyId: string
  position: number
  version: number
  textKey: string
}
export type VersionRow = ActionState & {
  id: string
  version: number
  change: string
  progressNote: string | null
  ragFrom: string | null
  /** When the change happened (a progress update may be dated earlier than it was recorded). */
  occurredAt: Date
  recordedAt: Date
  /** Why it was entered late, when it was. */
  lateReason: string | null
  recordedByName: string | null
}
export type EvidenceRow = {
  id: string
  fileName: string
  fileType: string
  contentType: string
  sizeBytes: number
  uploadedAt: Date
  uploadedByName: string | null
}
export type Change = 'CREATED' | 'EDITED' | 'PROGRESS' | 'IMPORTED'
/** When a change happened, if not when it is recorded, and why it is entered late. */
export type Occurred = { occurredAt: Date; lateReason: string | null }

const isoDate = (d: Date | null): string | null => (d ? d.toISOString().slice(0, 10) : null)

const ACTION_STATE_COLUMNS = [
  'text',
  'rag',
  'constraints',
  'targetDate',
  'targetText',
  'evidence',
  'leadUserId',
  'leadText',
  'desiredOutcome',
] as const

/** Who changed an item of the plan (a finding, question or response), and when: each change is kept as a version. */
type ItemChange = { partnershipId: string; reviewId: string; by: string | null; at: Date }
type FindingValues = { number: string; title: string; narrative: string | null }
type QuestionValues = { findingId: string; code: string; text: string }
type ResponseValues = { questionId: string; agencyId: string; response: string }

const findingData = (f: FindingValues) => ({ number: f.number, title: f.title, narrative: f.narrative })
const questionData = (q: { code: string; text: string }) => ({ code: q.code, text: q.text })
const created = (v: ItemChange) => ({ partnershipId: v.partnershipId, reviewId: v.reviewId, createdAt: v.at })

const findings = (db: Executor, reviewId: string) =>
  db.selectFrom('reviewFinding').select(['id', 'number', 'title', 'narrative']).where('reviewId', '=', reviewId)
const questions = (db: Executor, reviewId: string) =>
  db.selectFrom('reviewQuestion').select(['id', 'findingId', 'code', 'text']).where('reviewId', '=', reviewId)
/** The review's agency responses, with their agency's name. */
const responses = (db: Executor, reviewId: string) =>
  db
    .selectFrom('reviewResponse as r')
    .innerJoin('agency as g', 'g.id', 'r.agencyId')
    .select(['r.id', 'r.questionId', 'r.agencyId', 'r.response', 'g.name as agencyName'])
    .where('r.reviewId', '=', reviewId)

/** The id of an item just added. */
async function inserted<T extends 'reviewFinding' | 'reviewQuestion' | 'reviewResponse'>(
  insert: InsertQueryBuilder<Database, T, InsertResult>,
): Promise<string> {
  return (await insert.returning('id').executeTakeFirstOrThrow()).id
}

/** An item's state as it is now, kept for the plan as at any later date. */
async function itemVersion(
  db: Executor,
  v: ItemChange,
  item: { itemType: ItemState['itemType']; itemId: string; parentId: string | null; data: Record<string, unknown> },
) {
  await db
    .insertInto('reviewItemVersion')
    .values({
      partnershipId: v.partnershipId,
      reviewId: v.reviewId,
      ...item,
      data: JSON.stringify(item.data),
      recordedBy: v.by,
      recordedAt: v.at,
    })
    .execute()
}

/**
 * An action's state as it now stands, kept as its version `version` (what the plan as at a later
 * date reads): recorded `at`, and happened at `occurred.occurredAt` (`at` when not said).
 */
async function actionVersion(
  db: Executor,
  v: {
    partnershipId: string
    reviewId: string
    actionId: string
    responseId: string
    position: number
    version: number
    change: Change
    progressNote: string | null
    ragFrom: string | null
    state: ActionState
    by: string | null
    at: Date
    occurred?: Occurred | undefined
  },
) {
  await db
    .insertInto('reviewActionVersion')
    .values({
      partnershipId: v.partnershipId,
      reviewId: v.reviewId,
      actionId: v.actionId,
      responseId: v.responseId,
      version: v.version,
      change: v.change,
      progressNote: v.progressNote,
      ragFrom: v.ragFrom,
      ...v.state,
      position: v.position,
      recordedBy: v.by,
      recordedAt: v.at,
      occurredAt: v.occurred?.occurredAt ?? v.at,
      lateReason: v.occurred?.lateReason ?? null,
    })
    .execute()
}

export function reviewsRepository() {
  return {
    async listReviews(db: Executor, partnershipId: string, today: string): Promise<ReviewListRow[]> {
      const rows = await db
        .selectFrom('review as r')
        .select(['r.id', 'r.kind', 'r.name', 'r.reviewDate', 'r.createdAt'])
        .select((eb) => {
          const actions = () =>
            eb
              .selectFrom('reviewAction as a')
              .whereRef('a.reviewId', '=', 'r.id')
              .select(sql<number>`count(*)::int`.as('n'))
          return [
            actions().as('actions'),
            actions().where('a.rag', '=', 'COMPLETED').as('completed'),
            actions()
              .where(sql<boolean>`a.target_date < ${today}::date`)
              .where((w) => w.or([w('a.rag', 'is', null), w('a.rag', '!=', 'COMPLETED')]))
              .as('overdue'),
          ]
        })
        .where('r.partnershipId', '=', partnershipId)
        .orderBy('r.createdAt', 'desc')
        .execute()
      return rows.map((r) => ({
        ...r,
        reviewDate: isoDate(r.reviewDate),
        actions: r.actions ?? 0,
        completed: r.completed ?? 0,
        overdue: r.overdue ?? 0,
      }))
    },

    async findReview(db: Executor, id: string): Promise<ReviewRow | undefined> {
      const r = await db
        .selectFrom('review')
        .select(['id', 'kind', 'name', 'reviewDate', 'createdAt'])
        .where('id', '=', id)
        .executeTakeFirst()
      return r && { ...r, reviewDate: isoDate(r.reviewDate) }
    },

    async reviewNameTaken(db: Executor, partnershipId: string, name: string): Promise<boolean> {
      const r = await db
        .selectFrom('review')
        .select('id')
        .where('partnershipId', '=', partnershipId)
        .where(sql`lower(name)`, '=', name.toLowerCase())
        .executeTakeFirst()
      return !!r
    },

    async insertReview(
      db: Executor,
      v: { partnershipId: string; kind: string; name: string; reviewDate: string | null; createdBy: string | null; at: Date },
    ): Promise<string> {
      const r = await db
        .insertInto('review')
        .values({
          partnershipId: v.partnershipId,
          kind: v.kind,
          name: v.name,
          reviewDate: v.reviewDate,
          createdBy: v.createdBy,
          createdAt: v.at,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      return r.id
    },

    async ragKeyRows(db: Executor, partnershipId: string) {
      return db
        .selectFrom('reviewRagKey')
        .select(['key', 'label', 'colour', 'meaning'])
        .where('partnershipId', '=', partnershipId)
        .execute()
    },

    async saveRagKey(db: Executor, partnershipId: string, entries: RagEntry[], userId: string, at: Date) {
      for (const e of entries) {
        await db
          .insertInto('reviewRagKey')
          .values({ partnershipId, key: e.key, label: e.label, colour: e.colour, meaning: e.meaning, updatedBy: userId, updatedAt: at })
          .onConflict((oc) =>
            oc
              .columns(['partnershipId', 'key'])
              .doUpdateSet({ label: e.label, colour: e.colour, meaning: e.meaning, updatedBy: userId, updatedAt: at }),
          )
          .execute()
      }
    },

    async insertAgency(db: Executor, partnershipId: string, name: string, kind: string): Promise<string> {
      return (await db.insertInto('agency').values({ partnershipId, name, kind }).returning('id').executeTakeFirstOrThrow()).id
    },

    // ------------------------------------------------------------ findings, questions, responses

    async findFinding(db: Executor, reviewId: string, id: string) {
      return findings(db, reviewId).where('id', '=', id).executeTakeFirst()
    },
    async findQuestion(db: Executor, reviewId: string, id: string) {
      return questions(db, reviewId).where('id', '=', id).executeTakeFirst()
    },
    /** A response with its agency's name and its question's code. */
    async findResponse(db: Executor, reviewId: string, id: string) {
      return responses(db, reviewId)
        .innerJoin('reviewQuestion as q', 'q.id', 'r.questionId')
        .select('q.code as questionCode')
        .where('r.id', '=', id)
        .executeTakeFirst()
    },
    async listFindings(db: Executor, reviewId: string) {
      return findings(db, reviewId).execute()
    },
    async listQuestions(db: Executor, reviewId: string) {
      return questions(db, reviewId).execute()
    },
    async listResponses(db: Executor, reviewId: string) {
      return responses(db, reviewId).execute()
    },

    /** Adds a finding (without an id) or changes one, and keeps its new state as a version; its id. */
    async saveFinding(db: Executor, v: ItemChange & FindingValues & { id?: string | undefined }): Promise<string> {
      const data = findingData(v)
      const id = v.id ?? (await inserted(db.insertInto('reviewFinding').values({ ...created(v), ...data })))
      if (v.id) await db.updateTable('reviewFinding').set(data).where('id', '=', v.id).execute()
      await itemVersion(db, v, { itemType: 'FINDING', itemId: id, parentId: null, data })
      return id
    },
    /** Adds a question under its finding (without an id) or changes one, and keeps its new state as a version; its id. */
    async saveQuestion(db: Executor, v: ItemChange & QuestionValues & { id?: string | undefined }): Promise<string> {
      const data = questionData(v)
      const id = v.id ?? (await inserted(db.insertInto('reviewQuestion').values({ ...created(v), findingId: v.findingId, ...data })))
      if (v.id) await db.updateTable('reviewQuestion').set(data).where('id', '=', v.id).execute()
      await itemVersion(db, v, { itemType: 'QUESTION', itemId: id, parentId: v.findingId, data })
      return id
    },
    /** Adds an agency's response to a question (without an id) or changes its text, and keeps its new state as a version; its id. */
    async saveResponse(db: Executor, v: ItemChange & ResponseValues & { id?: string | undefined }): Promise<string> {
      const { questionId, agencyId, response } = v
      const id = v.id ?? (await inserted(db.insertInto('reviewResponse').values({ ...created(v), questionId, agencyId, response })))
      if (v.id) await db.updateTable('reviewResponse').set({ response }).where('id', '=', v.id).execute()
      await itemVersion(db, v, { itemType: 'RESPONSE', itemId: id, parentId: questionId, data: { agencyId, response } })
      return id
    },

    // ------------------------------------------------------------ actions

    async findAction(db: Executor, reviewId: string, id: string): Promise<ActionRow | undefined> {
      const r = await db
        .selectFrom('reviewAction')
        .select(['id', 'reviewId', 'responseId', 'agencyId', 'position', 'version', 'textKey', ...ACTION_STATE_COLUMNS])
        .where('reviewId', '=', reviewId)
        .where('id', '=', id)
        .executeTakeFirst()
      return r && { ...r, targetDate: isoDate(r.targetDate) }
    },

    async insertAction(
      db: Executor,
      v: {
        partnershipId: string
        reviewId: string
        responseId: string
        agencyId: string
        textKey: string
        state: ActionState
        by: string | null
        at: Date
        change: Change
      },
    ) {
      const next = await db
        .selectFrom('reviewAction')
        .select(sql<number>`coalesce(max(position), 0) + 1`.as('p'))
        .where('responseId', '=', v.responseId)
        .executeTakeFirstOrThrow()
      const position = Number(next.p)
      const id = (
        await db
          .insertInto('reviewAction')
          .values({
            partnershipId: v.partnershipId,
            reviewId: v.reviewId,
            responseId: v.responseId,
            agencyId: v.agencyId,
            position,
            textKey: v.textKey,
            ...v.state,
            createdAt: v.at,
            updatedAt: v.at,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id
      await actionVersion(db, { ...v, actionId: id, position, version: 1, progressNote: null, ragFrom: null })
      return id
    },

    /** Writes the new state if the action is still at `version`; false when someone changed it meanwhile. */
    async updateAction(
      db: Executor,
      v: {
        partnershipId: string
        action: ActionRow
        version: number
        textKey: string
        state: ActionState
        change: Change
        progressNote: string | null
        by: string | null
        at: Date
        occurred?: Occurred | undefined
      },
    ) {
      const updated = await db
        .updateTable('reviewAction')
        .set({ ...v.state, textKey: v.textKey, version: v.version + 1, updatedAt: v.at })
        .where('id', '=', v.action.id)
        .where('version', '=', v.version)
        .executeTakeFirst()
      if (Number(updated.numUpdatedRows) !== 1) return false
      await actionVersion(db, {
        ...v,
        reviewId: v.action.reviewId,
        actionId: v.action.id,
        responseId: v.action.responseId,
        position: v.action.position,
        version: v.version + 1,
        ragFrom: v.action.rag,
      })
      return true
    },

    /** The action's latest version: what it changed, and when that happened (what a later update cannot come before). */
    async latestVersion(db: Executor, actionId: string): Promise<{ version: number; change: Change; occurredAt: Date } | undefined> {
      return db
        .selectFrom('reviewActionVersion')
        .select(['version', 'change', 'occurredAt'])
        .where('actionId', '=', actionId)
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirst()
    },

    /** Every version of the action, newest first (versions follow one another, each happening no earlier than the one before). */
    async actionHistory(db: Executor, actionId: string): Promise<VersionRow[]> {
      const rows = await db
        .selectFrom('reviewActionVersion as v')
        .leftJoin('appUser as u', 'u.id', 'v.recordedBy')
        .select([
          'v.id',
          'v.version',
          'v.change',
          'v.progressNote',
          'v.ragFrom',
          'v.occurredAt',
          'v.recordedAt',
          'v.lateReason',
          'u.displayName as recordedByName',
          ...ACTION_STATE_COLUMNS.map((c) => `v.${c}` as const),
        ])
        .where('v.actionId', '=', actionId)
        .orderBy('v.version', 'desc')
        .execute()
      return rows.map((r) => ({ ...r, targetDate: isoDate(r.targetDate) }))
    },

    // ------------------------------------------------------------ the plan, now and as at

    /** The plan as it is now, from the state tables. */
    async currentPlan(db: Executor, reviewId: string): Promise<{ items: ItemState[]; actions: Omit<PlanAction, 'overdue'>[] }> {
      const items: ItemState[] = [
        ...(await findings(db, reviewId).execute()).map((f) => ({
          itemType: 'FINDING' as const,
          itemId: f.id,
          parentId: null,
          data: findingData(f),
        })),
        ...(await questions(db, reviewId).execute()).map((q) => ({
          itemType: 'QUESTION' as const,
          itemId: q.id,
          parentId: q.findingId,
          data: questionData(q),
        })),
        ...(await responses(db, reviewId).execute()).map((r) => ({
          itemType: 'RESPONSE' as const,
          itemId: r.id,
          parentId: r.questionId,
          data: { agencyId: r.agencyId, agencyName: r.agencyName, response: r.response },
        })),
      ]
      const actions = await db
        .selectFrom('reviewAction as a')
        .leftJoin('appUser as u', 'u.id', 'a.leadUserId')
        .select([
          'a.id',
          'a.responseId',
          'a.position',
          'a.version',
          'a.updatedAt as recordedAt',
          'u.displayName as leadName',
          ...ACTION_STATE_COLUMNS.map((c) => `a.${c}` as const),
        ])
        .where('a.reviewId', '=', reviewId)
        .execute()
      return { items, actions: actions.map((a) => ({ ...a, targetDate: isoDate(a.targetDate) })) }
    },

    /**
     * The plan as at `cutoff`: for every item, its latest version recorded at or before then; for
     * every action, its latest version that happened at or before then, however late it was
     * entered (one DISTINCT ON query each). Items and actions first recorded later are absent.
     */
    async planAsAt(
      db: Executor,
      partnershipId: string,
      reviewId: string,
      cutoff: Date,
    ): Promise<{ items: ItemState[]; actions: Omit<PlanAction, 'overdue'>[] }> {
      const itemRows = await db
        .selectFrom('reviewItemVersion as v')
        .distinctOn('v.itemId')
        .select(['v.itemType', 'v.itemId', 'v.parentId', 'v.data'])
        .where('v.reviewId', '=', reviewId)
        .where('v.recordedAt', '<=', cutoff)
        .orderBy('v.itemId')
        .orderBy('v.recordedAt', 'desc')
        .orderBy('v.id', 'desc')
        .execute()
      const agencies = new Map((await directory().agencies(db, partnershipId, { includeRetired: true })).map((a) => [a.id, a.name]))
      const items = itemRows.map((r) => {
        const data = r.data as Record<string, string | null>
        if (r.itemType === 'RESPONSE')
          return {
            itemType: 'RESPONSE',
            itemId: r.itemId,
            parentId: r.parentId,
            data: { agencyId: data.agencyId, agencyName: agencies.get(data.agencyId ?? '') ?? '', response: data.response ?? '' },
          }
        if (r.itemType === 'QUESTION')
          return { itemType: 'QUESTION', itemId: r.itemId, parentId: r.parentId, data: { code: data.code, text: data.text } }
        return {
          itemType: 'FINDING',
          itemId: r.itemId,
          parentId: null,
          data: { number: data.number, title: data.title, narrative: data.narrative ?? null },
        }
      }) as ItemState[]
      const latest = db
        .selectFrom('reviewActionVersion as v')
        .distinctOn('v.actionId')
        .selectAll('v')
        .where('v.reviewId', '=', reviewId)
        .where('v.occurredAt', '<=', cutoff)
        .orderBy('v.actionId')
        .orderBy('v.occurredAt', 'desc')
        .orderBy('v.version', 'desc')
        .as('v')
      const actions = await db
        .selectFrom(latest)
        .leftJoin('appUser as u', 'u.id', 'v.leadUserId')
        .select([
          'v.actionId as id',
          'v.responseId',
          'v.position',
          'v.version',
          'v.recordedAt',
          'u.displayName as leadName',
          ...ACTION_STATE_COLUMNS.map((c) => `v.${c}` as const),
        ])
        .execute()
      return { items, actions: actions.map((a) => ({ ...a, targetDate: isoDate(a.targetDate) })) }
    },

    // ------------------------------------------------------------ evidence documents

    async insertEvidence(
      db: Executor,
      v: {
        partnershipId: string
        reviewId: string
        actionId: string
        fileName: string
        fileType: string
        contentType: string
        sizeBytes: number
        sha256: string
        content: Buffer | null
        storagePath: string | null
        by: string | null
        at: Date
      },
    ) {
      return (
        await db
          .insertInto('reviewEvidenceDocument')
          .values({
            partnershipId: v.partnershipId,
            reviewId: v.reviewId,
            actionId: v.actionId,
            fileName: v.fileName,
            fileType: v.fileType,
            contentType: v.contentType,
            sizeBytes: v.sizeBytes,
            sha256: v.sha256,
            content: v.content,
            storagePath: v.storagePath,
            uploadedBy: v.by,
            uploadedAt: v.at,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id
    },

    async listEvidence(db: Executor, actionId: string): Promise<EvidenceRow[]> {
      return db
        .selectFrom('reviewEvidenceDocument as d')
        .leftJoin('appUser as u', 'u.id', 'd.uploadedBy')
        .select(['d.id', 'd.fileName', 'd.fileType', 'd.contentType', 'd.sizeBytes', 'd.uploadedAt', 'u.displayName as uploadedByName'])
        .where('d.actionId', '=', actionId)
        .orderBy('d.uploadedAt')
        .execute()
    },

    async findEvidence(db: Executor, actionId: string, id: string) {
      return db
        .selectFrom('reviewEvidenceDocument')
        .select(['id', 'fileName', 'fileType', 'contentType', 'sizeBytes', 'sha256', 'content', 'storagePath'])
        .where('actionId', '=', actionId)
        .where('id', '=', id)
        .executeTakeFirst()
    },
  }
}
export type ReviewsRepository = ReturnType<typeof reviewsRepository>
