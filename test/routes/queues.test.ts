import { sql, type KyselyPlugin } from 'kysely'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CaseChanges } from '../../src/features/cases/index.js'
import { casesRepository } from '../../src/features/cases/cases.repository.js'
import type { CaseAction, TransitionContext } from '../../src/features/cases/pathway.rules.js'
import { childrenRepository } from '../../src/features/children/children.repository.js'
import { accessGuard } from '../../src/platform/access/authorise.js'
import { notifications as platformNotifications } from '../../src/platform/notifications/notifications.js'
import { notificationsRepository } from '../../src/features/queues/notifications.repository.js'
import { raiseClockNotifications } from '../../src/features/queues/notifications.service.js'
import { parseQueueQuery } from '../../src/features/queues/queues.rules.js'
import { queuesService } from '../../src/features/queues/queues.service.js'
import { canReadChildSql, clockStateSql } from '../../src/features/queues/queues.sql.js'
import { ALL_RELATIONSHIPS, can, type Relationship } from '../../src/platform/access/policy.js'
import { relationshipToChild } from '../../src/platform/access/relationship.sql.js'
import { ALL_ROLES, type Role } from '../../src/platform/access/roles.js'
import { auditRepository } from '../../src/platform/audit/audit.repository.js'
import type { CurrentUser } from '../../src/platform/auth/current-user.js'
import { newTotpSecret } from '../../src/platform/auth/totp.js'
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../src/platform/clocks/bank-holidays.js'
import { clockState, dueAt, dueSoonAt, withLocalLengths, type ClockKind } from '../../src/platform/clocks/clocks.rules.js'
import { transaction, type Trx } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, TEST_PASSWORD, type Fixtures } from '../support/fixtures.js'

let t: TestApp
let f: Fixtures
type AgentRole = 'SOCIAL_WORKER' | 'TEAM_MANAGER' | 'HSB_LEAD' | 'POLICE_OFFICER' | 'HEAD_OF_SERVICE'
const agents = {} as Record<AgentRole, TestAgent>
const cases = casesRepository()
const children = childrenRepository()
const notes = platformNotifications()
const HOUR = 3_600_000

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  for (const role of ['SOCIAL_WORKER', 'TEAM_MANAGER', 'HSB_LEAD', 'POLICE_OFFICER', 'HEAD_OF_SERVICE'] as const)
    agents[role] = await signIn(t, f.users[role])
}, 120_000)
afterAll(async () => t.close())

const asSystem = <T>(fn: (trx: Trx) => Promise<T>) => transaction(t.services.db, 'system', fn)
const inPartnership = <T>(fn: (trx: Trx) => Promise<T>) => transaction(t.services.db, { partnershipId: f.partnershipId }, fn)
const actor = async (role: Role): Promise<CurrentUser> => (await t.services.auth.currentUser(f.users[role].id))!

type Involve = { agencyId: string; userId?: string; teamId?: string }
/** A child with a case opened at the front door; involved as asked. */
async function newCase(familyName: string, o: { involve?: Involve; receivedAt?: Date; restricted?: boolean } = {}) {
  const opener = await actor('TEAM_MANAGER')
  return inPartnership(async (trx) => {
    const childId = await children.insertChild(trx, {
      partnershipId: f.partnershipId,
      givenNames: 'Queue',
      familyName,
      dateOfBirth: '2012-05-05',
      isRestricted: o.restricted ?? false,
    })
    if (o.involve) await children.insertInvolvement(trx, { partnershipId: f.partnershipId, childId, kind: 'INVOLVED', ...o.involve })
    const caseId = await t.services.kernel.openIn(
      trx,
      opener,
      { childId, route: 'NEW', referralReceivedAt: o.receivedAt ?? new Date() },
      'test',
    )
    return { childId, caseId, name: `Queue ${familyName}` }
  })
}

/** Moves a case along the pathway as the fixture team manager, through the workflow. */
async function act(caseId: string, steps: [CaseAction, TransitionContext & CaseChanges][]) {
  const manager = await actor('TEAM_MANAGER')
  await inPartnership(async (trx) => {
    const onCase = t.services.kernel.actOn(trx, manager, (await t.services.kernel.load(trx, manager, caseId))!, 'test')
    for (const [action, ctx] of steps) await onCase.apply(action, ctx)
  })
}
const toStrategyMeetingDue = (caseId: string) =>
  act(caseId, [
    ['RECORD_SCREENING', { rating: 'AMBER' }],
    ['CONFIRM_SCREENING', { rating: 'AMBER' }],
  ])

async function allocate(c: { caseId: string; childId: string }, teamId: string, userId: string | null) {
  await act(c.caseId, [['ALLOCATE', { allocatedTeamId: teamId, allocatedUserId: userId }]])
  await inPartnership((trx) =>
    cases.allocate(trx, { partnershipId: f.partnershipId, childId: c.childId, agencyId: f.agencyIds.csc, teamId, userId }),
  )
}

