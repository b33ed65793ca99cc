import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { childrenRepository } from '../../src/features/children/children.repository.js'
import type { CurrentUser } from '../../src/platform/auth/current-user.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'

let t: TestApp
let f: Fixtures
let manager: CurrentUser
/** The requester (team manager, working with the child), two approvers (HSB lead, head of service), and a referrer. */
let requester: TestAgent
let lead: TestAgent
let head: TestAgent
const csrf = new Map<TestAgent, string>()
let n = 0

const asSystem = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)
const post = (agent: TestAgent, path: string, body: Record<string, unknown>) =>
  agent
    .post(path)
    .type('form')
    .send({ _csrf: csrf.get(agent), ...body })

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  manager = (await t.services.auth.currentUser(f.users.TEAM_MANAGER.id))!
  requester = await signIn(t, f.users.TEAM_MANAGER)
  lead = await signIn(t, f.users.HSB_LEAD)
  head = await signIn(t, f.users.HEAD_OF_SERVICE)
  for (const a of [requester, lead, head]) csrf.set(a, await csrfFor(a))
}, 120_000)
afterAll(async () => t.close())

/** A case for a child the team manager's team works with, with (or without) a linked harmed child. */
async function caseWithHarmedChild(linkHarmed = true) {
  const children = childrenRepository()
  const partnershipId = f.partnershipId
  return transaction(t.services.db, { partnershipId }, async (trx) => {
    const childId = await children.insertChild(trx, {
      partnershipId,
      givenNames: 'Abe',
      familyName: `Child${++n}`,
      dateOfBirth: '2010-03-03',
    })
    await children.insertInvolvement(trx, {
      partnershipId,
      childId,
      agencyId: f.agencyIds.csc,
      teamId: f.users.TEAM_MANAGER.teamId,
      kind: 'ALLOCATED',
    })
    let harmedId: string | null = null
    if (linkHarmed) {
      harmedId = await children.insertChild(trx, {
        partnershipId,
        givenNames: 'Harmed',
        familyName: `Pupil${n}`,
        dateOfBirth: '2013-08-08',
      })
      await children.insertInvolvement(trx, { partnershipId, childId: harmedId, agencyId: f.agencyIds.police, kind: 'INVOLVED' })
      await children.insertLink(trx, { partnershipId, childId, linkedChildId: harmedId, kind: 'HARMED_CHILD', createdBy: manager.id })
    }
    const caseId = await t.services.kernel.openIn(trx, manager, { childId, route: 'NEW', referralReceivedAt: new Date() }, 'test')
    return { caseId, childId, harmedId }
  })
}

async function recordMaterial(caseId: string, harmedId: string, summary = 'The harmed pupil described the messages and the bus stop.') {
  const res = await post(lead, `/cases/${caseId}/restricted-material/new`, {
    'harmed-child': harmedId,
    reference: 'ABE/2026/0042',
    'interviewed-day': '2',
    'interviewed-month': '3',
    'interviewed-year': '2025',
    'held-by': f.agencyIds.police,
    summary,
  })
  expect(res.status).toBe(302)
  return asSystem((trx) => trx.selectFrom('abeMaterial').selectAll().where('caseId', '=', caseId).executeTakeFirstOrThrow())
}

async function requestAccess(
  agent: TestAgent,
  caseId: string,
  materialId: string,
  reason = 'To plan the safety work with the child’s school.',
) {
  return post(agent, `/cases/${caseId}/restricted-material/${materialId}/requests`, { reason })
}

const requestsOf = (materialId: string) =>
  asSystem((trx) => trx.selectFrom('abeAccessRequest').selectAll().where('materialId', '=', materialId).orderBy('requestedAt').execute())
const auditOf = (action: string, materialId: string) =>
  asSystem((trx) =>
    trx
      .selectFrom('auditLog')
      .select(['userId', 'outcome', 'detail', 'recordType'])
      .where('action', '=', action)
      .where('recordId', '=', materialId)
      .orderBy('id')
      .execute(),
  )

