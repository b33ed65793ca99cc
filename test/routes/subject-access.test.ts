import { inflateSync } from 'node:zlib'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { navigationFor } from '../../src/features/home/index.js'
import type { RequestInput } from '../../src/features/subject-access/subject-access.form.js'
import type { CurrentUser } from '../../src/platform/auth/current-user.js'
import { newTotpSecret } from '../../src/platform/auth/totp.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFor, csrfFrom, signIn, type TestApp } from '../support/app.js'
import { createFixtures, TEST_PASSWORD, type Fixtures } from '../support/fixtures.js'

/** The text pdfkit wrote (each text call's TJ, hex-encoded WinAnsi) from the PDF's compressed content streams. */
function pdfText(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1')
  const out: string[] = []
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const start = m.index + m[0].length
    let content: string
    try {
      content = inflateSync(pdf.subarray(start, raw.indexOf('endstream', start))).toString('latin1')
    } catch {
      continue
    }
    for (const tj of content.matchAll(/\[([^\]]*)\]\s*TJ/g))
      out.push([...tj[1]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => Buffer.from(h[1]!, 'hex').toString('latin1')).join(''))
  }
  return out
}
const binary = (agent: TestAgent, path: string) =>
  agent
    .get(path)
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => cb(null, Buffer.concat(chunks)))
    })

let t: TestApp
let f: Fixtures
let officer: TestAgent
let head: TestAgent
let childId: string
const system = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  childId = f.children.HSB_LEAD.INVOLVED
  // A child linked to ours (a sibling): their name is a third party's, to be pre-marked.
  await system(async (trx) => {
    const other = await trx
      .insertInto('child')
      .values({ partnershipId: f.partnershipId, givenNames: 'Morgan', familyName: 'Tresize', dateOfBirth: '2013-05-02' })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('childLink')
      .values({ partnershipId: f.partnershipId, childId, linkedChildId: other.id, kind: 'SIBLING', createdBy: null })
      .execute()
  })
  officer = await signIn(t, f.users.PRIVACY_OFFICER)
  head = await signIn(t, f.users.HEAD_OF_SERVICE)
}, 120_000)
afterAll(async () => t.close())

const audited = (action: string) =>
  system((trx) => trx.selectFrom('auditLog').select(['userId', 'outcome', 'recordId', 'detail']).where('action', '=', action).execute())

