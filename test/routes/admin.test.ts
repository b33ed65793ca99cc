import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFor, csrfFrom, signIn, type TestApp } from '../support/app.js'
import { createFixtures, TEST_PASSWORD, type Fixtures } from '../support/fixtures.js'

let t: TestApp
let f: Fixtures
let admin: TestAgent
let csrf: string

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  admin = await signIn(t, f.users.SYSTEM_ADMINISTRATOR)
  csrf = await csrfFor(admin)
}, 120_000)
afterAll(async () => t.close())

const asSystem = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)

/** A person for a test to act on, so that the fixture people stay as they are. */
async function newPerson(email: string, roles: ('REFERRER' | 'SOCIAL_WORKER')[] = ['REFERRER']) {
  const result = await t.services.admin.service.createUser(
    { system: true, partnershipId: f.partnershipId },
    { displayName: 'Test Person', email, agencyId: f.agencyIds.csc, roles, teamIds: [], password: TEST_PASSWORD },
    null,
  )
  if (!result.ok) throw new Error(result.errors.map((e) => e.text).join('; '))
  return result.value
}

function newUserForm(overrides: Record<string, string | string[]> = {}) {
  return {
    _csrf: csrf,
    displayName: 'Priya Chaudhry',
    email: 'priya.chaudhry@fixture.example',
    agency: f.agencyIds.police,
    roles: ['POLICE_OFFICER', 'TEAM_MANAGER'],
    teams: [f.users.POLICE_OFFICER.teamId],
    password: 'copper-kettle-meadow-77',
    ...overrides,
  }
}

const post = (path: string, body: Record<string, unknown>) => admin.post(path).type('form').send(body)

describe('the list of people', () => {
  it('shows people with their organisation, role labels and status to a system administrator', async () => {
    const res = await admin.get('/admin/users')
    expect(res.status).toBe(200)
    expect(res.text).toContain('<h1 class="govuk-heading-l">Users</h1>')
    expect(res.text).toContain('Fixture SOCIAL_WORKER')
    expect(res.text).toContain('Social worker')
    expect(res.text).toContain('Fixture Police')
    expect(res.text).toContain('govuk-tag--green">Active')
    expect(res.text).toContain('href="/admin/users/new"')
  })

  it('searches by name or email and pages through the results', async () => {
    const byEmail = await admin.get('/admin/users').query({ q: f.users.HSB_LEAD.email })
    expect(byEmail.status).toBe(200)
    expect(byEmail.text).toContain('Fixture HSB_LEAD')
    expect(byEmail.text).not.toContain('Fixture SOCIAL_WORKER')
    expect(byEmail.text).toContain('Showing 1 to 1 of 1 person')
    const none = await admin.get('/admin/users').query({ q: 'nobody-called-this' })
    expect(none.text).toContain('No people match')

    for (let i = 0; i < 26; i++) await newPerson(`paged.${i}@fixture.example`)
    const first = await admin.get('/admin/users').query({ q: 'paged.' })
    expect(first.text).toContain('Showing 1 to 25 of 26 people')
    expect(first.text).toContain('govuk-pagination')
    expect(first.text).toContain('href="/admin/users?q=paged.&amp;page=2"')
    const second = await admin.get('/admin/users').query({ q: 'paged.', page: '2' })
    expect(second.text).toContain('Showing 26 to 26 of 26 people')
    const silly = await admin.get('/admin/users').query({ page: 'abc' })
    expect(silly.status).toBe(200)
  })

  it('is refused to a social worker and a board member', async () => {
    for (const role of ['SOCIAL_WORKER', 'BOARD_MEMBER'] as const) {
      const agent = await signIn(t, f.users[role])
      const res = await agent.get('/admin/users')
      expect(res.status, role).toBe(403)
      expect(res.text).not.toContain('Fixture SYSTEM_ADMINISTRATOR')
      expect((await agent.get('/admin/users/new')).status, role).toBe(403)
    }
  })
})

