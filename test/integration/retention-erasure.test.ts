import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../src/platform/db/connect.js'
import type { Executor } from '../../src/platform/db/transaction.js'
import { createTestDatabase } from '../support/database.js'

/**
 * The erasure function of migration 036 (`hsb_retention_erase`) must reach every table that
 * refers to a child or to a case, and every table that refers to those, and so on: otherwise
 * erasing a child fails on a foreign key, or leaves something about the child behind. This test
 * reads the foreign keys from the catalogue (pg_constraint: information_schema shows only the
 * constraints of tables the current role owns, and the service runs as hsb_app), so a new table
 * that refers to a child fails here until the function handles it.
 *
 * A reference is handled when the function deletes from (or updates) the table by name, or when
 * the database does it as the parent goes (ON DELETE CASCADE). ON DELETE SET NULL is accepted only
 * for tables that keep ids and codes alone, listed here with the reason.
 */
const KEPT_WITH_IDS_ONLY: Record<string, string> = {
  privacy_alert: 'the privacy officer’s alert: who read what, ids and codes only; the child id is cleared',
}

let handle: DatabaseHandle

beforeAll(async () => {
  handle = await createTestDatabase()
}, 120_000)
afterAll(async () => handle.close())

type Ref = { tbl: string; col: string; parent: string; onDelete: string }

async function foreignKeys(db: Executor = handle.db): Promise<Ref[]> {
  const r = await sql<Ref>`
    SELECT c.conrelid::regclass::text AS tbl, a.attname AS col, c.confrelid::regclass::text AS parent, c.confdeltype AS on_delete
    FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
    WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`.execute(db)
  return r.rows
}

/** The references the erasure function does not handle. */
async function unhandled(db: Executor = handle.db): Promise<string[]> {
  const src = await sql<{ src: string }>`SELECT prosrc AS src FROM pg_proc WHERE proname = 'hsb_retention_erase'`.execute(db)
  const body = src.rows[0]?.src ?? ''
  if (!body) throw new Error('hsb_retention_erase is missing')
  return closure(await foreignKeys(db))
    .filter((r) => {
      if (new RegExp(`(DELETE FROM|UPDATE)\\s+${r.tbl}\\b`).test(body)) return false
      if (r.onDelete === 'c') return false
      if (r.onDelete === 'n' && r.tbl in KEPT_WITH_IDS_ONLY) return false
      return true
    })
    .map((r) => `${r.tbl}.${r.col} → ${r.parent}`)
}

/** Every reference into a child's record: to child or hsb_case, then to any table that refers to them, and so on. */
function closure(refs: Ref[]): Ref[] {
  const reached = new Set(['child', 'hsb_case'])
  let grew = true
  while (grew) {
    grew = false
    for (const r of refs)
      if (reached.has(r.parent) && !reached.has(r.tbl)) {
        reached.add(r.tbl)
        grew = true
      }
  }
  // The tombstone and the proposal outlive the record (ids only): no foreign key to it by design.
  return refs.filter((r) => reached.has(r.parent) && r.tbl !== r.parent)
}

describe('the retention erasure reaches every table about a child', () => {
  it('finds the references (a sanity check on the catalogue query)', async () => {
    const refs = closure(await foreignKeys())
    const names = refs.map((r) => `${r.tbl}.${r.col}`)
    for (const expected of [
      'hsb_case.child_id',
      'case_event.case_id',
      'meeting.case_id',
      'meeting_invitation.meeting_id',
      'legal_hold.child_id',
    ])
      expect(names).toContain(expected)
  })

  it('handles every reference: deleted by name in hsb_retention_erase, by ON DELETE CASCADE, or set null on a table that keeps ids only', async () => {
    expect(await unhandled(), 'tables that refer to a child or a case and that hsb_retention_erase (migration 036) does not erase').toEqual(
      [],
    )
  })

  it('fails for a new table that refers to a child until the function handles it', async () => {
    const found = await handle.db
      .transaction()
      .execute(async (trx) => {
        await sql`SET LOCAL ROLE NONE`.execute(trx)
        await sql`CREATE TABLE retention_probe (id int PRIMARY KEY, child_id uuid REFERENCES child(id))`.execute(trx)
        await sql`CREATE TABLE retention_probe_note (probe_id int REFERENCES retention_probe(id) ON DELETE CASCADE)`.execute(trx)
        const list = await unhandled(trx)
        throw Object.assign(new Error('rollback'), { list })
      })
      .catch((err: { list?: string[] }) => err.list)
    expect(found).toEqual(['retention_probe.child_id → child'])
  })

  it('is a SECURITY DEFINER function the application’s role may execute, and nobody else by default', async () => {
    const r = await sql<{ secdef: boolean; app: boolean; everyone: boolean }>`
      SELECT p.prosecdef AS secdef, has_function_privilege('hsb_app', p.oid, 'EXECUTE') AS app,
        coalesce(EXISTS (SELECT 1 FROM aclexplode(p.proacl) x WHERE x.grantee = 0), false) AS everyone
      FROM pg_proc p WHERE p.proname = 'hsb_retention_erase'`.execute(handle.db)
    expect(r.rows[0]).toEqual({ secdef: true, app: true, everyone: false })
  })
})
