import { sql } from 'kysely'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoSteps } from '../../src/demo/demo-steps.js'
import type { CurrentUser } from '../../src/platform/auth/current-user.js'
import { londonDate } from '../../src/platform/clocks/london-time.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { londonInstant, londonParts } from '../../src/platform/forms/dates.js'
import { atTime } from '../../src/platform/forms/when.js'
import { formatDate } from '../../src/platform/http/format.js'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'

/**
 * Issue 15 in a multi-agency case audit: the cohort finds the cases open on a past date by when
 * their requests were received; consent keeps the date it was given apart from when it was
 * recorded; the panel and a finding keep when they happened, checked by the forms kit's rules,
 * beside when they were recorded, with the reason when entered late; the audit log and the
 * report follow when they happened.
 */
let t: TestApp
let f: Fixtures
let manager: TestAgent
let csrf: string
let worker: CurrentUser
const DAY = 86_400_000
const HOUR = 3_600_000
const system = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)
const post = (url: string, body: Record<string, string | string[]>) =>
  manager
    .post(url)
    .type('form')
    .send({ _csrf: csrf, ...body })

/** `n` days ago in the UK, as date boxes (and the ISO date). */
const daysAgo = (n: number) => {
  const at = new Date(Date.now() - n * DAY)
  const p = londonParts(at)
  return { iso: londonDate(at), day: p.day, month: p.month, year: p.year }
}
/** The "when it happened" boxes: `n` days ago at `time` (UK), with a reason if given. */
const occurred = (n: number, time: string, lateReason = '') => {
  const d = daysAgo(n)
  return { 'occurred-day': d.day, 'occurred-month': d.month, 'occurred-year': d.year, 'occurred-time': time, 'late-reason': lateReason }
}
const auditLog = (action: string) =>
  system((trx) =>
    trx
      .selectFrom('auditLog')
      .select(['outcome', 'detail'])
      .where('userId', '=', f.users.PARTNERSHIP_BUSINESS_MANAGER.id)
      .where('action', '=', action)
      .orderBy('occurredAt')
      .execute(),
  )

/** A new child with a request for support received `receivedAt`, entered now. */
async function requestReceived(receivedAt: Date, n: number): Promise<string> {
  const steps = demoSteps(t.services)
  const childId = await steps.createChild(
    worker,
    {
      givenNames: ['Elowen', 'Fenwick'][n]!,
      familyName: ['Marwood', 'Pendry'][n]!,
      dateOfBirth: `201${n + 2}-04-1${n}`,
      gender: 'FEMALE',
      ethnicity: 'NOT_STATED',
    },
    { searchFirst: false },
  )
  return steps.raiseRequest(worker, childId, {
    receivedAt,
    whatHappened: 'A synthetic concern for a test.',
    contexts: ['SCHOOL'],
    sharingBasis: 'CONSENT',
    consentSought: true,
  })
}

let earlyCase: string
let laterCase: string
let auditId: string

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  worker = (await t.services.auth.currentUser(f.users.SOCIAL_WORKER.id))!
  // Received 40 and 20 days ago; both typed in today.
  earlyCase = await requestReceived(new Date(Date.now() - 40 * DAY), 0)
  laterCase = await requestReceived(new Date(Date.now() - 20 * DAY), 1)
  manager = await signIn(t, f.users.PARTNERSHIP_BUSINESS_MANAGER)
  csrf = await csrfFor(manager)
}, 120_000)
afterAll(async () => t.close())

describe('the cohort open on a past date', () => {
  it('finds a case whose request was received before the date and entered later, and not one received after it', async () => {
    await manager.get('/case-audits/tools')
    const tool = await system((trx) =>
      trx.selectFrom('caseAuditTool').select('id').where('partnershipId', '=', f.partnershipId).executeTakeFirstOrThrow(),
    )
    const setUp = await post('/case-audits', {
      theme: 'When it happened',
      'panel-date-day': '20',
      'panel-date-month': '2',
      'panel-date-year': '2026',
      tool: tool.id,
      [`agency-${f.agencyIds.csc}`]: 'TAKING_PART',
      [`auditor-${f.agencyIds.csc}`]: f.users.LEAD_AUDITOR.id,
    })
    expect(setUp.status).toBe(302)
    auditId = setUp.headers.location!.split('/').pop()!
    const openOn = daysAgo(30)
    const drawn = await post(`/case-audits/${auditId}/cohort`, {
      'open-on-day': openOn.day,
      'open-on-month': openOn.month,
      'open-on-year': openOn.year,
      'sample-size': '1',
      action: 'draw',
    })
    expect(drawn.status).toBe(302)
    const row = await system((trx) =>
      trx.selectFrom('caseAudit').select('cohortCaseIds').where('id', '=', auditId).executeTakeFirstOrThrow(),
    )
    // The fixture cases' requests were received today: not open 30 days ago either.
    expect(row.cohortCaseIds).toEqual([earlyCase])
    expect(row.cohortCaseIds).not.toContain(laterCase)
  })
})

