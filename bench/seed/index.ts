import { sql } from 'kysely'
import type { Services } from '../../src/composition.js'
import { sealPending } from '../../src/platform/audit/audit-chain.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { casesGenerator } from './cases.js'
import { childrenGenerator } from './children.js'
import { childContext, type ChildGenerator, type SeedOptions } from './generator.js'
import { meetingsGenerator } from './meetings.js'
import { createOrganisation, type PartnershipOrg } from './organisation.js'
import { RowBuffer } from './rows.js'

export type { SeedOptions } from './generator.js'

/**
 * Every table group's generator, in load order. A feature that adds tables adds its generator
 * here (after the ones whose facts it reads): e.g. assessments after cases.
 */
export const GENERATORS: readonly ChildGenerator[] = [childrenGenerator, casesGenerator, meetingsGenerator]

export type SeedStats = { partnerships: PartnershipOrg[]; rows: Record<string, number>; ms: number; sealed: number }

export async function runSeed(
  services: Services,
  kind: 'pglite' | 'postgres',
  options: SeedOptions & { batchSize?: number; seal?: boolean },
  log: (line: string) => void = () => {},
): Promise<SeedStats> {
  const started = Date.now()
  const orgs = await createOrganisation(services, options)
  const buffers = new Map<string, RowBuffer>()
  for (const g of GENERATORS) for (const t of g.tables) if (!buffers.has(t.table)) buffers.set(t.table, new RowBuffer(t))
  const rowsOf = (table: string) => {
    const b = buffers.get(table)
    if (!b) throw new Error(`no generator declares the table ${table}`)
    return b
  }
  const counts: Record<string, number> = {}
  const batchSize = options.batchSize ?? (kind === 'postgres' ? 2000 : 500)
  let done = 0
  for (const org of orgs) {
    for (let start = 0; start < org.childCount; start += batchSize) {
      const end = Math.min(org.childCount, start + batchSize)
      for (let local = start; local < end; local++) {
        const ctx = childContext(options, org, org.childOffset + local, local)
        for (const g of GENERATORS) g.generate(ctx, rowsOf)
      }
      await transaction(services.db, 'system', async (trx) => {
        // As the owner, not the application's role: bulk history rows, no per-row policy checks.
        await sql`SET LOCAL ROLE NONE`.execute(trx)
        await sql`SET LOCAL synchronous_commit = off`.execute(trx)
        for (const b of buffers.values()) {
          const table = b.spec.table
          counts[table] = (counts[table] ?? 0) + (await b.flush(trx))
        }
      })
      done += end - start
      if (done % (batchSize * 10) === 0 || done === options.children)
        log(
          `  ${done.toLocaleString('en-GB')} of ${options.children.toLocaleString('en-GB')} children (${Math.round((Date.now() - started) / 1000)} s)`,
        )
    }
  }
  log('  analysing tables')
  await transaction(services.db, 'system', async (trx) => {
    await sql`SET LOCAL ROLE NONE`.execute(trx)
    for (const table of buffers.keys()) await sql`ANALYZE ${sql.table(table)}`.execute(trx)
  })
  let sealed = 0
  if (options.seal !== false) {
    log('  sealing the audit rows (the sealer would otherwise do it while the benchmark runs)')
    for (;;) {
      const n = await sealPending(services.db, { settleMs: 0, batchSize: 20_000 })
      if (n === 0) break
      sealed += n
    }
  }
  return { partnerships: orgs, rows: counts, ms: Date.now() - started, sealed }
}
