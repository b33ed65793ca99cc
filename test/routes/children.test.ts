import {
  sql,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { childrenRepository } from '../../src/features/children/children.repository.js'
import { childrenService } from '../../src/features/children/children.service.js'
import { nhsCheckDigit, upnCheckLetter } from '../../src/features/children/identifiers.rules.js'
import type { Role } from '../../src/platform/access/roles.js'
import { auditRepository } from '../../src/platform/audit/audit.repository.js'
import { accessGuard } from '../../src/platform/access/authorise.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'

let t: TestApp
let f: Fixtures
const agents = {} as Record<Role, TestAgent>
const csrf = {} as Record<Role, string>
const repo = childrenRepository()

/** Valid numbers in the NHS test range (999…) and valid UPNs: fictional, never issued. */
function nhsNumber(n: number): string {
  for (let k = n; ; k++) {
    const nine = String(999_000_000 + k)
    const check = nhsCheckDigit(nine)
    if (check !== null) return `${nine}${check}`
  }
}
function upn(serial: number): string {
  const twelve = `801200013${String(serial).padStart(3, '0')}`
  return `${upnCheckLetter(twelve)}${twelve}`
}

const JAYDEN = { nhs: nhsNumber(101), upn: upn(101) }
let jaydenId: string
/** A child who displayed the behaviour (the social worker works with him) and the child he harmed (he does not). */
let ashId: string
let harmedId: string
let restrictedId: string

const asSystem = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)
const ROLES: Role[] = ['SOCIAL_WORKER', 'REFERRER', 'HSB_LEAD', 'BOARD_MEMBER', 'POLICE_OFFICER', 'AIM_PRACTITIONER', 'YOS_OFFICER']

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  await transaction(t.services.db, { partnershipId: f.partnershipId }, async (trx) => {
    const p = f.partnershipId
    jaydenId = await repo.insertChild(trx, {
      partnershipId: p,
      givenNames: 'Jayden',
      familyName: 'Smith',
      dateOfBirth: '2013-05-06',
      nhsNumber: JAYDEN.nhs,
      upn: JAYDEN.upn,
    })
    await repo.insertInvolvement(trx, { partnershipId: p, childId: jaydenId, agencyId: f.agencyIds.other, kind: 'INVOLVED' })
    ashId = await repo.insertChild(trx, {
      partnershipId: p,
      givenNames: 'Ash',
      familyName: 'Fernley',
      dateOfBirth: '2010-02-03',
      nhsNumber: nhsNumber(201),
    })
    await repo.insertInvolvement(trx, {
      partnershipId: p,
      childId: ashId,
      agencyId: f.users.SOCIAL_WORKER.agencyId,
      userId: f.users.SOCIAL_WORKER.id,
      kind: 'ALLOCATED',
    })
    harmedId = await repo.insertChild(trx, {
      partnershipId: p,
      givenNames: 'Robin',
      familyName: 'Quayle',
      dateOfBirth: '2012-07-08',
      nhsNumber: nhsNumber(301),
    })
    await repo.insertInvolvement(trx, {
      partnershipId: p,
      childId: harmedId,
      agencyId: f.agencyIds.police,
      userId: f.users.POLICE_OFFICER.id,
      kind: 'INVOLVED',
    })
    await repo.insertLink(trx, {
      partnershipId: p,
      childId: ashId,
      linkedChildId: harmedId,
      kind: 'HARMED_CHILD',
      createdBy: f.users.HSB_LEAD.id,
    })
    restrictedId = await repo.insertChild(trx, {
      partnershipId: p,
      givenNames: 'Secret',
      familyName: 'Hollow',
      dateOfBirth: '2011-01-02',
      nhsNumber: nhsNumber(401),
      isRestricted: true,
    })
  })
  for (const role of ROLES) {
    agents[role] = await signIn(t, f.users[role])
    csrf[role] = await csrfFor(agents[role])
  }
}, 120_000)
afterAll(async () => t.close())

const post = (role: Role, path: string, body: Record<string, string | string[]>) =>
  agents[role]
    .post(path)
    .type('form')
    .send({ _csrf: csrf[role], ...body })

const search = (role: Role, body: Record<string, string>) => post(role, '/children/search', body)

function newChildForm(overrides: Record<string, string> = {}) {
  return {
    'idempotency-key': crypto.randomUUID(),
    'given-names': 'Morgan',
    'family-name': 'Tregarthen',
    'date-of-birth-day': '14',
    'date-of-birth-month': '9',
    'date-of-birth-year': '2014',
    gender: 'FEMALE',
    ethnicity: 'WHITE',
    'nhs-number': '',
    upn: '',
    'local-case-id': '',
    'send-needs': '',
    ...overrides,
  }
}

const auditRows = (action: string, userId: string) =>
  asSystem((trx) =>
    trx.selectFrom('auditLog').selectAll().where('action', '=', action).where('userId', '=', userId).orderBy('id').execute(),
  )

