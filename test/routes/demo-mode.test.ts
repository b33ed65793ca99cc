import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, csrfFrom, type TestApp } from '../support/app.js'
import { createFixtures, TEST_PASSWORD, type Fixtures } from '../support/fixtures.js'

let demo: TestApp
let normal: TestApp
let f: Fixtures
beforeAll(async () => {
  demo = await createTestApp({ DEMO_MODE: 'true' })
  f = await createFixtures(demo.services)
  normal = await createTestApp()
})
afterAll(async () => {
  await demo.close()
  await normal.close()
})

async function signInWithShownCode(email: string) {
  const agent = request.agent(demo.app)
  const page = await agent.get('/sign-in')
  await agent
    .post('/sign-in')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), email, password: TEST_PASSWORD })
  const codePage = await agent.get('/sign-in/code')
  const code = /data-qa="demo-code">(\d{6})</.exec(codePage.text)?.[1]
  const res = await agent
    .post('/sign-in/code')
    .type('form')
    .send({ _csrf: csrfFrom(codePage.text), code })
  return { codePage, res }
}

describe('demo mode', () => {
  it('shows a banner and the demo accounts only in demo mode', async () => {
    const d = await request(demo.app).get('/sign-in')
    expect(d.text).toContain('data-qa="demo-banner"')
    expect(d.text).toContain('data-qa="demo-accounts"')
    expect(d.text).toContain(f.users.SOCIAL_WORKER.email)
    const n = await request(normal.app).get('/sign-in')
    expect(n.text).not.toContain('data-qa="demo-banner"')
    expect(n.text).not.toContain('data-qa="demo-accounts"')
  })

  it('shows a code on the MFA page that signs the person in, twice in a row', async () => {
    const first = await signInWithShownCode(f.users.TEAM_MANAGER.email)
    expect(first.res.status).toBe(302)
    const second = await signInWithShownCode(f.users.TEAM_MANAGER.email)
    expect(second.res.status).toBe(302)
  })

  it('says when the shown code will work if the account has just used the next one', async () => {
    await signInWithShownCode(f.users.REFERRER.email)
    await signInWithShownCode(f.users.REFERRER.email)
    const agent = request.agent(demo.app)
    const page = await agent.get('/sign-in')
    await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: f.users.REFERRER.email, password: TEST_PASSWORD })
    const codePage = await agent.get('/sign-in/code')
    const wait = /this code works in (\d+) seconds/.exec(codePage.text)
    if (wait) {
      expect(Number(wait[1])).toBeGreaterThan(0)
      expect(Number(wait[1])).toBeLessThanOrEqual(30)
    } else {
      // The clock moved on to a new 30-second step between the sign-ins: then the code works now.
      const code = /data-qa="demo-code">(\d{6})</.exec(codePage.text)?.[1]
      const res = await agent
        .post('/sign-in/code')
        .type('form')
        .send({ _csrf: csrfFrom(codePage.text), code })
      expect(res.status).toBe(302)
    }
  })
})
