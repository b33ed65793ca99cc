import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemo } from '../../src/demo/seed.js'
import { provisionByLevel } from '../../src/features/insight/provision.repository.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, type TestApp } from '../support/app.js'

let t: TestApp
let partnershipId: string
beforeAll(async () => {
  t = await createTestApp()
  partnershipId = (await seedDemo(t.services)).partnershipId
}, 300_000)
afterAll(async () => t.close())

describe('the demo partnership’s workforce data', () => {
  it('has provision for high and medium concern, none for low, and factors on several cases', async () => {
    const byLevel = await transaction(t.services.db, { partnershipId }, (trx) => provisionByLevel(trx, partnershipId, new Date()))
    expect(byLevel).toEqual([
      { level: 'LOW', services: 0, places: null },
      { level: 'MEDIUM', services: 2, places: 10 },
      { level: 'HIGH', services: 3, places: 12 },
    ])
    const factors = await transaction(t.services.db, { partnershipId }, (trx) =>
      trx
        .selectFrom('caseFactor')
        .select(({ fn }) => fn.count<string>('caseId').distinct().as('n'))
        .executeTakeFirstOrThrow(),
    )
    expect(Number(factors.n)).toBeGreaterThanOrEqual(5)
    const own = await transaction(t.services.db, { partnershipId }, (trx) => trx.selectFrom('caseFactorType').select('code').execute())
    expect(own.map((r) => r.code)).toEqual(['EXCLUSION_FROM_SCHOOL'])
  })
})