describe('finding a child', () => {
  it('shows the search form to a practitioner and refuses a board member (403)', async () => {
    const form = await agents.SOCIAL_WORKER.get('/children/search')
    expect(form.status).toBe(200)
    expect(form.text).toContain('<h1 class="govuk-heading-l">Find a child</h1>')
    expect((await agents.BOARD_MEMBER.get('/children/search')).status).toBe(403)
    expect((await search('BOARD_MEMBER', { 'nhs-number': JAYDEN.nhs })).status).toBe(403)
  })

  it('finds a child by NHS number, on the same response, with the reason, the record and a request for support', async () => {
    const spaced = `${JAYDEN.nhs.slice(0, 3)} ${JAYDEN.nhs.slice(3, 6)} ${JAYDEN.nhs.slice(6)}`
    // As someone who may open Jayden's record (to anyone else an identifier alone shows nobody).
    const res = await search('HSB_LEAD', { 'nhs-number': spaced })
    expect(res.status).toBe(200)
    expect(res.text).toContain('1 possible match')
    expect(res.text).toContain('Jayden Smith')
    expect(res.text).toContain('6 May 2013')
    expect(res.text).toContain('Same NHS number')
    expect(res.text).toContain('Certain match')
    expect(res.text).toContain(`href="/children/${jaydenId}"`)
    expect(res.text).toContain(`href="/children/${jaydenId}/request-for-support"`)
    expect(res.text).toContain('None of these is the child – create a new record')
    expect(res.text).toContain(`name="nhs-number" value="${spaced}"`)
  })

  it('finds a child by UPN and by local case number too', async () => {
    const byUpn = await search('HSB_LEAD', { upn: JAYDEN.upn.toLowerCase() })
    expect(byUpn.text).toContain('Same UPN')
    expect(byUpn.text).toContain('Jayden Smith')
  })

  it('finds similar names with the same date of birth: Jaden finds Jayden, Smyth finds Smith', async () => {
    const dob = { 'date-of-birth-day': '6', 'date-of-birth-month': '5', 'date-of-birth-year': '2013' }
    // The HSB lead may open Jayden's record (someone who may not sees no name: 'search that does not disclose').
    const jaden = await search('HSB_LEAD', { 'given-names': 'Jaden', 'family-name': 'Smith', ...dob })
    expect(jaden.status).toBe(200)
    expect(jaden.text).toContain('Jayden Smith')
    expect(jaden.text).toContain('Similar first name')
    expect(jaden.text).toContain('Strong match')
    const smyth = await search('HSB_LEAD', { 'given-names': 'Jayden', 'family-name': 'Smyth', ...dob })
    expect(smyth.text).toContain('Jayden Smith')
    expect(smyth.text).toContain('Similar family name')
    const nobody = await search('HSB_LEAD', { 'given-names': 'Quentin', 'family-name': 'Blake', ...dob })
    expect(nobody.text).toContain('0 possible matches')
    expect(nobody.text).not.toContain('Jayden')
    expect(nobody.text).toContain('Create a new record')
  })

  it('audits the search with counts only, and each match shown with the child’s id', async () => {
    const before = (await auditRows('child:search', f.users.HSB_LEAD.id)).length
    const res = await search('HSB_LEAD', {
      'given-names': 'Jaden',
      'family-name': 'Smith',
      'date-of-birth-day': '6',
      'date-of-birth-month': '5',
      'date-of-birth-year': '2013',
    })
    expect(res.status).toBe(200)
    const searches = await auditRows('child:search', f.users.HSB_LEAD.id)
    expect(searches).toHaveLength(before + 1)
    const row = searches.at(-1)!
    expect(row).toMatchObject({ recordType: 'child-search', recordId: null, outcome: 'ALLOWED', requestId: res.headers['x-request-id'] })
    expect(row.detail).toEqual({ matches: 1, withheld: 0, identifiers: 0 })
    expect(JSON.stringify(row.detail)).not.toMatch(/Jaden|Smith|2013/)
    const shown = (await auditRows('child:match-shown', f.users.HSB_LEAD.id)).filter((r) => r.requestId === res.headers['x-request-id'])
    expect(shown.map((r) => r.recordId)).toEqual([jaydenId])
    expect(shown[0]).toMatchObject({ recordType: 'child', outcome: 'ALLOWED' })
  })

  it('asks for a name and date of birth or an identifier, and checks the NHS number, keeping what was typed', async () => {
    const empty = await search('SOCIAL_WORKER', {})
    expect(empty.status).toBe(400)
    expect(empty.text).toContain('There is a problem')
    expect(empty.text).toContain('Enter the child’s name and date of birth, or their NHS number, UPN or local case number')
    const nameOnly = await search('SOCIAL_WORKER', { 'family-name': 'Smith' })
    expect(nameOnly.status).toBe(400)
    expect(nameOnly.text).toContain('value="Smith"')
    const badNhs = await search('SOCIAL_WORKER', { 'nhs-number': '943 476 5918' })
    expect(badNhs.status).toBe(400)
    expect(badNhs.text).toContain('Enter a valid NHS number')
    expect(badNhs.text).toContain('href="#nhs-number"')
    expect(badNhs.text).toContain('value="943 476 5918"')
    const badDate = await search('SOCIAL_WORKER', {
      'family-name': 'Smith',
      'date-of-birth-day': '31',
      'date-of-birth-month': '2',
      'date-of-birth-year': '2013',
    })
    expect(badDate.text).toContain('Date of birth must be a real date')
    expect(badDate.text).toContain('href="#date-of-birth-day"')
  })

  it('shows a restricted record to someone not named on it without a name or date of birth', async () => {
    const res = await search('SOCIAL_WORKER', { 'nhs-number': nhsNumber(401) })
    expect(res.status).toBe(200)
    expect(res.text).toContain(RECORD_MAY_EXIST)
    expect(res.text).not.toContain('Hollow')
    expect(res.text).not.toContain('Secret')
    expect(res.text).not.toContain(`href="/children/${restrictedId}"`)
  })
})

