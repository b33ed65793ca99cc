import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isTestRangeNhsNumber, isValidUpn } from '../../src/features/children/identifiers.rules.js'
import { seedDemo, type SeedResult } from '../../src/demo/seed.js'
import { INSIGHT_HISTORY_NHS_PREFIX } from '../../src/demo/demo-insight-history.js'
import { DEMO_EMAILS, DEMO_PASSWORD } from '../../src/demo/demo-data.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, signInAsDemo as signInDemo, type TestApp } from '../support/app.js'

let t: TestApp
let seeded: SeedResult

beforeAll(async () => {
  t = await createTestApp({ DEMO_MODE: 'true' })
  seeded = await seedDemo(t.services)
})
afterAll(async () => {
  await t.close()
})

const system = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)
/** The insight history's children, cases and meetings (demo-insight-history.ts), told apart by their NHS numbers. */
async function historyRecordIds(): Promise<string[]> {
  const cases = await system((trx) =>
    trx
      .selectFrom('hsbCase as k')
      .innerJoin('child as c', 'c.id', 'k.childId')
      .select(['k.id', 'k.childId'])
      .where('c.nhsNumber', 'like', `${INSIGHT_HISTORY_NHS_PREFIX}%`)
      .execute(),
  )
  const meetings = cases.length
    ? await system((trx) =>
        trx
          .selectFrom('meeting')
          .select('id')
          .where(
            'caseId',
            'in',
            cases.map((c) => c.id),
          )
          .execute(),
      )
    : []
  // The earlier years the HSB lead brought in from the council's case system (src/demo/demo-ssd-import.ts).
  const imported = await system((trx) => trx.selectFrom('ssdRecord').select('targetId').execute())
  return [...cases.flatMap((c) => [c.id, c.childId]), ...meetings.map((m) => m.id), ...imported.map((r) => r.targetId)]
}

async function userId(email: string): Promise<string> {
  const row = await system((trx) => trx.selectFrom('appUser').select('id').where('email', '=', email).executeTakeFirstOrThrow())
  return row.id
}

async function caseOf(givenNames: string, familyName: string) {
  return system((trx) =>
    trx
      .selectFrom('hsbCase as k')
      .innerJoin('child as c', 'c.id', 'k.childId')
      .leftJoin('appUser as u', 'u.id', 'k.allocatedUserId')
      .select(['k.id', 'k.status', 'k.rating', 'k.route', 'u.displayName as allocatedTo'])
      .where('c.givenNames', '=', givenNames)
      .where('c.familyName', '=', familyName)
      .executeTakeFirstOrThrow(),
  )
}

const signInAsDemo = (email: string) => signInDemo(t, email, DEMO_PASSWORD)

