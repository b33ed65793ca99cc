import { describe, expect, it } from 'vitest'
import { dueAt } from '../../platform/clocks/clocks.rules.js'
import {
  aimAssessmentNotice,
  clockDedupeKey,
  DEFAULT_SORT,
  pageFrom,
  parseQueueQuery,
  QUEUE_STATUSES,
  queueQueryString,
  strategyMeetingNotice,
  strategyMeetingNotificationKind,
  URGENCY,
  type CaseQueue,
} from './queues.rules.js'

describe('reading a queue’s query string', () => {
  const cases: [CaseQueue, Record<string, unknown>, ReturnType<typeof parseQueueQuery>][] = [
    ['front-door', {}, { status: null, sort: 'oldest', page: 1 }],
    ['my-work', {}, { status: null, sort: 'urgency', page: 1 }],
    ['front-door', { status: 'AWAITING_OVERSIGHT', sort: 'newest', page: '3' }, { status: 'AWAITING_OVERSIGHT', sort: 'newest', page: 3 }],
    // A status the queue does not hold, an unknown sort, a silly page: the defaults.
    ['front-door', { status: 'STRATEGY_MEETING_DUE', sort: 'sideways', page: '-2' }, { status: null, sort: 'oldest', page: 1 }],
    ['hsb-overview', { status: 'CLOSED', page: '0' }, { status: null, sort: 'urgency', page: 1 }],
    ['team', { status: ['REFERRED', 'CLOSED'], sort: ['oldest'], page: '1e3' }, { status: null, sort: 'urgency', page: 1 }],
    ['team', { status: 'STRATEGY_MEETING_DUE', sort: 'oldest' }, { status: 'STRATEGY_MEETING_DUE', sort: 'oldest', page: 1 }],
  ]
  for (const [queue, query, expected] of cases) {
    it(`${queue} ${JSON.stringify(query)}`, () => {
      expect(parseQueueQuery(queue, query)).toEqual(expected)
    })
  }

  it('takes pages as positive whole numbers only', () => {
    expect([pageFrom('2'), pageFrom('0'), pageFrom('abc'), pageFrom(undefined), pageFrom('9999999'), pageFrom(['2'])]).toEqual([
      2, 1, 1, 1, 1, 1,
    ])
  })

  it('writes back only what differs from the defaults, and round-trips', () => {
    expect(queueQueryString('front-door', { status: null, sort: 'oldest', page: 1 })).toBe('')
    expect(queueQueryString('front-door', { status: 'REFERRED', sort: 'newest', page: 2 })).toBe('?status=REFERRED&sort=newest&page=2')
    expect(queueQueryString('my-work', { status: null, sort: 'urgency', page: 1 }, { 'meetings-page': '2' })).toBe('?meetings-page=2')
    for (const queue of Object.keys(DEFAULT_SORT) as CaseQueue[]) {
      for (const status of [null, ...QUEUE_STATUSES[queue]]) {
        const q = { status, sort: 'newest' as const, page: 4 }
        expect(parseQueueQuery(queue, Object.fromEntries(new URLSearchParams(queueQueryString(queue, q))))).toEqual(q)
      }
    }
  })

  it('holds only open cases outside the front door, and only requests waiting at the front door', () => {
    expect(QUEUE_STATUSES['front-door']).toEqual(['REFERRED', 'AWAITING_OVERSIGHT'])
    for (const queue of ['my-work', 'team', 'hsb-overview'] as const) {
      expect(QUEUE_STATUSES[queue]).not.toContain('CLOSED')
      expect(QUEUE_STATUSES[queue]).not.toContain('EARLY_HELP')
    }
  })

  it('orders overdue before due soon before running, and met clocks last', () => {
    expect(URGENCY.OVERDUE).toBeLessThan(URGENCY.DUE_SOON)
    expect(URGENCY.DUE_SOON).toBeLessThan(URGENCY.RUNNING)
    expect(URGENCY.RUNNING).toBeLessThan(URGENCY.MET)
  })
})