/** Robin Quayle (the harmed child): the police officer is involved; the social worker works only with Ash, who harmed Robin. */
const ROBIN_DOB = { 'date-of-birth-day': '8', 'date-of-birth-month': '7', 'date-of-birth-year': '2012' }
const RECORD_MAY_EXIST = 'A record may already exist – ask the front door'
const TOO_MANY = 'You have searched too many times. Wait a few minutes and try again.'
const requestOf = (res: { headers: Record<string, unknown> }) => String(res.headers['x-request-id'])
const auditOfRequest = (requestId: string) =>
  asSystem((trx) => trx.selectFrom('auditLog').selectAll().where('requestId', '=', requestId).orderBy('id').execute())

describe('search that does not disclose', () => {
  it('withholds a name-only weak match from someone who cannot open the child: no name, date of birth, reasons or id', async () => {
    // The social worker works with Ash, who harmed Robin; they cannot open Robin's record.
    expect((await agents.SOCIAL_WORKER.get(`/children/${harmedId}`)).status).toBe(403)
    const res = await search('SOCIAL_WORKER', {
      'given-names': 'Robin',
      'family-name': 'Quayle',
      'date-of-birth-day': '1',
      'date-of-birth-month': '1',
      'date-of-birth-year': '2012',
    })
    expect(res.status).toBe(200)
    expect(res.text).toContain(RECORD_MAY_EXIST)
    expect(res.text).toContain('Check with the front door')
    expect(res.text).not.toContain('data-qa="match"')
    expect(res.text).not.toContain('Weak match')
    expect(res.text).not.toContain('Similar family name')
    expect(res.text).not.toContain('No record matches these details')
    expect(res.text).toContain('None of these is the child – create a new record')
    // Only what was typed comes back (the form, and the hidden fields carried to "create").
    expect(res.text.replaceAll('value="Robin"', '').replaceAll('value="Quayle"', '')).not.toMatch(/Robin|Quayle/)
    expect(res.text).not.toContain('8 July 2012')
    expect(res.text).not.toContain(harmedId)
  })

  it('withholds an initial, the same family name and the date of birth too, and a restricted record matched by name', async () => {
    const initial = await search('SOCIAL_WORKER', { 'given-names': 'R', 'family-name': 'Quayle', ...ROBIN_DOB })
    expect(initial.status).toBe(200)
    expect(initial.text).toContain(RECORD_MAY_EXIST)
    expect(initial.text).not.toContain('Robin')
    expect(initial.text).not.toContain('8 July 2012')
    expect(initial.text).not.toContain(harmedId)
    const restricted = await search('SOCIAL_WORKER', {
      'given-names': 'Secret',
      'family-name': 'Hollow',
      'date-of-birth-day': '5',
      'date-of-birth-month': '5',
      'date-of-birth-year': '2011',
    })
    expect(restricted.text).toContain(RECORD_MAY_EXIST)
    expect(restricted.text).not.toContain('a restricted record')
    expect(restricted.text).not.toContain('2 January 2011')
    expect(restricted.text).not.toContain(restrictedId)
  })

  it('withholds it on the new record form too, and still asks to confirm a different child', async () => {
    const res = await post(
      'SOCIAL_WORKER',
      '/children/new',
      newChildForm({ 'given-names': 'Robyn', 'family-name': 'Quayle', ...ROBIN_DOB }),
    )
    expect(res.status).toBe(400)
    expect(res.text).toContain(RECORD_MAY_EXIST)
    expect(res.text).toContain('Check the possible matches and confirm this is a different child')
    expect(res.text).not.toContain('Robin')
    expect(res.text).not.toContain('8 July 2012')
    expect(res.text).not.toContain(harmedId)
  })

  it('shows the child only when what was typed names them exactly (full names and date of birth), never on an identifier alone', async () => {
    const byNhs = await search('SOCIAL_WORKER', { 'nhs-number': nhsNumber(301) })
    expect(byNhs.status).toBe(200)
    expect(byNhs.text).not.toContain('Robin Quayle')
    expect(byNhs.text).not.toContain('8 July 2012')
    expect(byNhs.text).toContain(RECORD_MAY_EXIST)
    const byName = await search('SOCIAL_WORKER', { 'given-names': 'robin', 'family-name': 'QUAYLE', ...ROBIN_DOB })
    expect(byName.text).toContain('Robin Quayle')
    expect(byName.text).toContain('8 July 2012')
    expect(byName.text).not.toContain(RECORD_MAY_EXIST)
  })

  it('shows a weak match in full to someone who can open the child', async () => {
    const weak = {
      'given-names': 'Robin',
      'family-name': 'Quayle',
      'date-of-birth-day': '1',
      'date-of-birth-month': '1',
      'date-of-birth-year': '2012',
    }
    for (const role of ['POLICE_OFFICER', 'HSB_LEAD'] as const) {
      const res = await search(role, weak)
      expect(res.status, role).toBe(200)
      expect(res.text, role).toContain('Robin Quayle')
      expect(res.text, role).toContain('8 July 2012')
      expect(res.text, role).toContain('Weak match')
      expect(res.text, role).toContain(`href="/children/${harmedId}"`)
      expect(res.text, role).not.toContain(RECORD_MAY_EXIST)
    }
  })

  it('records a withheld match as withheld, never as shown, with the search’s counts', async () => {
    const res = await search('SOCIAL_WORKER', { 'given-names': 'R', 'family-name': 'Quayle', ...ROBIN_DOB })
    const rows = await auditOfRequest(requestOf(res))
    expect(rows.map((r) => [r.action, r.recordId, r.outcome])).toEqual([
      ['child:search', null, 'ALLOWED'],
      ['child:match-withheld', harmedId, 'ALLOWED'],
    ])
    expect(rows[0]?.detail).toEqual({ matches: 0, withheld: 1, identifiers: 0 })
    expect(rows[1]).toMatchObject({ userId: f.users.SOCIAL_WORKER.id, recordType: 'child' })
    expect(JSON.stringify(rows.map((r) => r.detail))).not.toMatch(/Robin|Quayle|2012/)
    // The child's access history says so in words.
    const history = await agents.HSB_LEAD.get(`/children/${harmedId}/access-history`)
    expect(history.text).toContain('Matched a search, not shown (the person cannot open the record)')
  })

  it('does not offer a child the person cannot open when linking, and names no child in page titles', async () => {
    const find = await post('SOCIAL_WORKER', `/children/${ashId}/links/new`, {
      action: 'find',
      kind: 'PEER',
      'given-names': 'Robin',
      'family-name': 'Quayle',
      ...ROBIN_DOB,
    })
    expect(find.status).toBe(200)
    expect(find.text).toContain('No match you can link')
    expect(find.text).not.toContain('8 July 2012')
    expect(find.text).not.toContain(harmedId)
    expect(find.text).toContain('<title>Link another child – HSB Pathway</title>')
    const record = await agents.SOCIAL_WORKER.get(`/children/${ashId}`)
    expect(record.text).toContain('<title>Child record – HSB Pathway</title>')
    expect(record.text).toContain('Ash Fernley')
    expect(record.text.match(/<title>[^<]*<\/title>/)?.[0]).not.toMatch(/Ash|Fernley/)
  })
})