describe('creating a user', () => {
  it('creates the person, records the event and shows them with a success message', async () => {
    const form = await admin.get('/admin/users/new')
    expect(form.status).toBe(200)
    expect(form.text).toContain('Teams in Fixture Police')
    const res = await post('/admin/users/new', newUserForm())
    expect(res.status).toBe(302)
    const location = res.headers.location as string
    expect(location).toMatch(/^\/admin\/users\/[0-9a-f-]{36}$/)
    const userId = location.split('/').pop()!

    const page = await admin.get(location)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Account created for Priya Chaudhry')
    // Both roles open children's records: they wait for a second person (role-approvals.test.ts).
    expect(page.text).toContain('Waiting for approval')
    expect(page.text).toContain('Police officer, Team manager, asked for by Fixture SYSTEM_ADMINISTRATOR')
    expect(page.text).toContain('Team for POLICE_OFFICER')
    expect(page.text).toContain('No – they set it up when they first sign in')
    expect(page.text).toContain('Account created. Roles:')
    expect(page.text).toContain('Fixture SYSTEM_ADMINISTRATOR')

    const list = await admin.get('/admin/users').query({ q: 'Priya' })
    expect(list.text).toContain('priya.chaudhry@fixture.example')

    const events = await asSystem((trx) => trx.selectFrom('userEvent').select(['kind', 'actorId']).where('userId', '=', userId).execute())
    expect(events).toEqual([
      { kind: 'CREATED', actorId: f.users.SYSTEM_ADMINISTRATOR.id },
      { kind: 'ROLES_REQUESTED', actorId: f.users.SYSTEM_ADMINISTRATOR.id },
      { kind: 'INVITED', actorId: f.users.SYSTEM_ADMINISTRATOR.id },
    ])
    const audit = await asSystem((trx) =>
      trx.selectFrom('auditLog').select('userId').where('action', '=', 'user:create').where('recordId', '=', userId).execute(),
    )
    expect(audit).toEqual([{ userId: f.users.SYSTEM_ADMINISTRATOR.id }])
  })

  it('lists every missing answer and keeps what was typed, except the password', async () => {
    const res = await post('/admin/users/new', {
      _csrf: csrf,
      displayName: 'Half Finished <b>',
      email: '',
      roles: 'HSB_LEAD',
      teams: f.users.HSB_LEAD.teamId,
      password: 'short-secret',
    })
    expect(res.status).toBe(400)
    expect(res.text).toContain('<title>Error: Create a user')
    expect(res.text).toContain('There is a problem')
    expect(res.text).toContain('href="#email"')
    expect(res.text).toContain('Enter the person’s work email address')
    expect(res.text).toContain('Select the person’s organisation')
    expect(res.text).toContain('value="Half Finished &lt;b&gt;"')
    expect(res.text).toMatch(/value="HSB_LEAD" checked/)
    expect(res.text).toMatch(new RegExp(`value="${f.users.HSB_LEAD.teamId}" checked`))
    expect(res.text).not.toContain('short-secret')
  })

  it('refuses an email address another account uses', async () => {
    const res = await post('/admin/users/new', newUserForm({ email: f.users.REFERRER.email.toUpperCase() }))
    expect(res.status).toBe(400)
    expect(res.text).toContain('href="#email"')
    expect(res.text).toContain('Another account already uses this email address')
    expect(res.text).toMatch(new RegExp(`value="${f.agencyIds.police}" checked`))
  })

  it('never takes a password from the administrator: one sent with the form is ignored and the person is invited', async () => {
    const form = await admin.get('/admin/users/new')
    expect(form.text).not.toContain('name="password"')
    const res = await post('/admin/users/new', newUserForm({ email: 'no.admin.password@fixture.example', password: 'admin-knows-this-1' }))
    expect(res.status).toBe(302)
    const row = await asSystem((trx) =>
      trx.selectFrom('appUser').select('passwordHash').where('email', '=', 'no.admin.password@fixture.example').executeTakeFirstOrThrow(),
    )
    expect(row.passwordHash).toBeNull()
  })
})

