import { sql } from 'kysely'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { privacyAlerts } from '../../src/platform/access/privacy-alerts.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'

let t: TestApp
let f: Fixtures
let worker: TestAgent
let lead: TestAgent
let referrer: TestAgent
const csrf = new Map<TestAgent, string>()
/** A child the social worker does not work with, whose case is allocated to the team manager's team. */
let childId: string
let caseId: string

const asSystem = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)
const post = (agent: TestAgent, path: string, body: Record<string, unknown>) =>
  agent
    .post(path)
    .type('form')
    .send({ _csrf: csrf.get(agent), ...body })
const EMERGENCY = { reason: 'OUT_OF_HOURS', details: 'Police called at 02:00: the child is missing from home.', confirm: 'yes' }

const alerts = (userId: string, kind: 'BREAK_GLASS' | 'RESTRICTED_READ' | 'UNUSUAL_VOLUME') =>
  asSystem((trx) =>
    trx
      .selectFrom('privacyAlert')
      .select(['childId', 'requestId', 'dedupeKey'])
      .where('userId', '=', userId)
      .where('kind', '=', kind)
      .execute(),
  )
const audits = (userId: string, action: string) =>
  asSystem((trx) =>
    trx
      .selectFrom('auditLog')
      .select(['outcome', 'recordId', 'detail'])
      .where('userId', '=', userId)
      .where('action', '=', action)
      .orderBy('id')
      .execute(),
  )

beforeAll(async () => {
  // A low threshold, so the unusual-volume alert is checked on every read here.
  t = await createTestApp({ PRIVACY_VOLUME_ALERT_PER_HOUR: '3' })
  f = await createFixtures(t.services)
  childId = f.children.SOCIAL_WORKER.NONE
  caseId = f.caseOf[childId]!
  await transaction(t.services.db, { partnershipId: f.partnershipId }, (trx) =>
    trx.updateTable('hsbCase').set({ allocatedTeamId: f.users.TEAM_MANAGER.teamId }).where('id', '=', caseId).execute(),
  )
  worker = await signIn(t, f.users.SOCIAL_WORKER)
  lead = await signIn(t, f.users.HSB_LEAD)
  referrer = await signIn(t, f.users.REFERRER)
  for (const a of [worker, lead, referrer]) csrf.set(a, await csrfFor(a))
}, 120_000)
afterAll(async () => t.close())