describe('searches are limited per person', () => {
  const typed = {
    'given-names': 'Limit',
    'family-name': 'Tester',
    'date-of-birth-day': '3',
    'date-of-birth-month': '4',
    'date-of-birth-year': '2012',
  }

  it('refuses the 21st search in five minutes with a 429, keeping what was typed, and audits the refusal', async () => {
    for (let i = 1; i <= 20; i++) expect((await search('AIM_PRACTITIONER', typed)).status, `search ${i}`).toBe(200)
    const refused = await search('AIM_PRACTITIONER', typed)
    expect(refused.status).toBe(429)
    expect(refused.text).toContain(TOO_MANY)
    expect(refused.text).toContain('<title>You have searched too many times – find a child – HSB Pathway</title>')
    for (const value of ['Limit', 'Tester', '2012']) expect(refused.text).toContain(`value="${value}"`)
    expect(refused.text).toMatch(/name="date-of-birth-day"[^>]*value="3"/)
    expect(refused.text).not.toContain('data-qa="search-results"')
    const rows = await auditOfRequest(requestOf(refused))
    expect(rows).toMatchObject([{ action: 'child:search', outcome: 'DENIED', userId: f.users.AIM_PRACTITIONER.id }])
    expect(rows[0]?.detail).toMatchObject({ refused: 'too-many' })

    // The search for a child to link counts the same searches.
    const childId = f.children.AIM_PRACTITIONER.INVOLVED
    const link = await post('AIM_PRACTITIONER', `/children/${childId}/links/new`, { action: 'find', kind: 'PEER', ...typed })
    expect(link.status).toBe(429)
    expect(link.text).toContain(TOO_MANY)
    expect(link.text).toContain('value="Tester"')
    expect(link.text).not.toContain('No match you can link')
    const linkRows = await auditOfRequest(requestOf(link))
    expect(linkRows.map((r) => [r.action, r.outcome])).toEqual([
      ['child:read', 'ALLOWED'],
      ['child:search', 'DENIED'],
    ])
  })

  it('counts only the searches of the last five minutes, from the audit log (so every process counts the same)', async () => {
    const user = f.users.YOS_OFFICER
    const earlier = (minutes: number) =>
      asSystem((trx) =>
        trx
          .insertInto('auditLog')
          .values(
            Array.from({ length: 20 }, () => ({
              partnershipId: f.partnershipId,
              userId: user.id,
              action: 'child:search',
              recordType: 'child-search',
              recordId: null,
              outcome: 'ALLOWED',
              requestId: 'earlier-searches',
              occurredAt: sql<Date>`now() - make_interval(mins => ${minutes})`,
              detail: JSON.stringify({ matches: 0 }),
            })),
          )
          .execute(),
      )
    await earlier(6)
    expect((await search('YOS_OFFICER', typed)).status).toBe(200)
    await earlier(4)
    expect((await search('YOS_OFFICER', typed)).status).toBe(429)
  })

  it('counts creating a record too: past the limit, the create form is refused with a 429 and nothing is created', async () => {
    // The YOS officer is past the limit (the test above). Creating runs the same match, so it is refused.
    const res = await post('YOS_OFFICER', '/children/new', newChildForm({ 'given-names': 'Limit', 'family-name': 'Creator' }))
    expect(res.status).toBe(429)
    expect(res.text).toContain(TOO_MANY)
    expect(res.text).toContain('value="Creator"')
    const made = await asSystem((trx) => trx.selectFrom('child').select('id').where('familyName', '=', 'Creator').execute())
    expect(made).toEqual([])
  })
})

