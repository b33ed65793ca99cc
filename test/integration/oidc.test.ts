import { generateKeyPairSync } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
// @ts-expect-error -- oidc-provider ships no type declarations; the few parts used are typed below.
import OidcProvider from 'oidc-provider'
import request from 'supertest'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFrom, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'

/**
 * OpenID Connect sign-in against a real provider (oidc-provider) on 127.0.0.1. Its login and
 * consent interaction is replaced by one that signs in whichever account the test names, so
 * the whole browser round trip runs with fetch: app → provider → app callback.
 */

type Interaction = { uid: string; prompt: { name: string }; params: Record<string, unknown> }
type Grant = { addOIDCScope(scope: string): void; save(): Promise<string> }
type Provider = {
  callback(): (req: IncomingMessage, res: ServerResponse) => void
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: Record<string, unknown>,
    options?: { mergeWithLastSubmission: boolean },
  ): Promise<void>
  Grant: new (init: { accountId: string; clientId: string }) => Grant
}
const ProviderClass = OidcProvider as new (issuer: string, configuration: Record<string, unknown>) => Provider

const CLIENT_ID = 'hsb-pathway-test'
const CLIENT_SECRET = 'test-client-secret-that-is-only-for-this-test-0123'
const REDIRECT_URI = 'http://127.0.0.1/sign-in/oidc/callback'

type Account = { email?: string; preferred_username?: string; roles?: string[] }
/** The identity provider's directory: subject → claims. */
const accounts = new Map<string, Account>()
/** Who the provider signs in at the next interaction. */
let loginAs = ''

let server: Server
let issuer: string
let t: TestApp
let f: Fixtures

async function startProvider(): Promise<void> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end()
  server = createServer((req, res) => handler(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const jwk = {
    ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
    kid: 'test-key',
    use: 'sig',
    alg: 'RS256',
  }
  const provider = new ProviderClass(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ['test-cookie-signing-key-0123456789'] },
    // Entra ID puts app roles in the ID token: so does this provider.
    claims: { openid: ['sub', 'roles'], email: ['email'], profile: ['preferred_username'] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx: unknown, sub: string) => {
      const account = accounts.get(sub)
      return account ? { accountId: sub, claims: async () => ({ sub, ...account }) } : undefined
    },
  })
  const callback = provider.callback()

  /** Signs in `loginAs` and grants what the client asked for, without any page. */
  async function interaction(req: IncomingMessage, res: ServerResponse) {
    const details = await provider.interactionDetails(req, res)
    const grant = new provider.Grant({ accountId: loginAs, clientId: CLIENT_ID })
    grant.addOIDCScope(String(details.params.scope))
    const grantId = await grant.save()
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: loginAs }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    )
  }

  handler = (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return callback(req, res)
    interaction(req, res).catch((err: unknown) => {
      res.statusCode = 500
      res.end(String(err))
    })
  }
}

/** Follows the provider's redirects (with its cookies) until it sends the browser back to the app. */
async function throughProvider(authorizationUrl: string): Promise<URL> {
  const jar = new Map<string, string>()
  let url = authorizationUrl
  for (let hop = 0; hop < 10; hop++) {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
    const response = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} })
    for (const set of response.headers.getSetCookie()) {
      const pair = set.split(';')[0] ?? ''
      const at = pair.indexOf('=')
      const [name, value] = [pair.slice(0, at), pair.slice(at + 1)]
      if (value) jar.set(name, value)
      else jar.delete(name)
    }
    const location = response.headers.get('location')
    if (!location) throw new Error(`The provider stopped with ${response.status}: ${await response.text()}`)
    const next = new URL(location, url)
    if (next.href.startsWith(REDIRECT_URI)) return next
    url = next.href
  }
  throw new Error('Too many redirects at the provider')
}

/** Starts sign-in at the app, signs in at the provider as `sub`, and returns the callback URL (not yet called). */
async function startAndLogIn(agent: TestAgent, sub: string): Promise<URL> {
  loginAs = sub
  const start = await agent.get('/sign-in/oidc')
  expect(start.status).toBe(302)
  expect(start.headers.location).toMatch(new RegExp(`^${issuer}/`))
  return throughProvider(start.headers.location as string)
}

async function signInWithOidc(sub: string) {
  const agent = request.agent(t.app)
  const callbackUrl = await startAndLogIn(agent, sub)
  const callback = await agent.get(callbackUrl.pathname + callbackUrl.search)
  return { agent, callback }
}

async function rolesOf(userId: string): Promise<string[]> {
  const rows = await t.services.db.selectFrom('userRole').select('role').where('userId', '=', userId).orderBy('role').execute()
  return rows.map((r) => r.role)
}

