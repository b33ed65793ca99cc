/** The children feature's public face: its module, one way to open a child's record for an action, and what other features read. */
export { childrenModule } from './children.module.js'
export { asChild, childAccess, type WithChild } from './child-access.service.js'
export type { ChildForAccess } from './children.repository.js'
export { linkedChildNames } from './children.queries.js'
export { ETHNIC_GROUPS, GENDERS, parseNewChild } from './children.form.js'
export {
  nhsCheckDigit,
  upnCheckLetter,
  isTestRangeNhsNumber,
  isValidUpn,
  matchScore,
  matchStrength,
  normaliseNhsNumber,
  normaliseUpn,
  type MatchStrength,
} from './identifiers.rules.js'
export {
  childrenWhoMayBe,
  insertImportedChildren,
  updateImportedChildren,
  type ExistingChild,
  type ImportedChild,
} from './children.import.js'
export type { LinkKind } from './links.rules.js'
export { isExactMatch, SEARCHES_PER_WINDOW, SEARCH_WINDOW_MINUTES } from './matches.rules.js'