describe('subject access requests', () => {
  let requestId: string

  it('keeps what was typed and says what is wrong, then records the request for the child found', async () => {
    const page = await officer.get('/privacy/subject-access/new')
    expect(page.status).toBe(200)
    const csrf = csrfFrom(page.text)
    const key = /name="form-key" value="([^"]+)"/.exec(page.text)![1]!
    const child = await system((trx) =>
      trx.selectFrom('child').select(['familyName', 'dateOfBirth']).where('id', '=', childId).executeTakeFirstOrThrow(),
    )
    const dob = child.dateOfBirth
    const search = {
      _csrf: csrf,
      'form-key': key,
      'date-of-birth-day': String(dob.getUTCDate()),
      'date-of-birth-month': String(dob.getUTCMonth() + 1),
      'date-of-birth-year': String(dob.getUTCFullYear()),
      'given-names': 'Fixture',
      'family-name': child.familyName,
    }
    const found = await officer
      .post('/privacy/subject-access/new')
      .type('form')
      .send({ ...search, action: 'find' })
    expect(found.status).toBe(200)
    expect(found.text).toContain(`value="${childId}"`)

    const bad = await officer
      .post('/privacy/subject-access/new')
      .type('form')
      .send({
        ...search,
        action: 'create',
        'child-id': childId,
        'subject-kind': 'PARENT_CARER',
        'requester-name': 'Dana Whitlock',
        'received-day': '31',
        'received-month': '2',
        'received-year': '2026',
      })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('Enter their relationship to the child')
    expect(bad.text).toContain('Date received must be a real date')
    expect(bad.text).toContain('Select whether the requester’s identity has been checked')
    expect(bad.text).toContain('value="Dana Whitlock"')
    expect(bad.text).toMatch(new RegExp(`value="${childId}"[^>]*checked`))

    const good = {
      ...search,
      action: 'create',
      'child-id': childId,
      'subject-kind': 'CHILD',
      'received-day': '3',
      'received-month': '2',
      'received-year': '2026',
      'identity-checked': 'yes',
      'identity-how': 'Seen in person by the allocated worker',
    }
    const created = await officer.post('/privacy/subject-access/new').type('form').send(good)
    expect(created.status).toBe(302)
    requestId = created.headers.location!.split('/').pop()!
    // The same form sent again makes no second request.
    const again = await officer.post('/privacy/subject-access/new').type('form').send(good)
    expect(again.headers.location).toBe(created.headers.location)
    const view = await officer.get(`/privacy/subject-access/${requestId}`)
    expect(view.text).toContain('3 March 2026 (one calendar month from receipt)')
    expect(view.text).toMatch(/SAR-\d{4}-0001/)
    expect((await audited('subject-access:create')).map((a) => a.recordId)).toEqual([requestId])
  })

  it('gathers the child’s records with the linked child’s name pre-marked, and redacts an item with a reason', async () => {
    const token = await csrfFor(officer)
    expect((await officer.post(`/privacy/subject-access/${requestId}/gather`).type('form').send({ _csrf: token })).status).toBe(302)
    const view = await officer.get(`/privacy/subject-access/${requestId}`)
    expect(view.text).toContain('data-source="child"')
    expect(view.text).toContain('data-source="request_for_support"')
    expect(view.text).toContain('data-source="case_event"')
    expect(view.text).toContain('[Redacted: third party – another child]')
    // The bundle as released never shows the linked child's name (only the reviewers' list of what is redacted names the field).
    expect(view.text).not.toContain('Morgan Tresize')

    const item = await system((trx) =>
      trx
        .selectFrom('subjectAccessItem')
        .select('id')
        .where('requestId', '=', requestId)
        .where('source', '=', 'request_for_support')
        .executeTakeFirstOrThrow(),
    )
    const form = await officer.get(`/privacy/subject-access/${requestId}/items/${item.id}/redact`)
    expect(form.status).toBe(200)
    const key = /name="form-key" value="([^"]+)"/.exec(form.text)![1]!
    const missing = await officer
      .post(`/privacy/subject-access/${requestId}/items/${item.id}/redact`)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), 'form-key': key, part: 'WORDS', words: 'not in the item at all', reason: 'OTHER_EXEMPTION' })
    expect(missing.status).toBe(400)
    expect(missing.text).toContain('Enter the exemption that applies')
    expect(missing.text).toContain('value="not in the item at all"')
    const saved = await officer
      .post(`/privacy/subject-access/${requestId}/items/${item.id}/redact`)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), 'form-key': key, part: 'ITEM', reason: 'POLICE' })
    expect(saved.status).toBe(302)
    const after = await officer.get(`/privacy/subject-access/${requestId}`)
    expect(after.text).toContain('[Redacted: withheld at the request of the police]')
    expect((await audited('subject-access:gather')).length).toBe(1)
    expect((await audited('subject-access:redact')).map((a) => a.detail)).toEqual([
      expect.objectContaining({ childId, itemId: item.id, part: 'ITEM', reason: 'POLICE' }),
    ])
  })

  it('refuses the submitter’s own approval (audited), lets a head of service approve, and tells the submitter', async () => {
    const token = await csrfFor(officer)
    expect((await officer.post(`/privacy/subject-access/${requestId}/submit`).type('form').send({ _csrf: token })).status).toBe(302)
    const asked = await system((trx) =>
      trx.selectFrom('notification').select('userId').where('kind', '=', 'SUBJECT_ACCESS_APPROVAL_REQUESTED').execute(),
    )
    expect(asked.map((n) => n.userId)).toContain(f.users.HEAD_OF_SERVICE.id)
    expect(asked.map((n) => n.userId)).not.toContain(f.users.PRIVACY_OFFICER.id)

    const own = await officer.post(`/privacy/subject-access/${requestId}/approve`).type('form').send({ _csrf: token })
    expect(own.status).toBe(403)
    expect(own.text).toContain('You submitted this bundle, so you cannot approve or decline it')
    expect((await audited('subject-access:approve')).map((a) => [a.userId, a.outcome])).toEqual([[f.users.PRIVACY_OFFICER.id, 'DENIED']])
    // Not released before approval.
    expect((await officer.get(`/privacy/subject-access/${requestId}/download.pdf`)).status).toBe(409)

    const headToken = await csrfFor(head)
    const noReason = await head.post(`/privacy/subject-access/${requestId}/decline`).type('form').send({ _csrf: headToken })
    expect(noReason.status).toBe(400)
    expect(noReason.text).toContain('Enter why the release is declined')
    const approved = await head.post(`/privacy/subject-access/${requestId}/approve`).type('form').send({ _csrf: headToken })
    expect(approved.status).toBe(302)
    const decided = await system((trx) =>
      trx.selectFrom('notification').select('userId').where('kind', '=', 'SUBJECT_ACCESS_DECIDED').execute(),
    )
    expect(decided.map((n) => n.userId)).toEqual([f.users.PRIVACY_OFFICER.id])
    expect((await audited('subject-access:approve')).map((a) => [a.userId, a.outcome]).sort()).toEqual(
      [
        [f.users.HEAD_OF_SERVICE.id, 'ALLOWED'],
        [f.users.PRIVACY_OFFICER.id, 'DENIED'],
      ].sort(),
    )
  })

  it('releases the approved bundle as a PDF marked OFFICIAL-SENSITIVE on every page, redactions shown as such, the linked child’s name absent', async () => {
    const res = await binary(officer, `/privacy/subject-access/${requestId}/download.pdf`)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/pdf')
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="SAR-\d{4}-0001-\d{4}-\d{2}-\d{2}\.pdf"$/)
    const body = res.body as Buffer
    const words = pdfText(body)
    const all = words.join('')
    const pages = words.filter((w) => /^Page \d+ of \d+$/.test(w)).length
    expect(words).toContain(`Page ${pages} of ${pages}`)
    expect(words.filter((w) => w === 'OFFICIAL-SENSITIVE')).toHaveLength(2 * pages)
    expect(all).toMatch(/SAR-\d{4}-0001 · produced/)
    expect(all).toContain('The child’s record'.replace('’', '\u0092') /* WinAnsi */)
    expect(all).toContain('[Redacted: third party ')
    expect(all).toContain('[Redacted: withheld at the request of the police]')
    expect(all).not.toContain('Morgan')
    expect(all).not.toContain('Tresize')
    expect(body.toString('latin1')).not.toContain(childId)
    // The download refused before approval is audited too.
    expect((await audited('subject-access:download')).map((a) => a.outcome).sort()).toEqual(['ALLOWED', 'DENIED'])
    const row = await system((trx) =>
      trx.selectFrom('subjectAccessRequest').select(['status', 'releasedAt']).where('id', '=', requestId).executeTakeFirstOrThrow(),
    )
    expect(row.status).toBe('APPROVED')
    expect(row.releasedAt).not.toBeNull()
  })

  it('shows "Subject access" in the navigation to those who manage requests only', async () => {
    const page = await officer.get('/privacy/subject-access')
    expect(page.text).toContain('href="/privacy/subject-access"')
    const hrefs = (role: 'PRIVACY_OFFICER' | 'HEAD_OF_SERVICE' | 'SOCIAL_WORKER') =>
      navigationFor(
        { ...f.users[role], id: 'u', partnershipId: 'p', teamIds: [], roles: [role], displayName: '', agencyName: '' },
        '/',
      ).map((i) => i.href)
    expect(hrefs('PRIVACY_OFFICER')).toContain('/privacy/subject-access')
    expect(hrefs('HEAD_OF_SERVICE')).not.toContain('/privacy/subject-access')
    expect(hrefs('SOCIAL_WORKER')).not.toContain('/privacy/subject-access')
  })

  it('refuses other roles: a social worker sees nothing; a head of service may approve but not record, redact or download', async () => {
    const worker = await signIn(t, f.users.SOCIAL_WORKER)
    expect((await worker.get('/privacy/subject-access')).status).toBe(403)
    expect((await worker.get(`/privacy/subject-access/${requestId}`)).status).toBe(403)
    expect((await head.get(`/privacy/subject-access/${requestId}`)).status).toBe(200)
    expect((await head.get('/privacy/subject-access/new')).status).toBe(403)
    expect((await head.get(`/privacy/subject-access/${requestId}/download.pdf`)).status).toBe(403)
  })
})

