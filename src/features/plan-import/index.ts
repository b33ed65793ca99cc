/** The plan importer's public face: its module, and the command line's limits (src/cli/import-action-plan.ts). */
export { planImportModule, type PlanImportModule } from './plan-import.module.js'
export { EXTRACT_LIMITS, type PlanLimits } from './plan-import.files.js'
export type { ImportSummary } from './plan-import.service.js'
