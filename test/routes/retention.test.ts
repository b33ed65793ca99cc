import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { childrenRepository } from '../../src/features/children/children.repository.js'
import { referralsRepository } from '../../src/features/referrals/referrals.repository.js'
import { retentionRun } from '../../src/cli/retention-run.js'
import type { CurrentUser } from '../../src/platform/auth/current-user.js'
import { sealPending, verifyChain } from '../../src/platform/audit/audit-chain.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'

/**
 * Retention (issue 18, part 7): the partnership's schedule, the review list, legal holds, a
 * proposal approved by a second person, the run, the tombstone, and the audit chain afterwards.
 */
let t: TestApp
let f: Fixtures
let manager: CurrentUser
let head: TestAgent
let privacy: TestAgent
let lead: TestAgent
let worker: TestAgent
const csrf = new Map<TestAgent, string>()
let n = 0

const asSystem = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)
const post = (agent: TestAgent, path: string, body: Record<string, unknown> = {}) =>
  agent
    .post(path)
    .type('form')
    .send({ _csrf: csrf.get(agent), ...body })

/** A child born in 2000 whose only case is closed, with things hanging off it: due under "until the 18th birthday". */
async function closedChild(name: string) {
  const children = childrenRepository()
  const partnershipId = f.partnershipId
  return transaction(t.services.db, { partnershipId }, async (trx) => {
    const childId = await children.insertChild(trx, {
      partnershipId,
      givenNames: name,
      familyName: `Retained${++n}`,
      dateOfBirth: '2000-01-01',
    })
    await children.insertInvolvement(trx, {
      partnershipId,
      childId,
      agencyId: f.agencyIds.csc,
      teamId: f.users.TEAM_MANAGER.teamId,
      kind: 'ALLOCATED',
    })
    const harmedId = await children.insertChild(trx, {
      partnershipId,
      givenNames: 'Harmed',
      familyName: `Peer${n}`,
      dateOfBirth: '2001-02-02',
    })
    await children.insertLink(trx, { partnershipId, childId, linkedChildId: harmedId, kind: 'HARMED_CHILD', createdBy: manager.id })
    const caseId = await t.services.kernel.openIn(trx, manager, { childId, route: 'NEW', referralReceivedAt: new Date() }, 'test')
    await referralsRepository().insertRequest(trx, {
      partnershipId,
      caseId,
      referrerId: f.users.SOCIAL_WORKER.id,
      referrerAgencyId: f.agencyIds.csc,
      receivedAt: new Date(),
      whatHappened: 'A concern the school raised.',
      contexts: ['SCHOOL'],
      otherChildren: null,
      sharingBasis: 'SAFEGUARDING_WITHOUT_CONSENT',
      consentSought: false,
      sharingNote: null,
      idempotencyKey: randomUUID(),
    })
    await trx
      .insertInto('notification')
      .values({ partnershipId, userId: f.users.TEAM_MANAGER.id, kind: 'REQUEST_DECIDED', caseId, dedupeKey: `test:${caseId}` })
      .execute()
    await trx
      .insertInto('abeMaterial')
      .values({
        partnershipId,
        caseId,
        harmedChildId: harmedId,
        reference: 'ABE/1',
        interviewedOn: '2015-05-05',
        heldByAgencyId: f.agencyIds.police,
        summary: 'Summary',
        recordedBy: manager.id,
      })
      .execute()
    // A hold placed and lifted long ago: lifted holds go with the record.
    const hold = await trx
      .insertInto('legalHold')
      .values({ partnershipId, childId, reason: 'An old claim', placedBy: f.users.HSB_LEAD.id })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx
      .updateTable('legalHold')
      .set({ liftedAt: new Date(), liftedBy: f.users.HSB_LEAD.id, liftReason: 'Settled' })
      .where('id', '=', hold.id)
      .execute()
    await trx.updateTable('hsbCase').set({ status: 'CLOSED', closedAt: new Date() }).where('id', '=', caseId).execute()
    return { childId, caseId, harmedId, familyName: `Retained${n}` }
  })
}

