import { sql } from 'kysely'
import request from 'supertest'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ACCOUNT_FAILURE_LIMIT,
  CLIENT_FLOOD_LIMIT,
  PAIR_FAILURE_LIMIT,
  SECURITY_CODE_LIMIT,
  SECURITY_CODE_LOCK_MS,
} from '../../src/platform/auth/auth.service.js'
import { currentStep, currentTotpCode } from '../../src/platform/auth/totp.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { HttpError } from '../../src/platform/http/errors.js'
import { createTestApp, csrfFrom, nextTotpCode, signIn, type TestApp } from '../support/app.js'
import { createFixtures, TEST_PASSWORD, type Fixtures, type FixtureUser } from '../support/fixtures.js'

// Issue 14: security codes could be guessed without end (five wrong codes ended the session, a
// new sign-in gave five more), and 50 failed sign-ins from one address locked out everyone at it.

let t: TestApp
let f: Fixtures
beforeAll(async () => {
  // Behind a proxy, so each attempt can come from its own client address.
  t = await createTestApp({ TRUST_PROXY: 'true' })
  f = await createFixtures(t.services)
})
afterAll(async () => t.close())

async function passwordStep(email: string, password: string, ip: string) {
  const agent = request.agent(t.app)
  const page = await agent.get('/sign-in')
  const res = await agent
    .post('/sign-in')
    .set('X-Forwarded-For', ip)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), email, password })
  return { agent, res }
}

/** The password step done right: the agent is at the security code step, with its form token. */
async function atCodeStep(user: FixtureUser, ip = '10.50.0.1'): Promise<{ agent: TestAgent; csrf: string }> {
  const { agent, res } = await passwordStep(user.email, TEST_PASSWORD, ip)
  expect(res.headers.location).toBe('/sign-in/code')
  // The sign-in page, not the code page, so that looking at the form never ends a locked sign-in.
  const page = await agent.get('/sign-in')
  return { agent, csrf: csrfFrom(page.text) }
}

/** A 6-digit code the server would not accept now (none of the steps either side). */
async function wrongCodeFor(secret: string): Promise<string> {
  const step = currentStep()
  const valid = await Promise.all([step - 1, step, step + 1, step + 2].map((s) => currentTotpCode(secret, s * 30_000)))
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0')
    if (!valid.includes(code)) return code
  }
}

const postCode = (agent: TestAgent, csrf: string, code: string) => agent.post('/sign-in/code').type('form').send({ _csrf: csrf, code })

/** Enters `count` wrong codes in one sign-in; returns the last answer. */
async function wrongCodes(user: FixtureUser, count: number) {
  const { agent, csrf } = await atCodeStep(user)
  let last
  for (let i = 0; i < count; i++) last = await postCode(agent, csrf, await wrongCodeFor(user.totpSecret))
  return { agent, csrf, last: last! }
}

/** Locks the account's codes over three separate sign-ins (none reaching the per-sign-in limit of five). */
async function lockOverThreeSignIns(user: FixtureUser) {
  const first = await wrongCodes(user, 4)
  expect(first.last.status).toBe(400)
  const second = await wrongCodes(user, 4)
  expect(second.last.status).toBe(400)
  expect(SECURITY_CODE_LIMIT - 8).toBeGreaterThan(0)
  const third = await wrongCodes(user, SECURITY_CODE_LIMIT - 8)
  return third.last
}

const system = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)
const events = (userId: string) =>
  system((trx) => trx.selectFrom('userEvent').select(['kind', 'actorId', 'detail']).where('userId', '=', userId).orderBy('id').execute())
const audits = (recordId: string, action: string) =>
  system((trx) =>
    trx
      .selectFrom('auditLog')
      .select(['userId', 'outcome', 'detail'])
      .where('recordId', '=', recordId)
      .where('action', '=', action)
      .orderBy('id')
      .execute(),
  )
const lockRow = (userId: string) =>
  system((trx) => trx.selectFrom('securityCodeLock').selectAll().where('userId', '=', userId).executeTakeFirst())
const lockNotices = (userId: string) =>
  system((trx) =>
    trx
      .selectFrom('notification')
      .select(['userId', 'kind', 'id'])
      .where('kind', '=', 'ACCOUNT_LOCKED')
      .where('dedupeKey', 'like', `account-locked:${userId}:%`)
      .execute(),
  )

