import type { Router } from 'express'
import type { Config } from '../config.js'
import type { AccessGuard } from '../platform/access/authorise.js'
import type { AuditRepository } from '../platform/audit/audit.repository.js'
import type { Db } from '../platform/db/transaction.js'
import type { RouteRegistry } from '../platform/http/routes.js'
import type { Notifications } from '../platform/notifications/notifications.js'
import type { CaseKernel } from './cases/index.js'

/** What the composition root hands every feature module. */
export type FeatureDeps = {
  config: Config
  /** For system jobs and set-up only: a person's reads and commands go through `access` or `cases`. */
  db: Db
  audit: AuditRepository
  /** Records that are not cases (and a child's record): `run`, `open`, and `Act.authorise`. */
  access: AccessGuard
  /** The case kernel: the one way to read a case and to run a command on it. */
  cases: CaseKernel
  notifications: Notifications
  now?: () => Date
}

/** A feature as the composition root sees it: its service, and its routes for app.ts to mount. */
export type FeatureModule<S> = { service: S; routes: (registry: RouteRegistry) => Router }