const deletionOf = (childId: string) =>
  asSystem((trx) =>
    trx.selectFrom('retentionDeletion').selectAll().where('childId', '=', childId).orderBy('proposedAt', 'desc').executeTakeFirst(),
  )
const auditOf = (action: string, childId: string) =>
  asSystem((trx) =>
    trx
      .selectFrom('auditLog')
      .select(['userId', 'outcome', 'detail'])
      .where('action', '=', action)
      .where('recordId', '=', childId)
      .orderBy('id')
      .execute(),
  )
const notificationsOf = (userId: string, kind: string) =>
  asSystem((trx) =>
    trx
      .selectFrom('notification')
      .select(['dedupeKey', 'caseId'])
      .where('userId', '=', userId)
      .where('kind', '=', kind as never)
      .execute(),
  )

/** Every foreign key that points at a child or a case, as (table, column, what it points at). */
async function referencesToChildAndCase() {
  const r = await sql<{ tbl: string; col: string; parent: string }>`
    SELECT c.conrelid::regclass::text AS tbl, a.attname AS col, c.confrelid::regclass::text AS parent
    FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
    WHERE c.contype = 'f' AND c.confrelid::regclass::text IN ('child', 'hsb_case')`.execute(t.services.db)
  return r.rows
}

let a: Awaited<ReturnType<typeof closedChild>>
let b: Awaited<ReturnType<typeof closedChild>>
let c: Awaited<ReturnType<typeof closedChild>>

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  manager = (await t.services.auth.currentUser(f.users.TEAM_MANAGER.id))!
  head = await signIn(t, f.users.HEAD_OF_SERVICE)
  privacy = await signIn(t, f.users.PRIVACY_OFFICER)
  lead = await signIn(t, f.users.HSB_LEAD)
  worker = await signIn(t, f.users.SOCIAL_WORKER)
  for (const agent of [head, privacy, lead, worker]) csrf.set(agent, await csrfFor(agent))
  a = await closedChild('Ada')
  b = await closedChild('Bea')
  c = await closedChild('Cai')
}, 180_000)
afterAll(async () => t.close())