describe('changing roles and teams', () => {
  it('saves the change and records it in the history', async () => {
    const userId = await newPerson('roles.change@fixture.example')
    const form = await admin.get(`/admin/users/${userId}/roles`)
    expect(form.status).toBe(200)
    expect(form.text).toMatch(/value="REFERRER" checked/)
    const version = /name="version" value="(\d+)"/.exec(form.text)![1]!
    const res = await post(`/admin/users/${userId}/roles`, {
      _csrf: csrfFrom(form.text),
      version,
      roles: ['SOCIAL_WORKER'],
      teams: [f.users.SOCIAL_WORKER.teamId],
    })
    expect(res.status).toBe(302)
    expect(res.headers.location).toBe(`/admin/users/${userId}`)
    // Social worker opens children's records: it waits for a second person; the removal applies now.
    const roles = await asSystem((trx) => trx.selectFrom('userRole').select('role').where('userId', '=', userId).execute())
    expect(roles).toEqual([])
    const page = await admin.get(`/admin/users/${userId}`)
    expect(page.text).toContain('Roles and teams updated')
    expect(page.text).toContain('Roles that open children’s records wait for a head of service or HSB lead to approve them')
    expect(page.text).toContain('Roles removed: Referrer. Teams added: Team for SOCIAL_WORKER.')
    expect(page.text).toContain('waiting for a second person’s approval: Social worker.')
  })

  it('refuses a form someone else changed in the meantime, keeping the ticks', async () => {
    const userId = await newPerson('roles.stale@fixture.example')
    const form = await admin.get(`/admin/users/${userId}/roles`)
    const version = /name="version" value="(\d+)"/.exec(form.text)![1]!
    const first = await post(`/admin/users/${userId}/roles`, { _csrf: csrf, version, roles: ['BOARD_MEMBER'] })
    expect(first.status).toBe(302)
    const stale = await post(`/admin/users/${userId}/roles`, { _csrf: csrf, version, roles: ['LEAD_AUDITOR', 'REFERRER'] })
    expect(stale.status).toBe(409)
    expect(stale.text).toContain('There is a problem')
    expect(stale.text).toContain('Someone else changed this person’s roles or teams while you were editing')
    expect(stale.text).toContain('Their roles now: Board member.')
    expect(stale.text).toMatch(/value="LEAD_AUDITOR" checked/)
    expect(stale.text).not.toMatch(/value="BOARD_MEMBER" checked/)
    const roles = await asSystem((trx) => trx.selectFrom('userRole').select('role').where('userId', '=', userId).execute())
    expect(roles).toEqual([{ role: 'BOARD_MEMBER' }])
  })

  it('asks for at least one role', async () => {
    const userId = await newPerson('roles.none@fixture.example')
    const res = await post(`/admin/users/${userId}/roles`, { _csrf: csrf, version: '0' })
    expect(res.status).toBe(400)
    expect(res.text).toContain('Select at least one role')
  })
})

describe('disabling and enabling', () => {
  it('ends every session the person has, at once', async () => {
    const person = f.users.ANALYST
    const agent = await signIn(t, person)
    // An analyst's home is the insight dashboard.
    expect((await agent.get('/insight')).status).toBe(200)

    const res = await post(`/admin/users/${person.id}/disable`, { _csrf: csrf })
    expect(res.status).toBe(302)
    expect(res.headers.location).toBe(`/admin/users/${person.id}`)

    const after = await agent.get('/insight')
    expect(after.status).toBe(302)
    expect(after.headers.location).toMatch(/^\/sign-in/)
    const sessions = await t.services.db.selectFrom('httpSession').select('sid').where('userId', '=', person.id).execute()
    expect(sessions).toEqual([])

    const page = await admin.get(`/admin/users/${person.id}`)
    expect(page.text).toContain('Fixture ANALYST’s account is disabled')
    expect(page.text).toContain('govuk-tag--grey">Disabled')
    expect(page.text).toContain('Account disabled. 1 session ended.')

    expect((await post(`/admin/users/${person.id}/enable`, { _csrf: csrf })).status).toBe(302)
    const row = await asSystem((trx) =>
      trx.selectFrom('appUser').select('disabledAt').where('id', '=', person.id).executeTakeFirstOrThrow(),
    )
    expect(row.disabledAt).toBeNull()
  })

  it('does not offer to disable your own account', async () => {
    const page = await admin.get(`/admin/users/${f.users.SYSTEM_ADMINISTRATOR.id}`)
    expect(page.text).toContain('You cannot disable your own account')
    expect(page.text).not.toContain('data-qa="disable"')
  })
})