describe('creating a child’s record', () => {
  it('carries what was typed in the search into the new record form, with a new idempotency key', async () => {
    const res = await post('SOCIAL_WORKER', '/children/new', {
      'from-search': 'yes',
      'given-names': 'Quentin',
      'family-name': 'Blake',
      'date-of-birth-day': '6',
    })
    expect(res.status).toBe(200)
    expect(res.text).toContain('Create a child’s record')
    expect(res.text).toContain('value="Quentin"')
    expect(res.text).toMatch(/name="date-of-birth-day" type="text" inputmode="numeric" value="6"|name="date-of-birth-day"[^>]*value="6"/)
    expect(res.text).toMatch(/name="idempotency-key" value="[0-9a-f-]{36}"/)
    expect(res.text).not.toContain('There is a problem')
  })

  it('refuses a date of birth in the future, an invalid NHS number and an invalid UPN, keeping the input', async () => {
    const res = await post(
      'SOCIAL_WORKER',
      '/children/new',
      newChildForm({ 'date-of-birth-year': String(new Date().getFullYear() + 1), 'nhs-number': '943 476 5918', upn: 'B801200005002' }),
    )
    expect(res.status).toBe(400)
    expect(res.text).toContain('Date of birth must be today or in the past')
    expect(res.text).toContain('Enter a valid NHS number')
    expect(res.text).toContain('Enter a valid unique pupil number (UPN)')
    expect(res.text).toContain('value="943 476 5918"')
    expect(res.text).toContain('value="B801200005002"')
    expect(res.text).toContain('value="Tregarthen"')
    const missing = await post(
      'SOCIAL_WORKER',
      '/children/new',
      newChildForm({ 'given-names': '', 'family-name': '', 'date-of-birth-day': '', 'date-of-birth-month': '', 'date-of-birth-year': '' }),
    )
    expect(missing.status).toBe(400)
    expect(missing.text).toContain('Enter the child’s first name')
    expect(missing.text).toContain('Enter the child’s family name')
    expect(missing.text).toContain('Enter the child’s date of birth')
    const count = await asSystem((trx) => trx.selectFrom('child').select('id').where('familyName', '=', 'Tregarthen').execute())
    expect(count).toHaveLength(0)
  })

  it('refuses a second record with the same NHS number, linking to the existing child', async () => {
    const res = await post(
      'SOCIAL_WORKER',
      '/children/new',
      newChildForm({ 'given-names': 'Jay', 'family-name': 'Smithers', 'nhs-number': JAYDEN.nhs }),
    )
    expect(res.status).toBe(400)
    expect(res.text).toContain('A child with this NHS number already has a record')
    expect(res.text).toContain('href="#nhs-number"')
    // The social worker cannot open Jayden's record: refused as a duplicate, without who it is.
    expect(res.text).not.toContain(`href="/children/${jaydenId}"`)
    expect(res.text).not.toContain('Jayden')
    const rows = await asSystem((trx) => trx.selectFrom('child').select('id').where('nhsNumber', '=', JAYDEN.nhs).execute())
    expect(rows).toHaveLength(1)
  })

  it('asks for confirmation when the name and date of birth closely match, then creates the record', async () => {
    const form = newChildForm({
      'given-names': 'Jaden',
      'family-name': 'Smith',
      'date-of-birth-day': '6',
      'date-of-birth-month': '5',
      'date-of-birth-year': '2013',
    })
    const first = await post('HSB_LEAD', '/children/new', form)
    expect(first.status).toBe(400)
    expect(first.text).toContain('Possible matches')
    expect(first.text).toContain('Jayden Smith')
    expect(first.text).toContain('Check the possible matches and confirm this is a different child')
    expect(first.text).toContain('I have checked these possible matches and this is a different child')
    expect(first.text).toContain(`value="${form['idempotency-key']}"`)
    const confirmed = await post('HSB_LEAD', '/children/new', { ...form, 'confirm-different': 'yes' })
    expect(confirmed.status).toBe(302)
    const childId = confirmed.headers.location!.replace('/children/', '')
    expect(childId).not.toBe(jaydenId)
    const [created] = await auditRows('child:create', f.users.HSB_LEAD.id).then((rows) => rows.filter((r) => r.recordId === childId))
    expect(created?.detail).toMatchObject({ confirmedDifferent: true })
  })

  it('creates one record for a double-clicked submit, and the creator can open it', async () => {
    const form = newChildForm({
      'given-names': 'Eilidh',
      'family-name': 'Penhallow',
      'nhs-number': nhsNumber(501),
      upn: upn(501),
      'local-case-id': 'LL-40021',
      'send-needs': 'Autism; speech and language needs',
    })
    const [a, b] = await Promise.all([post('SOCIAL_WORKER', '/children/new', form), post('SOCIAL_WORKER', '/children/new', form)])
    expect([a.status, b.status]).toEqual([302, 302])
    expect(b.headers.location).toBe(a.headers.location)
    const rows = await asSystem((trx) =>
      trx.selectFrom('child').selectAll().where('idempotencyKey', '=', form['idempotency-key']).execute(),
    )
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      nhsNumber: nhsNumber(501),
      upn: upn(501),
      gender: 'FEMALE',
      ethnicity: 'WHITE',
      createdBy: f.users.SOCIAL_WORKER.id,
    })
    const childId = rows[0]!.id
    const involvement = await asSystem((trx) => trx.selectFrom('childInvolvement').selectAll().where('childId', '=', childId).execute())
    expect(involvement).toMatchObject([{ userId: f.users.SOCIAL_WORKER.id, agencyId: f.users.SOCIAL_WORKER.agencyId, kind: 'INVOLVED' }])

    const page = await agents.SOCIAL_WORKER.get(a.headers.location!)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Record created for Eilidh Penhallow')
    expect(page.text).toContain('Eilidh Penhallow')
    const nhs = nhsNumber(501)
    expect(page.text).toContain(`${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`)
    expect(page.text).toContain(upn(501))
    expect(page.text).toContain('LL-40021')
    expect(page.text).toContain('Autism; speech and language needs')
    expect(page.text).toContain('White')
    expect(await auditRows('child:create', f.users.SOCIAL_WORKER.id)).toHaveLength(1)
  })

  it('sends a referrer who created a record on to the request for support about the child, never into the record', async () => {
    const form = newChildForm({ 'given-names': 'Tamsin', 'family-name': 'Polglase' })
    const res = await post('REFERRER', '/children/new', form)
    expect(res.status).toBe(302)
    const childId = /^\/children\/([0-9a-f-]{36})\/request-for-support$/.exec(res.headers.location ?? '')?.[1]
    expect(childId, res.headers.location).toBeDefined()
    const page = await agents.REFERRER.get(res.headers.location!)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Record created for Tamsin Polglase')
    // She typed the child's name and date of birth: the form says who the request is about.
    expect(page.text).toContain('data-qa="referral-child"')
    expect(page.text).toContain('14 September 2014')
    expect((await agents.REFERRER.get(`/children/${childId}`)).status).toBe(403)
  })

  it('refuses a board member (403) and a form without its key (400)', async () => {
    expect((await post('BOARD_MEMBER', '/children/new', newChildForm())).status).toBe(403)
    const { 'idempotency-key': _key, ...noKey } = newChildForm({ 'family-name': 'Keyless' })
    expect((await post('SOCIAL_WORKER', '/children/new', noKey)).status).toBe(400)
  })
})

