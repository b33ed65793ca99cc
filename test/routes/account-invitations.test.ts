import { sql } from 'kysely'
import request from 'supertest'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { transaction } from '../../src/platform/db/transaction.js'
import { invitationEmail } from '../../src/platform/email/email.rules.js'
import { createTestApp, csrfFor, csrfFrom, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'

/**
 * Separation of duties (issue 14): an administrator never knows another person's password. The
 * account they make gets an emailed, one-time link; the person sets their own password with it.
 */
let t: TestApp
let f: Fixtures
let admin: TestAgent
let adminCsrf: string

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  admin = await signIn(t, f.users.SYSTEM_ADMINISTRATOR)
  adminCsrf = await csrfFor(admin)
}, 120_000)
afterAll(async () => t.close())

const asSystem = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)
const GOOD_PASSWORD = 'lantern-orchard-pebble-91'

async function createPerson(email: string) {
  const res = await admin
    .post('/admin/users/new')
    .type('form')
    .send({
      _csrf: adminCsrf,
      displayName: 'Invited Person',
      email,
      agency: f.agencyIds.csc,
      roles: ['ANALYST'],
      password: 'admin-chosen-secret-1',
    })
  expect(res.status).toBe(302)
  return (res.headers.location as string).split('/').pop()!
}

/** The link's secret, as the email to the person carries it (and nowhere else). */
async function emailedToken(userId: string) {
  const rows = await asSystem((trx) =>
    sql<{ linkToken: string | null; toAddress: string }>`
      SELECT o.link_token, o.to_address FROM email_outbox o JOIN notification n ON n.id = o.notification_id
      WHERE o.user_id = ${userId} AND n.kind = 'ACCOUNT_INVITATION' ORDER BY o.created_at DESC, o.id`.execute(trx),
  )
  return rows.rows[0]!
}

describe('an account made by an administrator', () => {
  it('has no password the administrator chose: the person is emailed a link and sets their own', async () => {
    const userId = await createPerson('invited.person@fixture.example')
    const account = await asSystem((trx) =>
      trx.selectFrom('appUser').select('passwordHash').where('id', '=', userId).executeTakeFirstOrThrow(),
    )
    expect(account.passwordHash).toBeNull()

    const { linkToken, toAddress } = await emailedToken(userId)
    expect(toAddress).toBe('invited.person@fixture.example')
    expect(linkToken).toMatch(/^[A-Za-z0-9_-]{40,}$/)
    const email = invitationEmail('https://hsb.example', linkToken!)
    expect(email.text).toContain(`https://hsb.example/account/set-up?invitation=${linkToken}`)
    expect(email.text).not.toContain('Invited Person')

    // The administrator never sees the link.
    const page = await admin.get(`/admin/users/${userId}`)
    expect(page.text).toContain('We have emailed them a link to set their own password')
    expect(page.text).toContain('Not set yet – invitation emailed')
    expect(page.text).not.toContain(linkToken!)

    const visitor = request.agent(t.app)
    const form = await visitor.get(`/account/set-up?invitation=${linkToken}`)
    expect(form.status).toBe(200)
    expect(form.text).toContain('invited.person@fixture.example')

    const weak = await visitor
      .post('/account/set-up')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), invitation: linkToken, password: 'password1234' })
    expect(weak.status).toBe(400)
    expect(weak.text).toContain('There is a problem')
    expect(weak.text).toContain('Password is too common')
    expect(weak.text).not.toContain('password1234')
    expect(weak.text).toContain(`value="${linkToken}"`)

    const set = await visitor
      .post('/account/set-up')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), invitation: linkToken, password: GOOD_PASSWORD })
    expect(set.status).toBe(302)
    expect(set.headers.location).toBe('/sign-in')

    // The password works (the next step is setting up the authenticator), and the link is used up.
    const signInPage = await visitor.get('/sign-in')
    expect(signInPage.text).toContain('Your password is set')
    const step1 = await visitor
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrfFrom(signInPage.text), email: 'invited.person@fixture.example', password: GOOD_PASSWORD })
    expect(step1.headers.location).toBe('/sign-in/set-up-authenticator')
    const again = await request(t.app).get(`/account/set-up?invitation=${linkToken}`)
    expect(again.status).toBe(404)
    expect(again.text).toContain('This link has already been used')

    const audit = await asSystem((trx) =>
      trx
        .selectFrom('auditLog')
        .select(['userId', 'outcome'])
        .where('action', '=', 'account:set-password')
        .where('recordId', '=', userId)
        .execute(),
    )
    expect(audit).toEqual([{ userId, outcome: 'ALLOWED' }])
  })

  it('refuses a made-up link and an expired one, saying so without naming anyone', async () => {
    const made = await request(t.app).get('/account/set-up?invitation=not-a-real-link')
    expect(made.status).toBe(404)
    expect(made.text).toContain('This link does not work')

    const userId = await createPerson('expired.invite@fixture.example')
    const { linkToken } = await emailedToken(userId)
    await asSystem((trx) =>
      sql`UPDATE account_invitation SET created_at = now() - interval '9 days', expires_at = now() - interval '1 day' WHERE user_id = ${userId}`.execute(
        trx,
      ),
    )
    const expired = await request(t.app).get(`/account/set-up?invitation=${linkToken}`)
    expect(expired.status).toBe(404)
    expect(expired.text).toContain('This link has expired')
    expect(expired.text).not.toContain('expired.invite@fixture.example')
  })

  it('gets a new link from the administrator, and the older link stops working', async () => {
    const userId = await createPerson('second.link@fixture.example')
    const first = (await emailedToken(userId)).linkToken!
    const res = await admin.post(`/admin/users/${userId}/invitation`).type('form').send({ _csrf: adminCsrf })
    expect(res.status).toBe(302)
    const second = (await emailedToken(userId)).linkToken!
    expect(second).not.toBe(first)
    expect((await request(t.app).get(`/account/set-up?invitation=${first}`)).status).toBe(404)
    expect((await request(t.app).get(`/account/set-up?invitation=${second}`)).status).toBe(200)
  })
})
