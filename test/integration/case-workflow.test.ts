import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CurrentUser } from '../../src/platform/auth/current-user.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { ConflictError, ForbiddenError } from '../../src/platform/http/errors.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'

let t: TestApp
let f: Fixtures
let manager: CurrentUser
let worker: CurrentUser
let police: CurrentUser

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  manager = (await t.services.auth.currentUser(f.users.TEAM_MANAGER.id))!
  worker = (await t.services.auth.currentUser(f.users.SOCIAL_WORKER.id))!
  police = (await t.services.auth.currentUser(f.users.POLICE_OFFICER.id))!
})
afterAll(async () => t.close())

const system = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)

describe('moving a case along the pathway', () => {
  it('records each step as an event, starts and stops clocks, and audits it, in one transaction', async () => {
    const { kernel } = t.services
    const caseId = f.caseOf[f.children.TEAM_MANAGER.SAME_AGENCY]!
    await kernel.run(manager, caseId, 'r2', (act) => act.apply('RECORD_SCREENING', {}, { rating: 'AMBER' }))
    const confirmed = await kernel.run(manager, caseId, 'r3', (act) => act.apply('CONFIRM_SCREENING', { rating: 'AMBER' }))
    expect(confirmed.status).toBe('STRATEGY_MEETING_DUE')

    const events = await system((trx) => trx.selectFrom('caseEvent').selectAll().where('caseId', '=', caseId).orderBy('id').execute())
    expect(events.map((e) => [e.action, e.fromStatus, e.toStatus])).toEqual([
      ['OPEN', null, 'REFERRED'],
      ['RECORD_SCREENING', 'REFERRED', 'AWAITING_OVERSIGHT'],
      ['CONFIRM_SCREENING', 'AWAITING_OVERSIGHT', 'STRATEGY_MEETING_DUE'],
    ])
    const clocks = await system((trx) => trx.selectFrom('caseClock').selectAll().where('caseId', '=', caseId).execute())
    const byKind = Object.fromEntries(clocks.map((c) => [c.kind, c]))
    expect(byKind.REFERRAL_DECISION?.metAt).toBeInstanceOf(Date)
    const strategy = byKind.STRATEGY_MEETING!
    expect(strategy.metAt).toBeNull()
    expect(strategy.dueAt.getTime() - strategy.startedAt.getTime()).toBe(24 * 3600_000)
    expect(byKind.ASSESSMENT!.startedAt.getTime()).toBe(byKind.REFERRAL_DECISION!.startedAt.getTime())
    const audit = await system((trx) =>
      trx
        .selectFrom('auditLog')
        .select(['action', 'outcome'])
        .where('recordId', '=', caseId)
        .where('action', 'like', 'case:%')
        .orderBy('id')
        .execute(),
    )
    expect(audit.filter((a) => a.action === 'case:CONFIRM_SCREENING')).toEqual([{ action: 'case:CONFIRM_SCREENING', outcome: 'ALLOWED' }])
  })

  it('refuses an illegal step with 409 naming the status and what can be done, and audits the refusal', async () => {
    const { kernel } = t.services
    const caseId = f.caseOf[f.children.TEAM_MANAGER.INVOLVED]!
    const attempt = kernel.run(manager, caseId, 'r-illegal', (act) => act.apply('FINALISE_STRATEGY_MEETING', {}))
    await expect(attempt).rejects.toBeInstanceOf(ConflictError)
    const err = (await attempt.catch((e: unknown) => e)) as ConflictError
    expect(err.message).toContain('Waiting for screening')
    expect(err.details).toContain('You can: Record the screening')
    const denied = await system((trx) =>
      trx.selectFrom('auditLog').select(['outcome', 'requestId']).where('action', '=', 'case:FINALISE_STRATEGY_MEETING').execute(),
    )
    expect(denied).toEqual([{ outcome: 'DENIED', requestId: 'r-illegal' }])
    const events = await system((trx) => trx.selectFrom('caseEvent').select('action').where('caseId', '=', caseId).execute())
    expect(events.map((e) => e.action)).toEqual(['OPEN'])
  })

  it('refuses a role that may not take the step (403) and a person who may not see the child', async () => {
    const { kernel } = t.services
    const involvedWithPolice = f.caseOf[f.children.POLICE_OFFICER.INVOLVED]!
    await expect(kernel.run(police, involvedWithPolice, 'r-role', (act) => act.apply('RECORD_SCREENING', {}))).rejects.toBeInstanceOf(
      ForbiddenError,
    )
    const notInvolved = f.caseOf[f.children.POLICE_OFFICER.OTHER_AGENCY]!
    await expect(kernel.run(police, notInvolved, 'r-none', async () => 'read')).rejects.toBeInstanceOf(ForbiddenError)
    const audit = await system((trx) =>
      trx.selectFrom('auditLog').select(['action', 'outcome']).where('requestId', '=', 'r-none').execute(),
    )
    expect(audit).toEqual([{ action: 'case:read', outcome: 'DENIED' }])
  })

  it('refuses the second of two people moving the same case from the same version', async () => {
    const { kernel, db } = t.services
    const caseId = f.caseOf[f.children.SOCIAL_WORKER.INVOLVED]!
    const first = await transaction(db, { partnershipId: f.partnershipId }, (trx) => kernel.load(trx, worker, caseId))
    if (!first) throw new Error('not found')
    await transaction(db, { partnershipId: f.partnershipId }, (trx) => kernel.actOn(trx, worker, first, 'a').apply('RECORD_SCREENING'))
    await expect(
      transaction(db, { partnershipId: f.partnershipId }, (trx) => kernel.actOn(trx, worker, first, 'b').apply('RECORD_SCREENING')),
    ).rejects.toThrow()
    const events = await system((trx) => trx.selectFrom('caseEvent').select('action').where('caseId', '=', caseId).execute())
    expect(events.filter((e) => e.action === 'RECORD_SCREENING')).toHaveLength(1)
  })

  it('uses a partnership’s own timescale for a clock', async () => {
    const { kernel } = t.services
    await system((trx) =>
      trx
        .insertInto('partnershipTimescale')
        .values({ partnershipId: f.partnershipId, clockKind: 'STRATEGY_MEETING', unit: 'hours', length: 48 })
        .execute(),
    )
    const caseId = f.caseOf[f.children.TEAM_MANAGER.SAME_TEAM]!
    await kernel.run(manager, caseId, 'l1', (act) => act.apply('RECORD_SCREENING', {}))
    await kernel.run(manager, caseId, 'l2', (act) => act.apply('CONFIRM_SCREENING', { rating: 'RED' }))
    const clock = await system((trx) =>
      trx.selectFrom('caseClock').selectAll().where('caseId', '=', caseId).where('kind', '=', 'STRATEGY_MEETING').executeTakeFirstOrThrow(),
    )
    expect(clock.dueAt.getTime() - clock.startedAt.getTime()).toBe(48 * 3600_000)
    // The history of local timescales is append-only: the national length back, recorded last, applies from now on.
    await system((trx) =>
      trx
        .insertInto('partnershipTimescale')
        .values({ partnershipId: f.partnershipId, clockKind: 'STRATEGY_MEETING', unit: 'hours', length: 24 })
        .execute(),
    )
  })

  it('keeps the case history append-only for the application', async () => {
    await expect(system((trx) => trx.updateTable('caseEvent').set({ action: 'X' }).execute())).rejects.toThrow(/permission denied/)
    await expect(system((trx) => trx.deleteFrom('caseEvent').execute())).rejects.toThrow(/permission denied/)
  })

  it('keeps the history of local timescales append-only for the application', async () => {
    await expect(system((trx) => trx.updateTable('partnershipTimescale').set({ length: 1 }).execute())).rejects.toThrow(/permission denied/)
    await expect(system((trx) => trx.deleteFrom('partnershipTimescale').execute())).rejects.toThrow(/permission denied/)
  })
})

