import { auditActionLabel, explicitAuditLabel, type StepLabel } from '../../platform/audit/audit-labels.js'
import { DONE_LABELS } from '../cases/index.js'

/**
 * Audit actions in plain words with the pathway's own words for a case step: the platform's one
 * table (platform/audit/audit-labels.ts) with the cases feature's step labels, which the platform
 * may not import. Every page that shows the audit log to a person uses this.
 */
export const caseStepLabel: StepLabel = (step) => DONE_LABELS[step]

export const describeAuditAction = (action: string): string => auditActionLabel(action, caseStepLabel)

/** Whether an action has words of its own (not the fallback): audit-labels.test.ts asks it of every action in src/. */
export const hasAuditWords = (action: string): boolean => explicitAuditLabel(action, caseStepLabel) !== undefined
