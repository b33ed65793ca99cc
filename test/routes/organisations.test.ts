import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { transaction } from '../../src/platform/db/transaction.js'
import { directory } from '../../src/platform/organisation/directory.js'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'

let t: TestApp
let f: Fixtures
let admin: TestAgent
let manager: TestAgent
let csrf: string
let managerCsrf: string

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  admin = await signIn(t, f.users.SYSTEM_ADMINISTRATOR)
  csrf = await csrfFor(admin)
  manager = await signIn(t, f.users.PARTNERSHIP_BUSINESS_MANAGER)
  managerCsrf = await csrfFor(manager)
}, 120_000)
afterAll(async () => t.close())

const asSystem = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)
const post = (path: string, body: Record<string, unknown>, agent = admin, token = csrf) =>
  agent
    .post(path)
    .type('form')
    .send({ _csrf: token, ...body })
const BASE = '/admin/organisations'
const idFrom = (location: string) => location.split('/').pop()!
const key = () => crypto.randomUUID()
/** The hidden version an edit or retire page carries. */
const versionOn = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1]

async function addAgency(name: string, kind = 'VOLUNTARY') {
  const res = await post(`${BASE}/agencies/new`, { name, kind, 'form-key': key() })
  expect(res.status, res.text).toBe(302)
  return idFrom(res.headers.location!)
}
async function addTeam(name: string, agency: string, frontDoor = 'no') {
  const res = await post(`${BASE}/teams/new`, { name, agency, frontDoor, 'form-key': key() })
  expect(res.status, res.text).toBe(302)
  return idFrom(res.headers.location!)
}
async function auditActions(recordId: string) {
  const rows = await asSystem((trx) =>
    trx.selectFrom('auditLog').select(['action', 'outcome', 'userId']).where('recordId', '=', recordId).orderBy('occurredAt').execute(),
  )
  return rows
}

describe('the list of organisations', () => {
  it('shows every agency with its teams to a system administrator and the business manager', async () => {
    for (const agent of [admin, manager]) {
      const res = await agent.get(BASE)
      expect(res.status).toBe(200)
      expect(res.text).toContain('<h1 class="govuk-heading-l">Organisations</h1>')
      expect(res.text).toContain('Fixture Police')
      expect(res.text).toContain('Team for POLICE_OFFICER')
      expect(res.text).toContain('Police')
      expect(res.text).toContain(`href="${BASE}/agencies/new"`)
      expect(res.text).toContain('href="/admin/organisations"') // the navigation item
    }
  })

  it('is refused to every other role, and the refusal is audited', async () => {
    const lead = await signIn(t, f.users.HSB_LEAD)
    expect((await lead.get(BASE)).status).toBe(403)
    const leadCsrf = await csrfFor(lead)
    const refused = await post(`${BASE}/agencies/new`, { name: 'Sneaky Agency', kind: 'OTHER', 'form-key': key() }, lead, leadCsrf)
    expect(refused.status).toBe(403)
    expect((await lead.get('/')).text).not.toContain('href="/admin/organisations"')
    const denied = await asSystem((trx) =>
      trx.selectFrom('auditLog').select('outcome').where('userId', '=', f.users.HSB_LEAD.id).where('outcome', '=', 'DENIED').execute(),
    )
    expect(denied.length).toBeGreaterThanOrEqual(2)
    const names = await asSystem((trx) => directory().agencies(trx, f.partnershipId, { includeRetired: true }))
    expect(names.map((a) => a.name)).not.toContain('Sneaky Agency')
  })
})

