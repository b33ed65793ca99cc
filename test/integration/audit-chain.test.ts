import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditRepository } from '../../src/platform/audit/audit.repository.js'
import { sealPending, verifyChain } from '../../src/platform/audit/audit-chain.js'
import type { DatabaseHandle } from '../../src/platform/db/connect.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestDatabase } from '../support/database.js'

let h: DatabaseHandle
let partnershipId: string
const audit = auditRepository()

beforeAll(async () => {
  h = await createTestDatabase()
  partnershipId = await transaction(h.db, 'system', async (trx) => {
    const row = await trx.insertInto('partnership').values({ name: 'Audit chain partnership' }).returning('id').executeTakeFirstOrThrow()
    return row.id
  })
})
afterAll(async () => h.close())

async function write(n: number) {
  for (let i = 0; i < n; i++) {
    await transaction(h.db, { partnershipId }, (trx) =>
      audit.record(trx, {
        partnershipId,
        userId: null,
        action: 'child:read',
        recordType: 'child',
        recordId: `c-${i}`,
        outcome: i % 3 === 0 ? 'DENIED' : 'ALLOWED',
        requestId: `r-${i}`,
        detail: { relationship: 'INVOLVED', n: i },
      }),
    )
  }
}

/** As the database owner: what an attacker with direct access could do, bypassing the app's role. */
async function asOwner(statement: ReturnType<typeof sql>) {
  await transaction(h.db, 'system', async (trx) => {
    await sql`SET LOCAL ROLE NONE`.execute(trx)
    await statement.execute(trx)
  })
}

describe('the audit hash chain', () => {
  it('reports rows not yet sealed, seals them, and verifies', async () => {
    await write(25)
    const before = await verifyChain(h.db)
    expect(before).toMatchObject({ ok: true, unsealedRows: 25, sealedRows: 0 })
    expect(await sealPending(h.db, { settleMs: 0 })).toBe(25)
    expect(await sealPending(h.db, { settleMs: 0 })).toBe(0)
    expect(await verifyChain(h.db)).toMatchObject({ ok: true, unsealedRows: 0, sealedRows: 25 })
  })

  it('seals in batches that continue the same chain', async () => {
    await write(7)
    expect(await sealPending(h.db, { settleMs: 0, batchSize: 3 })).toBe(3)
    expect(await sealPending(h.db, { settleMs: 0, batchSize: 3 })).toBe(3)
    expect(await sealPending(h.db, { settleMs: 0, batchSize: 3 })).toBe(1)
    expect(await verifyChain(h.db, 4)).toMatchObject({ ok: true, sealedRows: 32, unsealedRows: 0 })
  })

  it('waits for rows to settle before sealing them', async () => {
    await write(1)
    expect(await sealPending(h.db, { settleMs: 60_000 })).toBe(0)
    expect((await verifyChain(h.db)).unsealedRows).toBe(1)
    expect(await sealPending(h.db, { settleMs: 0 })).toBe(1)
  })

  it('finds a row changed after sealing, even by the database owner', async () => {
    const victim = await transaction(h.db, 'system', (trx) =>
      trx.selectFrom('auditSeal').select(['auditId', 'seq']).orderBy('seq').offset(10).limit(1).executeTakeFirstOrThrow(),
    )
    await asOwner(sql`UPDATE audit_log SET outcome = 'ALLOWED', action = 'child:read-edited' WHERE id = ${victim.auditId}::bigint`)
    const report = await verifyChain(h.db)
    expect(report.ok).toBe(false)
    expect(report.firstBrokenSeq).toBe(victim.seq)
    expect(report.problem).toContain('has changed since it was sealed')
  })
})

describe('append-only audit log', () => {
  it('refuses UPDATE, DELETE and TRUNCATE to the application’s role', async () => {
    for (const statement of [
      sql`UPDATE audit_log SET action = 'x'`,
      sql`DELETE FROM audit_log`,
      sql`TRUNCATE audit_log`,
      sql`UPDATE audit_seal SET hash = 'x'`,
      sql`DELETE FROM audit_seal`,
      sql`UPDATE user_event SET kind = 'x'`,
    ]) {
      await expect(transaction(h.db, 'system', (trx) => statement.execute(trx))).rejects.toThrow(/permission denied/)
    }
  })

  it('runs the application as its own role, not the owner', async () => {
    const row = await sql<{ user: string }>`SELECT current_user AS user`.execute(h.db)
    expect(row.rows[0]?.user).toBe('hsb_app')
  })
})
