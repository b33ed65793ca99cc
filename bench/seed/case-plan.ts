import {
  ACTION_RULES,
  type CaseAction,
  type CaseRoute,
  type CaseStatus,
  type Rating,
  type TransitionContext,
} from '../../src/features/cases/pathway.rules.js'
import { dueAt, type ClockKind } from '../../src/platform/clocks/clocks.rules.js'
import type { ChildContext } from './generator.js'
import { DAY, HOUR } from './generator.js'
import type { Person } from './organisation.js'
import type { Rng } from './prng.js'

/**
 * One case's journey, planned step by step through the pathway's own transition table
 * (ACTION_RULES: the next status and the clocks each step starts and stops) and the clock
 * rules (due dates), so the data is a state the app could have reached. Pure: no rows here.
 */
export type PlannedEvent = {
  action: CaseAction | 'OPEN'
  from: CaseStatus | null
  to: CaseStatus
  at: Date
  actorId: string
  detail: Record<string, unknown>
}
export type PlannedClock = {
  kind: ClockKind
  startedAt: Date
  dueAt: Date
  metAt: Date | null
  missedReason: string | null
  reasonBy: string | null
  reasonAt: Date | null
}
export type PlannedScreening = {
  id: string
  at: Date
  by: string
  rating: Rating
  ageBand: string
  oversight: { by: string; at: Date; outcome: 'CONFIRMED' | 'RETURNED' } | null
}
export type PlannedMeeting = {
  id: string
  arrangedAt: Date
  arrangedBy: string
  scheduledFor: Date
  chairId: string
  heldAt: Date | null
  finalisedAt: Date | null
  outcomes: string[]
}
export type CasePlan = {
  id: string
  route: CaseRoute
  status: CaseStatus
  rating: Rating | null
  referralReceivedAt: Date
  openedAt: Date
  closedAt: Date | null
  allocated: Person | null
  frontDoorWorker: Person
  frontDoorManager: Person
  events: PlannedEvent[]
  clocks: PlannedClock[]
  screenings: PlannedScreening[]
  meeting: PlannedMeeting | null
}

/** Where cases are on the as-of date: most closed or with early help, a few at each open step. */
export const TARGET_WEIGHTS = {
  REFERRED: 3,
  AWAITING_OVERSIGHT: 2,
  GREEN_DECISION: 2,
  STRATEGY_MEETING_DUE: 2,
  STRATEGY_MEETING_HELD: 16,
  EARLY_HELP: 15,
  CLOSED: 60,
} as const
type Target = keyof typeof TARGET_WEIGHTS

/** How long the case has sat at its final step on the as-of date, in hours. */
const WAIT_HOURS: Record<Target, [number, number]> = {
  REFERRED: [0, 36],
  AWAITING_OVERSIGHT: [0, 30],
  GREEN_DECISION: [0, 240],
  STRATEGY_MEETING_DUE: [0, 40],
  STRATEGY_MEETING_HELD: [24, 120 * 24],
  EARLY_HELP: [240, 1500 * 24],
  CLOSED: [240, 1500 * 24],
}

type Step = { action: CaseAction; ctx: TransitionContext; gap: [number, number]; actor: string; detail?: Record<string, unknown> }

function ratingFor(target: Target, rng: Rng): Rating | null {
  if (target === 'REFERRED') return null
  if (target === 'GREEN_DECISION' || target === 'EARLY_HELP') return 'GREEN'
  if (target === 'STRATEGY_MEETING_DUE' || target === 'STRATEGY_MEETING_HELD') return rng.weighted({ AMBER: 80, RED: 20 })
  if (target === 'CLOSED') return rng.weighted({ GREEN: 55, AMBER: 37, RED: 8 })
  return rng.weighted({ GREEN: 45, AMBER: 45, RED: 10 })
}

const ageBandAt = (dob: Date, at: Date) => {
  const age = (at.getTime() - dob.getTime()) / (365.25 * DAY)
  return age < 9 ? 'AGE_5_9' : age < 13 ? 'AGE_9_13' : 'AGE_13_17'
}

