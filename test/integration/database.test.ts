import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { childrenRepository } from '../../src/features/children/children.repository.js'
import type { DatabaseHandle } from '../../src/platform/db/connect.js'
import { migrate } from '../../src/platform/db/migrate.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { APP_ROLE, createTestDatabase } from '../support/database.js'

let h: DatabaseHandle
let a: string
let b: string
let agencyA: string
const children = childrenRepository()

beforeAll(async () => {
  h = await createTestDatabase()
  const ids = await transaction(h.db, 'system', async (trx) => {
    const pa = await trx.insertInto('partnership').values({ name: 'Partnership A' }).returning('id').executeTakeFirstOrThrow()
    const pb = await trx.insertInto('partnership').values({ name: 'Partnership B' }).returning('id').executeTakeFirstOrThrow()
    const ag = await trx
      .insertInto('agency')
      .values({ partnershipId: pa.id, name: 'A CSC', kind: 'CHILDRENS_SERVICES' })
      .returning('id')
      .executeTakeFirstOrThrow()
    return { a: pa.id, b: pb.id, agency: ag.id }
  })
  a = ids.a
  b = ids.b
  agencyA = ids.agency
  await transaction(h.db, { partnershipId: a }, (trx) =>
    children.insertChild(trx, { partnershipId: a, givenNames: 'Alpha', familyName: 'Child', dateOfBirth: '2012-01-01' }),
  )
  await transaction(h.db, { partnershipId: b }, (trx) =>
    children.insertChild(trx, { partnershipId: b, givenNames: 'Beta', familyName: 'Child', dateOfBirth: '2012-01-01' }),
  )
})
afterAll(async () => h.close())

const names = (scope: Parameters<typeof transaction>[1]) =>
  transaction(h.db, scope, (trx) => trx.selectFrom('child').select('givenNames').orderBy('givenNames').execute()).then((rows) =>
    rows.map((r) => r.givenNames),
  )

describe('row-level security between partnerships', () => {
  it('shows each partnership only its own children, and nothing without a partnership', async () => {
    expect(await names({ partnershipId: a })).toEqual(['Alpha'])
    expect(await names({ partnershipId: b })).toEqual(['Beta'])
    expect(await names('none')).toEqual([])
    expect(await sql`SELECT count(*)::int AS n FROM child`.execute(h.db).then((r) => r.rows)).toEqual([{ n: 0 }])
  })

  it('refuses to write a child into another partnership', async () => {
    await expect(
      transaction(h.db, { partnershipId: a }, (trx) =>
        children.insertChild(trx, { partnershipId: b, givenNames: 'Smuggled', familyName: 'Child', dateOfBirth: '2012-01-01' }),
      ),
    ).rejects.toThrow(/row-level security/)
  })

  it('cannot move a child out of its partnership or touch another partnership’s rows', async () => {
    await expect(
      transaction(h.db, { partnershipId: a }, (trx) => trx.updateTable('child').set({ partnershipId: b }).execute()),
    ).rejects.toThrow(/row-level security/)
    const updated = await transaction(h.db, { partnershipId: a }, (trx) =>
      trx.updateTable('child').set({ familyName: 'Changed' }).where('givenNames', '=', 'Beta').executeTakeFirst(),
    )
    expect(updated.numUpdatedRows).toBe(0n)
  })

  it('also guards involvements', async () => {
    const childId = (await transaction(h.db, { partnershipId: a }, (trx) => trx.selectFrom('child').select('id').executeTakeFirstOrThrow()))
      .id
    await transaction(h.db, { partnershipId: a }, (trx) =>
      children.insertInvolvement(trx, { partnershipId: a, childId, agencyId: agencyA, kind: 'INVOLVED' }),
    )
    const seenByB = await transaction(h.db, { partnershipId: b }, (trx) => trx.selectFrom('childInvolvement').selectAll().execute())
    expect(seenByB).toEqual([])
  })
})

describe('migrations', () => {
  it('are idempotent: a second run applies nothing and keeps the grants', async () => {
    const again = await migrate(h.db, APP_ROLE)
    expect(again.applied).toEqual([])
    expect(again.alreadyApplied).toBeGreaterThan(0)
    await expect(transaction(h.db, 'system', (trx) => sql`DELETE FROM audit_log`.execute(trx))).rejects.toThrow(/permission denied/)
  })
})

describe('transactions', () => {
  it('keep concurrent requests apart: a rolled-back transaction leaves nothing, another commits', async () => {
    const failing = transaction(h.db, { partnershipId: a }, async (trx) => {
      await children.insertChild(trx, { partnershipId: a, givenNames: 'Rolled', familyName: 'Back', dateOfBirth: '2013-01-01' })
      await new Promise((r) => setTimeout(r, 20))
      throw new Error('boom')
    })
    const succeeding = transaction(h.db, { partnershipId: a }, (trx) =>
      children.insertChild(trx, { partnershipId: a, givenNames: 'Committed', familyName: 'Child', dateOfBirth: '2013-01-01' }),
    )
    const [f, s] = await Promise.allSettled([failing, succeeding])
    expect(f.status).toBe('rejected')
    expect(s.status).toBe('fulfilled')
    const all = await names({ partnershipId: a })
    expect(all).toContain('Committed')
    expect(all).not.toContain('Rolled')
  })

  it('run many at once without interleaving their statements', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        transaction(h.db, { partnershipId: i % 2 ? a : b }, async (trx) => {
          const seen = await trx.selectFrom('child').select('partnershipId').execute()
          return seen.every((c) => c.partnershipId === (i % 2 ? a : b))
        }),
      ),
    )
    expect(results.every(Boolean)).toBe(true)
  })

  it('refuse a query on the root handle from inside a transaction on the embedded database', async () => {
    if (h.kind !== 'pglite') return
    await expect(
      transaction(h.db, { partnershipId: a }, async () => {
        await h.db.selectFrom('child').selectAll().execute()
      }),
    ).rejects.toThrow(/use the transaction handle/)
  })
})