async function oidcAuditRows() {
  return transaction(t.services.db, 'system', (trx) =>
    trx.selectFrom('auditLog').select(['userId', 'outcome', 'detail']).where('action', '=', 'sign-in:oidc').orderBy('id').execute(),
  )
}

beforeAll(async () => {
  await startProvider()
  t = await createTestApp({
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    OIDC_REDIRECT_URI: REDIRECT_URI,
    OIDC_ROLE_MAP: JSON.stringify({ 'HSB.SocialWorker': 'SOCIAL_WORKER', 'HSB.Lead': 'HSB_LEAD' }),
  })
  f = await createFixtures(t.services)
}, 60_000)

afterAll(async () => {
  await t?.close()
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve))
})

describe('signing in with OpenID Connect', () => {
  it('the sign-in page offers the organisation account button', async () => {
    const page = await request(t.app).get('/sign-in')
    expect(page.text).toContain('href="/sign-in/oidc"')
  })

  it('a known person signs in by email, with no local code, and their subject is linked', async () => {
    const sw = f.users.SOCIAL_WORKER
    accounts.set('sub-social-worker', { email: sw.email.toUpperCase(), roles: ['HSB.SocialWorker'] })
    const { agent, callback } = await signInWithOidc('sub-social-worker')
    expect(callback.status).toBe(302)
    expect(callback.headers.location).toBe('/')

    const home = await agent.get('/').redirects(1)
    expect(home.status).toBe(200)
    expect(home.text).toContain('data-landing="my-work"')

    const user = await t.services.db.selectFrom('appUser').select('oidcSubject').where('id', '=', sw.id).executeTakeFirstOrThrow()
    expect(user.oidcSubject).toBe('sub-social-worker')
    expect(await rolesOf(sw.id)).toEqual(['SOCIAL_WORKER'])
    // Roles were already right: nothing changed, so no history row.
    const events = await t.services.db
      .selectFrom('userEvent')
      .select('kind')
      .where('userId', '=', sw.id)
      .where('kind', '=', 'ROLES_FROM_IDP')
      .execute()
    expect(events).toEqual([])
    const audit = (await oidcAuditRows()).filter((r) => r.userId === sw.id)
    expect(audit.map((r) => r.outcome)).toEqual(['ALLOWED'])
  })

  it('replaces roles from the role claim, records the change, and lands on the new role’s page', async () => {
    const manager = f.users.TEAM_MANAGER
    expect(await rolesOf(manager.id)).toEqual(['TEAM_MANAGER'])
    accounts.set('sub-manager', { preferred_username: manager.email, roles: ['HSB.Lead', 'Some.Other.App.Role'] })
    const { agent, callback } = await signInWithOidc('sub-manager')
    expect(callback.status).toBe(302)
    expect(await rolesOf(manager.id)).toEqual(['HSB_LEAD'])

    const home = await agent.get('/').redirects(1)
    expect(home.status).toBe(200)
    expect(home.text).toContain('data-landing="hsb-overview"')

    const events = await t.services.db
      .selectFrom('userEvent')
      .select(['kind', 'detail', 'actorId'])
      .where('userId', '=', manager.id)
      .where('kind', '=', 'ROLES_FROM_IDP')
      .execute()
    expect(events).toHaveLength(1)
    expect(events[0]?.actorId).toBeNull()
    expect(events[0]?.detail).toEqual({ from: { roles: ['TEAM_MANAGER'] }, to: { roles: ['HSB_LEAD'] } })
  })

  it('matches a linked person by subject even when the provider’s email has changed, and leaves roles alone without a role claim', async () => {
    const manager = f.users.TEAM_MANAGER
    accounts.set('sub-manager', { email: 'renamed.person@elsewhere.example' })
    const { agent, callback } = await signInWithOidc('sub-manager')
    expect(callback.status).toBe(302)
    expect(await rolesOf(manager.id)).toEqual(['HSB_LEAD'])
    expect((await agent.get('/').redirects(1)).text).toContain('data-landing="hsb-overview"')
  })

  it('refuses somebody with no account, and records the attempt', async () => {
    accounts.set('sub-stranger', { email: 'nobody.here@fixture.example', roles: ['HSB.Lead'] })
    const before = (await oidcAuditRows()).length
    const { agent, callback } = await signInWithOidc('sub-stranger')
    expect(callback.status).toBe(403)
    expect(callback.text).toContain('You do not have an account on HSB Pathway')
    expect(callback.text).toContain('system administrator')
    const rows = (await oidcAuditRows()).slice(before)
    expect(rows).toEqual([{ userId: null, outcome: 'DENIED', detail: { reason: 'no-account' } }])
    // Not signed in.
    const home = await agent.get('/')
    expect(home.status).toBe(302)
    expect(home.headers.location).toBe('/sign-in')
  })

  it('refuses a disabled person, and does not touch their roles', async () => {
    const lead = f.users.HSB_LEAD
    await t.services.admin.service.setDisabled({ system: true, partnershipId: f.partnershipId }, lead.id, true, null)
    accounts.set('sub-disabled', { email: lead.email, roles: ['HSB.SocialWorker'] })
    const { agent, callback } = await signInWithOidc('sub-disabled')
    expect(callback.status).toBe(403)
    expect(callback.text).toContain('You do not have an account on HSB Pathway')
    expect(await rolesOf(lead.id)).toEqual(['HSB_LEAD'])
    const rows = (await oidcAuditRows()).filter((r) => r.userId === lead.id)
    expect(rows).toEqual([{ userId: lead.id, outcome: 'DENIED', detail: { reason: 'disabled' } }])
    expect((await agent.get('/')).headers.location).toBe('/sign-in')
  })

  it('refuses a different subject claiming the email of an already linked account', async () => {
    const sw = f.users.SOCIAL_WORKER
    accounts.set('sub-impostor', { email: sw.email })
    const { callback } = await signInWithOidc('sub-impostor')
    expect(callback.status).toBe(403)
    const rows = (await oidcAuditRows()).filter((r) => r.userId === sw.id)
    expect(rows.at(-1)).toEqual({ userId: sw.id, outcome: 'DENIED', detail: { reason: 'subject-mismatch' } })
  })

  it('refuses a tampered state with a 400 page, and the real one cannot be used afterwards', async () => {
    const referrer = f.users.REFERRER
    accounts.set('sub-referrer', { email: referrer.email })
    const agent = request.agent(t.app)
    const callbackUrl = await startAndLogIn(agent, 'sub-referrer')
    const tampered = new URL(callbackUrl)
    tampered.searchParams.set('state', 'not-the-state-we-sent')
    const refused = await agent.get(tampered.pathname + tampered.search)
    expect(refused.status).toBe(400)
    expect(refused.text).toContain('did not complete')
    expect(refused.text).not.toContain(callbackUrl.searchParams.get('code') ?? 'no code')

    const replay = await agent.get(callbackUrl.pathname + callbackUrl.search)
    expect(replay.status).toBe(400)
    expect((await agent.get('/')).headers.location).toBe('/sign-in')
  })

  it('refuses a callback nobody started, and an error from the provider, with 400 pages', async () => {
    const unstarted = await request(t.app).get('/sign-in/oidc/callback?code=abc&state=xyz')
    expect(unstarted.status).toBe(400)
    expect(unstarted.text).toContain('Go back to the sign-in page')

    const agent = request.agent(t.app)
    await agent.get('/sign-in/oidc')
    const denied = await agent.get('/sign-in/oidc/callback?error=access_denied&error_description=The+user+said+no')
    expect(denied.status).toBe(400)
    expect(denied.text).toContain('did not complete')
  })

  it('registers both routes as public', () => {
    const oidcRoutes = t.registry.routes.filter((r) => r.path.startsWith('/sign-in/oidc'))
    expect(oidcRoutes).toEqual([
      { method: 'get', path: '/sign-in/oidc', permission: { kind: 'public' } },
      { method: 'get', path: '/sign-in/oidc/callback', permission: { kind: 'public' } },
    ])
  })
})

