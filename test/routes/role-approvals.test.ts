import request from 'supertest'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { transaction } from '../../src/platform/db/transaction.js'
import type { NotificationKind } from '../../src/platform/notifications/notifications.js'
import { createTestApp, csrfFor, csrfFrom, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'

/**
 * Separation of duties (issue 14): an administrator cannot give themselves, or anyone, a role
 * that opens children's records on their own say. Such a role waits for a second person (a head
 * of service or HSB lead who is neither the administrator who asked nor the person).
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

/** Each person signed in once for the file: a security code is taken once, so a third sign-in would wait for the next one. */
const agents = new Map<string, Promise<TestAgent>>()
const signedIn = (user: (typeof f.users)[keyof typeof f.users]) => {
  if (!agents.has(user.id)) agents.set(user.id, signIn(t, user))
  return agents.get(user.id)!
}

const asSystem = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)
const rolesOf = async (userId: string) =>
  (await asSystem((trx) => trx.selectFrom('userRole').select('role').where('userId', '=', userId).orderBy('role').execute())).map(
    (r) => r.role,
  )
const auditOf = (action: string, recordId: string) =>
  asSystem((trx) =>
    trx.selectFrom('auditLog').select(['userId', 'outcome']).where('action', '=', action).where('recordId', '=', recordId).execute(),
  )
const noticesOf = (userId: string, kind: NotificationKind) =>
  asSystem((trx) => trx.selectFrom('notification').select('id').where('userId', '=', userId).where('kind', '=', kind).execute())

async function versionOf(agent: TestAgent, userId: string) {
  const form = await agent.get(`/admin/users/${userId}/roles`)
  return { version: /name="version" value="(\d+)"/.exec(form.text)![1]!, csrf: csrfFrom(form.text) }
}

/** A new person, through the administrator's form, asking for `roles`; returns their id. */
async function createThroughForm(email: string, roles: string[]) {
  const res = await admin
    .post('/admin/users/new')
    .type('form')
    .send({
      _csrf: adminCsrf,
      displayName: 'Second Person',
      email,
      agency: f.agencyIds.csc,
      roles,
      teams: [f.users.HEAD_OF_SERVICE.teamId],
      password: 'copper-kettle-meadow-77',
    })
  expect(res.status).toBe(302)
  return (res.headers.location as string).split('/').pop()!
}

const pendingGrantFor = async (userId: string) =>
  (
    await asSystem((trx) =>
      trx
        .selectFrom('roleGrantRequest')
        .select(['id', 'state'])
        .where('userId', '=', userId)
        .where('state', '=', 'PENDING')
        .executeTakeFirst(),
    )
  )?.id

describe('an administrator and their own roles', () => {
  it('refuses an administrator giving themselves the HSB lead role, audits the refusal, and the child stays closed', async () => {
    const self = f.users.SYSTEM_ADMINISTRATOR.id
    expect((await admin.get(`/admin/users/${self}/roles`)).status).toBe(403)
    const res = await admin
      .post(`/admin/users/${self}/roles`)
      .type('form')
      .send({ _csrf: adminCsrf, version: '0', roles: ['SYSTEM_ADMINISTRATOR', 'HSB_LEAD'] })
    expect(res.status).toBe(403)
    expect(res.text).toContain('You cannot change your own roles or teams')
    expect(await rolesOf(self)).toEqual(['SYSTEM_ADMINISTRATOR'])
    expect(await auditOf('user:set-roles', self)).toEqual([{ userId: self, outcome: 'DENIED' }])
    expect((await admin.get(`/children/${f.children.HSB_LEAD.NONE}`)).status).toBe(403)

    const ownPage = await admin.get(`/admin/users/${self}`)
    expect(ownPage.text).toContain('You cannot change your own roles or teams. Ask another system administrator.')
    expect(ownPage.text).not.toContain(`href="/admin/users/${self}/roles"`)
  })
})

