import type { AuditRepository } from '../../platform/audit/audit.repository.js'
import type { Db } from '../../platform/db/transaction.js'

// Placeholder replaced by the work queues and notifications feature.
export function queuesService(_deps: { db: Db; audit: AuditRepository }) {
  return {}
}
export type QueuesService = ReturnType<typeof queuesService>