/** Moves a clock: started `startedHoursAgo` ago and due `dueInHours` from now (negative: in the past). */
async function setClock(caseId: string, kind: ClockKind, startedHoursAgo: number, dueInHours: number) {
  const now = Date.now()
  await asSystem((trx) =>
    trx
      .updateTable('caseClock')
      .set({ startedAt: new Date(now - startedHoursAgo * HOUR), dueAt: new Date(now + dueInHours * HOUR) })
      .where('caseId', '=', caseId)
      .where('kind', '=', kind)
      .execute(),
  )
}

const queueAudit = (userId: string, queue: string) =>
  asSystem((trx) =>
    trx
      .selectFrom('auditLog')
      .select(['detail', 'outcome'])
      .where('userId', '=', userId)
      .where('action', '=', 'queue:view')
      .where('recordId', '=', queue)
      .orderBy('id', 'desc')
      .execute(),
  )

/** The `data-clock-state` of a clock in the row naming a child. */
function clockStateIn(html: string, childName: string, kind: ClockKind): string | undefined {
  const row = html.split('<tr').find((r) => r.includes(`>${childName}</a>`))
  return row ? new RegExp(`data-clock-kind="${kind}" data-clock-state="([A-Z_]+)"`).exec(row)?.[1] : undefined
}

describe('who may read a child, as SQL', () => {
  it('agrees with can() for every role × relationship, and hides restricted records from people not named', async () => {
    for (const role of ALL_ROLES) {
      const user = await actor(role)
      const ids = [...Object.values(f.children[role]), f.restrictedChildren[role]]
      const rows = await inPartnership((trx) =>
        trx
          .selectFrom('child as c')
          .select([
            'c.id',
            'c.isRestricted',
            canReadChildSql('c', user).as('canRead'),
            relationshipToChild(sql.ref('c.id'), user).as('relationship'),
          ])
          .where('c.id', 'in', ids)
          .execute(),
      )
      for (const relationship of ALL_RELATIONSHIPS) {
        const row = rows.find((r) => r.id === f.children[role][relationship])!
        expect(row.relationship, `${role} ${relationship}`).toBe(relationship)
        const expected = can(user, 'child:read', {
          kind: 'child',
          partnershipId: f.partnershipId,
          relationship,
          isRestricted: false,
          isNamedOnRestriction: false,
          breakGlass: false,
        })
        expect(row.canRead, `${role} ${relationship}`).toBe(expected)
      }
      expect(rows.find((r) => r.id === f.restrictedChildren[role])!.canRead, `${role} restricted`).toBe(false)
    }
  })

  it('opens a restricted record to a named person as far as their role allows, and never a child in another partnership', async () => {
    const named = await newCase('Named-Restricted', {
      restricted: true,
      involve: { agencyId: f.agencyIds.csc, teamId: f.users.SOCIAL_WORKER.teamId },
    })
    await inPartnership((trx) => children.grantRestrictedAccess(trx, f.partnershipId, named.childId, f.users.SOCIAL_WORKER.id))
    for (const role of ['SOCIAL_WORKER', 'POLICE_OFFICER'] as const) {
      const user = await actor(role)
      const row = await inPartnership((trx) =>
        trx
          .selectFrom('child as c')
          .select([canReadChildSql('c', user).as('canRead'), relationshipToChild(sql.ref('c.id'), user).as('relationship')])
          .where('c.id', '=', named.childId)
          .executeTakeFirstOrThrow(),
      )
      const expected = can(user, 'child:read', {
        kind: 'child',
        partnershipId: f.partnershipId,
        relationship: row.relationship as Relationship,
        isRestricted: true,
        isNamedOnRestriction: role === 'SOCIAL_WORKER',
        breakGlass: false,
      })
      expect(row.canRead, role).toBe(expected)
    }
    const lead = await actor('HSB_LEAD')
    const elsewhere = await asSystem((trx) =>
      trx
        .selectFrom('child as c')
        .select(canReadChildSql('c', lead).as('canRead'))
        .where('c.id', '=', f.otherPartnershipChild)
        .executeTakeFirstOrThrow(),
    )
    expect(elsewhere.canRead).toBe(false)
  })
})

