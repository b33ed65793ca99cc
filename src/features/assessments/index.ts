/**
 * The AIM assessment's public face: its module (for the composition root) and the service's
 * types. Nothing else of the feature is for other features; they read the case through the kernel.
 */
export { assessmentsModule, type AssessmentsModule } from './assessments.module.js'
export type { AssessmentsService } from './assessments.service.js'
export { emptyRecord, type DecisionInput, type RecordInput } from './assessments.rules.js'