describe('the child’s record', () => {
  it('shows identifiers, cases with their status and a request for support', async () => {
    const childId = f.children.SOCIAL_WORKER.INVOLVED
    const res = await agents.SOCIAL_WORKER.get(`/children/${childId}`)
    expect(res.status).toBe(200)
    expect(res.text).toContain('Waiting for screening')
    expect(res.text).toContain(`href="/cases/${f.caseOf[childId]}"`)
    expect(res.text).toContain(`href="/children/${childId}/request-for-support"`)
    expect(res.text).toContain('No children are linked to this child.')
  })

  it('hides the harmed child from someone who can read only the other child: no name, no link, nothing audited', async () => {
    const res = await agents.SOCIAL_WORKER.get(`/children/${ashId}`)
    expect(res.status).toBe(200)
    expect(res.text).toContain('A linked child (harmed child): you do not have access to their record')
    expect(res.text).not.toContain('Robin')
    expect(res.text).not.toContain('Quayle')
    expect(res.text).not.toContain(harmedId)
    const refused = await agents.SOCIAL_WORKER.get(`/children/${harmedId}`)
    expect(refused.status).toBe(403)
    // This test's two requests (searches earlier in this file recorded matches of the harmed child too).
    const reads = await asSystem((trx) =>
      trx
        .selectFrom('auditLog')
        .selectAll()
        .where('recordId', '=', harmedId)
        .where('userId', '=', f.users.SOCIAL_WORKER.id)
        .where('requestId', 'in', [requestOf(res), requestOf(refused)])
        .execute(),
    )
    expect(reads.map((r) => [r.action, r.outcome])).toEqual([['child:read', 'DENIED']])
  })

  it('hides the other child from the harmed child’s worker too', async () => {
    const res = await agents.POLICE_OFFICER.get(`/children/${harmedId}`)
    expect(res.status).toBe(200)
    expect(res.text).toContain('A linked child (child who displayed the behaviour): you do not have access to their record')
    expect(res.text).not.toContain('Fernley')
  })

  it('names the linked child, with a link, to someone who may read both, and audits that read', async () => {
    const res = await agents.HSB_LEAD.get(`/children/${ashId}`)
    expect(res.status).toBe(200)
    expect(res.text).toContain('Harmed child')
    expect(res.text).toContain(`<a class="govuk-link" href="/children/${harmedId}">Robin Quayle</a>`)
    const reads = await asSystem((trx) =>
      trx
        .selectFrom('auditLog')
        .selectAll()
        .where('action', '=', 'child:read-as-linked')
        .where('requestId', '=', String(res.headers['x-request-id']))
        .execute(),
    )
    expect(reads).toMatchObject([{ recordId: harmedId, userId: f.users.HSB_LEAD.id, outcome: 'ALLOWED', recordType: 'child' }])
  })

  it('keeps a restricted record from everyone not named on it', async () => {
    expect((await agents.SOCIAL_WORKER.get(`/children/${f.restrictedChildren.SOCIAL_WORKER}`)).status).toBe(403)
    expect((await agents.SOCIAL_WORKER.get(`/children/${f.restrictedChildren.SOCIAL_WORKER}/links/new`)).status).toBe(403)
    expect((await post('SOCIAL_WORKER', `/children/${f.restrictedChildren.SOCIAL_WORKER}/links/new`, { kind: 'SIBLING' })).status).toBe(403)
  })
})

