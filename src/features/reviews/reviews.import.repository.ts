import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Executor } from '../../platform/db/transaction.js'
import type { ActionState, Change } from './reviews.repository.js'

/** One new agency response of an import (its id made here, so its actions can name it before it is written). */
export type NewResponse = { id: string; questionId: string; agencyId: string; response: string }
/** One new question of an import (id made here, as for responses). */
export type NewQuestion = { id: string; findingId: string; code: string; text: string }

/** One new action of an import: where it goes, its key within its response, and its state. */
export type NewAction = { responseId: string; agencyId: string; position: number; textKey: string; state: ActionState }

/**
 * Actions per statement. Each batch is one statement that writes the actions and their first
 * history rows together (a data-modifying CTE), with one array parameter per column, so a plan
 * of any size costs one round trip per batch rather than three per action.
 */
export const ACTION_BATCH = 2000

/** Writes `items` a batch (one statement) at a time, in order. */
async function inBatches<T>(items: readonly T[], write: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < items.length; start += ACTION_BATCH) await write(items.slice(start, start + ACTION_BATCH))
}

/** SQL for saving a plan in bulk: the review's existing actions in one read, new actions in batches. */
export function reviewsImportRepository() {
  return {
    /** Every action of the review as the importer matches them: by response, normalised text and position. */
    async actionKeysOfReview(db: Executor, reviewId: string) {
      return db.selectFrom('reviewAction').select(['responseId', 'textKey', 'position']).where('reviewId', '=', reviewId).execute()
    },

    /** Inserts the questions, each with its first history row (as saveQuestion writes it), in batches. */
    async insertQuestions(
      db: Executor,
      v: { partnershipId: string; reviewId: string; by: string | null; at: Date; questions: readonly NewQuestion[] },
    ): Promise<void> {
      await inBatches(v.questions, (batch) =>
        sql`
          WITH question AS (
            INSERT INTO review_question (id, partnership_id, review_id, finding_id, code, text, created_at)
            SELECT id, ${v.partnershipId}::uuid, ${v.reviewId}::uuid, finding_id, code, text, ${v.at}::timestamptz
            FROM unnest(${batch.map((q) => q.id)}::uuid[], ${batch.map((q) => q.findingId)}::uuid[], ${batch.map((q) => q.code)}::text[], ${batch.map((q) => q.text)}::text[]) AS u(id, finding_id, code, text)
            RETURNING id, finding_id, code, text
          )
          INSERT INTO review_item_version (partnership_id, review_id, item_type, item_id, parent_id, data, recorded_by, recorded_at)
          SELECT ${v.partnershipId}::uuid, ${v.reviewId}::uuid, 'QUESTION', id, finding_id, jsonb_build_object('code', code, 'text', text), ${v.by}::uuid, ${v.at}::timestamptz
          FROM question
        `.execute(db),
      )
    },

    /** Inserts the agency responses, each with its first history row (as saveResponse writes it), in batches. */
    async insertResponses(
      db: Executor,
      v: { partnershipId: string; reviewId: string; by: string | null; at: Date; responses: readonly NewResponse[] },
    ): Promise<void> {
      await inBatches(v.responses, (batch) =>
        sql`
          WITH response AS (
            INSERT INTO review_response (id, partnership_id, review_id, question_id, agency_id, response, created_at)
            SELECT id, ${v.partnershipId}::uuid, ${v.reviewId}::uuid, question_id, agency_id, response, ${v.at}::timestamptz
            FROM unnest(${batch.map((r) => r.id)}::uuid[], ${batch.map((r) => r.questionId)}::uuid[], ${batch.map((r) => r.agencyId)}::uuid[], ${batch.map((r) => r.response)}::text[]) AS u(id, question_id, agency_id, response)
            RETURNING id, question_id, agency_id, response
          )
          INSERT INTO review_item_version (partnership_id, review_id, item_type, item_id, parent_id, data, recorded_by, recorded_at)
          SELECT ${v.partnershipId}::uuid, ${v.reviewId}::uuid, 'RESPONSE', id, question_id, jsonb_build_object('agencyId', agency_id, 'response', response), ${v.by}::uuid, ${v.at}::timestamptz
          FROM response
        `.execute(db),
      )
    },

    /** Inserts the actions, each with its version 1 history row (happened when imported), in batches; returns their ids in order. */
    async insertActions(
      db: Executor,
      v: { partnershipId: string; reviewId: string; by: string | null; at: Date; change: Change; actions: readonly NewAction[] },
    ): Promise<string[]> {
      const ids: string[] = []
      await inBatches(v.actions, async (batch) => {
        const batchIds = batch.map(() => randomUUID())
        const column = <T>(pick: (a: NewAction) => T) => batch.map(pick)
        await sql`
          WITH input AS (
            SELECT * FROM unnest(
              ${batchIds}::uuid[], ${column((a) => a.responseId)}::uuid[], ${column((a) => a.agencyId)}::uuid[], ${column((a) => a.position)}::int[],
              ${column((a) => a.textKey)}::text[], ${column((a) => a.state.text)}::text[], ${column((a) => a.state.rag)}::text[],
              ${column((a) => a.state.constraints)}::text[], ${column((a) => a.state.targetDate)}::date[], ${column((a) => a.state.targetText)}::text[],
              ${column((a) => a.state.evidence)}::text[], ${column((a) => a.state.leadUserId)}::uuid[], ${column((a) => a.state.leadText)}::text[],
              ${column((a) => a.state.desiredOutcome)}::text[]
            ) AS u(id, response_id, agency_id, position, text_key, text, rag, constraints, target_date, target_text, evidence, lead_user_id, lead_text, desired_outcome)
          ), action AS (
            INSERT INTO review_action (id, partnership_id, review_id, response_id, agency_id, position, text_key, text, rag, constraints, target_date, target_text, evidence, lead_user_id, lead_text, desired_outcome, created_at, updated_at)
            SELECT id, ${v.partnershipId}::uuid, ${v.reviewId}::uuid, response_id, agency_id, position, text_key, text, rag, constraints, target_date, target_text, evidence, lead_user_id, lead_text, desired_outcome, ${v.at}::timestamptz, ${v.at}::timestamptz
            FROM input
            RETURNING id, response_id, position, text, rag, constraints, target_date, target_text, evidence, lead_user_id, lead_text, desired_outcome
          )
          INSERT INTO review_action_version (partnership_id, review_id, action_id, response_id, version, change, progress_note, rag_from, text, rag, constraints, target_date, target_text, evidence, lead_user_id, lead_text, desired_outcome, position, recorded_by, recorded_at, occurred_at)
          SELECT ${v.partnershipId}::uuid, ${v.reviewId}::uuid, id, response_id, 1, ${v.change}, NULL, NULL, text, rag, constraints, target_date, target_text, evidence, lead_user_id, lead_text, desired_outcome, position, ${v.by}::uuid, ${v.at}::timestamptz, ${v.at}::timestamptz
          FROM action
        `.execute(db)
        ids.push(...batchIds)
      })
      return ids
    },
  }
}