describe('a role that opens children’s records', () => {
  it('is held for a second person when an administrator creates a head of service, who then cannot approve anything', async () => {
    const userId = await createThroughForm('second.head@fixture.example', ['HEAD_OF_SERVICE', 'BOARD_MEMBER'])
    // The role that opens no child's record applies at once; the other waits.
    expect(await rolesOf(userId)).toEqual(['BOARD_MEMBER'])
    expect(await pendingGrantFor(userId)).toBeDefined()
    expect(await auditOf('user:request-roles', userId)).toEqual([{ userId: f.users.SYSTEM_ADMINISTRATOR.id, outcome: 'ALLOWED' }])
    // The privacy officer and the approvers are told; the administrator may not decide.
    expect(await noticesOf(f.users.PRIVACY_OFFICER.id, 'ROLE_GRANT_REQUESTED')).toHaveLength(1)
    expect(await noticesOf(f.users.HSB_LEAD.id, 'ROLE_GRANT_REQUESTED')).toHaveLength(1)
    expect((await admin.get('/admin/role-requests')).status).toBe(403)
  })

  it('is granted when a head of service approves, with both people audited and the privacy officer told', async () => {
    const userId = await createThroughForm('approved.worker@fixture.example', ['SOCIAL_WORKER'])
    const grantId = (await pendingGrantFor(userId))!
    const head = await signedIn(f.users.HEAD_OF_SERVICE)
    const list = await head.get('/admin/role-requests')
    expect(list.status).toBe(200)
    expect(list.text).toContain('Second Person')
    expect(list.text).toContain('Social worker')
    expect(list.text).toContain(`action="/admin/role-requests/${grantId}/approve"`)

    const res = await head
      .post(`/admin/role-requests/${grantId}/approve`)
      .type('form')
      .send({ _csrf: csrfFrom(list.text) })
    expect(res.status).toBe(302)
    expect(await rolesOf(userId)).toEqual(['SOCIAL_WORKER'])
    expect(await auditOf('user:approve-roles', grantId)).toEqual([{ userId: f.users.HEAD_OF_SERVICE.id, outcome: 'ALLOWED' }])
    expect(await noticesOf(f.users.PRIVACY_OFFICER.id, 'ROLE_GRANT_DECIDED')).toHaveLength(1)
    expect(await noticesOf(f.users.SYSTEM_ADMINISTRATOR.id, 'ROLE_GRANT_DECIDED')).toHaveLength(1)
    const page = await admin.get(`/admin/users/${userId}`)
    expect(page.text).toContain('Roles approved by a second person: Social worker.')

    // Sent again (back and resend): nothing more happens.
    const again = await head
      .post(`/admin/role-requests/${grantId}/approve`)
      .type('form')
      .send({ _csrf: csrfFrom(list.text) })
    expect(again.status).toBe(302)
    expect((await head.get('/admin/role-requests')).text).toContain('This request has already been decided or withdrawn.')
    expect(await auditOf('user:approve-roles', grantId)).toHaveLength(1)
  })

  it('is not granted when declined', async () => {
    const userId = await createThroughForm('declined.worker@fixture.example', ['POLICE_OFFICER'])
    const grantId = (await pendingGrantFor(userId))!
    const lead = await signedIn(f.users.HSB_LEAD)
    const res = await lead
      .post(`/admin/role-requests/${grantId}/decline`)
      .type('form')
      .send({ _csrf: await csrfFor(lead) })
    expect(res.status).toBe(302)
    expect(await rolesOf(userId)).toEqual([])
    expect(await auditOf('user:decline-roles', grantId)).toEqual([{ userId: f.users.HSB_LEAD.id, outcome: 'ALLOWED' }])
  })

  it('cannot be approved by the person it is for', async () => {
    const head = f.users.HEAD_OF_SERVICE
    const { version, csrf } = await versionOf(admin, head.id)
    const current = await rolesOf(head.id)
    const res = await admin
      .post(`/admin/users/${head.id}/roles`)
      .type('form')
      .send({ _csrf: csrf, version, roles: [...current, 'HSB_LEAD'], teams: [head.teamId] })
    expect(res.status).toBe(302)
    const grantId = (await pendingGrantFor(head.id))!
    // Asking for a role and changing nothing else is recorded as the request alone.
    const kinds = await asSystem((trx) => trx.selectFrom('userEvent').select('kind').where('userId', '=', head.id).execute())
    expect(kinds.map((k) => k.kind)).toEqual(['CREATED', 'ROLES_REQUESTED'])
    const headAgent = await signedIn(head)
    const list = await headAgent.get('/admin/role-requests')
    expect(list.text).toContain('You cannot decide this request')
    const refused = await headAgent
      .post(`/admin/role-requests/${grantId}/approve`)
      .type('form')
      .send({ _csrf: csrfFrom(list.text) })
    expect(refused.status).toBe(403)
    expect(await rolesOf(head.id)).toEqual(current)
    expect(await auditOf('user:approve-roles', grantId)).toEqual([{ userId: head.id, outcome: 'DENIED' }])
  })

  it('is applied at once when the role opens no child’s record', async () => {
    const userId = await createThroughForm('board.only@fixture.example', ['BOARD_MEMBER'])
    expect(await rolesOf(userId)).toEqual(['BOARD_MEMBER'])
    expect(await pendingGrantFor(userId)).toBeUndefined()
  })
})