describe('linking children', () => {
  it('lets someone who may read both children find the other by NHS number and link them, once', async () => {
    const form = await agents.HSB_LEAD.get(`/children/${ashId}/links/new`)
    expect(form.status).toBe(200)
    expect(form.text).toContain('Link another child')
    const find = await post('HSB_LEAD', `/children/${ashId}/links/new`, { action: 'find', kind: 'SIBLING', 'nhs-number': JAYDEN.nhs })
    expect(find.status).toBe(200)
    expect(find.text).toContain('Jayden Smith, born 6 May 2013')
    expect(find.text).toContain('Which child is the sibling?')
    const body = { action: 'link', kind: 'SIBLING', 'nhs-number': JAYDEN.nhs, 'linked-child-id': jaydenId }
    const linked = await post('HSB_LEAD', `/children/${ashId}/links/new`, body)
    expect([linked.status, linked.headers.location]).toEqual([302, `/children/${ashId}`])
    const again = await post('HSB_LEAD', `/children/${ashId}/links/new`, body)
    expect(again.status).toBe(302)
    const links = await asSystem((trx) =>
      trx.selectFrom('childLink').selectAll().where('childId', '=', ashId).where('kind', '=', 'SIBLING').execute(),
    )
    expect(links).toMatchObject([{ linkedChildId: jaydenId, createdBy: f.users.HSB_LEAD.id }])
    const page = await agents.HSB_LEAD.get(`/children/${jaydenId}`)
    expect(page.text).toContain(`<a class="govuk-link" href="/children/${ashId}">Ash Fernley</a>`)
  })

  it('asks for the kind and the child, keeping what was typed', async () => {
    const res = await post('HSB_LEAD', `/children/${ashId}/links/new`, { action: 'find', 'family-name': 'Smith' })
    expect(res.status).toBe(400)
    expect(res.text).toContain('Select how the children are linked')
    expect(res.text).toContain('value="Smith"')
    const none = await post('HSB_LEAD', `/children/${ashId}/links/new`, { action: 'link', kind: 'PEER', 'nhs-number': JAYDEN.nhs })
    expect(none.status).toBe(400)
    expect(none.text).toContain('Select the child to link, or search again')
  })

  it('does not offer, or link, a child the person may not read', async () => {
    const find = await post('SOCIAL_WORKER', `/children/${ashId}/links/new`, { action: 'find', kind: 'PEER', 'nhs-number': nhsNumber(301) })
    expect(find.status).toBe(200)
    expect(find.text).toContain('No match you can link')
    expect(find.text).not.toContain('Quayle')
    const forced = await post('SOCIAL_WORKER', `/children/${ashId}/links/new`, {
      action: 'link',
      kind: 'PEER',
      'nhs-number': nhsNumber(301),
      'linked-child-id': harmedId,
    })
    expect(forced.status).toBe(400)
    expect(forced.text).toContain('Select a child from the list')
    const links = await asSystem((trx) => trx.selectFrom('childLink').selectAll().where('kind', '=', 'PEER').execute())
    expect(links).toHaveLength(0)
    const denied = await asSystem((trx) =>
      trx.selectFrom('auditLog').selectAll().where('action', '=', 'child:link').where('recordId', '=', harmedId).execute(),
    )
    expect(denied).toMatchObject([{ userId: f.users.SOCIAL_WORKER.id, outcome: 'DENIED' }])
  })

  it('is refused to someone who may not read the first child (403)', async () => {
    expect((await agents.SOCIAL_WORKER.get(`/children/${harmedId}/links/new`)).status).toBe(403)
    expect(
      (await post('SOCIAL_WORKER', `/children/${harmedId}/links/new`, { action: 'find', kind: 'PEER', 'nhs-number': nhsNumber(201) }))
        .status,
    ).toBe(403)
  })
})