describe('subject access: redaction, restricted records, second person and the reference', () => {
  let subjectId: string
  let requestId: string
  let officerUser: CurrentUser
  let headUser: CurrentUser
  let second: CurrentUser
  const service = () => t.services.subjectAccess.service
  const requestInput = (child: string, year = '2025'): RequestInput => ({
    key: crypto.randomUUID(),
    childId: child,
    subjectKind: 'CHILD',
    requesterName: '',
    requesterRelationship: '',
    receivedOn: `${year}-12-20`,
    identityChecked: false,
    identityHow: '',
  })

  beforeAll(async () => {
    officerUser = (await t.services.auth.currentUser(f.users.PRIVACY_OFFICER.id))!
    headUser = (await t.services.auth.currentUser(f.users.HEAD_OF_SERVICE.id))!
    const made = await t.services.admin.service.createUser(
      { system: true, partnershipId: f.partnershipId },
      {
        displayName: 'Second Officer',
        email: 'second.officer@fixture.example',
        agencyId: f.agencyIds.csc,
        roles: ['PRIVACY_OFFICER'],
        teamIds: [],
        password: TEST_PASSWORD,
        totpSecret: newTotpSecret(),
      },
      null,
    )
    if (!made.ok) throw new Error('no second officer')
    second = (await t.services.auth.currentUser(made.value))!
    // Sam, linked to Robin Quayle, with a chronology entry whose title names Robin.
    subjectId = await system(async (trx) => {
      const sam = await trx
        .insertInto('child')
        .values({
          partnershipId: f.partnershipId,
          givenNames: 'Sam',
          familyName: 'Penrose',
          dateOfBirth: '2012-03-03',
          localCaseId: 'SP-1001',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      const robin = await trx
        .insertInto('child')
        .values({ partnershipId: f.partnershipId, givenNames: 'Robin', familyName: 'Quayle', dateOfBirth: '2013-01-01' })
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx
        .insertInto('childLink')
        .values({ partnershipId: f.partnershipId, childId: sam.id, linkedChildId: robin.id, kind: 'SIBLING', createdBy: null })
        .execute()
      const kase = await trx
        .insertInto('hsbCase')
        .values({
          partnershipId: f.partnershipId,
          childId: sam.id,
          route: 'NEW',
          status: 'REFERRED',
          referralReceivedAt: new Date('2025-06-01'),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx
        .insertInto('chronologyEntry')
        .values({
          partnershipId: f.partnershipId,
          caseId: kase.id,
          occurredOn: '2025-06-02',
          title: 'Visit with Robin Quayle',
          text: 'Robin\nQuayle came too. The Quayle family were at home.',
          authorId: f.users.SOCIAL_WORKER.id,
        })
        .execute()
      return sam.id
    })
  })

  it('numbers the request in the year it was received, not this year', async () => {
    const saved = await service().create(officerUser, requestInput(subjectId), 'test')
    if (!saved.ok) throw new Error('not saved')
    requestId = saved.value
    const row = await system((trx) =>
      trx.selectFrom('subjectAccessRequest').select('reference').where('id', '=', requestId).executeTakeFirstOrThrow(),
    )
    expect(row.reference).toBe('SAR-2025-0001')
  })

  it('never heads an item with a redacted title, and pre-marks the family name alone and a name split by a line break', async () => {
    expect((await service().gather(officerUser, requestId, 'test')).preMarked).toBeGreaterThan(0)
    const view = await officer.get(`/privacy/subject-access/${requestId}`)
    const headings = [...view.text.matchAll(/<h4 class="govuk-summary-card__title">([\s\S]*?)<\/h4>/g)].map((m) => m[1]!)
    expect(headings.length).toBeGreaterThan(2)
    expect(headings.join(' ')).not.toMatch(/Robin|Quayle/)
    expect(headings.join(' ')).toContain('Chronology entries')
    // The bundle as released (outside the reviewers' list of redactions) names Robin nowhere.
    const released = view.text.replace(/<div class="govuk-details__text">[\s\S]*?<\/div>/g, '')
    expect(released).not.toMatch(/Robin|Quayle/)

    await service().submit(officerUser, requestId, 'test')
    await service().decide(headUser, requestId, true, '', 'test')
    const res = await binary(officer, `/privacy/subject-access/${requestId}/download.pdf`)
    expect(res.status).toBe(200)
    const all = pdfText(res.body as Buffer).join('')
    expect(all).toContain('Chronology entries')
    expect(all).not.toContain('Robin')
    expect(all).not.toContain('Quayle')
  })

  it('refuses an approver who gathered the bundle or redacted part of it (audited), and lets a second person decide', async () => {
    const saved = await service().create(second, requestInput(subjectId), 'test')
    if (!saved.ok) throw new Error('not saved')
    const id = saved.value
    await service().gather(officerUser, id, 'test')
    await service().submit(second, id, 'test')
    await expect(service().decide(officerUser, id, true, '', 'test')).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining('You gathered this bundle'),
    })
    const item = await system((trx) =>
      trx.selectFrom('subjectAccessItem').select('id').where('requestId', '=', id).where('source', '=', 'child').executeTakeFirstOrThrow(),
    )
    // Declined by the head of service, gathered again by the second officer, redacted by the first.
    await service().decide(headUser, id, false, 'Check the record again', 'test')
    await service().gather(second, id, 'test')
    await service().redact(
      officerUser,
      id,
      item.id,
      { key: crypto.randomUUID(), part: 'ITEM', fieldKey: '', words: '', reasonCode: 'POLICE', reasonText: '' },
      'test',
    )
    await service().submit(second, id, 'test')
    await expect(service().decide(officerUser, id, true, '', 'test')).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining('You redacted part of this bundle'),
    })
    const refused = await system((trx) =>
      trx
        .selectFrom('auditLog')
        .select(['outcome', 'detail'])
        .where('action', '=', 'subject-access:approve')
        .where('recordId', '=', id)
        .where('userId', '=', officerUser.id)
        .execute(),
    )
    expect(
      refused.map((a) => [a.outcome, (a.detail as Record<string, unknown>).gathered, (a.detail as Record<string, unknown>).redacted]),
    ).toEqual([
      ['DENIED', true, false],
      ['DENIED', false, true],
    ])
    await service().decide(headUser, id, true, '', 'test')
  })

  it('refuses a step the request has moved past (409) rather than acting on a stale status', async () => {
    const saved = await service().create(officerUser, requestInput(subjectId), 'test')
    if (!saved.ok) throw new Error('not saved')
    await service().gather(officerUser, saved.value, 'test')
    await service().submit(officerUser, saved.value, 'test')
    await expect(service().gather(officerUser, saved.value, 'test')).rejects.toMatchObject({ status: 409 })
    await expect(service().submit(officerUser, saved.value, 'test')).rejects.toMatchObject({ status: 409 })
  })

  it('refuses a restricted record to someone not named on it (audited), and shows it only as "Restricted record"', async () => {
    const restricted = f.restrictedChildren.PRIVACY_OFFICER
    const message = 'This record is restricted. Ask the HSB lead or head of service to name you on it before you answer this request.'
    await expect(service().create(officerUser, requestInput(restricted, '2024'), 'test')).rejects.toMatchObject({ status: 403, message })
    const denied = await audited('subject-access:create')
    expect(denied.filter((a) => a.outcome === 'DENIED').map((a) => (a.detail as Record<string, unknown>).childId)).toEqual([restricted])

    // Named on it, the officer records and gathers; the head of service, not named, sees neither the name nor the request.
    await system((trx) =>
      trx
        .insertInto('childRestrictedAccess')
        .values({ partnershipId: f.partnershipId, childId: restricted, userId: officerUser.id })
        .execute(),
    )
    const saved = await service().create(officerUser, requestInput(restricted, '2024'), 'test')
    if (!saved.ok) throw new Error('not saved')
    await service().gather(officerUser, saved.value, 'test')
    const list = await head.get('/privacy/subject-access')
    expect(list.text).toContain('Restricted record')
    expect(list.text).not.toContain('Restricted PRIVACY_OFFICER')
    expect((await officer.get('/privacy/subject-access')).text).toContain('Restricted PRIVACY_OFFICER')
    const view = await head.get(`/privacy/subject-access/${saved.value}`)
    expect(view.status).toBe(403)
    expect(view.text).toContain('This record is restricted.')
    expect(view.text).not.toContain('PRIVACY_OFFICER')
    await expect(service().gather(second, saved.value, 'test')).rejects.toMatchObject({ status: 403, message })
  })

  it('finds a child by an identifier alone without naming them, and a restricted record without its name or date of birth', async () => {
    const token = await csrfFor(officer)
    const byNumber = await officer
      .post('/privacy/subject-access/new')
      .type('form')
      .send({ _csrf: token, action: 'find', identifier: 'SP-1001' })
    expect(byNumber.status).toBe(200)
    expect(byNumber.text).not.toContain(`value="${subjectId}"`)
    expect(byNumber.text).not.toContain('Penrose')
    expect(byNumber.text).toContain('1 record matches but is not shown')
    const byName = await officer
      .post('/privacy/subject-access/new')
      .type('form')
      .send({
        _csrf: token,
        action: 'find',
        identifier: 'SP-1001',
        'given-names': 'Sam',
        'family-name': 'Penrose',
        'date-of-birth-day': '3',
        'date-of-birth-month': '3',
        'date-of-birth-year': '2012',
      })
    expect(byName.text).toContain('Sam Penrose, born 3 March 2012')
    const restricted = await officer
      .post('/privacy/subject-access/new')
      .type('form')
      .send({
        _csrf: token,
        action: 'find',
        'given-names': 'Restricted',
        'family-name': 'SOCIAL_WORKER',
        'date-of-birth-day': '9',
        'date-of-birth-month': '9',
        'date-of-birth-year': '2011',
      })
    expect(restricted.text).not.toContain(`value="${f.restrictedChildren.SOCIAL_WORKER}"`)
    expect(restricted.text).toContain('Restricted record')
    expect(restricted.text).not.toContain('born 9 September 2011')
    // Each search counts toward the same per-person limit as finding a child.
    const searches = await system((trx) =>
      trx.selectFrom('auditLog').select('id').where('action', '=', 'child:search').where('userId', '=', officerUser.id).execute(),
    )
    expect(searches.length).toBeGreaterThanOrEqual(3)
  })

  it('refuses more searches than the per-person limit (429, audited)', async () => {
    const search = { identifier: 'NOPE-1', givenNames: '', familyName: '', dateOfBirth: null }
    let refused: unknown = null
    for (let i = 0; i < 25 && !refused; i++)
      await service()
        .findChild(second, search, 'test')
        .catch((e: unknown) => (refused = e))
    expect(refused).toMatchObject({ status: 429 })
    const denied = await system((trx) =>
      trx
        .selectFrom('auditLog')
        .select('outcome')
        .where('action', '=', 'child:search')
        .where('userId', '=', second.id)
        .where('outcome', '=', 'DENIED')
        .execute(),
    )
    expect(denied).toHaveLength(1)
  })
})