describe('security codes: a limit per account, across sign-ins', () => {
  it('locks the account after too many wrong codes over separate sign-ins, refuses even the right code, and tells the privacy officer', async () => {
    const user = f.users.AIM_PRACTITIONER
    const locked = await lockOverThreeSignIns(user)
    expect(locked.status).toBe(429)
    expect(locked.text).toContain('Your account is temporarily locked')
    expect(locked.text).toContain('Contact your administrator')

    // A fresh sign-in with the right password and the right code: still refused while locked.
    const { agent, csrf } = await atCodeStep(user, '10.50.0.2')
    const right = await postCode(agent, csrf, await nextTotpCode(t.services, user.id, user.totpSecret))
    expect(right.status).toBe(429)
    expect(right.text).toContain('Your account is temporarily locked')
    expect((await agent.get('/')).headers.location).toBe('/sign-in')
    // The code page says so before asking.
    const again = await atCodeStep(user, '10.50.0.3')
    const codePage = await again.agent.get('/sign-in/code')
    expect(codePage.status).toBe(429)
    expect(codePage.text).toContain('Your account is temporarily locked')

    const row = await lockRow(user.id)
    expect(row?.wrongCodes).toBe(SECURITY_CODE_LIMIT)
    expect(row?.lockedUntil && row.lockedUntil.getTime() - row.lockedAt!.getTime()).toBe(SECURITY_CODE_LOCK_MS)
    // The person's history has each wrong code and the lock.
    const history = await events(user.id)
    expect(history.filter((e) => e.kind === 'SECURITY_CODE_WRONG')).toHaveLength(SECURITY_CODE_LIMIT)
    expect(history.filter((e) => e.kind === 'SECURITY_CODES_LOCKED')).toHaveLength(1)
    // Audited: each wrong code, the lock, and the right code refused while locked.
    const mfa = await audits(user.id, 'sign-in:mfa')
    expect(mfa.filter((r) => r.outcome === 'DENIED' && typeof r.detail.wrongCodes === 'number')).toHaveLength(SECURITY_CODE_LIMIT)
    expect(mfa.some((r) => r.outcome === 'DENIED' && r.detail.locked === true)).toBe(true)
    expect(mfa.some((r) => r.outcome === 'ALLOWED')).toBe(false)
    expect(await audits(user.id, 'security-codes:lock')).toHaveLength(1)
    // The partnership's privacy officer is told (in the service and by email), nobody else.
    const notices = await lockNotices(user.id)
    expect(notices.map((n) => n.userId)).toEqual([f.users.PRIVACY_OFFICER.id])
    const emails = await system((trx) =>
      sql<{ kind: string }>`SELECT kind FROM email_outbox WHERE notification_id = ${notices[0]!.id}`.execute(trx),
    )
    expect(emails.rows.map((e) => e.kind)).toEqual(['ACCOUNT_LOCKED'])
  })

  it('locks again at the next wrong code once a lock runs out, and lets the right code in after it', async () => {
    const user = f.users.YOS_OFFICER
    expect((await lockOverThreeSignIns(user)).status).toBe(429)
    const runOut = () =>
      system((trx) =>
        trx
          .updateTable('securityCodeLock')
          .set({ lockedUntil: new Date(Date.now() - 1000) })
          .where('userId', '=', user.id)
          .execute(),
      )
    await runOut()
    const next = await wrongCodes(user, 1)
    expect(next.last.status).toBe(429)
    expect(await audits(user.id, 'security-codes:lock')).toHaveLength(2)
    expect(await lockNotices(user.id)).toHaveLength(2)

    await runOut()
    await signIn(t, user)
    expect(await lockRow(user.id)).toBeUndefined()
  })

  it('resets the count when the right code is entered', async () => {
    const user = f.users.ANALYST
    const { agent, csrf } = await atCodeStep(user)
    for (let i = 0; i < 4; i++) expect((await postCode(agent, csrf, await wrongCodeFor(user.totpSecret))).status).toBe(400)
    expect((await lockRow(user.id))?.wrongCodes).toBe(4)
    expect((await postCode(agent, csrf, await nextTotpCode(t.services, user.id, user.totpSecret))).status).toBe(302)
    expect(await lockRow(user.id)).toBeUndefined()
    await wrongCodes(user, 1)
    expect((await lockRow(user.id))?.wrongCodes).toBe(1)
  })

  it('is unlocked by another person, who is recorded, and never by the locked person', async () => {
    const user = f.users.BOARD_MEMBER
    expect((await lockOverThreeSignIns(user)).status).toBe(429)
    const auth = t.services.auth
    const status = await auth.securityCodeStatus(f.partnershipId, user.id)
    expect(status.wrongCodes).toBe(SECURITY_CODE_LIMIT)
    expect(status.lockedUntil!.getTime()).toBeGreaterThan(Date.now())

    const self = await auth.unlockSecurityCodes({ id: user.id, partnershipId: f.partnershipId }, user.id, 'req-self-unlock').catch((e) => e)
    expect(self).toBeInstanceOf(HttpError)
    expect((self as HttpError).status).toBe(403)
    expect((await lockRow(user.id))?.lockedUntil).toBeTruthy()
    const denied = await audits(user.id, 'security-codes:unlock')
    expect(denied.map((r) => [r.userId, r.outcome])).toEqual([[user.id, 'DENIED']])
    // Someone outside the partnership finds no such person.
    const stranger = await auth
      .unlockSecurityCodes({ id: f.users.SYSTEM_ADMINISTRATOR.id, partnershipId: f.otherPartnershipId }, user.id, null)
      .catch((e) => e)
    expect((stranger as HttpError).status).toBe(404)
    expect((await lockRow(user.id))?.lockedUntil).toBeTruthy()

    const admin = f.users.SYSTEM_ADMINISTRATOR
    expect(await auth.unlockSecurityCodes({ id: admin.id, partnershipId: f.partnershipId }, user.id, 'req-unlock')).toEqual({
      wasLocked: true,
    })
    expect(await lockRow(user.id)).toBeUndefined()
    expect(await auth.securityCodeStatus(f.partnershipId, user.id)).toEqual({ wrongCodes: 0, lockedUntil: null })
    const unlocked = (await events(user.id)).filter((e) => e.kind === 'SECURITY_CODES_UNLOCKED')
    expect(unlocked.map((e) => e.actorId)).toEqual([admin.id])
    expect((await audits(user.id, 'security-codes:unlock')).map((r) => [r.userId, r.outcome])).toEqual([
      [user.id, 'DENIED'],
      [admin.id, 'ALLOWED'],
    ])
    // The person signs in again with the right code.
    await signIn(t, user)
  })
})