/** Counts every statement a Kysely instance runs (BEGIN and COMMIT aside). */
class QueryCounter implements KyselyPlugin {
  count = 0
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.count++
    return args.node
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result
  }
}

describe('the record page’s queries', () => {
  it('stay the same in number however many cases and linked children the child has', async () => {
    const counter = new QueryCounter()
    const countedDb = t.services.db.withPlugin(counter)
    const counted = childrenService({
      access: accessGuard({ db: countedDb, audit: auditRepository() }),
      db: countedDb,
      audit: auditRepository(),
      repo,
    })
    const lead = (await t.services.auth.currentUser(f.users.HSB_LEAD.id))!
    const addLinksAndCases = (childId: string, n: number) =>
      transaction(t.services.db, { partnershipId: f.partnershipId }, async (trx) => {
        for (let i = 0; i < n; i++) {
          const other = await repo.insertChild(trx, {
            partnershipId: f.partnershipId,
            givenNames: `Peer${i}`,
            familyName: 'Countwell',
            dateOfBirth: '2013-01-01',
          })
          await repo.insertLink(trx, {
            partnershipId: f.partnershipId,
            childId: i % 2 ? childId : other,
            linkedChildId: i % 2 ? other : childId,
            kind: 'PEER',
            createdBy: lead.id,
          })
          await t.services.kernel.openIn(trx, lead, { childId, route: 'NEW', referralReceivedAt: new Date() }, 'count-test')
        }
      })
    const childId = await transaction(t.services.db, { partnershipId: f.partnershipId }, (trx) =>
      repo.insertChild(trx, { partnershipId: f.partnershipId, givenNames: 'Counted', familyName: 'Child', dateOfBirth: '2013-01-01' }),
    )
    await addLinksAndCases(childId, 1)
    const countView = async () => {
      counter.count = 0
      const view = await counted.viewChild(lead, childId, 'count-test')
      return { queries: counter.count, links: view.links.length, cases: view.cases.length }
    }
    const small = await countView()
    await addLinksAndCases(childId, 6)
    const large = await countView()
    expect([small.links, large.links]).toEqual([1, 7])
    expect([small.cases, large.cases]).toEqual([1, 7])
    expect(large.queries).toBe(small.queries)
    expect(large.queries).toBeLessThanOrEqual(7)
  })
})
