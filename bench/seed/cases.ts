import { ALL_BEHAVIOUR_CONTEXTS, ALL_HACKETT_POINTS } from '../../src/features/referrals/screening.rules.js'
import type { ChildGenerator } from './generator.js'
import { HOUR } from './generator.js'
import { BEHAVIOUR_NOTES } from './names.js'
import { planCase, type CasePlan } from './case-plan.js'
import type { TableSpec } from './rows.js'

/**
 * The case on the pathway (one per child): the case row, its history, clocks, request for
 * support and screenings, who works with the child, and the audit rows that the app would have
 * written for each step and for reads of the case.
 */
declare module './generator.js' {
  interface ChildFacts {
    case?: CasePlan
  }
}

const spec = (table: string, columns: TableSpec['columns']): TableSpec => ({ table, columns })
export const INVOLVEMENT = spec('child_involvement', [
  ['id', 'uuid'],
  ['partnership_id', 'uuid'],
  ['child_id', 'uuid'],
  ['agency_id', 'uuid'],
  ['team_id', 'uuid'],
  ['user_id', 'uuid'],
  ['kind', 'text'],
  ['started_at', 'timestamptz'],
  ['ended_at', 'timestamptz'],
])
const RESTRICTED = spec('child_restricted_access', [
  ['partnership_id', 'uuid'],
  ['child_id', 'uuid'],
  ['user_id', 'uuid'],
])
const CASE = spec('hsb_case', [
  ['id', 'uuid'],
  ['partnership_id', 'uuid'],
  ['child_id', 'uuid'],
  ['route', 'text'],
  ['status', 'text'],
  ['rating', 'text'],
  ['allocated_team_id', 'uuid'],
  ['allocated_user_id', 'uuid'],
  ['referral_received_at', 'timestamptz'],
  ['opened_at', 'timestamptz'],
  ['closed_at', 'timestamptz'],
  ['version', 'integer'],
])
const EVENT = spec('case_event', [
  ['partnership_id', 'uuid'],
  ['case_id', 'uuid'],
  ['action', 'text'],
  ['from_status', 'text'],
  ['to_status', 'text'],
  ['actor_id', 'uuid'],
  ['occurred_at', 'timestamptz'],
  ['detail', 'jsonb'],
])
const CLOCK = spec('case_clock', [
  ['id', 'uuid'],
  ['partnership_id', 'uuid'],
  ['case_id', 'uuid'],
  ['kind', 'text'],
  ['started_at', 'timestamptz'],
  ['due_at', 'timestamptz'],
  ['met_at', 'timestamptz'],
  ['missed_reason', 'text'],
  ['reason_by', 'uuid'],
  ['reason_at', 'timestamptz'],
])
const REQUEST = spec('request_for_support', [
  ['id', 'uuid'],
  ['partnership_id', 'uuid'],
  ['case_id', 'uuid'],
  ['referrer_id', 'uuid'],
  ['referrer_agency_id', 'uuid'],
  ['received_at', 'timestamptz'],
  ['what_happened', 'text'],
  ['contexts', 'text[]'],
  ['sharing_basis', 'text'],
  ['consent_sought', 'boolean'],
  ['idempotency_key', 'text'],
  ['created_at', 'timestamptz'],
])
const SCREENING = spec('screening', [
  ['id', 'uuid'],
  ['partnership_id', 'uuid'],
  ['case_id', 'uuid'],
  ['tool', 'text'],
  ['tool_version', 'text'],
  ['age_band', 'text'],
  ['behaviours', 'jsonb'],
  ['overall_rating', 'text'],
  ['rationale', 'text'],
  ['screened_by', 'uuid'],
  ['screened_at', 'timestamptz'],
  ['oversight_by', 'uuid'],
  ['oversight_at', 'timestamptz'],
  ['oversight_outcome', 'text'],
  ['oversight_note', 'text'],
])
export const AUDIT = spec('audit_log', [
  ['partnership_id', 'uuid'],
  ['occurred_at', 'timestamptz'],
  ['user_id', 'uuid'],
  ['action', 'text'],
  ['record_type', 'text'],
  ['record_id', 'text'],
  ['outcome', 'text'],
  ['request_id', 'text'],
  ['detail', 'jsonb'],
])

