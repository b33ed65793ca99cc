import { sql } from 'kysely'
import type { Config } from './config.js'
import { adminRepository } from './features/admin/admin.repository.js'
import { adminService } from './features/admin/admin.service.js'
import { caseWorkflow } from './features/cases/case-workflow.js'
import { casesRepository } from './features/cases/cases.repository.js'
import { casesService } from './features/cases/cases.service.js'
import { meetingsService } from './features/meetings/meetings.service.js'
import { queuesService } from './features/queues/queues.service.js'
import { referralsService } from './features/referrals/referrals.service.js'
import { childrenRepository } from './features/children/children.repository.js'
import { childrenService } from './features/children/children.service.js'
import { accessLogService } from './platform/audit/access-log.service.js'
import { auditRepository } from './platform/audit/audit.repository.js'
import { authRepository } from './platform/auth/auth.repository.js'
import { authService } from './platform/auth/auth.service.js'
import { secretBox } from './platform/auth/secret-box.js'
import { oidcSignIn } from './platform/auth/oidc.js'
import type { DatabaseHandle } from './platform/db/connect.js'
import type { HealthCheck } from './platform/http/health.routes.js'
import { notifications } from './platform/notifications/notifications.js'
import { accessGuard } from './platform/access/authorise.js'
import { caseKernel } from './features/cases/index.js'
import type { FeatureDeps } from './features/feature-module.js'
import { emailService } from './platform/email/email.js'
import { assessmentsModule } from './features/assessments/assessments.module.js'
import { interventionsModule } from './features/interventions/interventions.module.js'
import { restrictedMaterialModule } from './features/restricted-material/restricted-material.module.js'
import { criminalProcessModule } from './features/criminal-process/criminal-process.module.js'
import { chronologyModule } from './features/chronology/chronology.module.js'
import { reviewsModule } from './features/reviews/reviews.module.js'
import { planImportModule } from './features/plan-import/plan-import.module.js'
import { boardModule } from './features/board/board.module.js'
import { insightModule } from './features/insight/insight.module.js'
import { caseAuditsModule } from './features/case-audits/case-audits.module.js'

/**
 * The one composition root: repositories, then services. Nothing else holds the database
 * handle; routes get services.
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
  const casesRepo = casesRepository()
  const workflow = caseWorkflow({ db, repo: casesRepo, audit })
  const access = accessGuard({ db, audit })
  const kernel = caseKernel({ db, audit })
  const deps: FeatureDeps = { config, db, audit, access, cases: kernel, notifications: notifications(), workflow, casesRepo }
  return {
    db,
    audit,
    accessLog: accessLogService({ db, audit }),
    auth,
    health,
    children: childrenService({ access, repo: childrenRepository() }),
    workflow,
    kernel,
    access,
    cases: casesService({ db, audit, cases: kernel }),
    referrals: referralsService({ db, audit, access, cases: kernel }),
    meetings: meetingsService({ db, workflow, audit }),
    queues: queuesService({ db, access }),
    admin: adminService({ db, repo: adminRepository(), audit, access, secrets }),
    email: emailService({ config, db }),
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
    oidc: config.oidc ? await oidcSignIn({ config: config.oidc, db, audit }) : undefined,
  }
}
export type Services = Awaited<ReturnType<typeof createServices>>
