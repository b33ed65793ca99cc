import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'

let t: TestApp
let f: Fixtures

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
})
afterAll(async () => t.close())

describe('when the database does not answer', () => {
  it('answers 503 with Retry-After and the friendly page, never the driver’s message', async () => {
    const agent = await signIn(t, f.users.TEAM_MANAGER)
    const childId = f.children.TEAM_MANAGER.SAME_AGENCY
    const original = t.services.children.service.viewChild
    const failures = [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      new Error('Query read timeout'),
      new Error('timeout exceeded when trying to connect'),
      // node-postgres, on a pooled client whose server was killed.
      new Error('Client has encountered a connection error and is not queryable'),
    ]
    try {
      for (const failure of failures) {
        t.services.children.service.viewChild = async () => {
          throw failure
        }
        const res = await agent.get(`/children/${childId}`)
        expect(res.status, failure.message).toBe(503)
        expect(res.headers['retry-after']).toBe('5')
        expect(res.text).toContain('Sorry, the service is unavailable')
        expect(res.text).toContain('data-qa="reference-id"')
        expect(res.text).not.toContain(failure.message)
      }
      // Anything else is still a 500.
      t.services.children.service.viewChild = async () => {
        throw new Error('something else')
      }
      expect((await agent.get(`/children/${childId}`)).status).toBe(500)
    } finally {
      t.services.children.service.viewChild = original
    }
  })
})
