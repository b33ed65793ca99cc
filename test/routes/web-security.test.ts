import { sql } from 'kysely'
import { unmaskToken } from '../../src/platform/http/csrf.js'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFor, csrfFrom, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'

let t: TestApp
let f: Fixtures
beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
})
afterAll(async () => t.close())

describe('security headers', () => {
  it('sends a nonce CSP, HSTS, no-store and a request id; the nonce matches the inline script', async () => {
    const res = await request(t.app).get('/sign-in')
    const csp = String(res.headers['content-security-policy'])
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1]
    expect(nonce).toBeTruthy()
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toContain('unsafe-inline')
    expect(res.text).toContain(`<script nonce="${nonce}">`)
    expect(res.headers['strict-transport-security']).toContain('max-age=31536000')
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    expect(res.headers['x-powered-by']).toBeUndefined()
  })

  it('uses a new nonce on every response', async () => {
    const a = await request(t.app).get('/sign-in')
    const b = await request(t.app).get('/sign-in')
    expect(a.headers['content-security-policy']).not.toBe(b.headers['content-security-policy'])
  })

  it('marks the session cookie __Host- and Secure behind HTTPS', async () => {
    const secure = await createTestApp({ SECURE_COOKIES: 'true', TRUST_PROXY: 'true' })
    try {
      const res = await request(secure.app).get('/sign-in').set('X-Forwarded-Proto', 'https')
      const cookie = String(res.headers['set-cookie'])
      expect(cookie).toMatch(/^__Host-hsb-session=/)
      expect(cookie).toContain('Secure')
      expect(cookie).toContain('HttpOnly')
      expect(cookie).toContain('Path=/')
      expect(cookie).not.toContain('Domain=')
    } finally {
      await secure.close()
    }
  })
})

describe('CSRF', () => {
  it('refuses a state-changing form with no token or a forged one (403)', async () => {
    const agent = await signIn(t, f.users.SOCIAL_WORKER)
    const missing = await agent.post('/sign-out').type('form').send({})
    expect(missing.status).toBe(403)
    const forged = await agent.post('/sign-out').type('form').send({ _csrf: 'forged-token' })
    expect(forged.status).toBe(403)
    expect(forged.text).toContain('data-qa="reference-id"')
    // Still signed in: nothing changed (case roles are sent on to their work queue, not to sign in).
    expect((await agent.get('/').redirects(1)).text).toContain('data-qa="landing-heading"')
  })

  it('does not change state on GET', async () => {
    const agent = await signIn(t, f.users.AIM_PRACTITIONER)
    expect((await agent.get('/sign-out')).status).toBe(404)
    expect((await agent.get('/').redirects(1)).text).toContain('data-qa="landing-heading"')
  })
})

describe('bad requests', () => {
  it('gives 404, not 500, for a malformed id in the URL', async () => {
    const agent = await signIn(t, f.users.HSB_LEAD)
    for (const url of ['/children/not-a-uuid', '/children/1', "/children/'%20OR%201=1", '/children/00000000-0000-0000-0000-00000000000g']) {
      expect((await agent.get(url)).status, url).toBe(404)
    }
    expect((await agent.get('/children/6f1c1d8e-9a3b-4c2d-8e5f-1a2b3c4d5e6f')).status).toBe(404)
  })

  it('refuses an oversized body with 413 and a friendly page', async () => {
    const page = await request.agent(t.app).get('/sign-in')
    const res = await request(t.app)
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: 'x@y.z', password: 'p'.repeat(200_000) })
    expect(res.status).toBe(413)
    expect(res.text).toContain('What you sent is too large')
  })

  it('drops NUL characters from form fields rather than failing in the database (PostgreSQL refuses them)', async () => {
    const agent = await signIn(t, f.users.TEAM_MANAGER)
    const csrf = await csrfFor(agent)
    const body = new URLSearchParams([
      ['_csrf', csrf],
      ['given-names', 'Al\u0000ex'],
      ['family-name', 'Zz\u0000'],
      ['local-case-id', '\u0000'],
    ])
    const res = await agent.post('/children/search').type('form').send(body.toString())
    expect(res.status).toBeLessThan(500)
    expect(res.text).toContain('value="Alex"')
  })

  it('shows a friendly 404 page with a reference id and no stack trace', async () => {
    const res = await request(t.app).get('/no-such-page')
    expect(res.status).toBe(404)
    expect(res.text).toContain('Page not found')
    expect(res.text).toContain(String(res.headers['x-request-id']))
    expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/)
  })
})

