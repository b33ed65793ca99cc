/**
 * The cases feature's public face: the case kernel (the one way to read a case for a page and to
 * run a command on it), the pathway's transition table, and the case's types. Other features
 * import from here only (the `hsb/boundaries` lint rule); nothing else of cases is theirs to use.
 */
export {
  caseKernel,
  HISTORY_NOTES,
  IMPORTED_LATE_REASON,
  type CaseAct,
  type CaseChanges,
  type CaseKernel,
  type CaseOpening,
  type HistoryNote,
  type ImportedEpisode,
  type ImportedEvent,
  type Involvement,
} from './kernel.js'
export type { CaseClockRow, CaseEventRow, CaseForAccess } from './case.js'
export {
  ACTION_RULES,
  CASE_ACTIONS,
  CASE_STATUSES,
  CASE_WIDE_RULES,
  DONE_LABELS,
  STATUS_LABELS,
  TRANSITIONS,
  doneLabel,
  hasRoleFor,
  isOpen,
  labelOf,
  mayTake,
  rolesFor,
  type AssessmentRoute,
  type CaseAction,
  type CaseRoute,
  type CaseStatus,
  type CaseStep,
  type CaseWideAction,
  type NotNow,
  type Rating,
} from './pathway.rules.js'
export { ACTION_LINKS, eventLabel, eventText, presentClocks } from './cases.presenter.js'
export { casesModule } from './cases.module.js'
export { CFA_OUTCOMES, S47_OUTCOMES } from './cases.service.js'
