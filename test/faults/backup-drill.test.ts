import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedInto } from '../../bench/support/bench-db.js'
import { backup, compare, fingerprint, restore } from '../../scripts/backup-lib.js'

/**
 * The restore drill on the embedded database: seed a data folder with synthetic cases, back it
 * up (PGlite dump), restore into a new folder, and compare every table (count and checksum).
 * The PostgreSQL drill is the same code with pg_dump/pg_restore: scripts/backup.sh drill.
 */
let work: string
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'hsb-drill-test-'))
  await seedInto({ dataDir: path.join(work, 'original') }, 40, 7, () => {})
}, 180_000)
afterAll(async () => rm(work, { recursive: true, force: true }))

describe('backup and restore drill (embedded)', () => {
  it('restores every table with the same rows, and the comparison notices a missing row', async () => {
    const original = { dataDir: path.join(work, 'original') }
    const restored = { dataDir: path.join(work, 'restored') }
    const file = path.join(work, 'backup.tar.gz')
    await backup(original, file)
    await restore(file, restored)
    const before = await fingerprint(original)
    expect(before['case_event']!.rows).toBeGreaterThanOrEqual(400)
    expect(before['audit_log']!.rows).toBeGreaterThan(0)
    expect(compare(before, await fingerprint(restored))).toEqual([])

    // A restore that lost one history row is caught.
    const db = await PGlite.create({ dataDir: path.join(restored.dataDir, 'pgdata'), extensions: { pg_trgm } })
    await db.exec('DELETE FROM case_event WHERE id = (SELECT max(id) FROM case_event)')
    await db.close()
    expect(compare(before, await fingerprint(restored))).toEqual([
      `case_event: ${before['case_event']!.rows} rows, restored ${before['case_event']!.rows - 1}`,
    ])
  })
})