describe('a clock’s state, as SQL', () => {
  it('agrees with clockState() and dueSoonAt() across kinds, lengths, weekends, bank holidays and clock changes', async () => {
    const starts = ['2026-03-27T16:30:00Z', '2026-04-01T09:00:00Z', '2026-12-23T10:15:00Z', '2026-05-22T23:30:00Z', '2026-10-24T12:00:00Z']
    const lengths: [ClockKind, number][] = [
      ['STRATEGY_MEETING', 24],
      ['STRATEGY_MEETING', 48],
      ['REFERRAL_DECISION', 1],
      ['ASSESSMENT', 45],
      ['INITIAL_CONFERENCE', 15],
      ['AIM_INTERVIEWS', 8],
      ['SERIOUS_INCIDENT_NOTIFICATION', 5],
    ]
    let checked = 0
    for (const [kind, length] of lengths) {
      const timescales = withLocalLengths({ [kind]: length })
      for (const start of starts) {
        const due = dueAt(kind, start, timescales)
        const soon = dueSoonAt(kind, start, timescales)
        const instants = [
          new Date(start),
          new Date(soon.getTime() - 1),
          soon,
          new Date(soon.getTime() + 1),
          due,
          new Date(due.getTime() + 1),
        ]
        for (const now of instants) {
          for (const metAt of [null, new Date(due.getTime() - 1), new Date(due.getTime() + HOUR)]) {
            // Met by its step, or stopped because the case closed.
            for (const stopReason of metAt ? [null, 'CASE_CLOSED' as const] : [null]) {
              const expected = clockState({ dueAt: due, dueSoonAt: soon, metAt, stopReason, now }).state
              const { rows } = await sql<{ state: string }>`SELECT ${clockStateSql('v', now, ENGLAND_AND_WALES_BANK_HOLIDAYS)} AS state
                FROM (VALUES (${kind}::text, ${new Date(start)}::timestamptz, ${due}::timestamptz, ${metAt}::timestamptz, ${stopReason}::text))
                  AS v(kind, started_at, due_at, met_at, stop_reason)`.execute(t.services.db)
              const label = `${kind} ×${length} from ${start} at ${now.toISOString()} met ${metAt?.toISOString()} ${stopReason ?? ''}`
              expect(rows[0]?.state, label).toBe(expected)
              checked += 1
            }
          }
        }
      }
    }
    expect(checked).toBe(lengths.length * starts.length * 6 * 5)
  }, 60_000)
})

describe('the front door', () => {
  let oldest: { caseId: string; name: string }
  let middle: { caseId: string; name: string }
  let newest: { caseId: string; name: string }
  beforeAll(async () => {
    const sw = f.users.SOCIAL_WORKER
    const involve = { agencyId: sw.agencyId, teamId: sw.teamId }
    oldest = await newCase('Front-Oldest', { involve, receivedAt: new Date('2026-01-05T09:00:00Z') })
    newest = await newCase('Front-Newest', { involve, receivedAt: new Date('2026-01-09T09:00:00Z') })
    middle = await newCase('Front-Middle', { involve, receivedAt: new Date('2026-01-07T09:00:00Z') })
    await act(middle.caseId, [['RECORD_SCREENING', { rating: 'GREEN' }]])
  })

  it('lists the requests a social worker may read, oldest first, with the referral decision clock, and audits the view', async () => {
    const res = await agents.SOCIAL_WORKER.get('/work/front-door')
    expect(res.status).toBe(200)
    expect(res.text).toContain('<h1 class="govuk-heading-l" data-qa="queue-heading">Front door</h1>')
    // Their own and their team's children only: 2 fixture children, the 3 above, and the
    // restricted child their team works with and they are named on.
    expect(res.text).toContain('Showing 1 to 6 of 6 cases')
    expect(res.text).toContain('Queue Named-Restricted')
    expect(res.text).toContain('Fixture SOCIAL_WORKER-INVOLVED')
    expect(res.text).toContain('Fixture SOCIAL_WORKER-SAME_TEAM')
    expect(res.text).not.toContain('Fixture SOCIAL_WORKER-SAME_AGENCY')
    expect(res.text).not.toContain('Restricted SOCIAL_WORKER')
    const at = (name: string) => res.text.indexOf(`>${name}</a>`)
    expect(at(oldest.name)).toBeLessThan(at(middle.name))
    expect(at(middle.name)).toBeLessThan(at(newest.name))
    expect(clockStateIn(res.text, oldest.name, 'REFERRAL_DECISION')).toBe('OVERDUE')
    expect(res.text).toContain('Waiting for management oversight')

    const audit = await queueAudit(f.users.SOCIAL_WORKER.id, 'front-door')
    expect(audit[0]).toEqual({ detail: { children: 6, page: 1 }, outcome: 'ALLOWED' })
  })

  it('sorts and filters through the query string', async () => {
    const newestFirst = await agents.SOCIAL_WORKER.get('/work/front-door?sort=newest')
    expect(newestFirst.text.indexOf(newest.name)).toBeLessThan(newestFirst.text.indexOf(oldest.name))
    expect(newestFirst.text).toContain('<option value="newest" selected>')
    const waiting = await agents.SOCIAL_WORKER.get('/work/front-door?status=AWAITING_OVERSIGHT')
    expect(waiting.text).toContain('Showing 1 to 1 of 1 case')
    expect(waiting.text).toContain(middle.name)
    expect(waiting.text).not.toContain(oldest.name)
    // A status this queue does not hold, or nonsense, is ignored rather than an error.
    const odd = await agents.SOCIAL_WORKER.get('/work/front-door?status=CLOSED&sort=sideways&page=abc')
    expect(odd.status).toBe(200)
    expect(odd.text).toContain('Showing 1 to 6 of 6 cases')
  })

  it('pages through every request the HSB lead may read, and never lists a restricted child', async () => {
    const first = await agents.HSB_LEAD.get('/work/front-door')
    const total = Number(/Showing 1 to 25 of (\d+) cases/.exec(first.text)?.[1])
    // Every fixture child but the restricted ones (and the named restricted child above, not named for the lead).
    expect(total).toBeGreaterThanOrEqual(ALL_ROLES.length * ALL_RELATIONSHIPS.length)
    expect(first.text).toContain('href="/work/front-door?page=2"')
    const last = Math.ceil(total / 25)
    const lastPage = await agents.HSB_LEAD.get(`/work/front-door?page=${last}`)
    expect(lastPage.text).toContain(`Showing ${(last - 1) * 25 + 1} to ${total} of ${total} cases`)
    for (let page = 1; page <= last; page++) {
      const res = page === 1 ? first : await agents.HSB_LEAD.get(`/work/front-door?page=${page}`)
      expect(res.text).not.toContain('Restricted ')
      expect(res.text).not.toContain('Named-Restricted')
    }
    const beyond = await agents.HSB_LEAD.get(`/work/front-door?page=${last + 1}`)
    expect(beyond.text).toContain('but none on page')
  })

  it('is refused to roles without it', async () => {
    expect((await agents.POLICE_OFFICER.get('/work/front-door')).status).toBe(403)
    expect((await agents.HEAD_OF_SERVICE.get('/work/front-door')).status).toBe(403)
  })
})