describe('retention', () => {
  it('says the schedule is the partnership’s decision, not advice, and lists nothing before one is recorded', async () => {
    const page = await head.get('/admin/retention')
    expect(page.status).toBe(200)
    expect(page.text).toContain('the partnership’s own decision')
    expect(page.text).toContain('gives no advice')
    expect(page.text).toContain('No schedule recorded: no record of this kind is due.')
    expect(page.text).toContain('data-qa="nothing-due"')
    expect(page.text).toContain('href="/admin/retention"')
    expect((await worker.get('/admin/retention')).status).toBe(403)
  })

  it('refuses a schedule without a rule, a real date or a note, keeping what was typed', async () => {
    const form = await head.get('/admin/retention/schedule')
    const key = /name="form-key" value="([^"]+)"/.exec(form.text)![1]
    const res = await post(head, '/admin/retention/schedule', {
      'form-key': key,
      kind: 'CHILD_RECORD',
      'years-after-last-contact': '',
      'until-birthday': 'twenty',
      'effective-from-day': '30',
      'effective-from-month': '2',
      'effective-from-year': '2020',
      note: 'Kept while we decide',
    })
    expect(res.status).toBe(400)
    expect(res.text).toContain('There is a problem')
    expect(res.text).toContain('The birthday must be a whole number of years from 1 to 100')
    expect(res.text).toContain('The date the decision takes effect must be a real date')
    expect(res.text).toContain('value="twenty"')
    expect(res.text).toContain('Kept while we decide')
    expect(res.text).toContain(`value="${key}"`)
  })

  it('records the partnership’s decision once per form, with its note, and lists the records due under it', async () => {
    const form = await head.get('/admin/retention/schedule')
    const key = /name="form-key" value="([^"]+)"/.exec(form.text)![1]
    const body = {
      'form-key': key,
      kind: 'CHILD_RECORD',
      'until-birthday': '18',
      'effective-from-day': '1',
      'effective-from-month': '1',
      'effective-from-year': '2020',
      note: 'Agreed by the partnership executive, minute 7, as the partnership’s decision.',
    }
    expect((await post(head, '/admin/retention/schedule', body)).status).toBe(302)
    expect((await post(head, '/admin/retention/schedule', body)).status).toBe(302)
    const versions = await asSystem((trx) =>
      trx.selectFrom('retentionSchedule').selectAll().where('partnershipId', '=', f.partnershipId).execute(),
    )
    expect(versions).toHaveLength(1)
    expect(versions[0]).toMatchObject({
      kind: 'CHILD_RECORD',
      untilBirthday: 18,
      yearsAfterLastContact: null,
      decidedBy: f.users.HEAD_OF_SERVICE.id,
    })
    const audited = await asSystem((trx) => trx.selectFrom('auditLog').selectAll().where('action', '=', 'retention:schedule').execute())
    expect(audited).toHaveLength(1)

    const page = await head.get('/admin/retention')
    expect(page.text).toContain('until the child’s 18th birthday')
    expect(page.text).toContain('minute 7')
    for (const x of [a, b, c]) expect(page.text).toContain(x.familyName)
    // The fixture children were born in 2012 and have cases open: none is due.
    expect(page.text).not.toContain('Fixture HSB_LEAD')
    const listed = await auditOf('retention:list', a.childId)
    expect(listed.length).toBeGreaterThan(0)
  })

  it('places a legal hold with a reason; a held record is shown as held and its erasure is refused with a clear message', async () => {
    const empty = await post(lead, `/admin/retention/records/${b.childId}/hold`, { reason: ' ' })
    expect(empty.status).toBe(400)
    expect(empty.text).toContain('Enter the reason for the legal hold')
    expect((await post(lead, `/admin/retention/records/${b.childId}/hold`, { reason: 'A civil claim has been notified.' })).status).toBe(
      302,
    )
    // Placing it again finds the hold in force.
    expect((await post(lead, `/admin/retention/records/${b.childId}/hold`, { reason: 'Again' })).status).toBe(302)
    const holds = await asSystem((trx) =>
      trx.selectFrom('legalHold').selectAll().where('childId', '=', b.childId).where('liftedAt', 'is', null).execute(),
    )
    expect(holds).toHaveLength(1)

    const page = await head.get('/admin/retention')
    expect(page.text).toContain('Legal hold')
    expect(page.text).not.toContain(`/admin/retention/records/${b.childId}/propose`)
    const refused = await post(head, `/admin/retention/records/${b.childId}/propose`)
    expect(refused.status).toBe(409)
    expect(refused.text).toContain('under a legal hold: it cannot be erased while the hold is in force')
    expect(await deletionOf(b.childId)).toBeUndefined()
    expect((await auditOf('retention:propose', b.childId)).map((r) => r.outcome)).toEqual(['DENIED'])
  })

  it('proposes an erasure and tells the approvers, not the proposer; a record not due cannot be proposed', async () => {
    expect((await post(head, `/admin/retention/records/${a.childId}/propose`)).status).toBe(302)
    expect((await post(head, `/admin/retention/records/${a.childId}/propose`)).status).toBe(302)
    expect((await post(head, `/admin/retention/records/${c.childId}/propose`)).status).toBe(302)
    const proposals = await asSystem((trx) => trx.selectFrom('retentionDeletion').selectAll().where('childId', '=', a.childId).execute())
    expect(proposals).toHaveLength(1)
    expect(proposals[0]).toMatchObject({ status: 'PROPOSED', proposedBy: f.users.HEAD_OF_SERVICE.id })
    expect(proposals[0]!.basis).toContain('until the child’s 18th birthday')
    expect(await notificationsOf(f.users.PRIVACY_OFFICER.id, 'RETENTION_APPROVAL_REQUESTED')).toHaveLength(2)
    expect(await notificationsOf(f.users.HEAD_OF_SERVICE.id, 'RETENTION_APPROVAL_REQUESTED')).toHaveLength(0)

    const notDue = await post(head, `/admin/retention/records/${f.children.HSB_LEAD.INVOLVED}/propose`)
    expect(notDue.status).toBe(409)
    expect(notDue.text).toContain('not due for erasure')
  })

  it('refuses the proposer’s own approval with a clear message (audited), and anyone without the approval role', async () => {
    const d = (await deletionOf(a.childId))!
    const own = await post(head, `/admin/retention/deletions/${d.id}/approve`)
    expect(own.status).toBe(403)
    expect(own.text).toContain('You proposed this erasure, so you cannot decide it')
    expect((await auditOf('retention:approve', a.childId)).map((r) => [r.userId, r.outcome])).toEqual([
      [f.users.HEAD_OF_SERVICE.id, 'DENIED'],
    ])
    expect((await post(lead, `/admin/retention/deletions/${d.id}/approve`)).status).toBe(403)
    expect((await post(worker, `/admin/retention/deletions/${d.id}/approve`)).status).toBe(403)
    expect((await deletionOf(a.childId))!.status).toBe('PROPOSED')
    const page = await head.get('/admin/retention')
    expect(page.text).toContain('data-qa="own-proposal"')
  })

  it('approves by a second person and tells the proposer', async () => {
    for (const x of [a, c]) {
      const d = (await deletionOf(x.childId))!
      expect((await post(privacy, `/admin/retention/deletions/${d.id}/approve`)).status).toBe(302)
      expect(await deletionOf(x.childId)).toMatchObject({ status: 'APPROVED', decidedBy: f.users.PRIVACY_OFFICER.id })
    }
    expect(await notificationsOf(f.users.HEAD_OF_SERVICE.id, 'RETENTION_DECIDED')).toHaveLength(2)
    const again = await post(privacy, `/admin/retention/deletions/${(await deletionOf(a.childId))!.id}/approve`)
    expect(again.status).toBe(409)
  })

  it('runs: erases the approved record everywhere, leaves a tombstone with no personal details, and never erases a held record', async () => {
    // A hold placed after the approval: the run must not erase C.
    expect((await post(lead, `/admin/retention/records/${c.childId}/hold`, { reason: 'An inquiry asked for the record.' })).status).toBe(
      302,
    )
    await sealPending(t.services.db, { settleMs: 0 })

    const run = await post(head, '/admin/retention/run')
    expect(run.status).toBe(302)
    const page = await head.get('/admin/retention')
    expect(page.text).toContain('1 record erased')
    expect(page.text).toContain('1 record was not erased: under a legal hold.')

    // A is gone from every table that points at a child or a case.
    for (const ref of await referencesToChildAndCase()) {
      const ids = ref.parent === 'child' ? [a.childId] : [a.caseId]
      const left = await asSystem(async (trx) =>
        sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(ref.tbl)} WHERE ${sql.ref(ref.col)}::text = ANY (${ids}::text[])`.execute(
          trx,
        ),
      )
      expect(Number(left.rows[0]!.n), `${ref.tbl}.${ref.col}`).toBe(0)
    }
    const child = await asSystem((trx) => trx.selectFrom('child').select('id').where('id', '=', a.childId).executeTakeFirst())
    expect(child).toBeUndefined()
    // The harmed child linked to A is a record of their own: kept.
    expect(await asSystem((trx) => trx.selectFrom('child').select('id').where('id', '=', a.harmedId).executeTakeFirst())).toBeDefined()

    const tombstone = await asSystem((trx) =>
      trx.selectFrom('retentionTombstone').selectAll().where('childId', '=', a.childId).executeTakeFirstOrThrow(),
    )
    const d = (await deletionOf(a.childId))!
    expect(tombstone).toMatchObject({
      kind: 'CHILD_RECORD',
      deletionId: d.id,
      proposedBy: f.users.HEAD_OF_SERVICE.id,
      approvedBy: f.users.PRIVACY_OFFICER.id,
    })
    expect(JSON.stringify(tombstone)).not.toContain(a.familyName)
    expect(JSON.stringify(tombstone)).not.toContain('2000-01-01')
    expect(d).toMatchObject({ status: 'EXECUTED' })
    expect((await auditOf('retention:erase', a.childId)).map((r) => r.outcome)).toEqual(['ALLOWED'])

    // C, held, is whole and still approved; the refusal is audited.
    expect(await asSystem((trx) => trx.selectFrom('child').select('id').where('id', '=', c.childId).executeTakeFirst())).toBeDefined()
    expect(await asSystem((trx) => trx.selectFrom('hsbCase').select('id').where('id', '=', c.caseId).executeTakeFirst())).toBeDefined()
    expect((await deletionOf(c.childId))!.status).toBe('APPROVED')
    expect((await auditOf('retention:erase', c.childId)).map((r) => r.outcome)).toEqual(['DENIED'])
    expect(page.text).toContain(a.childId)
    expect(page.text).not.toContain(a.familyName)
  })

  it('refuses in the database too: the erasure function will not erase a held record, nor an unapproved one', async () => {
    const held = (await deletionOf(c.childId))!
    await expect(
      transaction(t.services.db, { partnershipId: f.partnershipId }, (trx) =>
        sql`SELECT hsb_retention_erase(${held.id}::uuid)`.execute(trx),
      ),
    ).rejects.toThrow(/legal hold/)
    await expect(
      transaction(t.services.db, { partnershipId: f.otherPartnershipId }, (trx) =>
        sql`SELECT hsb_retention_erase(${held.id}::uuid)`.execute(trx),
      ),
    ).rejects.toThrow(/not this partnership/)
    // The application's role cannot delete history itself.
    await expect(
      transaction(t.services.db, { partnershipId: f.partnershipId }, (trx) =>
        sql`DELETE FROM case_event WHERE case_id = ${c.caseId}`.execute(trx),
      ),
    ).rejects.toThrow(/permission denied/)
    expect(await asSystem((trx) => trx.selectFrom('child').select('id').where('id', '=', c.childId).executeTakeFirst())).toBeDefined()
  })

  it('keeps the audit chain verifiable after an erasure', async () => {
    await sealPending(t.services.db, { settleMs: 0 })
    const report = await verifyChain(t.services.db)
    expect(report.ok).toBe(true)
    const kept = await asSystem((trx) => trx.selectFrom('auditLog').select('id').where('recordId', '=', a.childId).execute())
    expect(kept.length).toBeGreaterThan(0)
  })

  it('lifts a hold with a reason, after which the record follows the schedule again', async () => {
    const hold = await asSystem((trx) =>
      trx.selectFrom('legalHold').select('id').where('childId', '=', c.childId).where('liftedAt', 'is', null).executeTakeFirstOrThrow(),
    )
    const empty = await post(lead, `/admin/retention/holds/${hold.id}/lift`, { reason: '' })
    expect(empty.status).toBe(400)
    expect(empty.text).toContain('Enter the reason for lifting the legal hold')
    expect((await lead.get(`/admin/retention/holds/${hold.id}/lift`)).status).toBe(200)
    expect((await post(lead, `/admin/retention/holds/${hold.id}/lift`, { reason: 'The inquiry has its copy.' })).status).toBe(302)
    expect((await post(lead, `/admin/retention/holds/${hold.id}/lift`, { reason: 'Again' })).status).toBe(409)
    expect((await auditOf('retention:lift-hold', c.childId)).map((r) => r.outcome)).toEqual(['ALLOWED'])
    expect((await post(head, '/admin/retention/run')).status).toBe(302)
    expect(
      await asSystem((trx) => trx.selectFrom('retentionTombstone').select('id').where('childId', '=', c.childId).executeTakeFirst()),
    ).toBeDefined()
  })

  it('runs from the command line too, as a named person, saying what it did', async () => {
    const { name } = await asSystem((trx) =>
      trx.selectFrom('partnership').select('name').where('id', '=', f.partnershipId).executeTakeFirstOrThrow(),
    )
    const said: string[] = []
    const io = { say: (x: string) => said.push(x), complain: (x: string) => said.push(`! ${x}`) }
    expect(await retentionRun(t.services, { partnership: name, as: f.users.PRIVACY_OFFICER.email }, io)).toBe(0)
    expect(JSON.parse(said[0]!)).toEqual({ partnership: name, erased: 0, held: 0, failed: 0, failures: [] })
    expect(await retentionRun(t.services, { partnership: name, as: 'nobody@fixture.example' }, io)).toBe(2)
    expect(said.at(-1)).toContain('No person with the email nobody@fixture.example')
  })

  describe('checks each approval again as it runs', () => {
    const proposeAndApprove = async (childId: string) => {
      expect((await post(head, `/admin/retention/records/${childId}/propose`)).status).toBe(302)
      const d = (await deletionOf(childId))!
      expect((await post(privacy, `/admin/retention/deletions/${d.id}/approve`)).status).toBe(302)
      return (await deletionOf(childId))!
    }
    const exists = async (childId: string) =>
      (await asSystem((trx) => trx.selectFrom('child').select('id').where('id', '=', childId).executeTakeFirst())) !== undefined
    const runAs = () => t.services.retention.service.runApproved({ partnershipId: f.partnershipId, userId: manager.id, requestId: null })

    it('never erases interview material on another child’s case: the harmed child’s erasure is refused, with a clear message', async () => {
      const d = await closedChild('Dee')
      // The harmed child (no case of their own) is due under the 18th-birthday rule.
      const proposal = await proposeAndApprove(d.harmedId)
      expect(proposal.status).toBe('APPROVED')
      await expect(
        transaction(t.services.db, { partnershipId: f.partnershipId }, (trx) =>
          sql`SELECT hsb_retention_erase(${proposal.id}::uuid)`.execute(trx),
        ),
      ).rejects.toThrow(/named as the harmed child in interview material on another child/)

      expect((await post(head, '/admin/retention/run')).status).toBe(302)
      const page = await head.get('/admin/retention')
      expect(page.text).toContain('1 record was not erased and stay approved:')
      expect(page.text).toContain(
        `record ${d.harmedId.slice(0, 8)}: the child is named as the harmed child in interview material on another child`,
      )
      // The other child's record is whole: its material and the harmed child are still there.
      const material = await asSystem((trx) => trx.selectFrom('abeMaterial').select('id').where('caseId', '=', d.caseId).execute())
      expect(material).toHaveLength(1)
      expect(await exists(d.harmedId)).toBe(true)
      expect((await deletionOf(d.harmedId))!.status).toBe('APPROVED')
      expect((await auditOf('retention:erase', d.harmedId)).map((r) => [r.outcome, r.detail])).toEqual([
        ['DENIED', { deletionId: proposal.id, reason: 'HARMED_IN_ANOTHER_RECORD' }],
      ])
      // Set aside (test only), so each later run in this file sees its own proposal alone.
      await asSystem((trx) => trx.updateTable('retentionDeletion').set({ status: 'DECLINED' }).where('id', '=', proposal.id).execute())
    })

    it('refuses a child referred again after the approval: the database refuses an open case, the run skips it and says why', async () => {
      const e = await closedChild('Eve')
      const proposal = await proposeAndApprove(e.childId)
      const reopened = await transaction(t.services.db, { partnershipId: f.partnershipId }, (trx) =>
        t.services.kernel.openIn(trx, manager, { childId: e.childId, route: 'NEW', referralReceivedAt: new Date() }, 'test'),
      )
      await expect(
        transaction(t.services.db, { partnershipId: f.partnershipId }, (trx) =>
          sql`SELECT hsb_retention_erase(${proposal.id}::uuid)`.execute(trx),
        ),
      ).rejects.toThrow(/has a case that is not closed/)

      const said: string[] = []
      const io = { say: (x: string) => said.push(x), complain: (x: string) => said.push(`! ${x}`) }
      const { name } = await asSystem((trx) =>
        trx.selectFrom('partnership').select('name').where('id', '=', f.partnershipId).executeTakeFirstOrThrow(),
      )
      expect(await retentionRun(t.services, { partnership: name, as: f.users.PRIVACY_OFFICER.email }, io)).toBe(1)
      const out = JSON.parse(said[0]!) as { failed: number; failures: { deletionId: string; reason: string; says: string }[] }
      expect(out.failed).toBe(1)
      expect(out.failures).toEqual([expect.objectContaining({ deletionId: proposal.id, reason: 'NOT_DUE' })])
      expect(out.failures[0]!.says).toContain('no longer due under the schedule in force')
      expect(said[0]).not.toContain('Eve')

      expect(await exists(e.childId)).toBe(true)
      expect(await asSystem((trx) => trx.selectFrom('hsbCase').select('id').where('id', '=', reopened).executeTakeFirst())).toBeDefined()
      expect((await auditOf('retention:erase', e.childId)).map((r) => [r.outcome, r.detail])).toEqual([
        ['DENIED', { deletionId: proposal.id, reason: 'NOT_DUE' }],
      ])
      await asSystem((trx) => trx.updateTable('retentionDeletion').set({ status: 'DECLINED' }).where('id', '=', proposal.id).execute())
    })

    it('audits a run that fails part-way for a child (denied, the reason’s code) and keeps the record approved', async () => {
      const g = await closedChild('Gil')
      const proposal = await proposeAndApprove(g.childId)
      const r = await t.services.retention.service.runApproved(
        { partnershipId: f.partnershipId, userId: manager.id, requestId: null },
        {
          withinEach: async () => {
            throw new Error('the connection was lost')
          },
        },
      )
      expect(r).toMatchObject({ erased: 0, failed: 1 })
      expect(r.failures).toEqual([expect.objectContaining({ deletionId: proposal.id, childId: g.childId, reason: 'ERROR' })])
      expect(r.failures[0]!.says).toContain('run again')
      expect(await exists(g.childId)).toBe(true)
      expect((await deletionOf(g.childId))!.status).toBe('APPROVED')
      const denied = await auditOf('retention:erase', g.childId)
      expect(denied.map((x) => [x.outcome, x.detail])).toEqual([['DENIED', { deletionId: proposal.id, reason: 'ERROR' }]])
      expect(JSON.stringify(denied)).not.toContain('connection was lost')
      await asSystem((trx) => trx.updateTable('retentionDeletion').set({ status: 'DECLINED' }).where('id', '=', proposal.id).execute())
    })

    it('skips a record no longer due because the schedule was lengthened after the approval, and audits it as refused', async () => {
      const h = await closedChild('Hal')
      const proposal = await proposeAndApprove(h.childId)
      const form = await head.get('/admin/retention/schedule')
      const key = /name="form-key" value="([^"]+)"/.exec(form.text)![1]
      const today = new Date()
      expect(
        (
          await post(head, '/admin/retention/schedule', {
            'form-key': key,
            kind: 'CHILD_RECORD',
            'until-birthday': '99',
            'effective-from-day': '1',
            'effective-from-month': '1',
            'effective-from-year': String(today.getUTCFullYear() - 1),
            note: 'The partnership executive lengthened the schedule, minute 9.',
          })
        ).status,
      ).toBe(302)
      const r = await runAs()
      expect(r).toMatchObject({ erased: 0, failed: 1 })
      expect(r.failures).toEqual([expect.objectContaining({ deletionId: proposal.id, reason: 'NOT_DUE' })])
      expect(await exists(h.childId)).toBe(true)
      expect((await auditOf('retention:erase', h.childId)).map((x) => [x.outcome, x.detail])).toEqual([
        ['DENIED', { deletionId: proposal.id, reason: 'NOT_DUE' }],
      ])
    })
  })
})
