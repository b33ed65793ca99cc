import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import type { Db, Executor } from '../db/transaction.js'
import { transaction } from '../db/transaction.js'

/**
 * Tamper evidence for the audit log. A sealer job chains new rows, in id order, into
 * audit_seal: hash = sha256(previous hash | canonical row). Requests never wait on it: they
 * only INSERT audit rows. See docs/adr/0004-audit-hash-chain.md.
 */
export const GENESIS_HASH = '0'.repeat(64)

type CanonicalRow = { id: string; canonical: string }

/** The row as text, computed in SQL so that timestamps keep their microseconds. */
const canonicalColumns = sql<string>`json_build_array(
    a.id::text, a.partnership_id, to_char(a.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    a.user_id, a.action, a.record_type, a.record_id, a.outcome, a.request_id, a.detail::text)::text`

export function chainHash(prevHash: string, canonical: string): string {
  return createHash('sha256').update(prevHash).update('|').update(canonical).digest('hex')
}

export type SealOptions = { settleMs?: number; batchSize?: number }

/** Seals rows not yet sealed. Safe to run on many instances: one holds the lock, the others skip. */
export async function sealPending(db: Db, options: SealOptions = {}): Promise<number> {
  const settleMs = options.settleMs ?? 1000
  const batchSize = options.batchSize ?? 2000
  return transaction(db, 'system', async (trx) => {
    const lock = await sql<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(427002) AS locked`.execute(trx)
    if (!lock.rows[0]?.locked) return 0
    const last = await trx.selectFrom('auditSeal').select(['hash', 'auditId']).orderBy('seq', 'desc').limit(1).executeTakeFirst()
    // Look back a window behind the last sealed id for rows whose transactions committed late.
    const lowWater = last ? BigInt(last.auditId) - 10000n : 0n
    const rows = await sql<CanonicalRow>`
      SELECT a.id::text AS id, ${canonicalColumns} AS canonical
      FROM audit_log a
      WHERE a.id > ${lowWater.toString()}::bigint
        AND a.occurred_at < now() - make_interval(secs => ${settleMs / 1000})
        AND NOT EXISTS (SELECT 1 FROM audit_seal s WHERE s.audit_id = a.id)
      ORDER BY a.id
      LIMIT ${batchSize}`.execute(trx)
    if (rows.rows.length === 0) return 0
    let prev = last?.hash ?? GENESIS_HASH
    const seals = rows.rows.map((row) => {
      const hash = chainHash(prev, row.canonical)
      const seal = { auditId: row.id, prevHash: prev, hash }
      prev = hash
      return seal
    })
    await trx.insertInto('auditSeal').values(seals).execute()
    return seals.length
  })
}

export type ChainReport = {
  sealedRows: number
  unsealedRows: number
  ok: boolean
  /** The first seal whose hash does not match: the chain is broken from there on. */
  firstBrokenSeq: string | null
  problem: string | null
}

/** Walks the whole chain in seal order and recomputes every hash. */
export async function verifyChain(db: Db, pageSize = 5000): Promise<ChainReport> {
  return transaction(db, 'system', async (trx) => {
    let prev = GENESIS_HASH
    let afterSeq = '0'
    let sealed = 0
    for (;;) {
      const page = await sql<{ seq: string; prevHash: string; hash: string; missing: boolean; canonical: string }>`
        SELECT s.seq::text AS seq, s.prev_hash, s.hash, a.id IS NULL AS missing, ${canonicalColumns} AS canonical
        FROM audit_seal s LEFT JOIN audit_log a ON a.id = s.audit_id
        WHERE s.seq > ${afterSeq}::bigint
        ORDER BY s.seq
        LIMIT ${pageSize}`.execute(trx)
      for (const row of page.rows) {
        const broken = (problem: string): ChainReport => ({
          sealedRows: sealed,
          unsealedRows: 0,
          ok: false,
          firstBrokenSeq: row.seq,
          problem,
        })
        if (row.missing) {
          return broken(`seal ${row.seq}: its audit row is missing`)
        }
        if (row.prevHash !== prev) return broken(`seal ${row.seq}: does not follow the previous seal`)
        const expected = chainHash(prev, row.canonical)
        if (expected !== row.hash) return broken(`seal ${row.seq}: the audit row has changed since it was sealed`)
        prev = row.hash
        sealed += 1
        afterSeq = row.seq
      }
      if (page.rows.length < pageSize) break
    }
    const unsealed = await countUnsealed(trx)
    return { sealedRows: sealed, unsealedRows: unsealed, ok: true, firstBrokenSeq: null, problem: null }
  })
}

async function countUnsealed(db: Executor): Promise<number> {
  const row = await sql<{ n: string }>`
    SELECT count(*)::text AS n FROM audit_log a
    WHERE NOT EXISTS (SELECT 1 FROM audit_seal s WHERE s.audit_id = a.id)`.execute(db)
  return Number(row.rows[0]?.n ?? 0)
}

/** Runs the sealer every `intervalMs` until stopped. Errors are reported, never thrown. */
export function startSealer(db: Db, intervalMs: number, onError: (err: unknown) => void) {
  let running = false
  const timer = setInterval(() => {
    if (running) return
    running = true
    sealPending(db)
      .catch(onError)
      .finally(() => {
        running = false
      })
  }, intervalMs)
  timer.unref()
  return {
    stop: async () => {
      clearInterval(timer)
    },
  }
}