describe('my work', () => {
  let running: Awaited<ReturnType<typeof newCase>>
  let overdue: Awaited<ReturnType<typeof newCase>>
  let dueSoon: Awaited<ReturnType<typeof newCase>>
  let notInvolved: Awaited<ReturnType<typeof newCase>>
  beforeAll(async () => {
    const sw = f.users.SOCIAL_WORKER
    const tm = f.users.TEAM_MANAGER
    running = await newCase('Mine-Running')
    overdue = await newCase('Mine-Overdue')
    dueSoon = await newCase('Mine-Due-Soon')
    for (const c of [running, overdue, dueSoon]) {
      await toStrategyMeetingDue(c.caseId)
      await allocate(c, tm.teamId, sw.id)
    }
    await setClock(overdue.caseId, 'STRATEGY_MEETING', 30, -6)
    await setClock(dueSoon.caseId, 'STRATEGY_MEETING', 21, 3)
    // A case the police are not involved in: children's services only.
    notInvolved = await newCase('Police-Not-Involved', { involve: { agencyId: f.agencyIds.csc, teamId: tm.teamId } })
    await toStrategyMeetingDue(notInvolved.caseId)
    const day = 24 * HOUR
    await inPartnership(async (trx) => {
      const meeting = (caseId: string, inMs: number, chairId: string, finalised = false) =>
        trx
          .insertInto('meeting')
          .values({
            partnershipId: f.partnershipId,
            caseId,
            kind: 'STRATEGY_MEETING',
            scheduledFor: new Date(Date.now() + inMs),
            chairId,
            createdBy: tm.id,
            ...(finalised ? { status: 'FINALISED' as const, finalisedAt: new Date(), finalisedBy: tm.id } : {}),
          })
          .returning(['id', 'caseId'])
          .executeTakeFirstOrThrow()
      await meeting(running.caseId, 2 * day, sw.id)
      const invited = await meeting(overdue.caseId, day, tm.id)
      await trx
        .insertInto('meetingInvitation')
        .values({ partnershipId: f.partnershipId, meetingId: invited.id, agencyId: sw.agencyId, userId: sw.id })
        .execute()
      await meeting(dueSoon.caseId, -day, sw.id)
      await meeting(dueSoon.caseId, 3 * day, sw.id, true)
      // The police officer chairs nothing, but is invited to a meeting about a child they are not involved with.
      const police = await meeting(notInvolved.caseId, day, tm.id)
      const restricted = await meeting(f.caseOf[f.restrictedChildren.POLICE_OFFICER]!, day, tm.id)
      for (const m of [police, restricted]) {
        await trx
          .insertInto('meetingInvitation')
          .values({ partnershipId: f.partnershipId, meetingId: m.id, agencyId: f.agencyIds.police, userId: f.users.POLICE_OFFICER.id })
          .execute()
        await notes.raise(trx, {
          partnershipId: f.partnershipId,
          userId: f.users.POLICE_OFFICER.id,
          kind: 'MEETING_INVITATION',
          caseId: m.caseId,
          meetingId: m.id,
          dedupeKey: `invitation:${m.id}`,
        })
      }
    })
  })

  it('puts overdue clocks first, then due soon, then the rest, and lists meetings upcoming first', async () => {
    const res = await agents.SOCIAL_WORKER.get('/work')
    expect(res.status).toBe(200)
    expect(res.text).toContain('data-landing="my-work"')
    const at = (name: string) => res.text.indexOf(`>${name}</a>`)
    expect(at(overdue.name)).toBeGreaterThan(0)
    expect(at(overdue.name)).toBeLessThan(at(dueSoon.name))
    expect(at(dueSoon.name)).toBeLessThan(at(running.name))
    expect(clockStateIn(res.text, overdue.name, 'STRATEGY_MEETING')).toBe('OVERDUE')
    expect(clockStateIn(res.text, dueSoon.name, 'STRATEGY_MEETING')).toBe('DUE_SOON')
    expect(clockStateIn(res.text, running.name, 'STRATEGY_MEETING')).toBe('RUNNING')

    expect(res.text).toMatch(/data-qa="meetings-summary">Showing 1 to 3 of 3 meetings</)
    const meetings = res.text.slice(res.text.indexOf('data-qa="queue-meetings"'))
    const m = (name: string) => meetings.indexOf(`>${name}</a>`)
    // Tomorrow (invited), in two days (chair), then yesterday's (minutes not yet finalised); the finalised one not at all.
    expect(m(overdue.name)).toBeLessThan(m(running.name))
    expect(m(running.name)).toBeLessThan(m(dueSoon.name))
    expect(meetings.split(`>${dueSoon.name}</a>`).length).toBe(2)
    expect(meetings).toContain('(minutes not yet finalised)')
  })

  it('shows a police officer nothing of a case they are not involved in, only the meeting they are invited to, and nothing of a restricted child', async () => {
    const res = await agents.POLICE_OFFICER.get('/work')
    expect(res.status).toBe(200)
    const casesTable = res.text.slice(res.text.indexOf('data-qa="queue-cases"'), res.text.indexOf('data-qa="meetings-summary"'))
    expect(casesTable).toContain('Fixture POLICE_OFFICER-INVOLVED')
    expect(casesTable).not.toContain(notInvolved.name)
    expect(res.text).not.toContain(`href="/cases/${notInvolved.caseId}"`)
    // The invitation opens the meeting (the meetings feature's page), not the child's case.
    const meetings = res.text.slice(res.text.indexOf('data-qa="meetings-summary"'))
    expect(meetings).toContain('Showing 1 to 1 of 1 meeting')
    expect(meetings).toContain(`href="/cases/${notInvolved.caseId}/strategy-meeting"`)
    expect(meetings).toContain(`<td class="govuk-table__cell">${notInvolved.name}</td>`)
    expect(res.text).not.toContain('Restricted POLICE_OFFICER')
    expect((await agents.POLICE_OFFICER.get(`/cases/${notInvolved.caseId}`)).status).toBe(403)
    const audit = await queueAudit(f.users.POLICE_OFFICER.id, 'my-work')
    expect(audit[0]).toEqual({ detail: { children: 2, page: 1 }, outcome: 'ALLOWED' })

    const notifications = await agents.POLICE_OFFICER.get('/notifications')
    expect(notifications.text).toContain(
      `<a class="govuk-link" href="/cases/${notInvolved.caseId}/strategy-meeting">Invitation to a meeting</a>`,
    )
    expect(notifications.text).toContain(notInvolved.name)
    expect(notifications.text).not.toContain('Restricted POLICE_OFFICER')
    expect(notifications.text).toContain('Not available')
  })

  it('filters by status through the query string', async () => {
    const res = await agents.SOCIAL_WORKER.get('/work?status=REFERRED')
    const casesTable = res.text.slice(res.text.indexOf('data-qa="queue-cases"'), res.text.indexOf('data-qa="meetings-summary"'))
    expect(casesTable).toContain('Fixture SOCIAL_WORKER-INVOLVED')
    expect(casesTable).not.toContain(running.name)
    expect(res.text).toContain('<option value="REFERRED" selected>')
  })
})

