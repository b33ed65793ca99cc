import fc from 'fast-check'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '../../src/platform/access/roles.js'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'
import { concretePath, keyOf, SESSION_ROUTES } from './route-params.js'

/**
 * Fuzzed input on every POST form in the registry: the form's own field names (read from its
 * page when it has one) and others, filled with generated text (unicode, control characters,
 * huge values, markup, SQL, repeated and bracketed keys). Whatever arrives: never a 5xx.
 * FUZZ_RUNS inputs per form (the full run: FUZZ_RUNS=1000).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 25)
const ROLES: Role[] = ['TEAM_MANAGER', 'HSB_LEAD', 'SOCIAL_WORKER', 'SYSTEM_ADMINISTRATOR']

let t: TestApp
let f: Fixtures
const agents = new Map<Role, TestAgent>()
const csrf = new Map<Role, string>()

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  for (const role of ROLES) {
    const agent = await signIn(t, f.users[role])
    agents.set(role, agent)
    csrf.set(role, await csrfFor(agent))
  }
}, 180_000)
afterAll(async () => t.close())

const values = () => ({
  caseId: f.caseOf[f.children.TEAM_MANAGER.SAME_TEAM]!,
  childId: f.children.TEAM_MANAGER.SAME_TEAM,
  userId: f.users.REFERRER.id,
})

/** The names of the fields on the page that shows a form (GET on the same path), if any. */
async function fieldNames(path: string): Promise<string[]> {
  const page = await agents.get('HSB_LEAD')!.get(path)
  return [...new Set([...page.text.matchAll(/name="([^"]+)"/g)].map((m) => m[1]!).filter((n) => n !== '_csrf'))]
}

const nasty = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '99999999999999999999',
    '1e309',
    'NaN',
    'null',
    'undefined',
    'true',
    '[]',
    '{}',
    "' OR '1'='1",
    '1; DROP TABLE child;--',
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    '../../etc/passwd',
    '%00',
    '\u0000',
    '\uFFFF',
    '\uD800',
    '2026-02-30',
    '31',
    '13',
    '00:00',
    '24:61',
    '00000000-0000-0000-0000-000000000000',
    '=1+1',
    '@SUM(A1)',
  ),
  fc.string({ maxLength: 20 }).map((s) => s.repeat(500)),
)

describe('fuzzed input on every POST form', () => {
  it(
    `never answers with a 5xx (${RUNS} inputs per form)`,
    async () => {
      const forms = t.registry.routes.filter((r) => r.method === 'post' && !SESSION_ROUTES.has(keyOf(r)))
      expect(forms.length).toBeGreaterThan(15)
      const failures: string[] = []
      let sent = 0
      for (const route of forms) {
        const path = concretePath(route, values())
        const known = await fieldNames(path.replace(/\/(finalise|addenda)$/, ''))
        const field = known.length
          ? fc.oneof(
              fc.constantFrom(...known),
              fc.string({ maxLength: 12 }),
              fc.constantFrom('__proto__', 'constructor', 'a[b]', 'a[]', 'version', 'form-key'),
            )
          : fc.string({ maxLength: 12 })
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom(...ROLES),
            fc.array(fc.tuple(field, fc.oneof(nasty, fc.array(nasty, { maxLength: 3 }))), { maxLength: 12 }),
            async (role, pairs) => {
              const body = new URLSearchParams([['_csrf', csrf.get(role)!]])
              for (const [k, v] of pairs) for (const one of ([] as string[]).concat(v)) body.append(k, one)
              const res = await agents.get(role)!.post(path).type('form').send(body.toString())
              sent++
              if (res.status >= 500) failures.push(`${role} ${keyOf(route)} → ${res.status} with ${body.toString().slice(0, 300)}`)
            },
          ),
          { numRuns: RUNS },
        )
      }
      expect(sent).toBe(forms.length * RUNS)
      expect(failures).toEqual([])
    },
    Math.max(900_000, RUNS * 2_000),
  )
})
