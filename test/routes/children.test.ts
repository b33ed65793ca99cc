import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely'
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
const ROLES: Role[] = ['SOCIAL_WORKER', 'REFERRER', 'HSB_LEAD', 'BOARD_MEMBER', 'POLICE_OFFICER']

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
    const res = await search('SOCIAL_WORKER', { 'nhs-number': spaced })
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
    const byUpn = await search('SOCIAL_WORKER', { upn: JAYDEN.upn.toLowerCase() })
    expect(byUpn.text).toContain('Same UPN')
    expect(byUpn.text).toContain('Jayden Smith')
  })

  it('finds similar names with the same date of birth: Jaden finds Jayden, Smyth finds Smith', async () => {
    const dob = { 'date-of-birth-day': '6', 'date-of-birth-month': '5', 'date-of-birth-year': '2013' }
    const jaden = await search('SOCIAL_WORKER', { 'given-names': 'Jaden', 'family-name': 'Smith', ...dob })
    expect(jaden.status).toBe(200)
    expect(jaden.text).toContain('Jayden Smith')
    expect(jaden.text).toContain('Similar first name')
    expect(jaden.text).toContain('Strong match')
    const smyth = await search('SOCIAL_WORKER', { 'given-names': 'Jayden', 'family-name': 'Smyth', ...dob })
    expect(smyth.text).toContain('Jayden Smith')
    expect(smyth.text).toContain('Similar family name')
    const nobody = await search('SOCIAL_WORKER', { 'given-names': 'Quentin', 'family-name': 'Blake', ...dob })
    expect(nobody.text).toContain('0 possible matches')
    expect(nobody.text).not.toContain('Jayden')
    expect(nobody.text).toContain('Create a new record')
  })

  it('audits the search with counts only, and each match shown with the child’s id', async () => {
    const before = (await auditRows('child:search', f.users.REFERRER.id)).length
    const res = await search('REFERRER', {
      'given-names': 'Jaden',
      'family-name': 'Smith',
      'date-of-birth-day': '6',
      'date-of-birth-month': '5',
      'date-of-birth-year': '2013',
    })
    expect(res.status).toBe(200)
    const searches = await auditRows('child:search', f.users.REFERRER.id)
    expect(searches).toHaveLength(before + 1)
    const row = searches.at(-1)!
    expect(row).toMatchObject({ recordType: 'child-search', recordId: null, outcome: 'ALLOWED', requestId: res.headers['x-request-id'] })
    expect(row.detail).toEqual({ matches: 1, identifiers: 0 })
    expect(JSON.stringify(row.detail)).not.toMatch(/Jaden|Smith|2013/)
    const shown = (await auditRows('child:match-shown', f.users.REFERRER.id)).filter((r) => r.requestId === res.headers['x-request-id'])
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
    expect(res.text).toContain('a restricted record')
    expect(res.text).not.toContain('Hollow')
    expect(res.text).not.toContain('Secret')
    expect(res.text).not.toContain(`href="/children/${restrictedId}"`)
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
    expect(res.text).toContain(`href="/children/${jaydenId}"`)
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
    const first = await post('SOCIAL_WORKER', '/children/new', form)
    expect(first.status).toBe(400)
    expect(first.text).toContain('Possible matches')
    expect(first.text).toContain('Jayden Smith')
    expect(first.text).toContain('Check the possible matches and confirm this is a different child')
    expect(first.text).toContain('I have checked these possible matches and this is a different child')
    expect(first.text).toContain(`value="${form['idempotency-key']}"`)
    const confirmed = await post('SOCIAL_WORKER', '/children/new', { ...form, 'confirm-different': 'yes' })
    expect(confirmed.status).toBe(302)
    const childId = confirmed.headers.location!.replace('/children/', '')
    expect(childId).not.toBe(jaydenId)
    const [created] = await auditRows('child:create', f.users.SOCIAL_WORKER.id).then((rows) => rows.filter((r) => r.recordId === childId))
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
    const [a, b] = await Promise.all([post('REFERRER', '/children/new', form), post('REFERRER', '/children/new', form)])
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
      createdBy: f.users.REFERRER.id,
    })
    const childId = rows[0]!.id
    const involvement = await asSystem((trx) => trx.selectFrom('childInvolvement').selectAll().where('childId', '=', childId).execute())
    expect(involvement).toMatchObject([{ userId: f.users.REFERRER.id, agencyId: f.users.REFERRER.agencyId, kind: 'INVOLVED' }])

    const page = await agents.REFERRER.get(a.headers.location!)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Record created for Eilidh Penhallow')
    expect(page.text).toContain('Eilidh Penhallow')
    const nhs = nhsNumber(501)
    expect(page.text).toContain(`${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`)
    expect(page.text).toContain(upn(501))
    expect(page.text).toContain('LL-40021')
    expect(page.text).toContain('Autism; speech and language needs')
    expect(page.text).toContain('White')
    expect(await auditRows('child:create', f.users.REFERRER.id)).toHaveLength(1)
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
    expect((await agents.SOCIAL_WORKER.get(`/children/${harmedId}`)).status).toBe(403)
    const reads = await asSystem((trx) =>
      trx.selectFrom('auditLog').selectAll().where('recordId', '=', harmedId).where('userId', '=', f.users.SOCIAL_WORKER.id).execute(),
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
