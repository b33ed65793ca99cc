import type TestAgent from 'supertest/lib/agent.js'
import { childrenRepository } from '../../src/features/children/children.repository.js'
import type { CurrentUser } from '../../src/platform/auth/current-user.js'
import { transaction } from '../../src/platform/db/transaction.js'
import type { TestApp } from '../support/app.js'
import type { Fixtures } from '../support/fixtures.js'
import { londonParts } from '../../src/platform/forms/dates.js'

/** Shared set-up for the fault suites: cases driven through the workflow, and form helpers. */
export const HOUR = 3_600_000
export const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? ''

export function poster(csrf: Map<TestAgent, string>) {
  return (agent: TestAgent, path: string, body: Record<string, unknown>) =>
    agent
      .post(path)
      .type('form')
      .send({ _csrf: csrf.get(agent), ...body })
}

let childCount = 0

/** A new child, involved with the team manager's team, with a case opened at the front door. */
export async function referredCase(t: TestApp, f: Fixtures, manager: CurrentUser, referralReceivedAt = new Date(Date.now() - 2 * HOUR)) {
  const { db, kernel } = t.services
  const children = childrenRepository()
  const partnershipId = f.partnershipId
  return transaction(db, { partnershipId }, async (trx) => {
    const childId = await children.insertChild(trx, {
      partnershipId,
      givenNames: 'Fault',
      familyName: `Child${++childCount}`,
      dateOfBirth: '2011-05-05',
    })
    await children.insertInvolvement(trx, {
      partnershipId,
      childId,
      agencyId: f.agencyIds.csc,
      teamId: f.users.TEAM_MANAGER.teamId,
      kind: 'ALLOCATED',
    })
    await children.insertInvolvement(trx, {
      partnershipId,
      childId,
      agencyId: f.agencyIds.csc,
      userId: f.users.SOCIAL_WORKER.id,
      kind: 'INVOLVED',
    })
    await children.insertInvolvement(trx, {
      partnershipId,
      childId,
      agencyId: f.agencyIds.csc,
      userId: f.users.HSB_LEAD.id,
      kind: 'INVOLVED',
    })
    return kernel.openIn(trx, manager, { childId, route: 'NEW', referralReceivedAt }, 'fault')
  })
}

/** A case at "strategy meeting due" (screened amber and confirmed), through the workflow. */
export async function caseAtStrategyDue(t: TestApp, f: Fixtures, manager: CurrentUser) {
  const { kernel } = t.services
  const caseId = await referredCase(t, f, manager)
  await kernel.run(manager, caseId, 's1', (act) => act.apply('RECORD_SCREENING', {}))
  await kernel.run(manager, caseId, 's2', (act) => act.apply('CONFIRM_SCREENING', { rating: 'AMBER' }))
  return caseId
}

/** A UK wall-clock date and time for the forms. */
export const london = (at: Date) => londonParts(at)

export function asSystem<T>(t: TestApp, fn: Parameters<typeof transaction<T>>[2]) {
  return transaction(t.services.db, 'system', fn)
}