describe('roles of a person who signs in through the organisation', () => {
  it('come only from the mapped claim: an administrator cannot change them, only the teams', async () => {
    const sw = f.users.SOCIAL_WORKER
    accounts.set('sub-social-worker', { email: sw.email, roles: ['HSB.SocialWorker'] })
    expect((await signInWithOidc('sub-social-worker')).callback.status).toBe(302)
    const admin = await signIn(t, f.users.SYSTEM_ADMINISTRATOR)
    const form = await admin.get(`/admin/users/${sw.id}/roles`)
    const version = /name="version" value="(\d+)"/.exec(form.text)![1]!
    const refused = await admin
      .post(`/admin/users/${sw.id}/roles`)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), version, roles: ['SOCIAL_WORKER', 'HSB_LEAD'], teams: [sw.teamId] })
    expect(refused.status).toBe(400)
    expect(refused.text).toContain('roles come from their organisation’s sign-in service')
    expect(await rolesOf(sw.id)).toEqual(['SOCIAL_WORKER'])

    const teamsOnly = await admin
      .post(`/admin/users/${sw.id}/roles`)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), version, roles: ['SOCIAL_WORKER'], teams: [sw.teamId, f.users.TEAM_MANAGER.teamId] })
    expect(teamsOnly.status).toBe(302)
    expect(await rolesOf(sw.id)).toEqual(['SOCIAL_WORKER'])
  })
})