export const casesGenerator: ChildGenerator = {
  name: 'cases',
  tables: [INVOLVEMENT, RESTRICTED, CASE, EVENT, CLOCK, REQUEST, SCREENING, AUDIT],
  generate(ctx, rows) {
    const child = ctx.facts.child
    if (!child) throw new Error('the cases generator runs after the children generator')
    const rng = ctx.rng('case-rows')
    const plan = planCase(ctx, child.dateOfBirth)
    const p = ctx.org.id
    const { agencies, teams } = ctx.org
    const asOf = ctx.options.asOf

    // Who works with the child: the referrer's agency, the front door while it screens, the allocated worker.
    const referrer = rng.chance(0.6) ? rng.pick(ctx.org.people.referrers) : null
    const referrerAgency = referrer ? referrer.agencyId : rng.pick([agencies.health, agencies.police, agencies.school])
    const involve = (
      agencyId: string,
      teamId: string | null,
      userId: string | null,
      kind: 'ALLOCATED' | 'INVOLVED',
      from: Date,
      to: Date | null,
    ) => rows('child_involvement').push([rng.uuid(), p, child.id, agencyId, teamId, userId, kind, from, to])
    involve(referrerAgency, null, null, 'INVOLVED', plan.referralReceivedAt, null)
    const confirmed = plan.events.find((e) => e.action === 'CONFIRM_SCREENING')
    const leftFrontDoor = plan.rating !== 'GREEN' && confirmed ? confirmed.at : plan.closedAt
    involve(agencies.csc, teams.frontDoor, null, 'INVOLVED', plan.referralReceivedAt, leftFrontDoor)
    const firstAllocation = plan.events.find((e) => e.action === 'ALLOCATE')
    if (plan.allocated && firstAllocation)
      involve(agencies.csc, plan.allocated.teamId, plan.allocated.id, 'ALLOCATED', firstAllocation.at, plan.closedAt)
    if (plan.rating === 'RED')
      involve(agencies.police, teams.cpu, rng.pick(ctx.org.people.police).id, 'INVOLVED', plan.referralReceivedAt, plan.closedAt)
    if (plan.meeting) involve(agencies.csc, null, plan.meeting.chairId, 'INVOLVED', plan.meeting.arrangedAt, null)
    if (child.isRestricted) {
      for (const id of new Set([plan.allocated?.id, plan.frontDoorWorker.id, plan.frontDoorManager.id]))
        if (id) rows('child_restricted_access').push([p, child.id, id])
    }

    rows('hsb_case').push([
      plan.id,
      p,
      child.id,
      plan.route,
      plan.status,
      plan.rating,
      plan.allocated?.teamId ?? null,
      plan.allocated?.id ?? null,
      plan.referralReceivedAt,
      plan.openedAt,
      plan.closedAt,
      plan.events.length,
    ])
    const audit = rows('audit_log')
    plan.events.forEach((e, i) => {
      rows('case_event').push([p, plan.id, e.action, e.from, e.to, e.actorId, e.at, e.detail])
      const detail = e.action === 'OPEN' ? { childId: child.id } : { to: e.to }
      audit.push([p, e.at, e.actorId, `case:${e.action}`, 'case', plan.id, 'ALLOWED', `bench-${ctx.index}-${i}`, detail])
    })
    for (const c of plan.clocks) {
      rows('case_clock').push([rng.uuid(), p, plan.id, c.kind, c.startedAt, c.dueAt, c.metAt, c.missedReason, c.reasonBy, c.reasonAt])
    }
    rows('request_for_support').push([
      rng.uuid(),
      p,
      plan.id,
      referrer?.id ?? null,
      referrerAgency,
      plan.referralReceivedAt,
      `${rng.pick(BEHAVIOUR_NOTES)}. Fictional benchmark record ${ctx.index + 1}.`,
      ALL_BEHAVIOUR_CONTEXTS.filter(() => rng.chance(0.35)),
      rng.weighted({ CONSENT: 60, PUBLIC_TASK_WITHOUT_CONSENT: 25, SAFEGUARDING_WITHOUT_CONSENT: 15 }),
      rng.chance(0.8),
      rng.uuid(),
      plan.openedAt,
    ])
    for (const s of plan.screenings) {
      const behaviours = Array.from({ length: rng.int(1, 4) }, () => ({
        description: rng.pick(BEHAVIOUR_NOTES),
        date: null,
        context: rng.pick(ALL_BEHAVIOUR_CONTEXTS),
        hackett: rng.pick(ALL_HACKETT_POINTS),
        rating: s.rating,
        rationale: 'Rated against the tool for the child’s age band',
      }))
      const o = s.oversight
      rows('screening').push([
        s.id,
        p,
        plan.id,
        'BROOK_TRAFFIC_LIGHT',
        'BROOK_ORIGINAL',
        s.ageBand,
        behaviours,
        s.rating,
        'Fictional rationale for the overall rating',
        s.by,
        s.at,
        o?.by ?? null,
        o?.at ?? null,
        o?.outcome ?? null,
        o?.outcome === 'RETURNED' ? 'Please add the dates' : null,
      ])
    }
    // Reads of the case: a few per case, by the people on it, over its life.
    const reads = rng.int(1, 5)
    const until = (plan.closedAt ?? asOf).getTime()
    for (let r = 0; r < reads; r++) {
      const at = new Date(plan.openedAt.getTime() + rng.next() * Math.max(HOUR, until - plan.openedAt.getTime()))
      const reader = plan.allocated ?? plan.frontDoorWorker
      audit.push([
        p,
        at,
        reader.id,
        'case:read',
        'case',
        plan.id,
        'ALLOWED',
        `bench-${ctx.index}-r${r}`,
        { childId: child.id, relationship: 'INVOLVED' },
      ])
    }
    ctx.facts.case = plan
  },
}