describe('break-glass: opening a record in an emergency', () => {
  it('offers it on the refusal of a record or a case, to a role that may break glass, never to a referrer', async () => {
    const record = await worker.get(`/children/${childId}`)
    expect(record.status).toBe(403)
    expect(record.text).toContain(`href="/children/${childId}/break-glass"`)
    expect(record.text).toContain('Open this record in an emergency')
    const kase = await worker.get(`/cases/${caseId}`)
    expect(kase.status).toBe(403)
    expect(kase.text).toContain(`href="/children/${childId}/break-glass"`)
    const other = await referrer.get(`/children/${childId}`)
    expect(other.status).toBe(403)
    expect(other.text).not.toContain('break-glass')
    expect((await referrer.get(`/children/${childId}/break-glass`)).status).toBe(403)
  })

  it('offers it on a restricted record too (so the offer does not say which are), and refuses it there in plain words, audited', async () => {
    const restricted = f.restrictedChildren.SOCIAL_WORKER
    const record = await worker.get(`/children/${restricted}`)
    expect(record.status).toBe(403)
    // The same refusal page as for a record that is not restricted: nothing says it is restricted.
    expect(record.text).toContain(`href="/children/${restricted}/break-glass"`)
    expect(record.text).toContain('Open this record in an emergency')
    expect(record.text).not.toMatch(/restrict/i)
    const kase = await worker.get(`/cases/${f.caseOf[restricted]}`)
    expect(kase.status).toBe(403)
    expect(kase.text).toContain(`href="/children/${restricted}/break-glass"`)
    const res = await post(worker, `/children/${restricted}/break-glass`, EMERGENCY)
    expect(res.status).toBe(403)
    expect(res.text).toContain('This record cannot be opened in an emergency')
    const rows = await asSystem((trx) => trx.selectFrom('breakGlassAccess').select('id').where('childId', '=', restricted).execute())
    expect(rows).toEqual([])
    expect((await audits(f.users.SOCIAL_WORKER.id, 'child:view-break-glass')).filter((a) => a.recordId === restricted)).toEqual([
      expect.objectContaining({ outcome: 'DENIED' }),
    ])
  })

  it('refuses a restricted record even to someone named on it who has no other access', async () => {
    const named = f.children.SOCIAL_WORKER.OTHER_AGENCY
    await transaction(t.services.db, { partnershipId: f.partnershipId }, async (trx) => {
      await trx.updateTable('child').set({ isRestricted: true }).where('id', '=', named).execute()
      await trx
        .insertInto('childRestrictedAccess')
        .values({ partnershipId: f.partnershipId, childId: named, userId: f.users.SOCIAL_WORKER.id })
        .execute()
    })
    const res = await post(worker, `/children/${named}/break-glass`, EMERGENCY)
    expect(res.status).toBe(403)
    expect(res.text).toContain('This record cannot be opened in an emergency')
    expect((await audits(f.users.SOCIAL_WORKER.id, 'child:break-glass')).filter((a) => a.recordId === named)).toEqual([
      expect.objectContaining({ outcome: 'DENIED' }),
    ])
    expect((await worker.get(`/children/${named}`)).status).toBe(403)
  })

  it('asks why: without a reason, details or the confirmation the form comes back with messages by the fields, input kept', async () => {
    const page = await worker.get(`/children/${childId}/break-glass`)
    expect(page.status).toBe(200)
    // Nothing about the child before the record is opened.
    expect(page.text).not.toContain(`SOCIAL_WORKER-NONE`)
    const res = await post(worker, `/children/${childId}/break-glass`, { details: 'Police request at night' })
    expect(res.status).toBe(400)
    expect(res.text).toContain('Select why you need to open this record')
    expect(res.text).toContain('Confirm that you understand your access is recorded and reviewed')
    expect(res.text).toContain('Police request at night')
    // Only the form's reasons: not a name every object has, such as "constructor".
    for (const reason of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const inherited = await post(worker, `/children/${childId}/break-glass`, { ...EMERGENCY, reason })
      expect([reason, inherited.status]).toEqual([reason, 400])
      expect(inherited.text).toContain('Select why you need to open this record')
    }
    const blank = await post(worker, `/children/${childId}/break-glass`, { reason: 'OTHER', confirm: 'yes', details: '  ' })
    expect(blank.text).toContain('Enter the details of why you need to open this record now')
    expect(await asSystem((trx) => trx.selectFrom('breakGlassAccess').select('id').where('childId', '=', childId).execute())).toEqual([])
  })

  it('opens the record for 8 hours, audited, telling the privacy officer and the child’s team manager (emails with no child’s details)', async () => {
    const res = await post(worker, `/children/${childId}/break-glass`, EMERGENCY)
    expect([res.status, res.headers.location]).toEqual([302, `/children/${childId}`])
    const [row] = await asSystem((trx) =>
      trx
        .selectFrom('breakGlassAccess')
        .select(['id', 'reasonCode', 'reasonText', sql<number>`extract(epoch from expires_at - opened_at)::int`.as('seconds')])
        .where('childId', '=', childId)
        .execute(),
    )
    expect(row).toMatchObject({ reasonCode: 'OUT_OF_HOURS', reasonText: EMERGENCY.details, seconds: 8 * 3600 })
    const [entry] = (await audits(f.users.SOCIAL_WORKER.id, 'child:break-glass')).filter((a) => a.recordId === childId)
    expect(entry).toMatchObject({ outcome: 'ALLOWED', detail: expect.objectContaining({ breakGlassId: row!.id, reason: 'OUT_OF_HOURS' }) })
    expect(JSON.stringify(entry!.detail)).not.toContain('missing from home')
    const notices = await asSystem((trx) =>
      trx
        .selectFrom('notification')
        .select(['userId', 'caseId'])
        .where('kind', '=', 'BREAK_GLASS_ACCESS')
        .where('dedupeKey', '=', `break-glass:${row!.id}`)
        .execute(),
    )
    expect(notices).toEqual(
      expect.arrayContaining([
        { userId: f.users.PRIVACY_OFFICER.id, caseId: null },
        { userId: f.users.TEAM_MANAGER.id, caseId },
      ]),
    )
    expect(notices).toHaveLength(2)
    const emails = await asSystem(
      async (trx) =>
        (
          await sql<{ userId: string; kind: string; toAddress: string }>`SELECT user_id AS "userId", kind, to_address AS "toAddress"
          FROM email_outbox WHERE kind = 'BREAK_GLASS_ACCESS' AND partnership_id = ${f.partnershipId}`.execute(trx)
        ).rows,
    )
    expect(emails.map((e) => e.userId).sort()).toEqual([f.users.PRIVACY_OFFICER.id, f.users.TEAM_MANAGER.id].sort())
    expect(JSON.stringify(emails)).not.toContain('SOCIAL_WORKER-NONE')
    // Sent again, the form opens nothing more and tells nobody again.
    await post(worker, `/children/${childId}/break-glass`, EMERGENCY)
    expect(await asSystem((trx) => trx.selectFrom('breakGlassAccess').select('id').where('childId', '=', childId).execute())).toHaveLength(
      1,
    )
  })

  it('shows the record and the case with a banner saying until when, and raises one alert per read', async () => {
    const before = (await alerts(f.users.SOCIAL_WORKER.id, 'BREAK_GLASS')).length
    const record = await worker.get(`/children/${childId}`)
    expect(record.status).toBe(200)
    expect(record.text).toContain('data-qa="break-glass-banner"')
    expect(record.text).toContain('You are reading this record through break-glass until')
    const kase = await worker.get(`/cases/${caseId}`)
    expect(kase.status).toBe(200)
    expect(kase.text).toContain('data-qa="break-glass-banner"')
    const after = await alerts(f.users.SOCIAL_WORKER.id, 'BREAK_GLASS')
    expect(after.length - before).toBe(2)
    const forCase = after.filter((a) => a.requestId === kase.headers['x-request-id'])
    expect(forCase).toEqual([
      { childId, requestId: kase.headers['x-request-id'], dedupeKey: `read:${kase.headers['x-request-id']}:${childId}` },
    ])
  })

  it('gives read only: no step on the case, no step page, not the record’s history', async () => {
    const step = await post(worker, `/cases/${caseId}/clocks/REFERRAL_DECISION/reason`, { reason: 'Waiting for the police' })
    expect(step.status).toBe(403)
    expect(step.text).toContain('Break-glass access lets you read this record, not change it.')
    const stepPage = await worker.get(`/cases/${caseId}/child-and-family-assessment`)
    expect(stepPage.status).toBe(403)
    expect((await worker.get(`/children/${childId}/access-history`)).status).toBe(403)
    const events = await asSystem((trx) => trx.selectFrom('caseEvent').select('action').where('caseId', '=', caseId).execute())
    expect(events.map((e) => e.action)).toEqual(['OPEN'])
  })

  it('links no child: not from a record read through break-glass, nor to one', async () => {
    const record = await worker.get(`/children/${childId}`)
    expect(record.status).toBe(200)
    expect(record.text).not.toContain(`/children/${childId}/links/new`)
    const form = await worker.get(`/children/${childId}/links/new`)
    expect(form.status).toBe(403)
    expect(form.text).toContain('Break-glass access lets you read this record, not change it.')
    const search = await post(worker, `/children/${childId}/links/new`, { action: 'find', kind: 'SIBLING', 'nhs-number': '9434765919' })
    expect(search.status).toBe(403)
    // From the record read through break-glass to a child the worker works with.
    const own = f.children.SOCIAL_WORKER.INVOLVED
    const from = await post(worker, `/children/${childId}/links/new`, {
      action: 'link',
      kind: 'SIBLING',
      'nhs-number': '9434765919',
      'linked-child-id': own,
    })
    expect(from.status).toBe(403)
    expect(from.text).toContain('Break-glass access lets you read this record, not change it.')
    // From a child the worker works with to the record read through break-glass: offered or not, refused.
    const to = await post(worker, `/children/${own}/links/new`, {
      action: 'link',
      kind: 'SIBLING',
      'nhs-number': '9434765919',
      'linked-child-id': childId,
    })
    expect(to.status).toBe(400)
    expect(to.text).toContain('Select a child from the list')
    const links = await asSystem((trx) =>
      trx
        .selectFrom('childLink')
        .select('id')
        .where((eb) => eb.or([eb('childId', '=', childId), eb('linkedChildId', '=', childId)]))
        .execute(),
    )
    expect(links).toEqual([])
    const refused = (await audits(f.users.SOCIAL_WORKER.id, 'child:read')).filter(
      (a) => a.recordId === childId && a.outcome === 'DENIED' && (a.detail as { reason?: string }).reason === 'break-glass',
    )
    expect(refused).toHaveLength(3)
    expect((await audits(f.users.SOCIAL_WORKER.id, 'child:link')).filter((a) => a.recordId === childId)).toEqual([
      expect.objectContaining({ outcome: 'DENIED' }),
    ])
  })

  it('asks for no restricted interview material: the request is refused, audited, and no approver is told', async () => {
    const harmed = f.children.POLICE_OFFICER.INVOLVED
    const [material] = await transaction(t.services.db, { partnershipId: f.partnershipId }, async (trx) => {
      await trx
        .insertInto('childLink')
        .values({ partnershipId: f.partnershipId, childId, linkedChildId: harmed, kind: 'HARMED_CHILD', createdBy: f.users.HSB_LEAD.id })
        .execute()
      return trx
        .insertInto('abeMaterial')
        .values({
          partnershipId: f.partnershipId,
          caseId,
          harmedChildId: harmed,
          reference: 'ABE/2026/0099',
          interviewedOn: '2026-01-05',
          heldByAgencyId: f.agencyIds.police,
          summary: 'Synthetic summary.',
          recordedBy: f.users.HSB_LEAD.id,
        })
        .returning('id')
        .execute()
    })
    const page = await worker.get(`/cases/${caseId}/restricted-material`)
    expect(page.status).toBe(200)
    expect(page.text).not.toContain(`/restricted-material/${material!.id}/requests`)
    const res = await post(worker, `/cases/${caseId}/restricted-material/${material!.id}/requests`, {
      reason: 'To plan the safety work tonight',
    })
    expect(res.status).toBe(403)
    expect(res.text).toContain('Break-glass access lets you read this record, not change it.')
    const requests = await asSystem((trx) => trx.selectFrom('abeAccessRequest').select('id').where('caseId', '=', caseId).execute())
    expect(requests).toEqual([])
    const told = await asSystem((trx) =>
      trx.selectFrom('notification').select('id').where('kind', '=', 'ABE_ACCESS_REQUESTED').where('caseId', '=', caseId).execute(),
    )
    expect(told).toEqual([])
    expect((await audits(f.users.SOCIAL_WORKER.id, 'abe:request')).filter((a) => a.recordId === material!.id)).toEqual([
      expect.objectContaining({ outcome: 'DENIED', detail: expect.objectContaining({ reason: 'break-glass', caseId }) }),
    ])
  })

  it('shows the opening on the record’s access history to those who review it', async () => {
    const page = await lead.get(`/children/${childId}/access-history`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('data-qa="break-glass-open"')
    expect(page.text).toContain('Out-of-hours emergency')
  })

  it('closes again once the time is up', async () => {
    await asSystem(async (trx) => {
      await sql`SET LOCAL ROLE NONE`.execute(trx)
      await sql`UPDATE break_glass_access SET opened_at = now() - interval '9 hours', expires_at = now() - interval '1 hour'
                WHERE child_id = ${childId}`.execute(trx)
    })
    const record = await worker.get(`/children/${childId}`)
    expect(record.status).toBe(403)
    expect(record.text).toContain(`href="/children/${childId}/break-glass"`)
    expect((await worker.get(`/cases/${caseId}`)).status).toBe(403)
  })
})

describe('privacy alerts on reads', () => {
  it('raises one RESTRICTED_READ per read of a restricted record by someone named on it', async () => {
    const restricted = f.restrictedChildren.SOCIAL_WORKER
    await transaction(t.services.db, { partnershipId: f.partnershipId }, (trx) =>
      trx
        .insertInto('childRestrictedAccess')
        .values({ partnershipId: f.partnershipId, childId: restricted, userId: f.users.HSB_LEAD.id })
        .execute(),
    )
    const before = (await alerts(f.users.HSB_LEAD.id, 'RESTRICTED_READ')).length
    const record = await lead.get(`/children/${restricted}`)
    expect(record.status).toBe(200)
    const kase = await lead.get(`/cases/${f.caseOf[restricted]}`)
    expect(kase.status).toBe(200)
    const after = await alerts(f.users.HSB_LEAD.id, 'RESTRICTED_READ')
    expect(after.length - before).toBe(2)
    for (const res of [record, kase]) expect(after.filter((a) => a.requestId === res.headers['x-request-id'])).toHaveLength(1)
    // An ordinary record raises none.
    await lead.get(`/children/${f.children.HSB_LEAD.INVOLVED}`)
    expect((await alerts(f.users.HSB_LEAD.id, 'RESTRICTED_READ')).length - before).toBe(2)
  })

  it('raises one alert per request and child however often the request reads it', async () => {
    const raise = privacyAlerts({ volumePerHour: 1000 })
    const user = { id: f.users.HSB_LEAD.id, partnershipId: f.partnershipId }
    const child = f.restrictedChildren.SOCIAL_WORKER
    await transaction(t.services.db, { partnershipId: f.partnershipId }, async (trx) => {
      for (let i = 0; i < 3; i++) await raise.onRead(trx, user, 'one-request', { childId: child, isRestricted: true, viaBreakGlass: false })
    })
    expect((await alerts(user.id, 'RESTRICTED_READ')).filter((a) => a.requestId === 'one-request')).toHaveLength(1)
  })

  it('raises UNUSUAL_VOLUME once in the hour when a person opens more children than the threshold, and tells the privacy officer', async () => {
    for (const relationship of ['INVOLVED', 'SAME_TEAM', 'SAME_AGENCY', 'OTHER_AGENCY', 'NONE'] as const)
      expect((await lead.get(`/children/${f.children.TEAM_MANAGER[relationship]}`)).status).toBe(200)
    const volume = await alerts(f.users.HSB_LEAD.id, 'UNUSUAL_VOLUME')
    expect(volume).toHaveLength(1)
    expect(volume[0]!.dedupeKey).toMatch(new RegExp(`^volume:${f.users.HSB_LEAD.id}:\\d{4}-\\d{2}-\\d{2}T\\d{2}$`))
    const notices = await asSystem((trx) =>
      trx
        .selectFrom('notification')
        .select('userId')
        .where('kind', '=', 'PRIVACY_ALERT')
        .where('partnershipId', '=', f.partnershipId)
        .execute(),
    )
    expect(notices).toEqual([{ userId: f.users.PRIVACY_OFFICER.id }])
  })
})