describe('consent', () => {
  it('keeps the date it was given, as entered, apart from when it was recorded', async () => {
    const sample = await system((trx) =>
      trx.selectFrom('caseAuditSample').select('id').where('auditId', '=', auditId).executeTakeFirstOrThrow(),
    )
    const on = daysAgo(12)
    const res = await post(`/case-audits/${auditId}/samples/${sample.id}/consent`, {
      state: 'GIVEN',
      by: 'PARENT',
      'on-day': on.day,
      'on-month': on.month,
      'on-year': on.year,
      how: 'PHONE',
    })
    expect(res.status).toBe(302)
    const row = await system((trx) =>
      trx.selectFrom('caseAuditSample').select(['consentOn', 'consentRecordedAt']).where('id', '=', sample.id).executeTakeFirstOrThrow(),
    )
    expect(row.consentOn!.toISOString().slice(0, 10)).toBe(on.iso)
    expect(row.consentRecordedAt!.getTime()).toBeGreaterThan(Date.now() - HOUR)
    expect((await manager.get(`/case-audits/${auditId}`)).text).toContain(`Parent, By phone, ${formatDate(`${on.iso}T12:00:00Z`)}`)
  })
})

describe('the panel', () => {
  let setUpAt: Date
  let sampledAt: Date

  beforeAll(async () => {
    // The audit was set up five weeks ago and its sample drawn a month ago.
    await system((trx) =>
      sql`UPDATE case_audit SET created_at = now() - interval '35 days', sampled_at = now() - interval '30 days'
          WHERE id = ${auditId}`.execute(trx),
    )
    const row = await system((trx) =>
      trx.selectFrom('caseAudit').select(['createdAt', 'sampledAt']).where('id', '=', auditId).executeTakeFirstOrThrow(),
    )
    setUpAt = row.createdAt
    sampledAt = row.sampledAt!
  })

  const panel = (when: Record<string, string>) =>
    post(`/case-audits/${auditId}/panel`, { 'panel-notes': 'Strong voice of the child.', ...when })

  it('is not in the future, nor before the sample was drawn (named): the errors are at the field, with what was typed kept', async () => {
    const future = await panel(occurred(-1, '9:41am'))
    expect(future.status).toBe(400)
    expect(future.text).toContain('The date and time it happened must be now or in the past')
    expect(future.text).toContain('id="occurred-error"')
    expect(future.text).toContain('value="9:41am"')
    expect(future.text).toContain('Strong voice of the child.')
    const early = await panel(occurred(31, '10:00', 'Minutes arrived by post'))
    expect(early.status).toBe(400)
    expect(early.text).toContain(`must be the same as or after the sample was drawn (${atTime(sampledAt)})`)
    const row = await system((trx) =>
      trx.selectFrom('caseAudit').select(['panelHeldAt', 'panelRecordedAt']).where('id', '=', auditId).executeTakeFirstOrThrow(),
    )
    expect(row).toEqual({ panelHeldAt: null, panelRecordedAt: null })
  })

  it('until it is recorded, the report says when it is planned for', async () => {
    const report = await manager.get(`/case-audits/${auditId}/report`)
    expect(report.text).toContain('The panel is planned for 20 February 2026.')
    expect(report.text).not.toContain('The panel met')
  })

  it('met long ago needs the reason; recorded, it keeps when it met beside when it was recorded, audited with both', async () => {
    const noReason = await panel(occurred(10, '10:00'))
    expect(noReason.status).toBe(400)
    expect(noReason.text).toContain(`Enter why this is entered more than ${t.config.lateEntryReasonAfterDays} days after it happened`)
    expect(noReason.text).toContain('id="late-reason-error"')
    expect((await panel(occurred(10, '10:00', 'Minutes arrived by post'))).status).toBe(302)
    const heldAt = londonInstant(daysAgo(10).iso, 10 * 60)
    const row = await system((trx) =>
      trx
        .selectFrom('caseAudit')
        .select(['panelHeldAt', 'panelLateReason', 'panelRecordedAt', 'panelDate'])
        .where('id', '=', auditId)
        .executeTakeFirstOrThrow(),
    )
    expect(row.panelHeldAt).toEqual(heldAt)
    expect(row.panelLateReason).toBe('Minutes arrived by post')
    expect(row.panelRecordedAt!.getTime()).toBeGreaterThan(Date.now() - HOUR)
    // The date planned at set-up is kept as it was.
    expect(row.panelDate.toISOString().slice(0, 10)).toBe('2026-02-20')
    expect((await auditLog('case-audit:panel')).at(-1)).toMatchObject({
      outcome: 'ALLOWED',
      detail: { occurredAt: heldAt.toISOString(), lateReason: 'Minutes arrived by post' },
    })
    const page = await manager.get(`/case-audits/${auditId}`)
    expect(page.text).toContain('data-qa="panel-held">Met ')
    expect(page.text).toContain('entered late because Minutes arrived by post')
    // Shown again, the form holds when the panel met, so saving it again keeps it.
    expect(page.text).toMatch(new RegExp(`name="occurred-day" type="text" value="${daysAgo(10).day}"`))
    expect(page.text).toContain('value="10:00"')
    const report = await manager.get(`/case-audits/${auditId}/report`)
    expect(report.text).toContain(`The panel met on ${formatDate(heldAt)}, where`)
    expect(report.text).toContain(`Panel date: ${formatDate(heldAt)}`)
    expect(report.text).not.toContain('20 February 2026')
  })

  it('a finding is not before the audit was set up (named); long ago it needs the reason; it keeps when it was agreed', async () => {
    const finding = (text: string, when: Record<string, string>) =>
      post(`/case-audits/${auditId}/findings`, { 'finding-kind': 'LEARNING', 'finding-text': text, 'finding-tags': 'timeliness', ...when })
    const early = await finding('Before the audit existed.', occurred(36, '10:00', 'Late'))
    expect(early.status).toBe(400)
    expect(early.text).toContain(`must be the same as or after the audit was set up (${atTime(setUpAt)})`)
    expect(early.text).toContain('Before the audit existed.')
    const noReason = await finding('Agreed at the panel.', occurred(10, '11:30'))
    expect(noReason.status).toBe(400)
    expect(noReason.text).toContain('id="late-reason-error"')
    expect(noReason.text).toContain('Agreed at the panel.')
    expect(noReason.text).toContain('value="11:30"')
    // One agreed now, then one agreed at the panel ten days ago and entered now.
    expect((await finding('Agreed today.', {})).status).toBe(302)
    expect((await finding('Agreed at the panel.', occurred(10, '11:30', 'Notes typed up late'))).status).toBe(302)
    const rows = await system((trx) =>
      trx
        .selectFrom('caseAuditFinding')
        .select(['text', 'occurredAt', 'lateReason', 'createdAt'])
        .where('auditId', '=', auditId)
        .orderBy('createdAt')
        .execute(),
    )
    const agreedAt = londonInstant(daysAgo(10).iso, 11 * 60 + 30)
    expect(rows.map((r) => [r.text, r.lateReason])).toEqual([
      ['Agreed today.', null],
      ['Agreed at the panel.', 'Notes typed up late'],
    ])
    expect(rows[1]!.occurredAt).toEqual(agreedAt)
    for (const r of rows) expect(r.createdAt.getTime()).toBeGreaterThan(Date.now() - HOUR)
    const audited = await auditLog('case-audit:finding')
    expect(audited.map((a) => a.detail)).toEqual([
      { kind: 'LEARNING' },
      { kind: 'LEARNING', occurredAt: agreedAt.toISOString(), lateReason: 'Notes typed up late' },
    ])
    const page = await manager.get(`/case-audits/${auditId}/findings`)
    expect(page.text).toContain(formatDate(agreedAt))
    expect(page.text).toContain('entered late because Notes typed up late')
    // In the order they were agreed, not typed.
    const report = (await manager.get(`/case-audits/${auditId}/report`)).text
    expect(report.indexOf('Agreed at the panel.')).toBeGreaterThan(0)
    expect(report.indexOf('Agreed at the panel.')).toBeLessThan(report.indexOf('Agreed today.'))
  })
})
