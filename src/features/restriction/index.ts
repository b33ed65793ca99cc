/** Restricting a child's record and break-glass (issue 18): the module only. */
export { restrictionModule } from './restriction.module.js'
export type { RestrictionService } from './restriction.service.js'
