import request from 'supertest'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'
import { concretePath, keyOf, SESSION_ROUTES } from './route-params.js'

/**
 * Security headers and cookie flags on every response of every registered route: signed out,
 * signed in, GET and POST (a POST without a form is refused: the refusal must carry them too).
 * The registry is the list: a new route is covered the moment it is registered.
 */
let t: TestApp
let f: Fixtures
let agent: TestAgent
let csrf: string

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  agent = await signIn(t, f.users.HSB_LEAD)
  csrf = await csrfFor(agent)
}, 120_000)
afterAll(async () => t.close())

/**
 * /health and /ping are for load balancers and monitors (JSON, no session): they are mounted
 * before the page middleware, so they are held to the machine-endpoint rules only.
 */
const MACHINE = new Set(['GET /health', 'GET /ping'])

type Res = { status: number; headers: Record<string, string | string[] | undefined> }

function checkHeaders(label: string, res: Res): string[] {
  const h = res.headers
  const problems: string[] = []
  if (!String(h['permissions-policy'] ?? '').includes('camera=()')) problems.push('Permissions-Policy')
  if (MACHINE.has(label.split(' ').slice(0, 2).join(' '))) {
    if (h['cache-control'] !== 'no-store') problems.push('Cache-Control')
    if (!String(h['content-type']).startsWith('application/json')) problems.push('Content-Type')
    if (h['x-powered-by'] !== undefined) problems.push('X-Powered-By present')
    if (h['set-cookie'] !== undefined) problems.push('sets a cookie')
    return problems.map((p) => `${label} (${res.status}): ${p}`)
  }
  const csp = String(h['content-security-policy'] ?? '')
  if (!csp.includes("default-src 'self'")) problems.push('CSP default-src')
  if (!csp.includes("frame-ancestors 'none'")) problems.push('CSP frame-ancestors')
  if (!csp.includes("object-src 'none'")) problems.push('CSP object-src')
  if (csp.includes('unsafe-inline') || csp.includes('unsafe-eval')) problems.push('CSP unsafe-*')
  if (!String(h['strict-transport-security'] ?? '').includes('max-age=31536000')) problems.push('HSTS')
  if (h['x-content-type-options'] !== 'nosniff') problems.push('nosniff')
  if (h['referrer-policy'] !== 'no-referrer') problems.push('Referrer-Policy')
  if (h['x-frame-options'] === undefined) problems.push('X-Frame-Options')
  if (h['x-powered-by'] !== undefined) problems.push('X-Powered-By present')
  if (h['cache-control'] !== 'no-store') problems.push(`Cache-Control ${String(h['cache-control'])}`)
  if (!/^[0-9a-f-]{36}$/.test(String(h['x-request-id'] ?? ''))) problems.push('X-Request-Id')
  const cookies = ([] as string[]).concat(h['set-cookie'] ?? [])
  for (const c of cookies) {
    if (!/;\s*HttpOnly/i.test(c)) problems.push(`cookie without HttpOnly: ${c.split('=')[0]}`)
    if (!/;\s*SameSite=(Lax|Strict)/i.test(c)) problems.push(`cookie without SameSite: ${c.split('=')[0]}`)
    if (!/;\s*Path=\//i.test(c)) problems.push(`cookie without Path=/: ${c.split('=')[0]}`)
    if (/;\s*Domain=/i.test(c)) problems.push(`cookie with Domain: ${c.split('=')[0]}`)
  }
  return problems.map((p) => `${label} (${res.status}): ${p}`)
}

const values = () => ({
  caseId: f.caseOf[f.children.HSB_LEAD.INVOLVED]!,
  childId: f.children.HSB_LEAD.INVOLVED,
  userId: f.users.SOCIAL_WORKER.id,
})

describe('security headers on every registered route', () => {
  it('signed out: every GET and POST response', async () => {
    const problems: string[] = []
    for (const route of t.registry.routes) {
      const path = concretePath(route, values())
      const res = route.method === 'get' ? await request(t.app).get(path) : await request(t.app).post(path).type('form').send({})
      problems.push(...checkHeaders(`${keyOf(route)} signed out`, res))
    }
    expect(t.registry.routes.length).toBeGreaterThan(20)
    expect(problems).toEqual([])
  })

  it('signed in: every GET, and every POST without a form (refused) and with an empty form', async () => {
    const problems: string[] = []
    let checked = 0
    for (const route of t.registry.routes) {
      if (SESSION_ROUTES.has(keyOf(route))) continue
      const path = concretePath(route, values())
      if (route.method === 'get') {
        problems.push(...checkHeaders(`${keyOf(route)} signed in`, await agent.get(path)))
      } else {
        problems.push(...checkHeaders(`${keyOf(route)} no token`, await agent.post(path).type('form').send({})))
        problems.push(...checkHeaders(`${keyOf(route)} empty form`, await agent.post(path).type('form').send({ _csrf: csrf })))
      }
      checked++
    }
    expect(checked).toBeGreaterThan(20)
    expect(problems).toEqual([])
  })

  it('a 404 for an unregistered path and the static assets carry the page headers (assets may be cached)', async () => {
    const missing = await agent.get('/no-such-page')
    expect(missing.status).toBe(404)
    expect(checkHeaders('GET /no-such-page', missing)).toEqual([])
    const asset = await request(t.app).get('/assets/stylesheets/govuk-frontend.min.css')
    expect(asset.headers['x-content-type-options']).toBe('nosniff')
    expect(String(asset.headers['permissions-policy'])).toContain('camera=()')
    expect(String(asset.headers['content-security-policy'])).toContain("default-src 'self'")
  })
})