describe('the team queue', () => {
  it('shows a team manager the cases allocated to their team, with the worker, status and clocks', async () => {
    const res = await agents.TEAM_MANAGER.get('/work/team?status=STRATEGY_MEETING_DUE')
    expect(res.status).toBe(200)
    expect(res.text).toContain('data-landing="team-work"')
    expect(res.text).toContain('My team’s work')
    expect(res.text).toContain('Showing 1 to 3 of 3 cases')
    expect(res.text).toContain('Fixture SOCIAL_WORKER')
    expect(res.text).toContain('Strategy meeting due')
    const at = (name: string) => res.text.indexOf(`>${name}</a>`)
    expect(at('Queue Mine-Overdue')).toBeLessThan(at('Queue Mine-Due-Soon'))
    const none = await agents.TEAM_MANAGER.get('/work/team?status=AWAITING_OVERSIGHT')
    expect(none.text).toContain('No cases with this status.')
  })

  it('is open to heads of service, and refused to social workers', async () => {
    expect((await agents.HEAD_OF_SERVICE.get('/work/team')).status).toBe(200)
    expect((await agents.SOCIAL_WORKER.get('/work/team')).status).toBe(403)
  })
})

describe('strategy meeting notifications', () => {
  let allocatedCase: Awaited<ReturnType<typeof newCase>>
  let frontDoorCase: Awaited<ReturnType<typeof newCase>>
  let frontDoorManager: string
  const unread = async (userId: string) =>
    Number(
      (
        await asSystem((trx) =>
          trx
            .selectFrom('notification')
            .select(sql<string>`count(*)`.as('n'))
            .where('userId', '=', userId)
            .where('readAt', 'is', null)
            .executeTakeFirstOrThrow(),
        )
      ).n,
    )
  const unreadShown = (html: string) => Number(/(\d+) notifications? not read yet\./.exec(html)?.[1])
  const notificationsOf = (caseId: string) =>
    asSystem((trx) =>
      trx
        .selectFrom('notification')
        .select(['userId', 'kind', 'dedupeKey', 'readAt', 'id'])
        .where('caseId', '=', caseId)
        .orderBy('kind')
        .orderBy('userId')
        .execute(),
    )

  beforeAll(async () => {
    // A second team, the front door, with its own manager.
    const system = { system: true as const, partnershipId: f.partnershipId }
    const frontDoor = await t.services.admin.service.createTeam(system, { agencyId: f.agencyIds.csc, name: 'Fixture Front Door' })
    await asSystem((trx) => trx.updateTable('team').set({ isFrontDoor: true }).where('id', '=', frontDoor).execute())
    const created = await t.services.admin.service.createUser(
      system,
      {
        displayName: 'Front Door Manager',
        email: 'front.door.manager@fixture.example',
        agencyId: f.agencyIds.csc,
        roles: ['TEAM_MANAGER'],
        teamIds: [frontDoor],
        password: TEST_PASSWORD,
        totpSecret: newTotpSecret(),
      },
      null,
    )
    if (!created.ok) throw new Error('manager not created')
    frontDoorManager = created.value
    allocatedCase = await newCase('Notify-Allocated')
    await toStrategyMeetingDue(allocatedCase.caseId)
    await allocate(allocatedCase, f.users.TEAM_MANAGER.teamId, f.users.SOCIAL_WORKER.id)
    frontDoorCase = await newCase('Notify-Front-Door', { involve: { agencyId: f.agencyIds.csc, teamId: frontDoor } })
    await toStrategyMeetingDue(frontDoorCase.caseId)
  })

  it('raises nothing while the clocks are running', async () => {
    await raiseClockNotifications(t.services.db)
    expect(await notificationsOf(allocatedCase.caseId)).toEqual([])
    expect(await notificationsOf(frontDoorCase.caseId)).toEqual([])
  })

  it('raises “due” to the allocated team’s managers (or the front door’s) and the HSB lead, once', async () => {
    await setClock(allocatedCase.caseId, 'STRATEGY_MEETING', 20, 4)
    await setClock(frontDoorCase.caseId, 'STRATEGY_MEETING', 20, 4)
    expect(await raiseClockNotifications(t.services.db)).toBe(4)
    expect(await raiseClockNotifications(t.services.db)).toBe(0)
    const lead = f.users.HSB_LEAD.id
    const due = (caseId: string, userIds: string[]) =>
      userIds
        .map((userId) => ({ userId, kind: 'STRATEGY_MEETING_DUE', dedupeKey: `clock:${caseId}:DUE_SOON` }))
        .sort((a, b) => a.userId.localeCompare(b.userId))
    const strip = (rows: Awaited<ReturnType<typeof notificationsOf>>) =>
      rows.map(({ userId, kind, dedupeKey }) => ({ userId, kind, dedupeKey }))
    expect(strip(await notificationsOf(allocatedCase.caseId))).toEqual(due(allocatedCase.caseId, [f.users.TEAM_MANAGER.id, lead]))
    expect(strip(await notificationsOf(frontDoorCase.caseId))).toEqual(due(frontDoorCase.caseId, [frontDoorManager, lead]))
  })

  it('raises “overdue” when a strategy meeting is left past 24 hours, shown to the team manager and the HSB lead', async () => {
    await setClock(allocatedCase.caseId, 'STRATEGY_MEETING', 25, -1)
    expect(await raiseClockNotifications(t.services.db)).toBe(2)
    expect(await raiseClockNotifications(t.services.db)).toBe(0)
    const overdue = (await notificationsOf(allocatedCase.caseId)).filter((n) => n.kind === 'STRATEGY_MEETING_OVERDUE')
    expect(overdue.map((n) => n.userId).sort()).toEqual([f.users.TEAM_MANAGER.id, f.users.HSB_LEAD.id].sort())

    const managerNotifications = await agents.TEAM_MANAGER.get('/notifications')
    expect(managerNotifications.status).toBe(200)
    expect(managerNotifications.text).toContain('Strategy meeting overdue')
    // It leads to the strategy meeting it is about, not just the case.
    expect(managerNotifications.text).toContain(`href="/cases/${allocatedCase.caseId}/strategy-meeting">Strategy meeting overdue</a>`)
    expect(managerNotifications.text).toContain(allocatedCase.name)
    expect(unreadShown(managerNotifications.text)).toBe(await unread(f.users.TEAM_MANAGER.id))
    const team = await agents.TEAM_MANAGER.get('/work/team')
    expect(clockStateIn(team.text, allocatedCase.name, 'STRATEGY_MEETING')).toBe('OVERDUE')

    const leadView = await agents.HSB_LEAD.get('/work/hsb-overview?status=STRATEGY_MEETING_DUE')
    expect(leadView.status).toBe(200)
    expect(clockStateIn(leadView.text, allocatedCase.name, 'STRATEGY_MEETING')).toBe('OVERDUE')
    expect(clockStateIn(leadView.text, frontDoorCase.name, 'STRATEGY_MEETING')).toBe('DUE_SOON')
    const rows = leadView.text.slice(leadView.text.indexOf('data-qa="queue-cases"'))
    // Overdue first: the two overdue from "my work" and this one come before any due soon.
    const firstDueSoon = rows.indexOf('data-clock-state="DUE_SOON"')
    expect(rows.indexOf(`>${allocatedCase.name}</a>`)).toBeLessThan(firstDueSoon)
    const leadNotifications = await agents.HSB_LEAD.get('/notifications')
    expect(leadNotifications.text).toContain('Strategy meeting overdue')
    expect(leadNotifications.text).toContain('Strategy meeting due soon')
  })

  it('marks a notification read once, only for its owner', async () => {
    const mine = (await notificationsOf(allocatedCase.caseId)).find(
      (n) => n.userId === f.users.TEAM_MANAGER.id && n.kind === 'STRATEGY_MEETING_OVERDUE',
    )!
    const theirs = (await notificationsOf(allocatedCase.caseId)).find((n) => n.userId === f.users.HSB_LEAD.id)!
    const csrf = await csrfFor(agents.TEAM_MANAGER)
    const first = await agents.TEAM_MANAGER.post(`/notifications/${mine.id}/read`).type('form').send({ _csrf: csrf })
    expect([first.status, first.headers.location]).toEqual([302, '/notifications'])
    const readAt = (await notificationsOf(allocatedCase.caseId)).find((n) => n.id === mine.id)!.readAt
    expect(readAt).toBeInstanceOf(Date)
    // A double-click: the second changes nothing.
    const again = await agents.TEAM_MANAGER.post(`/notifications/${mine.id}/read`).type('form').send({ _csrf: csrf })
    expect(again.status).toBe(302)
    expect((await notificationsOf(allocatedCase.caseId)).find((n) => n.id === mine.id)!.readAt).toEqual(readAt)
    const page = await agents.TEAM_MANAGER.get('/notifications')
    expect(page.text).toContain('Notification marked as read')
    expect(unreadShown(page.text)).toBe(await unread(f.users.TEAM_MANAGER.id))

    expect((await agents.TEAM_MANAGER.post(`/notifications/${theirs.id}/read`).type('form').send({ _csrf: csrf })).status).toBe(404)
    expect((await notificationsOf(allocatedCase.caseId)).find((n) => n.id === theirs.id)!.readAt).toBeNull()
    expect((await agents.TEAM_MANAGER.post('/notifications/not-a-uuid/read').type('form').send({ _csrf: csrf })).status).toBe(404)
    expect((await agents.TEAM_MANAGER.post(`/notifications/${mine.id}/read`).type('form').send({})).status).toBe(403)
  })

  it('lists notifications not read yet first, then the read ones, newest first in each', async () => {
    const lead = await actor('HSB_LEAD')
    const base = { partnershipId: f.partnershipId, userId: lead.id, kind: 'ASSESSMENT_DECISION' as const, caseId: allocatedCase.caseId }
    // An old one not read yet, and many newer ones already read (a pile that must not push it off the first page).
    const old = await asSystem((trx) =>
      trx
        .insertInto('notification')
        .values({ ...base, dedupeKey: `order-old-${Date.now()}`, createdAt: new Date(Date.now() - 86_400_000) })
        .returning('id')
        .executeTakeFirstOrThrow(),
    )
    for (let i = 0; i < 30; i++) {
      await asSystem((trx) =>
        trx
          .insertInto('notification')
          .values({ ...base, dedupeKey: `order-read-${i}-${Date.now()}`, readAt: new Date() })
          .execute(),
      )
    }
    const rows = await asSystem((trx) => notificationsRepository().listForUser(trx, lead, { limit: 500, offset: 0 }))
    const firstRead = rows.findIndex((r) => r.readAt !== null)
    expect(firstRead).toBeGreaterThan(0)
    expect(rows.slice(firstRead).every((r) => r.readAt !== null)).toBe(true)
    expect(rows.findIndex((r) => r.id === old.id)).toBeLessThan(firstRead)
    const unreadRows = rows.slice(0, firstRead)
    expect(unreadRows.map((r) => r.createdAt.getTime())).toEqual(unreadRows.map((r) => r.createdAt.getTime()).sort((a, b) => b - a))
    expect((await agents.HSB_LEAD.get('/notifications')).text).toContain(`/notifications/${old.id}/read`)
  })

  it('shows the unread count on “my work”', async () => {
    const res = await agents.HSB_LEAD.get('/work')
    expect(res.text).toContain(`You have ${await unread(f.users.HSB_LEAD.id)} unread notifications`)
  })
})

