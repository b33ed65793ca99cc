import { readFile, readdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql, type Kysely } from 'kysely'

const here = path.dirname(fileURLToPath(import.meta.url))
const migrationsDir = path.join(here, 'migrations')

export type MigrationResult = { applied: string[]; alreadyApplied: number }

/** Lists the numbered SQL migrations shipped with the code, in order. */
export async function listMigrations(): Promise<string[]> {
  const files = await readdir(migrationsDir)
  return files.filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort()
}

function render(text: string, appRole: string): string {
  return text.replaceAll('{{app_role}}', appRole)
}

/**
 * Runs forward-only numbered SQL migrations as the database owner, one transaction each,
 * under an advisory lock so two instances starting together do not race. Grants are
 * re-applied at the end.
 */
export async function migrate<DB>(db: Kysely<DB>, appRole: string): Promise<MigrationResult> {
  const files = await listMigrations()
  const grants = await readFile(path.join(here, 'grants.sql'), 'utf8')
  return db.transaction().execute(async (trx) => {
    // Connections run as the application's role; migrations run as the owner, for this transaction only.
    await sql`SET LOCAL ROLE NONE`.execute(trx)
    await sql`SELECT pg_advisory_xact_lock(427001)`.execute(trx)
    await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`.execute(trx)
    const done = await sql<{ name: string }>`SELECT name FROM schema_migrations`.execute(trx)
    const doneNames = new Set(done.rows.map((r) => r.name))
    const applied: string[] = []
    for (const file of files) {
      if (doneNames.has(file)) continue
      const text = await readFile(path.join(migrationsDir, file), 'utf8')
      await sql.raw(render(text, appRole)).execute(trx)
      await sql`INSERT INTO schema_migrations (name) VALUES (${file})`.execute(trx)
      applied.push(file)
    }
    await sql.raw(render(grants, appRole)).execute(trx)
    return { applied, alreadyApplied: doneNames.size }
  })
}
