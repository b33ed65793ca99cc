import { transaction } from '../../platform/db/transaction.js'
import { NotFoundError } from '../../platform/http/errors.js'
import { childAccess } from '../children/index.js'
import type { FeatureDeps } from '../feature-module.js'
import { catalogueRepository } from './catalogue.repository.js'
import { catalogueService } from './catalogue.service.js'
import { referralsRepository } from './referrals.repository.js'
import { requestForSupportService } from './request-for-support.service.js'
import { referrerToldOfDecision, referrerViewService } from './referrer-view.service.js'
import { routingService } from './routing.service.js'
import { screeningService } from './screening.service.js'

/**
 * The front of the pathway: the request for support, screening, management oversight, the
 * green decision and allocation. Every step on a case goes through the case kernel, so it is
 * an event in the case's history with its audit entry, in one transaction.
 */
export function referralsService({
  db,
  audit,
  access,
  cases,
  notifications,
  config,
}: Pick<FeatureDeps, 'db' | 'audit' | 'access' | 'cases' | 'notifications' | 'config'>) {
  const repo = referralsRepository()
  const catalogue = catalogueRepository()
  const tellReferrer = referrerToldOfDecision(notifications)
  return {
    ...requestForSupportService({ db, cases, withChild: childAccess({ access }), repo }),
    ...screeningService({ repo, catalogue, cases, tellReferrer }),
    ...catalogueService({ db, audit, access, repo: catalogue }),
    ...routingService({ repo, cases, frontDoorAccessDays: config.frontDoorAccessDaysAfterClosure, tellReferrer }),
    ...referrerViewService({ access, cases, notifications }),

    /** Set-up (demo seed, CLI, tests): marks a team as the partnership's front door, whose social workers screen new requests. */
    async setFrontDoorTeam(by: { system: true; partnershipId: string }, teamId: string, isFrontDoor = true): Promise<void> {
      const done = await transaction(db, { partnershipId: by.partnershipId }, (trx) =>
        repo.setFrontDoor(trx, by.partnershipId, teamId, isFrontDoor),
      )
      if (!done) throw new NotFoundError()
    },
  }
}
export type ReferralsService = ReturnType<typeof referralsService>