describe('the HSB lead overview', () => {
  it('counts open cases by status at the top and is open to the HSB lead and heads of service only', async () => {
    const res = await agents.HSB_LEAD.get('/work/hsb-overview')
    expect(res.status).toBe(200)
    expect(res.text).toContain('data-landing="hsb-overview"')
    const count = (status: string) => Number(new RegExp(`data-qa="count-${status}"[^>]*>(\\d+)<`).exec(res.text)?.[1])
    const lead = await actor('HSB_LEAD')
    const counts = await inPartnership(async (trx) => {
      return trx
        .selectFrom('hsbCase as k')
        .innerJoin('child as c', 'c.id', 'k.childId')
        .select(['k.status', sql<string>`count(*)`.as('n')])
        .where(canReadChildSql('c', lead))
        .groupBy('k.status')
        .execute()
    })
    for (const { status, n } of counts) expect(count(status), status).toBe(Number(n))
    expect(count('STRATEGY_MEETING_DUE')).toBe(6)
    expect(count('all')).toBe(counts.reduce((sum, c) => sum + Number(c.n), 0))
    const hos = await agents.HEAD_OF_SERVICE.get('/work/hsb-overview')
    expect(hos.status).toBe(200)
    expect(hos.text).toContain('data-landing="service-overview"')
    expect((await agents.TEAM_MANAGER.get('/work/hsb-overview')).status).toBe(403)
    expect((await agents.POLICE_OFFICER.get('/work/hsb-overview')).status).toBe(403)
  })
})

