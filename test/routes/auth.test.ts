import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PAIR_FAILURE_LIMIT } from '../../src/platform/auth/auth.service.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFor, csrfFrom, nextTotpCode, signIn, type TestApp } from '../support/app.js'
import { createFixtures, TEST_PASSWORD, type Fixtures } from '../support/fixtures.js'

let t: TestApp
let f: Fixtures
beforeAll(async () => {
  // Behind a proxy, so each test can sign in from its own client address.
  t = await createTestApp({ TRUST_PROXY: 'true' })
  f = await createFixtures(t.services)
})
afterAll(async () => t.close())

async function passwordStep(email: string, password: string, ip = '10.0.0.1') {
  const agent = request.agent(t.app)
  const page = await agent.get('/sign-in')
  const res = await agent
    .post('/sign-in')
    .set('X-Forwarded-For', ip)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), email, password })
  return { agent, res }
}

const auditRows = (action: string) =>
  transaction(t.services.db, 'system', (trx) =>
    trx.selectFrom('auditLog').select(['userId', 'outcome', 'requestId']).where('action', '=', action).execute(),
  )

describe('sign-in', () => {
  it('gives the same answer for an unknown email and a wrong password', async () => {
    const unknown = await passwordStep('nobody@fixture.example', 'whatever-password-1')
    const wrong = await passwordStep(f.users.SOCIAL_WORKER.email, 'whatever-password-1')
    expect(unknown.res.status).toBe(400)
    expect(wrong.res.status).toBe(400)
    const message = 'Enter a correct email address and password'
    expect(unknown.res.text).toContain(message)
    expect(wrong.res.text).toContain(message)
    const strip = (html: string) => html.replace(/value="[^"]*"/g, '').replace(/nonce="[^"]*"/g, '')
    expect(strip(unknown.res.text)).toBe(strip(wrong.res.text))
  })

  it('keeps the email but never the password after an error, with an error summary', async () => {
    const { res } = await passwordStep(f.users.SOCIAL_WORKER.email, 'wrong-password-here')
    expect(res.text).toContain('There is a problem')
    expect(res.text).toContain(`value="${f.users.SOCIAL_WORKER.email}"`)
    expect(res.text).not.toContain('wrong-password-here')
    expect(res.text).toContain('<title>Error: Sign in')
  })

  it('asks for both fields', async () => {
    const { res } = await passwordStep('', '')
    expect(res.status).toBe(400)
    expect(res.text).toContain('Enter your email address')
    expect(res.text).toContain('Enter your password')
  })

  it('throttles repeated failures from one client without locking the real person out elsewhere', async () => {
    const target = f.users.TEAM_MANAGER
    for (let i = 0; i < PAIR_FAILURE_LIMIT; i++) {
      const { res } = await passwordStep(target.email, `guess-number-${i}-x`, '10.9.9.9')
      expect(res.status).toBe(400)
    }
    // Even the right password is refused from the guessing client…
    const blocked = await passwordStep(target.email, TEST_PASSWORD, '10.9.9.9')
    expect(blocked.res.status).toBe(429)
    expect(blocked.res.text).toContain('too many attempts')
    // …and the same answer is given for an address that does not exist.
    for (let i = 0; i < PAIR_FAILURE_LIMIT; i++) await passwordStep('ghost@fixture.example', `guess-${i}-abcdef`, '10.9.9.9')
    expect((await passwordStep('ghost@fixture.example', 'x-anything-x', '10.9.9.9')).res.status).toBe(429)
    // The real person, from their own device, still signs in.
    const own = await passwordStep(target.email, TEST_PASSWORD, '10.1.1.1')
    expect(own.res.status).toBe(302)
    expect(own.res.headers.location).toBe('/sign-in/code')
    expect((await auditRows('sign-in:throttled')).length).toBeGreaterThanOrEqual(2)
  })

  it('needs the TOTP code: a wrong code is refused and audited, the right one signs in', async () => {
    const user = f.users.HSB_LEAD
    const { agent, res } = await passwordStep(user.email, TEST_PASSWORD)
    expect(res.headers.location).toBe('/sign-in/code')
    // Not signed in yet: the home page still sends them to sign in.
    expect((await agent.get('/')).headers.location).toBe('/sign-in')
    const codePage = await agent.get('/sign-in/code')
    const bad = await agent
      .post('/sign-in/code')
      .type('form')
      .send({ _csrf: csrfFrom(codePage.text), code: '000000' })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('The code is not correct')
    const code = await nextTotpCode(t.services, user.id, user.totpSecret)
    const good = await agent
      .post('/sign-in/code')
      .type('form')
      .send({ _csrf: csrfFrom(bad.text), code })
    expect(good.status).toBe(302)
    // Signed in: home sends the HSB lead on to their queue.
    expect((await agent.get('/').redirects(1)).text).toContain('data-landing="hsb-overview"')
    const mfa = await auditRows('sign-in:mfa')
    expect(mfa.some((r) => r.userId === user.id && r.outcome === 'DENIED')).toBe(true)
    expect(mfa.some((r) => r.userId === user.id && r.outcome === 'ALLOWED')).toBe(true)
  })

  it('keeps TOTP secrets encrypted in the database', async () => {
    const row = await t.services.db
      .selectFrom('appUser')
      .select('totpSecret')
      .where('id', '=', f.users.HSB_LEAD.id)
      .executeTakeFirstOrThrow()
    expect(row.totpSecret).toMatch(/^v1:/)
    expect(row.totpSecret).not.toContain(f.users.HSB_LEAD.totpSecret)
  })

  it('refuses a code that was already used', async () => {
    const user = f.users.ANALYST
    await signIn(t, user)
    const row = await t.services.db.selectFrom('appUser').select('totpLastStep').where('id', '=', user.id).executeTakeFirstOrThrow()
    const { currentTotpCode } = await import('../../src/platform/auth/totp.js')
    const reused = await currentTotpCode(user.totpSecret, Number(row.totpLastStep) * 30_000)
    const { agent } = await passwordStep(user.email, TEST_PASSWORD)
    const page = await agent.get('/sign-in/code')
    const res = await agent
      .post('/sign-in/code')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), code: reused })
    expect(res.status).toBe(400)
  })

  it('gives a new session id at sign-in', async () => {
    const agent = request.agent(t.app)
    const page = await agent.get('/sign-in')
    const before = /hsb-session=([^;]+)/.exec(String(page.headers['set-cookie']))?.[1]
    const user = f.users.REFERRER
    const res = await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: user.email, password: TEST_PASSWORD })
    const after = /hsb-session=([^;]+)/.exec(String(res.headers['set-cookie']))?.[1]
    expect(before).toBeTruthy()
    expect(after).toBeTruthy()
    expect(after).not.toBe(before)
  })

  it('sends a first-time user to set up an authenticator, and keeps the secret only once a code proves it', async () => {
    const created = await t.services.admin.service.createUser(
      { system: true, partnershipId: f.partnershipId },
      {
        displayName: 'New Starter',
        email: 'new.starter@fixture.example',
        agencyId: f.agencyIds.csc,
        roles: ['SOCIAL_WORKER'],
        teamIds: [],
        password: TEST_PASSWORD,
      },
      null,
    )
    expect(created.ok).toBe(true)
    const { agent, res } = await passwordStep('new.starter@fixture.example', TEST_PASSWORD)
    expect(res.headers.location).toBe('/sign-in/set-up-authenticator')
    const page = await agent.get('/sign-in/set-up-authenticator')
    const secret = /data-qa="totp-secret">([A-Z2-7 ]+)</.exec(page.text)?.[1]?.replace(/ /g, '')
    expect(secret).toBeTruthy()
    const wrong = await agent
      .post('/sign-in/set-up-authenticator')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), code: '123456' })
    expect(wrong.status).toBe(400)
    const { currentTotpCode } = await import('../../src/platform/auth/totp.js')
    const ok = await agent
      .post('/sign-in/set-up-authenticator')
      .type('form')
      .send({ _csrf: csrfFrom(wrong.text), code: await currentTotpCode(secret!) })
    expect(ok.status).toBe(302)
    expect((await agent.get('/').redirects(1)).text).toContain('data-landing="my-work"')
  })
})