describe('no audit, no data', () => {
  it('serves nothing of a child when the audit row cannot be written', async () => {
    // Each test signs in a different person: a TOTP code works once, so a third sign-in within a minute waits.
    const agent = await signIn(t, f.users.YOS_OFFICER)
    const childId = f.children.YOS_OFFICER.INVOLVED
    const ok = await agent.get(`/children/${childId}`)
    expect(ok.status).toBe(200)
    expect(ok.text).toContain('YOS_OFFICER-INVOLVED')
    // Take away the app role's right to append to the audit log, as a broken audit table would.
    await transaction(t.services.db, 'none', async (trx) => {
      await sql`SET LOCAL ROLE NONE`.execute(trx)
      await sql`REVOKE INSERT ON audit_log FROM hsb_app`.execute(trx)
    })
    try {
      const res = await agent.get(`/children/${childId}`)
      expect(res.status).toBe(500)
      expect(res.text).not.toContain('YOS_OFFICER-INVOLVED')
      expect(res.text).toContain('data-qa="reference-id"')
      expect(res.text).not.toContain('permission denied')
    } finally {
      await transaction(t.services.db, 'none', async (trx) => {
        await sql`SET LOCAL ROLE NONE`.execute(trx)
        await sql`GRANT INSERT ON audit_log TO hsb_app`.execute(trx)
      })
    }
  })

  it('writes one ALLOWED audit row, with the request id, for each time a child is opened', async () => {
    const agent = await signIn(t, f.users.TEAM_MANAGER)
    const childId = f.children.TEAM_MANAGER.SAME_AGENCY
    const res = await agent.get(`/children/${childId}`)
    expect(res.status).toBe(200)
    const rows = await transaction(t.services.db, 'system', (trx) =>
      trx.selectFrom('auditLog').selectAll().where('recordId', '=', childId).where('action', '=', 'child:read').execute(),
    )
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      userId: f.users.TEAM_MANAGER.id,
      recordType: 'child',
      outcome: 'ALLOWED',
      requestId: res.headers['x-request-id'],
      partnershipId: f.partnershipId,
    })
  })

  it('shows the HSB lead and the privacy officer who has opened a record, and records that view too', async () => {
    const childId = f.children.HSB_LEAD.OTHER_AGENCY
    const lead = await signIn(t, f.users.HSB_LEAD)
    await lead.get(`/children/${childId}`)
    const privacy = await signIn(t, f.users.PRIVACY_OFFICER)
    const history = await privacy.get(`/children/${childId}/access-history`)
    expect(history.status).toBe(200)
    expect(history.text).toContain('Fixture HSB_LEAD')
    expect(history.text).toContain('Opened the record')
    expect(history.text).toContain('Viewed who has seen the record')
  })
})

describe('operations', () => {
  it('answers /health with UP (and nothing more: web-hardening.test.ts) and /ping', async () => {
    const health = await request(t.app).get('/health')
    expect(health.status).toBe(200)
    expect(health.body).toEqual({ status: 'UP' })
    expect((await request(t.app).get('/ping')).body).toEqual({ status: 'UP' })
  })

  it('answers /health with 503 when the database does not answer', async () => {
    const down = await createTestApp()
    await down.handle.close()
    const res = await request(down.app).get('/health')
    expect(res.status).toBe(503)
    expect(res.body).toEqual({ status: 'DOWN' })
  })
})

describe('board members and system administrators', () => {
  it('cannot open any child’s record, whoever is working with the child', async () => {
    for (const role of ['BOARD_MEMBER', 'SYSTEM_ADMINISTRATOR'] as const) {
      const agent = await signIn(t, f.users[role])
      for (const [relationship, childId] of Object.entries(f.children[role])) {
        const res = await agent.get(`/children/${childId}`)
        expect(res.status).toBe(403)
        expect(res.text).not.toContain(`${role}-${relationship}`)
      }
    }
  })
})

describe('refusals by role', () => {
  it('are audited with the route, not only refusals to open a child', async () => {
    const agent = await signIn(t, f.users.ANALYST)
    const res = await agent.get('/admin/users')
    expect(res.status).toBe(403)
    const rows = await transaction(t.services.db, 'system', (trx) =>
      trx.selectFrom('auditLog').selectAll().where('userId', '=', f.users.ANALYST.id).where('recordType', '=', 'route').execute(),
    )
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      action: 'admin:manage-users',
      recordId: 'GET /admin/users',
      outcome: 'DENIED',
      requestId: res.headers['x-request-id'],
    })
  })
})

describe('CSRF token helper', () => {
  it('finds a token on a signed-in page, masked afresh on each page (BREACH), each unmasking to the session’s', async () => {
    const agent = await signIn(t, f.users.REFERRER)
    const [a, b] = [await csrfFor(agent), await csrfFor(agent)]
    expect(a).toMatch(/^[A-Za-z0-9_-]{32,}\.[A-Za-z0-9_-]{32,}$/)
    expect(a).not.toBe(b)
    expect(unmaskToken(a)).toMatch(/^[0-9a-f]{32,}$/)
    expect(unmaskToken(a)).toBe(unmaskToken(b))
    // Either works; the session's token sent bare (as a page never shows it) does not.
    expect(
      (
        await agent
          .post('/sign-out')
          .type('form')
          .send({ _csrf: unmaskToken(a) })
      ).status,
    ).toBe(403)
  })
})