describe('landing on a queue', () => {
  it('sends each case role from / to its queue, which carries its landing heading', async () => {
    const expected: [AgentRole, string][] = [
      ['SOCIAL_WORKER', '/work'],
      ['TEAM_MANAGER', '/work/team'],
      ['HSB_LEAD', '/work/hsb-overview'],
      ['POLICE_OFFICER', '/work'],
      ['HEAD_OF_SERVICE', '/work/hsb-overview'],
    ]
    for (const [role, path] of expected) {
      const res = await agents[role].get('/')
      expect([res.status, res.headers.location], role).toEqual([302, path])
    }
    const nav = await agents.TEAM_MANAGER.get('/work/team')
    expect(nav.text).toContain('href="/notifications"')
    expect(nav.text).toContain('href="/work"')
    expect(nav.text).not.toContain('href="/work/hsb-overview"')
  })
})

describe('a bounded number of statements', () => {
  it('runs the same number of statements whatever the number of cases, events and meetings', async () => {
    let statements = 0
    const counting: KyselyPlugin = {
      transformQuery: (args) => {
        statements += 1
        return args.node
      },
      transformResult: async (args) => args.result,
    }
    const counted = t.services.db.withPlugin(counting)
    const queues = queuesService({ db: counted, access: accessGuard({ db: counted, audit: auditRepository() }) })
    const [sw, tm, lead] = [await actor('SOCIAL_WORKER'), await actor('TEAM_MANAGER'), await actor('HSB_LEAD')]
    const measure = async () => {
      const counts: number[] = []
      for (const run of [
        () => queues.frontDoor(lead, parseQueueQuery('front-door', {}), 'count'),
        () => queues.myWork(sw, parseQueueQuery('my-work', {}), 1, 'count'),
        () => queues.team(tm, parseQueueQuery('team', {}), 'count'),
        () => queues.hsbOverview(lead, parseQueueQuery('hsb-overview', {}), 'count'),
        () => queues.listNotifications(tm, 1, 'count'),
      ]) {
        statements = 0
        await run()
        counts.push(statements)
      }
      return counts
    }
    const small = await measure()
    // set_config, the rows, the count(s), the audit row: my work adds its meetings and unread count.
    expect(small).toEqual([4, 7, 4, 4, 4])

    // A case with 300 events in the team's queue, 20 more cases the social worker is involved in, and a meeting on each.
    const big = await newCase('Many-Events')
    await toStrategyMeetingDue(big.caseId)
    await allocate(big, f.users.TEAM_MANAGER.teamId, sw.id)
    await asSystem((trx) =>
      sql`INSERT INTO case_event (partnership_id, case_id, action, to_status, actor_id)
          SELECT ${f.partnershipId}, ${big.caseId}, 'RECORD_CLOCK_REASON', 'STRATEGY_MEETING_DUE', ${tm.id} FROM generate_series(1, 296)`.execute(
        trx,
      ),
    )
    const events = await asSystem((trx) =>
      trx
        .selectFrom('caseEvent')
        .select(sql<string>`count(*)`.as('n'))
        .where('caseId', '=', big.caseId)
        .executeTakeFirstOrThrow(),
    )
    expect(Number(events.n)).toBe(300)
    for (let i = 0; i < 20; i++) {
      const c = await newCase(`Many-${i}`, { involve: { agencyId: sw.agencyId, userId: sw.id } })
      await inPartnership((trx) =>
        trx
          .insertInto('meeting')
          .values({
            partnershipId: f.partnershipId,
            caseId: c.caseId,
            kind: 'STRATEGY_DISCUSSION',
            scheduledFor: new Date(Date.now() + i * HOUR),
            chairId: sw.id,
            createdBy: tm.id,
          })
          .execute(),
      )
    }
    expect(await measure()).toEqual(small)
  }, 60_000)
})