describe('restricted interview material (ABE)', () => {
  it('says honestly when no harmed child is linked, and when no material is recorded', async () => {
    const none = await caseWithHarmedChild(false)
    const page = await requester.get(`/cases/${none.caseId}/restricted-material`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('No harmed child is linked')
    const form = await lead.get(`/cases/${none.caseId}/restricted-material/new`)
    expect(form.status).toBe(409)

    const linked = await caseWithHarmedChild()
    const empty = await requester.get(`/cases/${linked.caseId}/restricted-material`)
    expect(empty.status).toBe(200)
    expect(empty.text).toContain('No ABE interview material has been recorded')
    // The team manager cannot read the harmed child (only the police work with them): no name shown.
    expect(empty.text).toContain('you do not have access to their record')
    expect(empty.text).not.toContain(`Pupil${n}`)
  })

  it('records the material’s metadata; bad input is refused with the input kept', async () => {
    const { caseId, harmedId } = await caseWithHarmedChild()
    const bad = await post(lead, `/cases/${caseId}/restricted-material/new`, {
      'harmed-child': harmedId!,
      reference: 'REF-KEPT',
      'interviewed-day': '31',
      'interviewed-month': '2',
      'interviewed-year': '2025',
      'held-by': '',
    })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('The date of the interview must be a real date')
    expect(bad.text).toContain('Select the agency that holds the material')
    expect(bad.text).toContain('value="REF-KEPT"')
    const material = await recordMaterial(caseId, harmedId!)
    expect(material).toMatchObject({ reference: 'ABE/2026/0042', harmedChildId: harmedId, heldByAgencyId: f.agencyIds.police })
    const page = await requester.get(`/cases/${caseId}/restricted-material`)
    expect(page.text).toContain('ABE/2026/0042')
    expect(page.text).toContain('Fixture Police')
    // The summary is never on the page without a grant.
    expect(page.text).not.toContain('bus stop')
    expect(page.text).not.toContain('data-qa="read-material"')
  })

  it('request → approve → read allowed; after expiry refused and audited; shown in both access reports', async () => {
    const { caseId, childId, harmedId } = await caseWithHarmedChild()
    const material = await recordMaterial(caseId, harmedId!)

    // Unapproved read: 403, audited as refused.
    const early = await requester.get(`/cases/${caseId}/restricted-material/${material.id}`)
    expect(early.status).toBe(403)
    expect(early.text).not.toContain('bus stop')
    expect((await auditOf('abe:read', material.id)).map((a) => a.outcome)).toEqual(['DENIED'])

    const empty = await requestAccess(requester, caseId, material.id, '   ')
    expect(empty.status).toBe(400)
    expect(empty.text).toContain('Enter why you need to read the interview material')
    expect((await requestAccess(requester, caseId, material.id)).status).toBe(302)
    const again = await requestAccess(requester, caseId, material.id, 'Asking twice')
    expect(again.status).toBe(400)
    expect(again.text).toContain('already have a request waiting')
    const [request] = await requestsOf(material.id)
    expect(request).toMatchObject({ status: 'PENDING', requestedBy: f.users.TEAM_MANAGER.id })

    // Both approvers are notified; the requester is not.
    const asked = await asSystem((trx) =>
      trx.selectFrom('notification').select('userId').where('kind', '=', 'ABE_ACCESS_REQUESTED').where('caseId', '=', caseId).execute(),
    )
    expect(asked.map((r) => r.userId).sort()).toEqual([f.users.HSB_LEAD.id, f.users.HEAD_OF_SERVICE.id].sort())

    // A bad decision keeps the input; then the HSB lead approves for 7 days.
    const decisionPath = `/cases/${caseId}/restricted-material/requests/${request!.id}`
    expect((await lead.get(decisionPath)).status).toBe(200)
    const tooLong = await post(lead, decisionPath, { decision: 'APPROVE', days: '120' })
    expect(tooLong.status).toBe(400)
    expect(tooLong.text).toContain('Access must last between 1 and 90 days')
    expect(tooLong.text).toContain('value="120"')
    const before = Date.now()
    expect((await post(lead, decisionPath, { decision: 'APPROVE', days: '7' })).status).toBe(302)
    const [approved] = await requestsOf(material.id)
    expect(approved).toMatchObject({ status: 'APPROVED', decidedBy: f.users.HSB_LEAD.id })
    const days = (approved!.expiresAt!.getTime() - before) / 86_400_000
    expect(days).toBeGreaterThan(6.99)
    expect(days).toBeLessThan(7.01)
    const decided = await asSystem((trx) =>
      trx.selectFrom('notification').select('userId').where('kind', '=', 'ABE_ACCESS_DECIDED').where('caseId', '=', caseId).execute(),
    )
    expect(decided.map((r) => r.userId)).toEqual([f.users.TEAM_MANAGER.id])

    // Read allowed while the grant is in force, and audited with both children's ids.
    const page = await requester.get(`/cases/${caseId}/restricted-material`)
    expect(page.text).toContain('data-qa="read-material"')
    const read = await requester.get(`/cases/${caseId}/restricted-material/${material.id}`)
    expect(read.status).toBe(200)
    expect(read.text).toContain('The harmed pupil described the messages and the bus stop.')
    const reads = await auditOf('abe:read', material.id)
    expect(reads.map((a) => a.outcome)).toEqual(['DENIED', 'ALLOWED'])
    expect(reads[1]!.detail).toMatchObject({ caseId, childId, harmedChildId: harmedId })

    // Time passes: the grant has expired. The read is refused and audited.
    await asSystem((trx) =>
      trx
        .updateTable('abeAccessRequest')
        .set({ expiresAt: new Date(Date.now() - 60_000) })
        .where('id', '=', request!.id)
        .execute(),
    )
    const late = await requester.get(`/cases/${caseId}/restricted-material/${material.id}`)
    expect(late.status).toBe(403)
    expect(late.text).not.toContain('bus stop')
    expect((await auditOf('abe:read', material.id)).map((a) => a.outcome)).toEqual(['DENIED', 'ALLOWED', 'DENIED'])
    expect((await requester.get(`/cases/${caseId}/restricted-material`)).text).toContain('Expired')

    // The access report of the harmed child and of the case's child both list the request, approval and reads.
    for (const id of [harmedId!, childId]) {
      const report = await lead.get(`/children/${id}/access-history`)
      expect(report.status).toBe(200)
      expect(report.text).toContain('Asked to read restricted interview material (ABE)')
      expect(report.text).toContain('Approved access to restricted interview material (ABE)')
      expect(report.text).toContain('Read restricted interview material (ABE)')
      expect(report.text).toContain('Recorded restricted interview material (ABE)')
    }
  })

  it('refuses self-approval (audited), allows refusal with a reason, and revocation ends access', async () => {
    const { caseId, harmedId } = await caseWithHarmedChild()
    const material = await recordMaterial(caseId, harmedId!)
    // The HSB lead asks for access herself: she cannot approve her own request.
    expect((await requestAccess(lead, caseId, material.id, 'I chair the review meeting.')).status).toBe(302)
    const [own] = await requestsOf(material.id)
    const self = await post(lead, `/cases/${caseId}/restricted-material/requests/${own!.id}`, { decision: 'APPROVE', days: '14' })
    expect(self.status).toBe(403)
    expect((await requestsOf(material.id))[0]!.status).toBe('PENDING')
    const denied = await auditOf('abe:approve', material.id)
    expect(denied.map((a) => [a.userId, a.outcome])).toEqual([[f.users.HSB_LEAD.id, 'DENIED']])
    // The head of service approves it (default 14 days), then revokes it.
    expect((await post(head, `/cases/${caseId}/restricted-material/requests/${own!.id}`, { decision: 'APPROVE', days: '' })).status).toBe(
      302,
    )
    const granted = (await requestsOf(material.id))[0]!
    expect(Math.round((granted.expiresAt!.getTime() - granted.decidedAt!.getTime()) / 86_400_000)).toBe(14)
    expect((await lead.get(`/cases/${caseId}/restricted-material/${material.id}`)).status).toBe(200)
    expect((await post(head, `/cases/${caseId}/restricted-material/requests/${own!.id}/revoke`, {})).status).toBe(302)
    expect((await lead.get(`/cases/${caseId}/restricted-material/${material.id}`)).status).toBe(403)

    // A refusal needs a reason.
    expect((await requestAccess(requester, caseId, material.id)).status).toBe(302)
    const pending = (await requestsOf(material.id)).find((r) => r.status === 'PENDING')!
    const noReason = await post(head, `/cases/${caseId}/restricted-material/requests/${pending.id}`, { decision: 'REFUSE', note: '' })
    expect(noReason.status).toBe(400)
    expect(noReason.text).toContain('Enter why the request is refused')
    expect(
      (
        await post(head, `/cases/${caseId}/restricted-material/requests/${pending.id}`, {
          decision: 'REFUSE',
          note: 'Not needed for the school plan.',
        })
      ).status,
    ).toBe(302)
    expect((await requestsOf(material.id)).find((r) => r.id === pending.id)!.status).toBe('REFUSED')
    expect((await requester.get(`/cases/${caseId}/restricted-material/${material.id}`)).status).toBe(403)
  })

  it('only approvers may decide: the requester’s role is refused at the door', async () => {
    const { caseId, harmedId } = await caseWithHarmedChild()
    const material = await recordMaterial(caseId, harmedId!)
    expect((await requestAccess(requester, caseId, material.id)).status).toBe(302)
    const [r] = await requestsOf(material.id)
    expect((await post(requester, `/cases/${caseId}/restricted-material/requests/${r!.id}`, { decision: 'APPROVE' })).status).toBe(403)
    expect((await requestsOf(material.id))[0]!.status).toBe('PENDING')
  })
})
