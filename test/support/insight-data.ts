import { randomUUID } from 'node:crypto'
import type { Services } from '../../src/composition.js'
import { transaction } from '../../src/platform/db/transaction.js'

/**
 * Known data for the insight figures, written straight into the tables with exact timestamps
 * (the services stamp "now", and these tests need the past: financial-year boundaries and as-at
 * dates). Every row is fictional.
 */
export type KnownCase = {
  /** When the request for support was received (an instant, with Z). */
  received: string
  dateOfBirth: string
  gender?: string
  ethnicity?: string
  sendNeeds?: string
  referrerAgencyId: string
  /** The same child as an earlier KnownCase (for re-referrals). */
  childId?: string
  /** Confirmed at oversight, one hour after it was received unless `confirmedAt`. */
  rating?: 'GREEN' | 'AMBER' | 'RED'
  confirmedAt?: string
  /** Changes of status, in order, from REFERRED at `received`. */
  statuses?: { to: string; at: string }[]
  strategyMeeting?: { heldAt: string; dueAt: string; outcomes: string[] }
  assessment?: { route: 'WELFARE' | 'CRIMINAL'; startedAt: string; completedAt?: string; levelOfConcern?: 'LOW' | 'MEDIUM' | 'HIGH' }
  plan?: { createdAt: string; providers: string[] }
  closedAt?: string
}

export async function addKnownCase(
  services: Services,
  partnershipId: string,
  actorId: string,
  k: KnownCase,
): Promise<{ caseId: string; childId: string }> {
  return transaction(services.db, { partnershipId }, async (trx) => {
    const childId =
      k.childId ??
      (
        await trx
          .insertInto('child')
          .values({
            partnershipId,
            givenNames: 'Known',
            familyName: `Child ${randomUUID().slice(0, 8)}`,
            dateOfBirth: k.dateOfBirth,
            gender: k.gender ?? null,
            ethnicity: k.ethnicity ?? null,
            sendNeeds: k.sendNeeds ?? null,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id
    const statuses = [{ to: 'REFERRED', at: k.received }, ...(k.statuses ?? [])]
    const last = statuses[statuses.length - 1]!.to
    const caseId = (
      await trx
        .insertInto('hsbCase')
        .values({
          partnershipId,
          childId,
          route: 'NEW',
          status: last,
          rating: k.rating ?? null,
          referralReceivedAt: k.received,
          openedAt: k.received,
          closedAt: k.closedAt ? new Date(k.closedAt) : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
    await trx
      .insertInto('requestForSupport')
      .values({
        partnershipId,
        caseId,
        referrerId: actorId,
        referrerAgencyId: k.referrerAgencyId,
        receivedAt: k.received,
        whatHappened: 'Known data for a figures test.',
        contexts: ['SCHOOL'],
        sharingBasis: 'CONSENT',
        consentSought: true,
        idempotencyKey: randomUUID(),
      })
      .execute()
    let from: string | null = null
    for (const s of statuses) {
      await trx
        .insertInto('caseEvent')
        .values({ partnershipId, caseId, action: 'TEST', fromStatus: from, toStatus: s.to, actorId, occurredAt: s.at, detail: '{}' })
        .execute()
      from = s.to
    }
    if (k.rating) {
      const at = k.confirmedAt ?? new Date(new Date(k.received).getTime() + 3_600_000).toISOString()
      await trx
        .insertInto('screening')
        .values({
          partnershipId,
          caseId,
          tool: 'BROOK',
          toolVersion: 'TEST',
          ageBand: 'TEST',
          behaviours: '[]',
          overallRating: k.rating,
          rationale: 'Known.',
          screenedBy: actorId,
          screenedAt: at,
          oversightBy: actorId,
          oversightAt: new Date(at),
          oversightOutcome: 'CONFIRMED',
        })
        .execute()
    }
    if (k.strategyMeeting) {
      const m = k.strategyMeeting
      await trx
        .insertInto('caseClock')
        .values({ partnershipId, caseId, kind: 'STRATEGY_MEETING', startedAt: k.received, dueAt: m.dueAt, metAt: new Date(m.heldAt) })
        .execute()
      await trx
        .insertInto('meeting')
        .values({
          partnershipId,
          caseId,
          kind: 'STRATEGY_MEETING',
          scheduledFor: m.heldAt,
          heldAt: new Date(m.heldAt),
          chairId: actorId,
          status: 'FINALISED',
          outcomes: m.outcomes,
          createdBy: actorId,
          finalisedBy: actorId,
          finalisedAt: new Date(m.heldAt),
        })
        .execute()
    }
    if (k.assessment) {
      const a = k.assessment
      await trx
        .insertInto('aimAssessment')
        .values({
          partnershipId,
          caseId,
          childId,
          decision: 'ASSESS',
          decisionReasons: 'Known.',
          route: a.route,
          decidedBy: actorId,
          decidedAt: new Date(a.startedAt),
          startedAt: new Date(a.startedAt),
          completedAt: a.completedAt ? new Date(a.completedAt) : null,
          record: JSON.stringify(a.levelOfConcern ? { levelOfConcern: a.levelOfConcern } : {}),
        } as never)
        .execute()
    }
    if (k.plan) {
      const plan = await trx
        .insertInto('interventionPlan')
        .values({ partnershipId, caseId, createdAt: new Date(k.plan.createdAt) } as never)
        .returning('id')
        .executeTakeFirstOrThrow()
      const goals = k.plan.providers.map((provider) => ({
        text: 'Goal',
        need: null,
        service: 'Service',
        provider,
        startOn: k.plan!.createdAt.slice(0, 10),
        reviewOn: k.plan!.createdAt.slice(0, 10),
        status: 'OPEN',
      }))
      await trx
        .insertInto('interventionPlanVersion')
        .values({
          partnershipId,
          planId: plan.id,
          version: 1,
          goals: JSON.stringify(goals),
          createdBy: actorId,
          createdAt: new Date(k.plan.createdAt),
        } as never)
        .execute()
    }
    return { caseId, childId }
  })
}