describe('recording training', () => {
  it('refuses an impossible date and keeps what was typed', async () => {
    const userId = await newPerson('training.bad@fixture.example')
    const res = await post(`/admin/users/${userId}/training/new`, {
      _csrf: csrf,
      model: 'AIM3',
      'completed-day': '31',
      'completed-month': '2',
      'completed-year': '2025',
    })
    expect(res.status).toBe(400)
    expect(res.text).toContain('href="#completed-day"')
    expect(res.text).toContain('Date the training was completed must be a real date')
    expect(res.text).toMatch(/id="completed-day" name="completed-day" type="text" value="31"/)
    expect(res.text).toMatch(/value="AIM3" checked/)
  })

  it('refuses a completion date in the future and an expiry that is not after completion', async () => {
    const userId = await newPerson('training.order@fixture.example')
    const future = await post(`/admin/users/${userId}/training/new`, {
      _csrf: csrf,
      model: 'AIM2',
      'completed-day': '1',
      'completed-month': '1',
      'completed-year': String(new Date().getUTCFullYear() + 2),
    })
    expect(future.status).toBe(400)
    expect(future.text).toContain('must be today or in the past')
    const backwards = await post(`/admin/users/${userId}/training/new`, {
      _csrf: csrf,
      model: 'AIM2',
      'completed-day': '1',
      'completed-month': '6',
      'completed-year': '2024',
      'expires-day': '1',
      'expires-month': '6',
      'expires-year': '2024',
    })
    expect(backwards.status).toBe(400)
    expect(backwards.text).toContain('href="#expires-day"')
    expect(backwards.text).toContain('Expiry date must be after the date the training was completed')
  })

  it('records valid training and shows it, with an Expired tag once past', async () => {
    const userId = await newPerson('training.good@fixture.example')
    const res = await post(`/admin/users/${userId}/training/new`, {
      _csrf: csrf,
      model: 'BROOK_TRAFFIC_LIGHT',
      'completed-day': '4',
      'completed-month': '11',
      'completed-year': '2022',
      'expires-day': '4',
      'expires-month': '11',
      'expires-year': '2023',
    })
    expect(res.status).toBe(302)
    const page = await admin.get(`/admin/users/${userId}`)
    expect(page.text).toContain('Training recorded')
    expect(page.text).toContain('Brook Traffic Light Tool')
    expect(page.text).toContain('4 November 2022')
    expect(page.text).toContain('govuk-tag--red">Expired')
    const rows = await asSystem((trx) =>
      trx.selectFrom('trainingRecord').select(['model', 'recordedBy']).where('userId', '=', userId).execute(),
    )
    expect(rows).toEqual([{ model: 'BROOK_TRAFFIC_LIGHT', recordedBy: f.users.SYSTEM_ADMINISTRATOR.id }])
  })
})

describe('requests that are not right', () => {
  it('gives 404 for a malformed or unknown person id', async () => {
    expect((await admin.get('/admin/users/not-a-uuid')).status).toBe(404)
    expect((await admin.get('/admin/users/not-a-uuid/roles')).status).toBe(404)
    expect((await post('/admin/users/not-a-uuid/disable', { _csrf: csrf })).status).toBe(404)
    expect((await admin.get('/admin/users/00000000-0000-4000-8000-000000000000')).status).toBe(404)
  })

  it('refuses a form sent without the CSRF token', async () => {
    const { _csrf: _dropped, ...form } = newUserForm({ email: 'no.csrf@fixture.example' })
    const res = await post('/admin/users/new', form)
    expect(res.status).toBe(403)
    const disable = await post(`/admin/users/${f.users.REFERRER.id}/disable`, {})
    expect(disable.status).toBe(403)
    const rows = await asSystem((trx) =>
      trx
        .selectFrom('appUser')
        .select(['email', 'disabledAt'])
        .where('email', 'in', ['no.csrf@fixture.example', f.users.REFERRER.email])
        .execute(),
    )
    expect(rows).toEqual([{ email: f.users.REFERRER.email, disabledAt: null }])
  })
})