describe('a refusal', () => {
  it('rolls back what the command wrote, keeps its own DENIED audit entry, and shows its error', async () => {
    const { kernel, access } = t.services
    const caseId = f.caseOf[f.children.TEAM_MANAGER.INVOLVED]!
    // A command that moves the case, then refuses: the move is undone, the refusal is in the log.
    const attempt = kernel.run(manager, caseId, 'refusal-rollback', async (act) => {
      await act.apply('ALLOCATE', { allocatedTeamId: f.users.TEAM_MANAGER.teamId, allocatedUserId: f.users.SOCIAL_WORKER.id })
      act.refuse(new ConflictError('Refused after writing'), { action: 'test:refuse', recordType: 'case', recordId: caseId })
    })
    await expect(attempt).rejects.toBeInstanceOf(ConflictError)
    const events = await system((trx) =>
      trx.selectFrom('caseEvent').select('action').where('caseId', '=', caseId).where('action', '=', 'ALLOCATE').execute(),
    )
    expect(events).toEqual([])
    const audit = await system((trx) =>
      trx.selectFrom('auditLog').select(['action', 'outcome']).where('requestId', '=', 'refusal-rollback').orderBy('id').execute(),
    )
    // The case read and the allocation's entries rolled back with it; the refusal's entry stands alone.
    expect(audit).toEqual([{ action: 'test:refuse', outcome: 'DENIED' }])

    // The same for a record that is not a case, through the access guard.
    const denied = access.run(manager, 'refusal-guard', async (act) => {
      await act.record({ action: 'test:did-something', recordType: 'test', recordId: null })
      act.authorise('admin:manage-users', { action: 'test:admin', recordType: 'user', recordId: null }, 'Not yours')
    })
    await expect(denied).rejects.toBeInstanceOf(ForbiddenError)
    const guarded = await system((trx) =>
      trx.selectFrom('auditLog').select(['action', 'outcome']).where('requestId', '=', 'refusal-guard').execute(),
    )
    expect(guarded).toEqual([{ action: 'test:admin', outcome: 'DENIED' }])
  })
})
