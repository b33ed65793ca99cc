/**
 * Retention's public face: its module (the /admin/retention pages), what the command line's
 * `retention-run` and the demo need, and the rules' words.
 */
export { retentionModule, type RetentionModule } from './retention.module.js'
export type { RetentionService, RunFailure, RunResult, Runner } from './retention.service.js'
export { KIND_LABELS, RECORD_KINDS, describeRule, type RecordKind } from './retention.rules.js'