export function planCase(ctx: ChildContext, dateOfBirth: Date): CasePlan {
  const rng = ctx.rng('case')
  const { people, teams } = ctx.org
  const target = rng.weighted(TARGET_WEIGHTS)
  const rating = ratingFor(target, rng)
  const route: CaseRoute = rng.chance(0.15) ? 'OPEN_CASE' : 'NEW'
  const frontDoorWorker = rng.pick(people.frontDoorWorkers)
  const frontDoorManager = people.teamManagers[people.teamManagers.length - 1]!
  const allocatedWorker = rng.pick(people.socialWorkers)
  const teamIndex = teams.assessment.indexOf(allocatedWorker.teamId!)
  const assessmentManager = people.teamManagers[Math.max(0, teamIndex)]!
  const hsbLead = rng.pick(people.hsbLeads)
  const chair = rng.chance(0.7) ? assessmentManager : hsbLead

  // The steps to the target, each with the hours since the one before.
  const steps: Step[] = []
  const screeningIds: string[] = []
  const screen = (r: Rating | null) => {
    screeningIds.push(rng.uuid())
    steps.push({ action: 'RECORD_SCREENING', ctx: { rating: r ?? 'GREEN' }, gap: [1, 30], actor: frontDoorWorker.id })
  }
  if (target === 'REFERRED' ? rng.chance(0.2) : rng.chance(0.08)) {
    screen(rating ?? rng.weighted({ GREEN: 50, AMBER: 50 }))
    steps.push({ action: 'RETURN_SCREENING', ctx: { rating: null }, gap: [1, 24], actor: frontDoorManager.id })
  }
  let meeting: PlannedMeeting | null = null
  if (target !== 'REFERRED') {
    screen(rating)
    if (target !== 'AWAITING_OVERSIGHT') {
      steps.push({ action: 'CONFIRM_SCREENING', ctx: { rating }, gap: [1, 20], actor: frontDoorManager.id })
      if (rating === 'GREEN') {
        if (target === 'EARLY_HELP') steps.push({ action: 'REQUEST_EARLY_HELP', ctx: {}, gap: [24, 240], actor: frontDoorWorker.id })
        if (target === 'CLOSED') steps.push({ action: 'CLOSE_NO_FURTHER_ACTION', ctx: {}, gap: [24, 240], actor: frontDoorWorker.id })
      } else {
        steps.push({
          action: 'ALLOCATE',
          ctx: {},
          gap: [0.5, 6],
          actor: assessmentManager.id,
          detail: { teamId: allocatedWorker.teamId, userId: allocatedWorker.id },
        })
        if (target !== 'STRATEGY_MEETING_DUE' || rng.chance(0.6)) {
          meeting = {
            id: rng.uuid(),
            arrangedAt: new Date(0),
            arrangedBy: chair.id,
            scheduledFor: new Date(0),
            chairId: chair.id,
            heldAt: null,
            finalisedAt: null,
            outcomes: [],
          }
          steps.push({
            action: 'SCHEDULE_STRATEGY_MEETING',
            ctx: {},
            gap: [1, 12],
            actor: chair.id,
            detail: { meetingId: meeting.id, kind: 'STRATEGY_MEETING' },
          })
        }
        if (target === 'STRATEGY_MEETING_HELD' || target === 'CLOSED') {
          const outcomes = [
            'CHILD_IN_NEED',
            'SECTION_47_ENQUIRY',
            'INITIAL_CHILD_PROTECTION_CONFERENCE',
            'CRIMINAL_PROSECUTION',
            'CONSIDER_AIM_ASSESSMENT',
          ].filter(() => rng.chance(0.3))
          if (outcomes.length === 0) outcomes.push('CHILD_IN_NEED')
          meeting!.outcomes = outcomes
          steps.push({
            action: 'FINALISE_STRATEGY_MEETING',
            ctx: { outcomes },
            gap: [4, 40],
            actor: chair.id,
            detail: { meetingId: meeting!.id, outcomes },
          })
          if (target === 'CLOSED') {
            steps.push({ action: 'DECIDE_NO_AIM_ASSESSMENT', ctx: {}, gap: [48, 480], actor: hsbLead.id })
            steps.push({ action: 'CLOSE_CASE', ctx: {}, gap: [120, 1440], actor: hsbLead.id })
          }
        }
      }
    }
  }

  // Times: the path's length in hours, then the referral far enough back that the last step
  // happened the target's waiting time before the as-of date.
  const gaps = steps.map((s) => s.gap[0] + rng.next() * (s.gap[1] - s.gap[0]))
  const pathHours = gaps.reduce((a, b) => a + b, 0) + 0.5
  const [w0, w1] = WAIT_HOURS[target]
  const asOf = ctx.options.asOf.getTime()
  const referralReceivedAt = new Date(asOf - (pathHours + w0 + rng.next() * (w1 - w0)) * HOUR)
  const openedAt = new Date(referralReceivedAt.getTime() + rng.next() * 0.5 * HOUR)

  const plan: CasePlan = {
    id: rng.uuid(),
    route,
    status: 'REFERRED',
    rating: null,
    referralReceivedAt,
    openedAt,
    closedAt: null,
    allocated: null,
    frontDoorWorker,
    frontDoorManager,
    events: [],
    clocks: [],
    screenings: [],
    meeting,
  }
  const clocks = new Map<ClockKind, PlannedClock>()
  const start = (kind: ClockKind, at: Date) => {
    if (!clocks.has(kind))
      clocks.set(kind, { kind, startedAt: at, dueAt: dueAt(kind, at), metAt: null, missedReason: null, reasonBy: null, reasonAt: null })
  }
  plan.events.push({ action: 'OPEN', from: null, to: 'REFERRED', at: openedAt, actorId: frontDoorManager.id, detail: { route } })
  start('REFERRAL_DECISION', referralReceivedAt)

  let at = openedAt.getTime()
  let screeningIndex = 0
  steps.forEach((step, i) => {
    at += gaps[i]! * HOUR
    const when = new Date(at)
    const rule = ACTION_RULES[step.action] as {
      to?: (c: TransitionContext) => CaseStatus
      starts?: (c: TransitionContext) => readonly ClockKind[]
      stops?: readonly ClockKind[]
    }
    const from = plan.status
    const to = rule.to?.({ route, ...step.ctx }) ?? from
    let detail = step.detail ?? {}
    let clocksAt = when
    if (step.action === 'RECORD_SCREENING') {
      const s: PlannedScreening = {
        id: screeningIds[screeningIndex++]!,
        at: when,
        by: step.actor,
        rating: step.ctx.rating!,
        ageBand: ageBandAt(dateOfBirth, when),
        oversight: null,
      }
      plan.screenings.push(s)
      detail = { rating: s.rating, toolVersion: 'BROOK_ORIGINAL', ageBand: s.ageBand, behaviours: rng.int(1, 4) }
      plan.rating = s.rating
    }
    if (step.action === 'CONFIRM_SCREENING' || step.action === 'RETURN_SCREENING') {
      const s = plan.screenings[plan.screenings.length - 1]!
      s.oversight = { by: step.actor, at: when, outcome: step.action === 'CONFIRM_SCREENING' ? 'CONFIRMED' : 'RETURNED' }
      detail = { screeningId: s.id, rating: s.rating }
      plan.rating = step.action === 'CONFIRM_SCREENING' ? s.rating : null
    }
    if (step.action === 'ALLOCATE') plan.allocated = allocatedWorker
    if (step.action === 'SCHEDULE_STRATEGY_MEETING') {
      meeting!.arrangedAt = when
      meeting!.scheduledFor = new Date(at + (2 + rng.next() * 20) * HOUR)
    }
    if (step.action === 'FINALISE_STRATEGY_MEETING') {
      clocksAt = new Date(Math.min(meeting!.scheduledFor.getTime(), at - HOUR))
      meeting!.heldAt = clocksAt
      meeting!.finalisedAt = when
    }
    for (const kind of rule.stops ?? []) {
      const c = clocks.get(kind)
      if (c && !c.metAt) c.metAt = clocksAt
    }
    for (const kind of rule.starts?.({ route, ...step.ctx }) ?? []) start(kind, kind === 'ASSESSMENT' ? referralReceivedAt : clocksAt)
    if (to === 'CLOSED' || to === 'EARLY_HELP') plan.closedAt = when
    plan.events.push({ action: step.action, from, to, at: when, actorId: step.actor, detail })
    plan.status = to
  })

  // Side steps that keep the status: reasons for missed timescales, and reallocations, to
  // between 10 and 30 history events. They happen before the case ended (or before now).
  const windowEnd = plan.closedAt ? plan.closedAt.getTime() - 60_000 : asOf - 60_000
  const statusAt = (t: number) => {
    let s: CaseStatus = 'REFERRED'
    for (const e of plan.events) if (e.at.getTime() <= t) s = e.to
    return s
  }
  const extra: PlannedEvent[] = []
  for (const c of clocks.values()) {
    const late = c.metAt ? c.metAt > c.dueAt : asOf > c.dueAt.getTime()
    if (!late || !rng.chance(0.6)) continue
    const t = (c.metAt ?? c.dueAt).getTime() + rng.next() * 48 * HOUR
    if (t >= windowEnd) continue
    c.missedReason = rng.pick([
      'Waiting for information from school',
      'Worker absent; reallocated',
      'Family not available until the following week',
      'Police checks took longer than expected',
    ])
    c.reasonBy = (plan.allocated ?? frontDoorWorker).id
    c.reasonAt = new Date(t)
    const s = statusAt(t)
    extra.push({ action: 'RECORD_CLOCK_REASON', from: s, to: s, at: c.reasonAt, actorId: c.reasonBy, detail: { clock: c.kind } })
  }
  const total = rng.int(10, 30)
  for (let n = plan.events.length + extra.length; n < total; n++) {
    const t = openedAt.getTime() + 1000 + rng.next() * Math.max(0, windowEnd - openedAt.getTime() - 1000)
    const s = statusAt(t)
    const who = plan.allocated ?? allocatedWorker
    plan.allocated = who
    extra.push({
      action: 'ALLOCATE',
      from: s,
      to: s,
      at: new Date(t),
      actorId: assessmentManager.id,
      detail: { teamId: who.teamId, userId: who.id, reason: 'review of caseload' },
    })
  }
  plan.events = [...plan.events, ...extra].sort((a, b) => a.at.getTime() - b.at.getTime())
  plan.clocks = [...clocks.values()]
  return plan
}
