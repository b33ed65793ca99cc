import { sql } from 'kysely'
import type { Config } from './config.js'
import { adminModule } from './features/admin/index.js'
import { assessmentsModule } from './features/assessments/index.js'
import { boardModule } from './features/board/index.js'
import { caseAuditsModule } from './features/case-audits/index.js'
import { caseKernel, casesModule } from './features/cases/index.js'
import { childrenModule } from './features/children/index.js'
import { chronologyModule } from './features/chronology/index.js'
import { criminalProcessModule } from './features/criminal-process/index.js'
import type { FeatureDeps } from './features/feature-module.js'
import { insightModule } from './features/insight/index.js'
import { interventionsModule } from './features/interventions/index.js'
import { meetingsModule } from './features/meetings/index.js'
import { planImportModule } from './features/plan-import/index.js'
import { ssdImportModule } from './features/ssd-import/index.js'
import { subjectAccessModule } from './features/subject-access/index.js'
import { retentionModule } from './features/retention/index.js'
import { privacyModule } from './features/privacy/index.js'
import { organisationsModule } from './features/organisations/index.js'
import { queuesModule } from './features/queues/index.js'
import { referralsModule } from './features/referrals/index.js'
import { restrictedMaterialModule } from './features/restricted-material/index.js'
import { restrictionModule } from './features/restriction/index.js'
import { reviewsModule } from './features/reviews/index.js'
import { accessGuard } from './platform/access/authorise.js'
import { privacyAlerts } from './platform/access/privacy-alerts.js'
import { accessLogService } from './platform/audit/access-log.service.js'
import { auditRepository } from './platform/audit/audit.repository.js'
import { authRepository } from './platform/auth/auth.repository.js'
import { authService } from './platform/auth/auth.service.js'
import { oidcSignIn } from './platform/auth/oidc.js'
import { secretBox } from './platform/auth/secret-box.js'
import type { DatabaseHandle } from './platform/db/connect.js'
import { emailService } from './platform/email/email.js'
import type { HealthCheck } from './platform/http/health.routes.js'
import { notifications } from './platform/notifications/notifications.js'

/**
 * The one composition root: the platform's services, the access guard and the case kernel, then
 * every feature module from one `FeatureDeps`. Nothing else holds the database handle; routes get
 * services. The order of `features` is the order app.ts mounts their routes in.
 */
export async function createServices(config: Config, handle: DatabaseHandle) {
  const { db } = handle
  const audit = auditRepository()
  const secrets = secretBox(config.mfaEncryptionKey)
  const auth = authService({ db, secrets, repo: authRepository(), audit, secret: config.sessionSecret, demoMode: config.demoMode })
  const health: HealthCheck = {
    async check() {
      try {
        await sql`SELECT 1`.execute(db)
        return { database: 'UP', kind: handle.kind }
      } catch {
        return { database: 'DOWN', kind: handle.kind }
      }
    },
  }
  const access = accessGuard({ db, audit })
  const kernel = caseKernel({
    db,
    audit,
    lateEntryDays: config.lateEntryReasonAfterDays,
    privacyAlerts: privacyAlerts({ volumePerHour: config.privacyVolumeAlertPerHour }),
  })
  const deps: FeatureDeps = { config, db, audit, access, cases: kernel, notifications: notifications() }
  const features = {
    children: childrenModule(deps),
    restriction: restrictionModule(deps),
    cases: casesModule(deps),
    referrals: referralsModule(deps),
    meetings: meetingsModule(deps),
    queues: queuesModule(deps),
    admin: adminModule({ ...deps, secrets, auth }),
    assessments: assessmentsModule(deps),
    interventions: interventionsModule(deps),
    restrictedMaterial: restrictedMaterialModule(deps),
    criminalProcess: criminalProcessModule(deps),
    chronology: chronologyModule(deps),
    reviews: reviewsModule(deps),
    planImport: planImportModule(deps),
    board: boardModule(deps),
    insight: insightModule(deps),
    caseAudits: caseAuditsModule(deps),
    ssdImport: ssdImportModule(deps),
    subjectAccess: subjectAccessModule(deps),
    retention: retentionModule(deps),
    privacy: privacyModule(deps),
    organisations: organisationsModule(deps),
  }
  return {
    db,
    audit,
    accessLog: accessLogService({ db, audit }),
    auth,
    health,
    access,
    /** The case kernel (the demo seed and tests use it directly; features get it in FeatureDeps). */
    kernel,
    email: emailService({ config, db }),
    oidc: config.oidc ? await oidcSignIn({ config: config.oidc, db, audit }) : undefined,
    features,
    ...features,
  }
}
export type Services = Awaited<ReturnType<typeof createServices>>
