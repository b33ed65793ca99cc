import { MINUTES_TEXT_FIELDS } from '../../src/features/meetings/meetings.rules.js'
import type { ChildGenerator } from './generator.js'
import { DAY } from './generator.js'
import type { TableSpec } from './rows.js'

/** The strategy meeting the case plan arranged: invitations, minutes once finalised, actions. */
const MEETING: TableSpec = {
  table: 'meeting',
  columns: [
    ['id', 'uuid'],
    ['partnership_id', 'uuid'],
    ['case_id', 'uuid'],
    ['kind', 'text'],
    ['scheduled_for', 'timestamptz'],
    ['held_at', 'timestamptz'],
    ['chair_id', 'uuid'],
    ['status', 'text'],
    ['minutes', 'jsonb'],
    ['outcomes', 'text[]'],
    ['version', 'integer'],
    ['created_by', 'uuid'],
    ['created_at', 'timestamptz'],
    ['finalised_by', 'uuid'],
    ['finalised_at', 'timestamptz'],
    ['idempotency_key', 'text'],
  ],
}
const INVITATION: TableSpec = {
  table: 'meeting_invitation',
  columns: [
    ['id', 'uuid'],
    ['partnership_id', 'uuid'],
    ['meeting_id', 'uuid'],
    ['agency_id', 'uuid'],
    ['user_id', 'uuid'],
    ['attendance', 'text'],
  ],
}
const ACTION: TableSpec = {
  table: 'meeting_action',
  columns: [
    ['id', 'uuid'],
    ['partnership_id', 'uuid'],
    ['meeting_id', 'uuid'],
    ['text', 'text'],
    ['owner_user_id', 'uuid'],
    ['owner_text', 'text'],
    ['due_on', 'date'],
    ['created_at', 'timestamptz'],
  ],
}

export const meetingsGenerator: ChildGenerator = {
  name: 'meetings',
  tables: [MEETING, INVITATION, ACTION],
  generate(ctx, rows) {
    const m = ctx.facts.case?.meeting
    if (!m) return
    const plan = ctx.facts.case!
    const rng = ctx.rng('meeting')
    const p = ctx.org.id
    const finalised = m.finalisedAt !== null
    const minutes = finalised
      ? {
          ...Object.fromEntries(MINUTES_TEXT_FIELDS.map((f) => [f, `Fictional ${f} noted at the meeting.`])),
          scores: [{ name: 'Chair', agency: 'Children’s Services', score: rng.int(2, 8) }],
        }
      : {}
    rows('meeting').push([
      m.id,
      p,
      plan.id,
      'STRATEGY_MEETING',
      m.scheduledFor,
      m.heldAt,
      m.chairId,
      finalised ? 'FINALISED' : 'SCHEDULED',
      minutes,
      m.outcomes,
      finalised ? 3 : 1,
      m.arrangedBy,
      m.arrangedAt,
      finalised ? m.chairId : null,
      m.finalisedAt,
      rng.uuid(),
    ])
    const attendance = () => (finalised ? rng.weighted({ PRESENT: 80, APOLOGIES: 15, ABSENT: 5 }) : 'INVITED')
    const { agencies, people } = ctx.org
    rows('meeting_invitation').push([rng.uuid(), p, m.id, agencies.police, rng.pick(people.police).id, attendance()])
    rows('meeting_invitation').push([rng.uuid(), p, m.id, agencies.health, null, attendance()])
    rows('meeting_invitation').push([rng.uuid(), p, m.id, agencies.school, null, attendance()])
    if (plan.allocated) rows('meeting_invitation').push([rng.uuid(), p, m.id, agencies.csc, plan.allocated.id, attendance()])
    if (finalised) {
      for (let i = rng.int(1, 3); i > 0; i--) {
        rows('meeting_action').push([
          rng.uuid(),
          p,
          m.id,
          rng.pick(['Share the safety plan with school', 'Visit the family', 'Request health records', 'Agree supervision at home']),
          plan.allocated?.id ?? null,
          null,
          new Date(m.finalisedAt!.getTime() + rng.int(3, 28) * DAY),
          m.finalisedAt,
        ])
      }
    }
  },
}
