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

describe('signing in', () => {
  it('a social worker signs in with password and code and lands on their work', async () => {
    const agent = await signIn(t, f.users.SOCIAL_WORKER)
    const home = await agent.get('/').redirects(1)
    expect(home.status).toBe(200)
    expect(home.text).toContain('data-landing="my-work"')
  })
})
