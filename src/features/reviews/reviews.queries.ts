import type { Trx } from '../../platform/db/transaction.js'
import { reviewsRepository, type ReviewListRow, type ReviewRow } from './reviews.repository.js'
import { ragKeyFrom, type RagEntry, type ReviewKind } from './reviews.rules.js'

/**
 * What other features (the plan importer, the board, case audits) read and write of reviews,
 * inside a read or command they are already running (so its access is checked and audited
 * there). The reviews pages use the same functions.
 */

/** The partnership's reviews, newest first, with their action counts (overdue against `today`). */
export const listReviewsFor = (trx: Trx, partnershipId: string, today: string): Promise<ReviewListRow[]> =>
  reviewsRepository().listReviews(trx, partnershipId, today)

/** One review, or undefined when there is none (or it is another partnership's). */
export const findReview = (trx: Trx, reviewId: string): Promise<ReviewRow | undefined> => reviewsRepository().findReview(trx, reviewId)

/** The partnership's RAG key: its saved entries over the defaults, all four keys in order. */
export const ragKeyOf = async (trx: Trx, partnershipId: string): Promise<RagEntry[]> =>
  ragKeyFrom(await reviewsRepository().ragKeyRows(trx, partnershipId))

/** A new review (an import's, or a case audit's for its recommendations); its id. */
export const addReview = (
  trx: Trx,
  review: { partnershipId: string; kind: ReviewKind; name: string; reviewDate: string | null; createdBy: string | null; at: Date },
): Promise<string> => reviewsRepository().insertReview(trx, review)
