import type { AuditRepository } from '../../platform/audit/audit.repository.js'
import type { Db } from '../../platform/db/transaction.js'
import type { CaseWorkflow } from '../cases/case-workflow.js'

// Placeholder replaced by the meetings feature (strategy meetings): keeps the composition root whole.
export function meetingsService(_deps: { db: Db; workflow: CaseWorkflow; audit: AuditRepository }) {
  return {}
}
export type MeetingsService = ReturnType<typeof meetingsService>
