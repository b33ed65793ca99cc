import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_EMAILS, DEMO_PASSWORD } from '../../src/demo/demo-data.js'
import { seedDemo } from '../../src/demo/seed.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, signInAsDemo, type TestApp } from '../support/app.js'

/** The privacy officer's demo: alerts waiting, and one Ruth Adeyemi reviewed. */
let t: TestApp
beforeAll(async () => {
  t = await createTestApp({ DEMO_MODE: 'true' })
  await seedDemo(t.services)
}, 300_000)
afterAll(async () => t.close())

describe('the privacy demo data', () => {
  it('has alerts waiting and one reviewed by the privacy officer, and shows them to her', async () => {
    const alerts = await transaction(t.services.db, 'system', (trx) =>
      trx
        .selectFrom('privacyAlert as a')
        .leftJoin('appUser as u', 'u.id', 'a.reviewedBy')
        .select(['a.id', 'a.outcome', 'u.email'])
        .execute(),
    )
    const reviewed = alerts.filter((a) => a.outcome !== null)
    expect(reviewed).toEqual([expect.objectContaining({ outcome: 'APPROPRIATE', email: DEMO_EMAILS.ruth })])
    expect(alerts.length - reviewed.length).toBeGreaterThanOrEqual(1)

    const ruth = await signInAsDemo(t, DEMO_EMAILS.ruth, DEMO_PASSWORD)
    const landing = await ruth.get('/privacy/overview')
    expect(landing.text).toContain(`${alerts.length - reviewed.length} privacy alert`)
    const queue = await ruth.get('/privacy/alerts?status=all')
    expect(queue.text).toContain('Appropriate')
    expect(queue.text).toContain('Waiting for review')
  })
})