describe('a person whose security codes are locked', () => {
  it('is unlocked by a system administrator from their page, never by themselves', async () => {
    const userId = f.users.ANALYST.id
    const lockedUntil = new Date(Date.now() + 30 * 60_000)
    await asSystem((trx) =>
      trx
        .insertInto('securityCodeLock')
        .values({ userId, partnershipId: f.partnershipId, wrongCodes: 10, lastWrongAt: new Date(), lockedAt: new Date(), lockedUntil })
        .execute(),
    )
    const page = await admin.get(`/admin/users/${userId}`)
    expect(page.text).toContain('after 10 wrong codes in a row')
    expect(page.text).toContain(`action="/admin/users/${userId}/unlock-security-codes"`)

    const res = await admin.post(`/admin/users/${userId}/unlock-security-codes`).type('form').send({ _csrf: adminCsrf })
    expect(res.status).toBe(302)
    const after = await admin.get(`/admin/users/${userId}`)
    expect(after.text).toContain('Security codes unlocked')
    expect(after.text).toContain('Not locked')
    expect(await auditOf('security-codes:unlock', userId)).toEqual([{ userId: f.users.SYSTEM_ADMINISTRATOR.id, outcome: 'ALLOWED' }])

    const self = f.users.SYSTEM_ADMINISTRATOR.id
    expect((await admin.post(`/admin/users/${self}/unlock-security-codes`).type('form').send({ _csrf: adminCsrf })).status).toBe(403)
    expect(await auditOf('security-codes:unlock', self)).toEqual([{ userId: self, outcome: 'DENIED' }])
  })
})

