/**
 * The reviews feature's public face: its module; the contract of an imported action plan (what the
 * plan importer and case audits hand to `importPlan`, and the columns of the XLSX export); and the
 * reads and writes other features make of reviews inside their own transaction. Never the repository.
 */
export { reviewsModule, type ReviewsModule } from './reviews.module.js'
export {
  BOARD_PLAN_COLUMNS,
  type BoardPlanColumn,
  type ImportCounts,
  type ImportedAction,
  type ImportedFinding,
  type ImportedPlan,
  type ImportedQuestion,
  type ImportedResponse,
  type ImportPlanInput,
  type ImportPlanResult,
} from './imported-plan.js'
export { importPlan } from './reviews.import.js'
export { addReview, findReview, listReviewsFor, ragKeyOf } from './reviews.queries.js'
export type { ReviewListRow, ReviewRow } from './reviews.repository.js'
export type { RagEntry, ReviewKind } from './reviews.rules.js'
