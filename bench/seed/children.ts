import type { ChildGenerator } from './generator.js'
import { DAY } from './generator.js'
import { FAMILY_NAMES, GIVEN_NAMES } from './names.js'
import type { TableSpec } from './rows.js'

/**
 * The child: fictional name, age 5 to 17 on the as-of date, identifiers for most (NHS numbers
 * in the 999 test range, UPNs of the right shape, unique per partnership), and a few linked
 * to the child before them (a sibling or the harmed child). Involvements are added by the case
 * generator, which knows who works with the child.
 */
declare module './generator.js' {
  interface ChildFacts {
    child?: { id: string; dateOfBirth: Date; isRestricted: boolean }
  }
}

const CHILD: TableSpec = {
  table: 'child',
  columns: [
    ['id', 'uuid'],
    ['partnership_id', 'uuid'],
    ['given_names', 'text'],
    ['family_name', 'text'],
    ['date_of_birth', 'date'],
    ['is_restricted', 'boolean'],
    ['gender', 'text'],
    ['nhs_number', 'text'],
    ['upn', 'text'],
    ['local_case_id', 'text'],
    ['created_at', 'timestamptz'],
  ],
}
const LINK: TableSpec = {
  table: 'child_link',
  columns: [
    ['id', 'uuid'],
    ['partnership_id', 'uuid'],
    ['child_id', 'uuid'],
    ['linked_child_id', 'uuid'],
    ['kind', 'text'],
  ],
}

/** Ids of the last few children per partnership, so links point at a child already loaded in the batch or before. */
const recent = new Map<string, string[]>()

export const childrenGenerator: ChildGenerator = {
  name: 'children',
  tables: [CHILD, LINK],
  generate(ctx, rows) {
    const rng = ctx.rng('child')
    const id = rng.uuid()
    const asOf = ctx.options.asOf.getTime()
    const ageDays = rng.int(5 * 365 + 2, 17 * 365 + 300)
    const dateOfBirth = new Date(Math.floor((asOf - ageDays * DAY) / DAY) * DAY)
    const isRestricted = rng.chance(0.005)
    const serial = String(ctx.index).padStart(7, '0')
    rows('child').push([
      id,
      ctx.org.id,
      rng.pick(GIVEN_NAMES),
      rng.pick(FAMILY_NAMES),
      dateOfBirth,
      isRestricted,
      rng.pick(['Female', 'Male', 'Male', 'Not known']),
      rng.chance(0.8) ? `999${serial}` : null,
      rng.chance(0.6) ? `B${String(ctx.index).padStart(11, '0')}A` : null,
      rng.chance(0.5) ? `LC-${ctx.org.index + 1}-${ctx.localIndex + 1}` : null,
      new Date(asOf - rng.int(1, 1500) * DAY),
    ])
    const prior = recent.get(ctx.org.id) ?? []
    if (prior.length > 0 && rng.chance(0.08)) {
      rows('child_link').push([rng.uuid(), ctx.org.id, id, rng.pick(prior), rng.pick(['SIBLING', 'HARMED_CHILD', 'PEER'])])
    }
    prior.push(id)
    if (prior.length > 50) prior.shift()
    recent.set(ctx.org.id, prior)
    ctx.facts.child = { id, dateOfBirth, isRestricted }
  },
}
