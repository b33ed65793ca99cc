import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemo } from '../../src/demo/seed.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, type TestApp } from '../support/app.js'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp({ DEMO_MODE: 'true' })
  await seedDemo(t.services)
}, 180_000)
afterAll(async () => t.close())

const system = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)
const caseOf = (givenNames: string, familyName: string) =>
  system((trx) =>
    trx
      .selectFrom('hsbCase as k')
      .innerJoin('child as c', 'c.id', 'k.childId')
      .select(['k.id', 'k.status'])
      .where('c.givenNames', '=', givenNames)
      .where('c.familyName', '=', familyName)
      .executeTakeFirstOrThrow(),
  )

describe('the interventions demo data', () => {
  it('has Riley Hartwell waiting for the review meeting, and Kai Penrose in intervention with a plan and the panel’s decision', async () => {
    expect((await caseOf('Riley', 'Hartwell')).status).toBe('REVIEW_MEETING_DUE')
    const kai = await caseOf('Kai', 'Penrose')
    expect(kai.status).toBe('INTERVENTION')
    const versions = await system((trx) =>
      trx
        .selectFrom('interventionPlanVersion as v')
        .innerJoin('interventionPlan as p', 'p.id', 'v.planId')
        .select('v.version')
        .where('p.caseId', '=', kai.id)
        .orderBy('v.version')
        .execute(),
    )
    expect(versions.map((v) => v.version)).toEqual([1, 2])
    const panel = await system((trx) =>
      trx.selectFrom('hsbPanel').select(['level', 'decidedAt']).where('caseId', '=', kai.id).executeTakeFirstOrThrow(),
    )
    expect(panel.level).toBe('SPECIALIST')
    expect(panel.decidedAt).not.toBeNull()
  })
})