describe('password throttle: by account and address together', () => {
  it('does not lock out other people at an address where someone keeps guessing', async () => {
    const guessed = f.users.SOCIAL_WORKER
    const colleague = f.users.TEAM_MANAGER
    const ip = '10.60.0.1'
    for (let i = 0; i < PAIR_FAILURE_LIMIT; i++) expect((await passwordStep(guessed.email, `wrong-guess-${i}-x`, ip)).res.status).toBe(400)
    // More than 50 failed sign-ins from the one address, for other (unknown) accounts.
    const statuses: number[] = []
    for (let i = 0; i < 50; i++) statuses.push((await passwordStep(`guess-${i}@fixture.example`, `wrong-guess-${i}-x`, ip)).res.status)
    // A colleague at the same address still signs in…
    const own = await passwordStep(colleague.email, TEST_PASSWORD, ip)
    expect(own.res.status).toBe(302)
    expect(own.res.headers.location).toBe('/sign-in/code')
    // …every guess was simply wrong, and the guessed account is throttled from there.
    expect(new Set(statuses)).toEqual(new Set([400]))
    expect((await passwordStep(guessed.email, TEST_PASSWORD, ip)).res.status).toBe(429)
  })

  it('never lets a flood of guesses from an address stop someone there with no failure of their own', async () => {
    const ip = '10.60.0.9'
    // A flood past the address's ceiling (written directly: a thousand real sign-ins take minutes).
    await transaction(t.services.db, 'system', (trx) =>
      trx
        .insertInto('signInFailure')
        .values(Array.from({ length: CLIENT_FLOOD_LIMIT + 5 }, (_, i) => ({ emailHash: `flood-${i}`, clientKey: ip })))
        .execute(),
    )
    const own = await passwordStep(f.users.YOS_OFFICER.email, TEST_PASSWORD, ip)
    expect(own.res.status).toBe(302)
    expect(own.res.headers.location).toBe('/sign-in/code')
    // Someone who has failed from there too meets the ceiling.
    expect((await passwordStep(f.users.ANALYST.email, 'wrong-guess-flood-x', ip)).res.status).toBe(400)
    expect((await passwordStep(f.users.ANALYST.email, TEST_PASSWORD, ip)).res.status).toBe(429)
  })

  it('still throttles an account whose password is guessed from many addresses', async () => {
    const target = f.users.HSB_LEAD
    const perAddress = PAIR_FAILURE_LIMIT - 1
    const addresses = Math.ceil(ACCOUNT_FAILURE_LIMIT / perAddress)
    for (let a = 0; a < addresses; a++)
      for (let i = 0; i < perAddress; i++)
        expect((await passwordStep(target.email, `wrong-guess-${a}-${i}`, `10.70.0.${a + 1}`)).res.status).toBe(400)
    // Even the right password, from an address never used before, must wait.
    const blocked = await passwordStep(target.email, TEST_PASSWORD, '10.70.1.1')
    expect(blocked.res.status).toBe(429)
    expect(blocked.res.text).toContain('too many attempts')
    // Another account at that address is not affected.
    expect((await passwordStep(f.users.REFERRER.email, TEST_PASSWORD, '10.70.1.1')).res.status).toBe(302)
  })
})
