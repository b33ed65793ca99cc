/**
 * The contract between the reviews feature and the plan importer (src/features/plan-import).
 *
 * - `ImportedPlan` is what the importer hands to `importPlan(trx, { partnershipId, reviewId, actorId, plan })`
 *   (exported from src/features/reviews/reviews.import.ts and via the reviews service).
 * - `BOARD_PLAN_COLUMNS` is the exact header row of the XLSX export (report.xlsx, "Action plan" sheet), so an
 *   export can be imported back losslessly.
 */

export type ImportedAction = {
  text: string
  /** A key of the partnership's RAG key ('RED' | 'AMBER' | 'GREEN' | 'COMPLETED' by default), or null for "not set". */
  ragKey: string | null
  constraints?: string
  /** A real date, YYYY-MM-DD. */
  targetDate?: string
  /** The target as the board wrote it when it is not a date ("end of Q3", "ongoing"). */
  targetText?: string
  evidence?: string
  /** The lead person as written (the importer does not resolve users). */
  leadText?: string
  desiredOutcome?: string
}

export type ImportedResponse = {
  /** Matched case-insensitively (trimmed) to an agency of the partnership; created when missing. */
  agencyName: string
  response: string
  actions: ImportedAction[]
}

export type ImportedQuestion = {
  /** Like `1a`; unique per review. */
  code: string
  text: string
  responses: ImportedResponse[]
}

export type ImportedFinding = {
  /** As written, e.g. "1" or "2". Matched to existing findings by number. */
  number: string
  title: string
  narrative?: string
  questions: ImportedQuestion[]
}

export type ImportedPlan = { findings: ImportedFinding[] }

export type ImportCounts = { findings: number; questions: number; agencies: number; actions: number }

/**
 * Result of importPlan. Top-level counts are the distinct items in the plan; `created` is what was added,
 * `unchanged` what already existed (matched). created + unchanged = the top-level count for each kind.
 */
export type ImportPlanResult = ImportCounts & { created: ImportCounts; unchanged: ImportCounts }

export type ImportPlanInput = { partnershipId: string; reviewId: string; actorId: string | null; plan: ImportedPlan }

/**
 * The XLSX export's columns, in order (row 1 of the "Action plan" sheet).
 * One row per action (a response with no actions still gets one row with the action columns blank;
 * a question with no responses gets one row with Agency onwards blank).
 * - Finding: "<number>. <title>" (e.g. "1. Information sharing"); the narrative is not in this sheet.
 * - Questions: "<code> <text>" (e.g. "1a Agencies should ...").
 * - RAG: the partnership's RAG label (e.g. "Red", "Completed"), blank when not set. The "RAG key" sheet lists
 *   key | label | meaning | colour.
 * - Target Date/Evidence: "DD/MM/YYYY" or the free target text, then, when there is evidence, a blank line
 *   ("\n\n") and the evidence text.
 * - Lead Person: the lead's display name or free text.
 * Every cell is written as text; values starting with = + - @ tab or CR get a leading apostrophe, so an importer
 * reading an export back should drop one leading apostrophe when the next character is one of those.
 * Other sheets: "RAG key" (Key | Status | Meaning | Colour) and "Summary".
 */
export const BOARD_PLAN_COLUMNS = [
  'Finding',
  'Questions',
  'Agency',
  'Response',
  'Actions',
  'RAG',
  'Constraints/Problems',
  'Target Date/Evidence',
  'Lead Person',
  'Desired Outcome',
] as const

export type BoardPlanColumn = (typeof BOARD_PLAN_COLUMNS)[number]
