import { sql } from 'kysely'
import type { Executor } from '../../platform/db/transaction.js'
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
  recordedAt: Date
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

export function reviewsRepository() {
  return {
    async listReviews(db: Executor, partnershipId: string, today: string): Promise<ReviewListRow[]> {
      const rows = await db
        .selectFrom('review as r')
        .select(['r.id', 'r.kind', 'r.name', 'r.reviewDate', 'r.createdAt'])
        .select((eb) => [
          eb
            .selectFrom('reviewAction as a')
            .whereRef('a.reviewId', '=', 'r.id')
            .select(sql<number>`count(*)::int`.as('n'))
            .as('actions'),
          eb
            .selectFrom('reviewAction as a')
            .whereRef('a.reviewId', '=', 'r.id')
            .where('a.rag', '=', 'COMPLETED')
            .select(sql<number>`count(*)::int`.as('n'))
            .as('completed'),
          eb
            .selectFrom('reviewAction as a')
            .whereRef('a.reviewId', '=', 'r.id')
            .where(sql<boolean>`a.target_date < ${today}::date`)
            .where((w) => w.or([w('a.rag', 'is', null), w('a.rag', '!=', 'COMPLETED')]))
            .select(sql<number>`count(*)::int`.as('n'))
            .as('overdue'),
        ])
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

    async listAgencies(db: Executor, partnershipId: string) {
      return db.selectFrom('agency').select(['id', 'name']).where('partnershipId', '=', partnershipId).orderBy('name').execute()
    },

    async insertAgency(db: Executor, partnershipId: string, name: string, kind: string): Promise<string> {
      return (await db.insertInto('agency').values({ partnershipId, name, kind }).returning('id').executeTakeFirstOrThrow()).id
    },

    async listPeople(db: Executor, partnershipId: string) {
      return db
        .selectFrom('appUser')
        .select(['id', 'displayName'])
        .where('partnershipId', '=', partnershipId)
        .where('disabledAt', 'is', null)
        .orderBy('displayName')
        .execute()
    },

    // ------------------------------------------------------------ findings, questions, responses

    async findFinding(db: Executor, reviewId: string, id: string) {
      return db
        .selectFrom('reviewFinding')
        .select(['id', 'number', 'title', 'narrative'])
        .where('reviewId', '=', reviewId)
        .where('id', '=', id)
        .executeTakeFirst()
    },
    async findQuestion(db: Executor, reviewId: string, id: string) {
      return db
        .selectFrom('reviewQuestion')
        .select(['id', 'findingId', 'code', 'text'])
        .where('reviewId', '=', reviewId)
        .where('id', '=', id)
        .executeTakeFirst()
    },
    async findResponse(db: Executor, reviewId: string, id: string) {
      return db
        .selectFrom('reviewResponse as r')
        .innerJoin('agency as g', 'g.id', 'r.agencyId')
        .innerJoin('reviewQuestion as q', 'q.id', 'r.questionId')
        .select(['r.id', 'r.questionId', 'r.agencyId', 'r.response', 'g.name as agencyName', 'q.code as questionCode'])
        .where('r.reviewId', '=', reviewId)
        .where('r.id', '=', id)
        .executeTakeFirst()
    },
    async listFindings(db: Executor, reviewId: string) {
      return db.selectFrom('reviewFinding').select(['id', 'number', 'title', 'narrative']).where('reviewId', '=', reviewId).execute()
    },
    async listQuestions(db: Executor, reviewId: string) {
      return db.selectFrom('reviewQuestion').select(['id', 'findingId', 'code', 'text']).where('reviewId', '=', reviewId).execute()
    },
    async listResponses(db: Executor, reviewId: string) {
      return db.selectFrom('reviewResponse').select(['id', 'questionId', 'agencyId', 'response']).where('reviewId', '=', reviewId).execute()
    },

    async insertFinding(
      db: Executor,
      v: { partnershipId: string; reviewId: string; number: string; title: string; narrative: string | null; by: string | null; at: Date },
    ) {
      const id = (
        await db
          .insertInto('reviewFinding')
          .values({
            partnershipId: v.partnershipId,
            reviewId: v.reviewId,
            number: v.number,
            title: v.title,
            narrative: v.narrative,
            createdAt: v.at,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id
      await this.itemVersion(db, {
        ...v,
        itemType: 'FINDING',
        itemId: id,
        parentId: null,
        data: { number: v.number, title: v.title, narrative: v.narrative },
      })
      return id
    },
    async updateFinding(
      db: Executor,
      v: {
        partnershipId: string
        reviewId: string
        id: string
        number: string
        title: string
        narrative: string | null
        by: string | null
        at: Date
      },
    ) {
      await db
        .updateTable('reviewFinding')
        .set({ number: v.number, title: v.title, narrative: v.narrative })
        .where('id', '=', v.id)
        .execute()
      await this.itemVersion(db, {
        ...v,
        itemType: 'FINDING',
        itemId: v.id,
        parentId: null,
        data: { number: v.number, title: v.title, narrative: v.narrative },
      })
    },
    async insertQuestion(
      db: Executor,
      v: { partnershipId: string; reviewId: string; findingId: string; code: string; text: string; by: string | null; at: Date },
    ) {
      const id = (
        await db
          .insertInto('reviewQuestion')
          .values({
            partnershipId: v.partnershipId,
            reviewId: v.reviewId,
            findingId: v.findingId,
            code: v.code,
            text: v.text,
            createdAt: v.at,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id
      await this.itemVersion(db, { ...v, itemType: 'QUESTION', itemId: id, parentId: v.findingId, data: { code: v.code, text: v.text } })
      return id
    },
    async updateQuestion(
      db: Executor,
      v: {
        partnershipId: string
        reviewId: string
        id: string
        findingId: string
        code: string
        text: string
        by: string | null
        at: Date
      },
    ) {
      await db.updateTable('reviewQuestion').set({ code: v.code, text: v.text }).where('id', '=', v.id).execute()
      await this.itemVersion(db, { ...v, itemType: 'QUESTION', itemId: v.id, parentId: v.findingId, data: { code: v.code, text: v.text } })
    },
    async insertResponse(
      db: Executor,
      v: { partnershipId: string; reviewId: string; questionId: string; agencyId: string; response: string; by: string | null; at: Date },
    ) {
      const id = (
        await db
          .insertInto('reviewResponse')
          .values({
            partnershipId: v.partnershipId,
            reviewId: v.reviewId,
            questionId: v.questionId,
            agencyId: v.agencyId,
            response: v.response,
            createdAt: v.at,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id
      await this.itemVersion(db, {
        ...v,
        itemType: 'RESPONSE',
        itemId: id,
        parentId: v.questionId,
        data: { agencyId: v.agencyId, response: v.response },
      })
      return id
    },
    async updateResponse(
      db: Executor,
      v: {
        partnershipId: string
        reviewId: string
        id: string
        questionId: string
        agencyId: string
        response: string
        by: string | null
        at: Date
      },
    ) {
      await db.updateTable('reviewResponse').set({ response: v.response }).where('id', '=', v.id).execute()
      await this.itemVersion(db, {
        ...v,
        itemType: 'RESPONSE',
        itemId: v.id,
        parentId: v.questionId,
        data: { agencyId: v.agencyId, response: v.response },
      })
    },

    async itemVersion(
      db: Executor,
      v: {
        partnershipId: string
        reviewId: string
        itemType: 'FINDING' | 'QUESTION' | 'RESPONSE'
        itemId: string
        parentId: string | null
        data: Record<string, unknown>
        by: string | null
        at: Date
      },
    ) {
      await db
        .insertInto('reviewItemVersion')
        .values({
          partnershipId: v.partnershipId,
          reviewId: v.reviewId,
          itemType: v.itemType,
          itemId: v.itemId,
          parentId: v.parentId,
          data: JSON.stringify(v.data),
          recordedBy: v.by,
          recordedAt: v.at,
        })
        .execute()
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
      await db
        .insertInto('reviewActionVersion')
        .values({
          partnershipId: v.partnershipId,
          reviewId: v.reviewId,
          actionId: id,
          responseId: v.responseId,
          version: 1,
          change: v.change,
          progressNote: null,
          ragFrom: null,
          ...v.state,
          position,
          recordedBy: v.by,
          recordedAt: v.at,
        })
        .execute()
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
      },
    ) {
      const updated = await db
        .updateTable('reviewAction')
        .set({ ...v.state, textKey: v.textKey, version: v.version + 1, updatedAt: v.at })
        .where('id', '=', v.action.id)
        .where('version', '=', v.version)
        .executeTakeFirst()
      if (Number(updated.numUpdatedRows) !== 1) return false
      await db
        .insertInto('reviewActionVersion')
        .values({
          partnershipId: v.partnershipId,
          reviewId: v.action.reviewId,
          actionId: v.action.id,
          responseId: v.action.responseId,
          version: v.version + 1,
          change: v.change,
          progressNote: v.progressNote,
          ragFrom: v.action.rag,
          ...v.state,
          position: v.action.position,
          recordedBy: v.by,
          recordedAt: v.at,
        })
        .execute()
      return true
    },

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
          'v.recordedAt',
          'u.displayName as recordedByName',
          ...ACTION_STATE_COLUMNS.map((c) => `v.${c}` as const),
        ])
        .where('v.actionId', '=', actionId)
        .orderBy('v.recordedAt', 'desc')
        .orderBy('v.id', 'desc')
        .execute()
      return rows.map((r) => ({ ...r, targetDate: isoDate(r.targetDate) }))
    },

    // ------------------------------------------------------------ the plan, now and as at

    /** The plan as it is now, from the state tables. */
    async currentPlan(db: Executor, reviewId: string): Promise<{ items: ItemState[]; actions: Omit<PlanAction, 'overdue'>[] }> {
      const findings = await this.listFindings(db, reviewId)
      const questions = await this.listQuestions(db, reviewId)
      const responses = await db
        .selectFrom('reviewResponse as r')
        .innerJoin('agency as g', 'g.id', 'r.agencyId')
        .select(['r.id', 'r.questionId', 'r.agencyId', 'r.response', 'g.name as agencyName'])
        .where('r.reviewId', '=', reviewId)
        .execute()
      const items: ItemState[] = [
        ...findings.map((f) => ({
          itemType: 'FINDING' as const,
          itemId: f.id,
          parentId: null,
          data: { number: f.number, title: f.title, narrative: f.narrative },
        })),
        ...questions.map((q) => ({
          itemType: 'QUESTION' as const,
          itemId: q.id,
          parentId: q.findingId,
          data: { code: q.code, text: q.text },
        })),
        ...responses.map((r) => ({
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
     * The plan as recorded by `cutoff`: for every item and every action, its latest version recorded
     * at or before then (one DISTINCT ON query each). Items and actions first recorded later are absent.
     */
    async planAsAt(db: Executor, reviewId: string, cutoff: Date): Promise<{ items: ItemState[]; actions: Omit<PlanAction, 'overdue'>[] }> {
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
      const agencies = new Map((await db.selectFrom('agency').select(['id', 'name']).execute()).map((a) => [a.id, a.name]))
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
        .where('v.recordedAt', '<=', cutoff)
        .orderBy('v.actionId')
        .orderBy('v.recordedAt', 'desc')
        .orderBy('v.id', 'desc')
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