describe('adding an agency', () => {
  it('adds it with its kind, shows it in its history and audits it', async () => {
    const id = await addAgency('Kestrel Play Project', 'VOLUNTARY')
    const page = await admin.get(`${BASE}/agencies/${id}`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Kestrel Play Project')
    expect(page.text).toContain('Voluntary sector')
    expect(page.text).toContain('Added as “Kestrel Play Project” (Voluntary sector)')
    expect(page.text).toContain('Fixture SYSTEM_ADMINISTRATOR')
    expect(await auditActions(id)).toEqual([{ action: 'organisation:added', outcome: 'ALLOWED', userId: f.users.SYSTEM_ADMINISTRATOR.id }])
  })

  it('adds one agency when the same form is sent twice', async () => {
    const formKey = key()
    const first = await post(`${BASE}/agencies/new`, { name: 'Twice Sent Trust', kind: 'HEALTH', 'form-key': formKey })
    const second = await post(`${BASE}/agencies/new`, { name: 'Twice Sent Trust', kind: 'HEALTH', 'form-key': formKey })
    expect(second.status).toBe(302)
    expect(second.headers.location).toBe(first.headers.location)
  })

  it('refuses a blank name and a missing kind, beside the fields, keeping what was typed', async () => {
    const res = await post(`${BASE}/agencies/new`, { name: '   ', kind: '', 'form-key': key() })
    expect(res.status).toBe(400)
    expect(res.text).toContain('There is a problem')
    expect(res.text).toContain('href="#name">Enter the agency’s name')
    expect(res.text).toContain('href="#kind">Select the kind of agency')
    const kept = await post(`${BASE}/agencies/new`, { name: 'Half Filled Agency', kind: '', 'form-key': key() })
    expect(kept.status).toBe(400)
    expect(kept.text).toContain('value="Half Filled Agency"')
  })

  it('refuses a name the partnership already has, whatever its case', async () => {
    const res = await post(`${BASE}/agencies/new`, { name: 'fixture  POLICE', kind: 'POLICE', 'form-key': key() })
    expect(res.status).toBe(400)
    expect(res.text).toContain('There is already an agency called “Fixture Police”. Use a different name')
    expect(res.text).toContain('value="fixture  POLICE"')
    expect(res.text).toMatch(/value="POLICE"\s+checked/)
  })
})

describe('changing an agency', () => {
  it('renames it and changes its kind, each change in its history', async () => {
    const id = await addAgency('Renamed Soon Trust', 'HEALTH')
    const form = await admin.get(`${BASE}/agencies/${id}/edit`)
    expect(form.status).toBe(200)
    expect(form.text).toContain('value="Renamed Soon Trust"')
    const res = await post(`${BASE}/agencies/${id}/edit`, { name: 'Renamed Now Trust', kind: 'OTHER', version: versionOn(form.text) })
    expect(res.status).toBe(302)
    const page = await admin.get(`${BASE}/agencies/${id}`)
    expect(page.text).toContain('Renamed from “Renamed Soon Trust” to “Renamed Now Trust”')
    expect(page.text).toContain('Kind changed from Health to Other')
    expect((await auditActions(id)).map((a) => a.action)).toEqual(['organisation:added', 'organisation:renamed+kind_changed'])
  })

  it('refuses a stale edit with the form again: what it says now, what was typed kept', async () => {
    const id = await addAgency('Stale Edit Agency', 'EDUCATION')
    const version = versionOn((await admin.get(`${BASE}/agencies/${id}/edit`).then((r) => r)).text)
    // The business manager renames it first.
    const managerForm = await manager.get(`${BASE}/agencies/${id}/edit`)
    expect(
      (
        await post(
          `${BASE}/agencies/${id}/edit`,
          { name: 'Stale Edit Academy', kind: 'EDUCATION', version: versionOn(managerForm.text) },
          manager,
          managerCsrf,
        )
      ).status,
    ).toBe(302)
    const res = await post(`${BASE}/agencies/${id}/edit`, { name: 'Stale Edit School', kind: 'EDUCATION', version })
    expect(res.status).toBe(409)
    expect(res.text).toContain('This record has changed')
    expect(res.text).toContain('It says now: name “Stale Edit Academy”')
    expect(res.text).toContain('value="Stale Edit School"')
    expect(versionOn(res.text)).toBe(String(Number(version) + 1))
    const page = await admin.get(`${BASE}/agencies/${id}`)
    expect(page.text).toContain('Fixture PARTNERSHIP_BUSINESS_MANAGER')
    expect(page.text).not.toContain('Stale Edit School')
  })

  it('refuses a form without the version its page carried', async () => {
    const id = await addAgency('Versionless Agency')
    expect((await post(`${BASE}/agencies/${id}/edit`, { name: 'Versionless Agency 2', kind: 'VOLUNTARY' })).status).toBe(400)
  })
})

describe('teams', () => {
  it('adds a team to an agency, renames it and makes it the front door, with its history', async () => {
    const team = await addTeam('Harbour Outreach Team', f.agencyIds.csc)
    let page = await admin.get(`${BASE}/teams/${team}`)
    expect(page.text).toContain('Added as “Harbour Outreach Team”')
    expect(page.text).toContain('Fixture Children’s Services')
    const form = await admin.get(`${BASE}/teams/${team}/edit`)
    const res = await post(`${BASE}/teams/${team}/edit`, {
      name: 'Harbour Outreach Service',
      frontDoor: 'yes',
      version: versionOn(form.text),
    })
    expect(res.status).toBe(302)
    page = await admin.get(`${BASE}/teams/${team}`)
    expect(page.text).toContain('Renamed from “Harbour Outreach Team” to “Harbour Outreach Service”')
    expect(page.text).toContain('Made the front door')
    // A front-door team is not retired: another must be the front door first.
    const retire = await admin.get(`${BASE}/teams/${team}/retire`)
    const refused = await post(`${BASE}/teams/${team}/retire`, { version: versionOn(retire.text) })
    expect(refused.status).toBe(409)
    expect(refused.text).toContain('It is the front door: make another team the front door first.')
    // The partnership's only front door stays one.
    const edit = await admin.get(`${BASE}/teams/${team}/edit`)
    const last = await post(`${BASE}/teams/${team}/edit`, {
      name: 'Harbour Outreach Service',
      frontDoor: 'no',
      version: versionOn(edit.text),
    })
    expect(last.status).toBe(400)
    expect(last.text).toContain('This is the only front door team')
  })

  it('refuses a blank name, no agency and a duplicate name in the partnership', async () => {
    const blank = await post(`${BASE}/teams/new`, { name: '', agency: '', frontDoor: 'no', 'form-key': key() })
    expect(blank.status).toBe(400)
    expect(blank.text).toContain('Enter the team’s name')
    expect(blank.text).toContain('Select the team’s agency')
    const dup = await post(`${BASE}/teams/new`, {
      name: 'team for police_officer',
      agency: f.agencyIds.csc,
      frontDoor: 'no',
      'form-key': key(),
    })
    expect(dup.status).toBe(400)
    expect(dup.text).toContain('There is already a team in Fixture Police called “Team for POLICE_OFFICER”')
    expect(dup.text).toContain('value="team for police_officer"')
  })

  it('refuses to retire a team people are still in, saying what to do instead', async () => {
    const team = f.users.SOCIAL_WORKER.teamId
    const page = await admin.get(`${BASE}/teams/${team}`)
    expect(page.text).toContain('Fixture SOCIAL_WORKER')
    const retire = await admin.get(`${BASE}/teams/${team}/retire`)
    const res = await post(`${BASE}/teams/${team}/retire`, { version: versionOn(retire.text) })
    expect(res.status).toBe(409)
    expect(res.text).toContain('1 person is still in it')
    expect(res.text).toContain('Change roles and teams')
  })
})

describe('retiring', () => {
  it('refuses an agency with teams in use or people with accounts, saying what to do instead', async () => {
    const retire = await admin.get(`${BASE}/agencies/${f.agencyIds.police}/retire`)
    const res = await post(`${BASE}/agencies/${f.agencyIds.police}/retire`, { version: versionOn(retire.text) })
    expect(res.status).toBe(409)
    expect(res.text).toContain('This agency cannot be retired yet.')
    expect(res.text).toContain('“Team for POLICE_OFFICER”. Retire it first')
    expect(res.text).toContain('Ask a system administrator to disable')
  })

  it('retires a team then its agency: kept with their history, no longer offered in forms, still named on records', async () => {
    const agency = await addAgency('Sunset Youth Charity', 'VOLUNTARY')
    const team = await addTeam('Sunset Detached Workers', agency)

    // Offered while in use: the new-user form and the directory forms use.
    expect((await admin.get('/admin/users/new')).text).toContain('Sunset Youth Charity')
    expect((await admin.get(`${BASE}/teams/new`)).text).toContain('Sunset Youth Charity')

    const teamRetire = await admin.get(`${BASE}/teams/${team}/retire`)
    expect(teamRetire.text).toContain('Retire Sunset Detached Workers')
    expect((await post(`${BASE}/teams/${team}/retire`, { version: versionOn(teamRetire.text) })).status).toBe(302)
    const retire = await admin.get(`${BASE}/agencies/${agency}/retire`)
    const res = await post(`${BASE}/agencies/${agency}/retire`, { version: versionOn(retire.text) })
    expect(res.status).toBe(302)

    const page = await admin.get(`${BASE}/agencies/${agency}`)
    expect(page.text).toContain('Retired: no longer offered for new records')
    expect(page.text).toContain('Added as “Sunset Youth Charity” (Voluntary sector)')
    expect(page.text).toContain('govuk-tag--grey">Retired')
    expect(page.text).not.toContain(`${BASE}/agencies/${agency}/edit`)
    expect((await admin.get(`${BASE}/teams/${team}`)).text).toContain('Retired: no longer offered for new records')
    expect((await admin.get(`${BASE}/agencies/${agency}/edit`)).status).toBe(409)
    expect((await admin.get(BASE)).text).toContain('Sunset Youth Charity')

    // No longer offered: the new-user form (radios), a new team's agency, and every form through the directory.
    expect((await admin.get('/admin/users/new')).text).not.toContain('Sunset Youth Charity')
    expect((await admin.get(`${BASE}/teams/new`)).text).not.toContain('Sunset Youth Charity')
    const roles = await admin.get(`/admin/users/${f.users.REFERRER.id}/roles`)
    expect(roles.text).not.toContain('Sunset Detached Workers')
    const offered = await asSystem((trx) => directory().agencies(trx, f.partnershipId))
    expect(offered.map((a) => a.id)).not.toContain(agency)
    expect((await asSystem((trx) => directory().teams(trx, f.partnershipId))).map((x) => x.id)).not.toContain(team)
    // Records that hold it still name it.
    const named = await asSystem((trx) => directory().agencies(trx, f.partnershipId, { includeRetired: true }))
    expect(named.find((a) => a.id === agency)?.name).toBe('Sunset Youth Charity')

    // Its name stays taken; a person cannot be given it.
    const again = await post(`${BASE}/agencies/new`, { name: 'SUNSET youth charity', kind: 'VOLUNTARY', 'form-key': key() })
    expect(again.text).toContain('A retired agency is already called “Sunset Youth Charity”')
    const person = await post('/admin/users/new', {
      displayName: 'Late Joiner',
      email: 'late.joiner@fixture.example',
      agency,
      roles: ['REFERRER'],
    })
    expect(person.status).toBe(400)
    expect(person.text).toContain('Select the person’s organisation')

    expect((await auditActions(agency)).map((a) => a.action)).toEqual(['organisation:added', 'organisation:retired'])
    expect((await auditActions(team)).map((a) => a.action)).toEqual(['organisation:added', 'organisation:retired'])
  })

  it('keeps the history append-only for the application', async () => {
    const attempt = transaction(t.services.db, { partnershipId: f.partnershipId }, (trx) =>
      trx.updateTable('organisationChange').set({ changedBy: null }).where('partnershipId', '=', f.partnershipId).execute(),
    )
    await expect(attempt).rejects.toThrow(/permission denied/)
  })
})
