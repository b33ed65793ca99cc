import type { Router } from 'express'
import type { Config } from '../config.js'
import type { AuditRepository } from '../platform/audit/audit.repository.js'
import type { Db } from '../platform/db/transaction.js'
import type { RouteRegistry } from '../platform/http/routes.js'
import type { CaseWorkflow } from './cases/case-workflow.js'
import type { CasesRepository } from './cases/cases.repository.js'
import type { NotificationsRepository } from './queues/notifications.repository.js'

/** What the composition root hands every feature module. */
export type FeatureDeps = {
  config: Config
  db: Db
  audit: AuditRepository
  workflow: CaseWorkflow
  casesRepo: CasesRepository
  notifications: NotificationsRepository
  now?: () => Date
}

/** A feature as the composition root sees it: its service, and its routes for app.ts to mount. */
export type FeatureModule<S> = { service: S; routes: (registry: RouteRegistry) => Router }