describe('the escalation the outside test found, end to end', () => {
  it('leaves an administrator with no way to a child’s record: not by their own roles, nor by a second account they made', async () => {
    const self = f.users.SYSTEM_ADMINISTRATOR.id
    // 1. Giving themselves the HSB lead role: refused.
    const own = await admin
      .post(`/admin/users/${self}/roles`)
      .type('form')
      .send({ _csrf: adminCsrf, version: '0', roles: ['SYSTEM_ADMINISTRATOR', 'HSB_LEAD'] })
    expect(own.status).toBe(403)
    // 2. A second person as head of service, with a password the administrator chose: the role waits
    //    for someone else, and the password is not taken.
    const chosen = 'admin-chose-this-password-1'
    const res = await admin
      .post('/admin/users/new')
      .type('form')
      .send({
        _csrf: adminCsrf,
        displayName: 'Shadow Account',
        email: 'shadow.account@fixture.example',
        agency: f.agencyIds.csc,
        roles: ['HEAD_OF_SERVICE'],
        password: chosen,
      })
    expect(res.status).toBe(302)
    const shadowId = (res.headers.location as string).split('/').pop()!
    expect(await rolesOf(shadowId)).toEqual([])
    // 3. Signing in as them with that password fails: the administrator never knew one.
    const visitor = request.agent(t.app)
    const page = await visitor.get('/sign-in')
    const attempt = await visitor
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: 'shadow.account@fixture.example', password: chosen })
    expect(attempt.headers.location).not.toBe('/sign-in/code')
    expect(attempt.headers.location).not.toBe('/sign-in/set-up-authenticator')
    // 4. The administrator cannot approve the request, nor read any child.
    const grantId = (await pendingGrantFor(shadowId))!
    expect((await admin.post(`/admin/role-requests/${grantId}/approve`).type('form').send({ _csrf: adminCsrf })).status).toBe(403)
    expect((await admin.get(`/children/${f.children.HSB_LEAD.NONE}`)).status).toBe(403)
  })
})

describe('administration and children’s records kept apart', () => {
  it('refuses a system administrator who would also have a role that opens children’s records', async () => {
    const res = await admin
      .post('/admin/users/new')
      .type('form')
      .send({
        _csrf: adminCsrf,
        displayName: 'Both Hats',
        email: 'both.hats@fixture.example',
        agency: f.agencyIds.csc,
        roles: ['SYSTEM_ADMINISTRATOR', 'HSB_LEAD'],
      })
    expect(res.status).toBe(400)
    expect(res.text).toContain('A system administrator cannot also have a role that opens children’s records')
  })

  it('holds a new system administrator for a second person too', async () => {
    const userId = await createThroughForm('second.admin@fixture.example', ['SYSTEM_ADMINISTRATOR'])
    expect(await rolesOf(userId)).toEqual([])
    expect(await pendingGrantFor(userId)).toBeDefined()
  })

  it('keeps a waiting request when the form is sent unchanged, and withdraws it when the roles are taken off', async () => {
    const userId = await createThroughForm('withdrawn.request@fixture.example', ['SOCIAL_WORKER'])
    const grantId = (await pendingGrantFor(userId))!
    const unchanged = await versionOf(admin, userId)
    const form = await admin.get(`/admin/users/${userId}/roles`)
    expect(form.text).toMatch(/value="SOCIAL_WORKER" checked/)
    await admin
      .post(`/admin/users/${userId}/roles`)
      .type('form')
      .send({ _csrf: unchanged.csrf, version: unchanged.version, roles: ['SOCIAL_WORKER'], teams: [f.users.HEAD_OF_SERVICE.teamId] })
    expect(await pendingGrantFor(userId)).toBe(grantId)

    const again = await versionOf(admin, userId)
    await admin
      .post(`/admin/users/${userId}/roles`)
      .type('form')
      .send({ _csrf: again.csrf, version: again.version, roles: ['BOARD_MEMBER'] })
    expect(await pendingGrantFor(userId)).toBeUndefined()
    const head = await signedIn(f.users.HEAD_OF_SERVICE)
    const late = await head
      .post(`/admin/role-requests/${grantId}/approve`)
      .type('form')
      .send({ _csrf: await csrfFor(head) })
    expect(late.status).toBe(302)
    expect(await rolesOf(userId)).toEqual(['BOARD_MEMBER'])
  })

  it('refuses an administrator sending themselves a link to set a password', async () => {
    const self = f.users.SYSTEM_ADMINISTRATOR.id
    expect((await admin.post(`/admin/users/${self}/invitation`).type('form').send({ _csrf: adminCsrf })).status).toBe(403)
    expect(await auditOf('user:invite', self)).toEqual([{ userId: self, outcome: 'DENIED' }])
  })
})