describe('sessions', () => {
  it('signs out, ends the session and audits it', async () => {
    const agent = await signIn(t, f.users.YOS_OFFICER)
    const res = await agent
      .post('/sign-out')
      .type('form')
      .send({ _csrf: await csrfFor(agent) })
    expect(res.headers.location).toBe('/sign-in?reason=signed-out')
    expect((await agent.get('/')).headers.location).toBe('/sign-in')
    expect((await auditRows('sign-out')).some((r) => r.userId === f.users.YOS_OFFICER.id)).toBe(true)
  })

  it('clears the session cookie at sign-out, with the attributes it was set with', async () => {
    const agent = await signIn(t, f.users.POLICE_OFFICER)
    const res = await agent
      .post('/sign-out')
      .type('form')
      .send({ _csrf: await csrfFor(agent) })
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? [])
    const cleared = cookies.find((c) => c.startsWith('hsb-session='))
    expect(cleared).toBeDefined()
    expect(cleared).toMatch(/^hsb-session=;/)
    const expires = /Expires=([^;]+)/i.exec(cleared!)?.[1]
    expect(expires && new Date(expires).getTime()).toBeLessThan(Date.now())
    expect(cleared).toContain('Path=/')
    expect(cleared).toContain('HttpOnly')
    expect(cleared).toContain('SameSite=Lax')
  })

  it('ends a session idle for longer than the idle limit, and one past the absolute limit', async () => {
    const agent = await signIn(t, f.users.HEAD_OF_SERVICE)
    const age = async (field: 'lastSeenAt' | 'signedInAt', ms: number) => {
      const rows = await t.services.db
        .selectFrom('httpSession')
        .select(['sid', 'data'])
        .where('userId', '=', f.users.HEAD_OF_SERVICE.id)
        .execute()
      for (const row of rows) {
        const data = { ...row.data, [field]: Date.now() - ms }
        await t.services.db
          .updateTable('httpSession')
          .set({ data: JSON.stringify(data) })
          .where('sid', '=', row.sid)
          .execute()
      }
    }
    await age('lastSeenAt', 31 * 60_000)
    const idle = await agent.get('/')
    expect(idle.headers.location).toBe('/sign-in?reason=idle')
    expect((await agent.get('/sign-in?reason=idle')).text).toContain('You were signed out because you had not done anything')

    const again = await signIn(t, f.users.HEAD_OF_SERVICE)
    await age('signedInAt', 12 * 3600_000 + 1000)
    expect((await again.get('/')).headers.location).toBe('/sign-in?reason=expired')
  })

  it('housekeeping removes expired sessions and old failures, and keeps live ones', async () => {
    const agent = await signIn(t, f.users.PARTNERSHIP_BUSINESS_MANAGER)
    await t.services.db
      .insertInto('httpSession')
      .values({ sid: 'expired-one', userId: null, data: '{}', expiresAt: new Date(Date.now() - 1000) })
      .execute()
    await t.services.auth.pruneExpired()
    const sids = (await t.services.db.selectFrom('httpSession').select('sid').execute()).map((r) => r.sid)
    expect(sids).not.toContain('expired-one')
    expect((await agent.get('/')).status).toBe(200)
  })

  it('ends every session of a person who is disabled', async () => {
    const user = f.users.LEAD_AUDITOR
    const agent = await signIn(t, user)
    expect((await agent.get('/')).status).toBe(200)
    await t.services.admin.service.setDisabled({ system: true, partnershipId: f.partnershipId }, user.id, true, null)
    expect((await agent.get('/')).headers.location).toMatch(/^\/sign-in/)
    const { res } = await passwordStep(user.email, TEST_PASSWORD)
    expect(res.status).toBe(400)
  })
})