describe('strategy meeting notifications', () => {
  const start = new Date('2026-11-23T09:00:00Z')
  const at = (hours: number) => new Date(start.getTime() + hours * 3_600_000)
  const clock = (hours = 24) => ({ caseId: 'case-1', startedAt: start, dueAt: at(hours) })

  const table: [string, number, number, string | null][] = [
    // [what, clock length in hours, hours since the start, the notification raised]
    ['just started', 24, 0, null],
    ['one minute before due soon', 24, 19 - 1 / 60, null],
    ['due soon: the last 5 of 24 hours', 24, 19, 'STRATEGY_MEETING_DUE'],
    ['at the due moment', 24, 24, 'STRATEGY_MEETING_DUE'],
    ['past 24 hours', 24, 24 + 1 / 60, 'STRATEGY_MEETING_OVERDUE'],
    ['a day late', 24, 48, 'STRATEGY_MEETING_OVERDUE'],
    ['a 48-hour local timescale at 37 hours', 48, 37, null],
    ['a 48-hour local timescale at 38 hours (the last 10)', 48, 38, 'STRATEGY_MEETING_DUE'],
  ]
  for (const [what, length, hours, expected] of table) {
    it(`${what}: ${expected ?? 'nothing'}`, () => {
      expect(strategyMeetingNotice(clock(length), at(hours))?.kind ?? null).toBe(expected)
    })
  }

  it('keys each notification by case and clock state, so each is raised once', () => {
    expect(strategyMeetingNotice(clock(), at(20))).toEqual({
      kind: 'STRATEGY_MEETING_DUE',
      state: 'DUE_SOON',
      dedupeKey: 'clock:case-1:DUE_SOON',
    })
    expect(strategyMeetingNotice(clock(), at(30))?.dedupeKey).toBe(clockDedupeKey('case-1', 'OVERDUE'))
  })

  it('raises nothing for running or met clocks', () => {
    expect(['RUNNING', 'MET', 'MET_LATE'].map((s) => strategyMeetingNotificationKind(s as 'RUNNING'))).toEqual([null, null, null])
  })
})

describe('AIM assessment notifications', () => {
  // A decision to assess on Monday 2 November 2026: target 14 December (6 weeks), limit 28 December (8 weeks).
  const decided = new Date('2026-11-02T10:00:00Z')
  const clocks = [
    { caseId: 'case-1', kind: 'AIM_TARGET' as const, startedAt: decided, dueAt: dueAt('AIM_TARGET', decided) },
    { caseId: 'case-1', kind: 'AIM_INTERVIEWS' as const, startedAt: decided, dueAt: dueAt('AIM_INTERVIEWS', decided) },
  ]
  const on = (iso: string) => new Date(`${iso}T12:00:00Z`)
  const table: [string, string, string | null, string | null][] = [
    // [what, when, the notification, the clock it comes from]
    ['three weeks in', '2026-11-23', null, null],
    ['the target is near (its last 2 of 6 weeks)', '2026-12-01', 'AIM_ASSESSMENT_DUE', 'AIM_TARGET'],
    ['the target missed: overdue against it', '2026-12-15', 'AIM_ASSESSMENT_OVERDUE', 'AIM_TARGET'],
    ['past the 8-week limit: overdue against the limit', '2026-12-29', 'AIM_ASSESSMENT_OVERDUE', 'AIM_INTERVIEWS'],
  ]
  for (const [what, when, kind, clock] of table) {
    it(`${what}: ${kind ?? 'nothing'}`, () => {
      const notice = aimAssessmentNotice(clocks, on(when))
      expect(notice?.kind ?? null).toBe(kind)
      expect(notice?.clock ?? null).toBe(clock)
    })
  }

  it('keys each by clock, state and due date: the limit missed is a new notification, a repeat is not', () => {
    const missedTarget = aimAssessmentNotice(clocks, on('2026-12-15'))!
    const missedLimit = aimAssessmentNotice(clocks, on('2026-12-29'))!
    expect(missedTarget.dedupeKey).toBe('clock:case-1:AIM_TARGET:OVERDUE:2026-12-14')
    expect(missedLimit.dedupeKey).toBe(`clock:case-1:AIM_INTERVIEWS:OVERDUE:${clocks[1]!.dueAt.toISOString().slice(0, 10)}`)
    expect(aimAssessmentNotice(clocks, on('2027-01-20'))!.dedupeKey).toBe(missedLimit.dedupeKey)
  })

  it('raises nothing once the clocks are met (not passed in) or for no clocks', () => {
    expect(aimAssessmentNotice([], on('2027-01-20'))).toBeNull()
  })
})
