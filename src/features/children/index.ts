/** The children feature's public face: its module, one way to open a child's record for an action, and what other features read. */
export { childrenModule } from './children.module.js'
export { childAccess, type WithChild } from './child-access.service.js'
export type { ChildForAccess } from './children.repository.js'
export { linkedChildNames } from './children.queries.js'
