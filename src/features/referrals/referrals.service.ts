import type { AuditRepository } from '../../platform/audit/audit.repository.js'
import { transaction, type Db } from '../../platform/db/transaction.js'
import { NotFoundError } from '../../platform/http/errors.js'
import type { CaseWorkflow } from '../cases/case-workflow.js'
import { casesRepository } from '../cases/cases.repository.js'
import { caseSteps } from './case-step.js'
import { catalogueRepository } from './catalogue.repository.js'
import { catalogueService } from './catalogue.service.js'
import { referralsRepository } from './referrals.repository.js'
import { requestForSupportService } from './request-for-support.service.js'
import { routingService } from './routing.service.js'
import { screeningService } from './screening.service.js'

/**
 * The front of the pathway: the request for support, screening, management oversight, the
 * green decision and allocation. Every step on a case goes through the case workflow, so it is
 * an event in the case's history with its audit entry, in one transaction.
 */
export function referralsService({ db, workflow, audit }: { db: Db; workflow: CaseWorkflow; audit: AuditRepository }) {
  const repo = referralsRepository()
  const cases = casesRepository()
  const steps = caseSteps({ workflow, audit })
  const catalogue = catalogueRepository()
  return {
    ...requestForSupportService({ db, workflow, audit, repo, cases }),
    ...screeningService({ repo, catalogue, steps }),
    ...catalogueService({ db, audit, repo: catalogue }),
    ...routingService({ repo, cases, steps }),

    /** Set-up (demo seed, CLI, tests): marks a team as the partnership's front door, whose social workers screen new requests. */
    async setFrontDoorTeam(by: { system: true; partnershipId: string }, teamId: string, isFrontDoor = true): Promise<void> {
      const done = await transaction(db, { partnershipId: by.partnershipId }, (trx) => repo.setFrontDoor(trx, by.partnershipId, teamId, isFrontDoor))
      if (!done) throw new NotFoundError()
    },
  }
}
export type ReferralsService = ReturnType<typeof referralsService>