describe('the demo pathway', () => {
  it('loads once', async () => {
    expect(seeded.created).toBe(true)
    // How long the seed takes is measured by bench/startup.ts (the first start loads it), not here.
    expect((await seedDemo(t.services)).created).toBe(false)
  })

  it('has a case at each step of the pathway', async () => {
    const history = new Set(await historyRecordIds())
    const rows = await system((trx) => trx.selectFrom('hsbCase').select(['id', 'status']).execute())
    const byStatus: Record<string, number> = {}
    for (const r of rows) if (!history.has(r.id)) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1
    // Part 1's children, then part 2's: AIM assessments (Ash and another), one at review meeting due, one in intervention.
    expect(byStatus).toEqual({
      REFERRED: 1,
      AWAITING_OVERSIGHT: 1,
      EARLY_HELP: 1,
      STRATEGY_MEETING_HELD: 2,
      STRATEGY_MEETING_DUE: 1,
      AIM_ASSESSMENT: 2,
      REVIEW_MEETING_DUE: 1,
      INTERVENTION: 1,
    })
    expect(await caseOf('Jayden', 'Smith')).toMatchObject({ status: 'REFERRED', rating: null })
    expect(await caseOf('Ellie', 'Brambleton')).toMatchObject({ status: 'AWAITING_OVERSIGHT', rating: 'GREEN' })
    expect(await caseOf('Freddie', 'Ashcombe')).toMatchObject({ status: 'EARLY_HELP', rating: 'GREEN' })
    expect(await caseOf('Ash', 'Fernley')).toMatchObject({ status: 'AIM_ASSESSMENT', rating: 'AMBER', allocatedTo: 'Sam Okafor' })
    expect(await caseOf('Morgan', 'Tillbrook')).toMatchObject({
      status: 'STRATEGY_MEETING_DUE',
      rating: 'RED',
      route: 'OPEN_CASE',
      allocatedTo: 'Sam Okafor',
    })
  })

  it('uses only test-range NHS numbers and valid UPNs', async () => {
    const history = new Set(await historyRecordIds())
    const children = await system((trx) => trx.selectFrom('child').select(['id', 'nhsNumber', 'upn']).execute())
    expect(children.filter((c) => !history.has(c.id))).toHaveLength(13)
    for (const c of children) {
      if (c.nhsNumber) expect(isTestRangeNhsNumber(c.nhsNumber)).toBe(true)
      if (c.upn) expect(isValidUpn(c.upn)).toBe(true)
    }
  })

  it('holds Ash’s strategy meeting inside 24 hours with police and YOS, outcomes section 47 and consider AIM', async () => {
    const ash = await caseOf('Ash', 'Fernley')
    const meeting = await system((trx) =>
      trx
        .selectFrom('meeting')
        .innerJoin('appUser as u', 'u.id', 'meeting.chairId')
        .select(['meeting.id', 'meeting.status', 'meeting.outcomes', 'u.displayName as chair'])
        .where('caseId', '=', ash.id)
        .executeTakeFirstOrThrow(),
    )
    expect(meeting).toMatchObject({ status: 'FINALISED', chair: 'Helen Marsh' })
    expect([...meeting.outcomes].sort()).toEqual(['CONSIDER_AIM_ASSESSMENT', 'SECTION_47_ENQUIRY'])
    const present = await system((trx) =>
      trx
        .selectFrom('meetingInvitation as i')
        .innerJoin('appUser as u', 'u.id', 'i.userId')
        .select('u.displayName')
        .where('i.meetingId', '=', meeting.id)
        .where('i.attendance', '=', 'PRESENT')
        .execute(),
    )
    expect(present.map((p) => p.displayName).sort()).toEqual(['Kerry Doyle', 'Mark Ellis', 'Sam Okafor'])
    const clock = await system((trx) =>
      trx
        .selectFrom('caseClock')
        .select(['dueAt', 'metAt'])
        .where('caseId', '=', ash.id)
        .where('kind', '=', 'STRATEGY_MEETING')
        .executeTakeFirstOrThrow(),
    )
    expect(clock.metAt).not.toBeNull()
    expect(clock.metAt!.getTime()).toBeLessThanOrEqual(new Date(clock.dueAt).getTime())
  })

  it('leaves Morgan’s strategy meeting clock overdue, and tells the team manager and the HSB lead', async () => {
    const morgan = await caseOf('Morgan', 'Tillbrook')
    const clock = await system((trx) =>
      trx
        .selectFrom('caseClock')
        .select(['startedAt', 'dueAt', 'metAt'])
        .where('caseId', '=', morgan.id)
        .where('kind', '=', 'STRATEGY_MEETING')
        .executeTakeFirstOrThrow(),
    )
    expect(clock.metAt).toBeNull()
    expect(new Date(clock.dueAt).getTime()).toBeLessThan(Date.now())
    expect(new Date(clock.dueAt).getTime() - new Date(clock.startedAt).getTime()).toBe(24 * 3_600_000)
    const [helen, aisha] = [await userId('helen.marsh@northshire.example'), await userId('aisha.rahman@northshire.example')]
    const notices = await system((trx) =>
      trx.selectFrom('notification').select(['userId', 'kind', 'caseId']).where('kind', '=', 'STRATEGY_MEETING_OVERDUE').execute(),
    )
    expect(notices).toEqual(
      expect.arrayContaining([
        { userId: helen, kind: 'STRATEGY_MEETING_OVERDUE', caseId: morgan.id },
        { userId: aisha, kind: 'STRATEGY_MEETING_OVERDUE', caseId: morgan.id },
      ]),
    )
    const invited = await system((trx) =>
      trx.selectFrom('notification').select('userId').where('kind', '=', 'MEETING_INVITATION').execute(),
    )
    expect(invited.length).toBeGreaterThanOrEqual(3)
  })

  it('restricts Alex Merrow’s record to the HSB lead, and (demo-restriction) the head of service, with the reason recorded', async () => {
    const alex = await system((trx) =>
      trx
        .selectFrom('child')
        .select(['id', 'isRestricted'])
        .where('givenNames', '=', 'Alex')
        .where('familyName', '=', 'Merrow')
        .executeTakeFirstOrThrow(),
    )
    expect(alex.isRestricted).toBe(true)
    const named = await system((trx) => trx.selectFrom('childRestrictedAccess').select('userId').where('childId', '=', alex.id).execute())
    const expected = [await userId('aisha.rahman@northshire.example'), await userId('fiona.grant@northshire.example')]
    expect(named.map((n) => n.userId).sort()).toEqual(expected.sort())
    const history = await system((trx) =>
      trx.selectFrom('childRestrictionChange').select(['restricted', 'reason']).where('childId', '=', alex.id).execute(),
    )
    expect(history.length).toBeGreaterThan(0)
    expect(history.every((h) => h.restricted && h.reason.trim().length > 0)).toBe(true)
  })

  it('links Robin as the harmed child (police only) and Kit as Ash’s sibling', async () => {
    const links = await system((trx) =>
      trx
        .selectFrom('childLink as l')
        .innerJoin('child as a', 'a.id', 'l.childId')
        .innerJoin('child as b', 'b.id', 'l.linkedChildId')
        .select(['l.kind', 'a.givenNames as from', 'b.givenNames as to'])
        .orderBy('l.kind')
        .execute(),
    )
    expect(links).toEqual([
      { kind: 'HARMED_CHILD', from: 'Ash', to: 'Robin' },
      { kind: 'SIBLING', from: 'Ash', to: 'Kit' },
    ])
    const robinAgencies = await system((trx) =>
      trx
        .selectFrom('childInvolvement as i')
        .innerJoin('child as c', 'c.id', 'i.childId')
        .innerJoin('agency as g', 'g.id', 'i.agencyId')
        .select('g.name')
        .where('c.givenNames', '=', 'Robin')
        .where('i.endedAt', 'is', null)
        .execute(),
    )
    expect(robinAgencies.map((a) => a.name)).toEqual(['Northshire Police'])
  })

  it('was made through the services: each step is in the audit log and the case history', async () => {
    const audit = await system((trx) =>
      trx
        .selectFrom('auditLog')
        .select(['action', 'recordId'])
        .where('requestId', '=', 'demo-seed')
        .where('outcome', '=', 'ALLOWED')
        .execute(),
    )
    const history = new Set(await historyRecordIds())
    const count: Record<string, number> = {}
    for (const a of audit) if (!a.recordId || !history.has(a.recordId)) count[a.action] = (count[a.action] ?? 0) + 1
    expect(count).toMatchObject({
      'child:create': 13,
      'case:OPEN': 10,
      'case:RECORD_SCREENING': 9,
      'case:CONFIRM_SCREENING': 8,
      'case:REQUEST_EARLY_HELP': 1,
      'case:ALLOCATE': 7,
      'case:SCHEDULE_STRATEGY_MEETING': 6,
      'case:FINALISE_STRATEGY_MEETING': 6,
      'case:DECIDE_AIM_ASSESSMENT': expect.any(Number),
      'case:NAME_CO_ASSESSORS': expect.any(Number),
      'case:FINALISE_REVIEW_MEETING': 1,
      'meeting:save-minutes': 6,
      'meeting:finalise': 6,
      'child:restrict': 1,
    })
    const denied = await system((trx) =>
      trx.selectFrom('auditLog').select('action').where('requestId', '=', 'demo-seed').where('outcome', '=', 'DENIED').execute(),
    )
    expect(denied).toEqual([])
    const ash = await caseOf('Ash', 'Fernley')
    const events = await system((trx) => trx.selectFrom('caseEvent').select('action').where('caseId', '=', ash.id).orderBy('id').execute())
    expect(events.map((e) => e.action).slice(0, 9)).toEqual([
      'OPEN',
      'RECORD_SCREENING',
      'CONFIRM_SCREENING',
      'ALLOCATE',
      'SCHEDULE_STRATEGY_MEETING',
      'STRATEGY_MEETING_MINUTES_SAVED',
      'FINALISE_STRATEGY_MEETING',
      // Part 2: the AIM assessment the strategy meeting asked for.
      'DECIDE_AIM_ASSESSMENT',
      'NAME_CO_ASSESSORS',
    ])
  })

  it('shows Helen Marsh the overdue strategy meeting first on her team’s work, and Ash’s case', async () => {
    const helen = await signInAsDemo('helen.marsh@northshire.example')
    const team = await helen.get('/work/team')
    expect(team.status).toBe(200)
    expect(team.text).toContain('Morgan Tillbrook')
    expect(team.text).toContain('Ash Fernley')
    expect(team.text.indexOf('Morgan Tillbrook')).toBeLessThan(team.text.indexOf('Ash Fernley'))
    const ash = await caseOf('Ash', 'Fernley')
    const page = await helen.get(`/cases/${ash.id}`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Strategy meeting held')
  })

  it('shows Fiona Grant a role waiting for her approval, asked for by the system administrator', async () => {
    const fiona = await signInAsDemo(DEMO_EMAILS.fiona)
    const list = await fiona.get('/admin/role-requests')
    expect(list.status).toBe(200)
    expect(list.text).toContain('Grace Lewis')
    expect(list.text).toContain('Social worker')
    expect(list.text).toContain('Chris Morgan')
    expect(list.text).toContain('data-qa="approve"')
  })
})
