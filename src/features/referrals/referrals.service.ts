import type { AuditRepository } from '../../platform/audit/audit.repository.js'
import type { Db } from '../../platform/db/transaction.js'
import type { CaseWorkflow } from '../cases/case-workflow.js'

// Placeholder replaced by the referrals feature (request for support, screening, routing).
export function referralsService(_deps: { db: Db; workflow: CaseWorkflow; audit: AuditRepository }) {
  return {}
}
export type ReferralsService = ReturnType<typeof referralsService>
