import { pino } from 'pino'
import request from 'supertest'
import type TestAgent from 'supertest/lib/agent.js'
import { createApp } from '../../src/app.js'
import { createServices } from '../../src/composition.js'
import { loadConfig, type Config } from '../../src/config.js'
import { currentStep, currentTotpCode } from '../../src/platform/auth/totp.js'
import { createTestDatabase } from './database.js'
import { TEST_PASSWORD } from './fixtures.js'

export type TestApp = Awaited<ReturnType<typeof createTestApp>>

/** The real app with real services on a fresh database. */
export async function createTestApp(env: Record<string, string> = {}) {
  const handle = await createTestDatabase()
  const config: Config = loadConfig({
    NODE_ENV: 'test',
    SESSION_SECRET: 'test-session-secret-that-is-long-enough-0123456789',
    DEMO_MODE: 'false',
    LOG_LEVEL: 'silent',
    ...env,
  })
  const services = await createServices(config, handle)
  const { app, registry } = createApp(config, services, pino({ level: 'silent' }))
  return { app, registry, services, config, handle, close: () => handle.close() }
}

/** Pulls the CSRF token out of a rendered page. */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html)
  if (!match?.[1]) throw new Error('No CSRF token on the page')
  return match[1]
}

/** A code the server will accept now: the current step, or the next one if this step was used. */
export async function nextTotpCode(services: TestApp['services'], userId: string, secret: string): Promise<string> {
  const row = await services.db.selectFrom('appUser').select('totpLastStep').where('id', '=', userId).executeTakeFirstOrThrow()
  const last = row.totpLastStep === null ? null : Number(row.totpLastStep)
  const step = currentStep()
  if (last !== null && last >= step + 1) {
    await new Promise((r) => setTimeout(r, ((last + 1) * 30 - Date.now() / 1000) * 1000 + 50))
    return nextTotpCode(services, userId, secret)
  }
  const at = last !== null && last >= step ? (step + 1) * 30_000 : Date.now()
  return currentTotpCode(secret, at)
}

/** Signs a person in through the real pages (password, then TOTP) and returns the agent. */
export async function signIn(
  testApp: TestApp,
  user: { id: string; email: string; totpSecret: string },
  password = TEST_PASSWORD,
): Promise<TestAgent> {
  const agent = request.agent(testApp.app)
  const page = await agent.get('/sign-in')
  const csrf = csrfFrom(page.text)
  const step1 = await agent.post('/sign-in').type('form').send({ _csrf: csrf, email: user.email, password })
  if (step1.status !== 302 || step1.headers.location !== '/sign-in/code') {
    throw new Error(`Password step failed: ${step1.status}`)
  }
  const codePage = await agent.get('/sign-in/code')
  const code = await nextTotpCode(testApp.services, user.id, user.totpSecret)
  const step2 = await agent
    .post('/sign-in/code')
    .type('form')
    .send({ _csrf: csrfFrom(codePage.text), code })
  if (step2.status !== 302) throw new Error(`MFA step failed: ${step2.status}`)
  return agent
}

/** The CSRF token for a signed-in agent (from any page that shows the sign-out form). */
export async function csrfFor(agent: TestAgent): Promise<string> {
  const page = await agent.get('/accessibility')
  return csrfFrom(page.text)
}

/**
 * Signs a demo person in as a visitor would (demo mode): the password, then the code the demo
 * security-code page shows. A code is taken once: sign each person in once per test file.
 */
export async function signInAsDemo(testApp: TestApp, email: string, password: string): Promise<TestAgent> {
  const agent = request.agent(testApp.app)
  const page = await agent.get('/sign-in')
  const step1 = await agent
    .post('/sign-in')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), email, password })
  if (step1.headers.location !== '/sign-in/code') throw new Error(`Password step for ${email}: ${step1.status} ${step1.headers.location}`)
  const codePage = await agent.get('/sign-in/code')
  const code = /data-qa="demo-code">(\d{6})</.exec(codePage.text)?.[1]
  const res = await agent
    .post('/sign-in/code')
    .type('form')
    .send({ _csrf: csrfFrom(codePage.text), code })
  if (res.status !== 302) throw new Error(`Code step for ${email}: ${res.status}`)
  return agent
}
