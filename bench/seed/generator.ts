import type { Rng } from './prng.js'
import { rngFor } from './prng.js'
import type { RowBuffer, TableSpec } from './rows.js'
import type { PartnershipOrg } from './organisation.js'

/**
 * The synthetic-data framework: one generator per table group (children, cases, meetings, and
 * each later feature's own). For every child, the generators run in order; each reads what the
 * earlier ones decided (`facts`) and appends rows to its tables. A feature adds its data by
 * writing a generator in bench/seed/<feature>.ts, extending `ChildFacts` by declaration merging
 * if later generators need its facts, and listing it in GENERATORS (bench/seed/index.ts).
 */
export type SeedOptions = {
  children: number
  seed: number
  /** The moment the data is "now" for: clocks, ages and queues are relative to it. */
  asOf: Date
  partnerships: number
}

/** What earlier generators decided about one child (extend with `declare module`). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ChildFacts {}

export type ChildContext = {
  options: SeedOptions
  org: PartnershipOrg
  /** Across all partnerships: 0 .. children-1. */
  index: number
  /** Within the child's partnership. */
  localIndex: number
  /** A deterministic stream for this child and a purpose: same data whatever the batching. */
  rng(stream: string): Rng
  facts: ChildFacts
}

export type ChildGenerator = {
  name: string
  /** Tables in the order they are loaded (foreign keys: parents first). */
  tables: readonly TableSpec[]
  generate(ctx: ChildContext, rows: (table: string) => RowBuffer): void
}

export function childContext(options: SeedOptions, org: PartnershipOrg, index: number, localIndex: number): ChildContext {
  return { options, org, index, localIndex, rng: (stream) => rngFor(options.seed, stream, index), facts: {} }
}

export const HOUR = 3_600_000
export const DAY = 24 * HOUR
