import { execFileSync } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import pg from 'pg'

/**
 * Backup and restore for both databases, and the comparison a restore drill makes.
 * PostgreSQL: pg_dump --format=custom / pg_restore into an empty database (the dump carries the
 * schema, the migrations table, row-level-security policies and grants). Embedded: PGlite's
 * dumpDataDir (a tarball of the data folder) / loadDataDir into a new folder. The server must
 * be stopped for an embedded backup (one process per data folder); PostgreSQL backups are
 * taken live (pg_dump reads one consistent snapshot).
 */
export type Target = { databaseUrl: string } | { dataDir: string }
type Query = (sql: string) => Promise<Record<string, unknown>[]>

export async function backup(target: Target, file: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true })
  if ('databaseUrl' in target) {
    execFileSync('pg_dump', ['--format=custom', '--no-owner', `--file=${file}`, target.databaseUrl], { stdio: 'inherit' })
    return
  }
  const db = await PGlite.create({ dataDir: path.join(target.dataDir, 'pgdata'), extensions: { pg_trgm } })
  try {
    const blob = await db.dumpDataDir('gzip')
    await writeFile(file, Buffer.from(await blob.arrayBuffer()))
  } finally {
    await db.close()
  }
}

/** Restores into an EMPTY database (PostgreSQL URL) or a new folder (embedded). */
export async function restore(file: string, into: Target): Promise<void> {
  if ('databaseUrl' in into) {
    execFileSync('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${into.databaseUrl}`, file], { stdio: 'inherit' })
    return
  }
  const blob = new Blob([await readFile(file)])
  await mkdir(into.dataDir, { recursive: true })
  const db = await PGlite.create({ dataDir: path.join(into.dataDir, 'pgdata'), loadDataDir: blob, extensions: { pg_trgm } })
  await db.close()
}

async function withQuery<T>(target: Target, fn: (q: Query) => Promise<T>): Promise<T> {
  if ('databaseUrl' in target) {
    const c = new pg.Client({ connectionString: target.databaseUrl })
    await c.connect()
    try {
      return await fn(async (sql) => (await c.query(sql)).rows)
    } finally {
      await c.end()
    }
  }
  const db = await PGlite.create({ dataDir: path.join(target.dataDir, 'pgdata'), extensions: { pg_trgm } })
  try {
    return await fn(async (sql) => (await db.query<Record<string, unknown>>(sql)).rows)
  } finally {
    await db.close()
  }
}

/** Every table's row count and a checksum of its rows (md5 of the rows as text, in order), as the owner. */
export async function fingerprint(target: Target): Promise<Record<string, { rows: number; md5: string }>> {
  return withQuery(target, async (q) => {
    const tables = (await q(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)).map((r) =>
      String(r.tablename),
    )
    const out: Record<string, { rows: number; md5: string }> = {}
    for (const t of tables) {
      const [row] = await q(`SELECT count(*)::int AS n, coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS h FROM "${t}" x`)
      out[t] = { rows: Number(row!.n), md5: String(row!.h) }
    }
    return out
  })
}

export function compare(a: Record<string, { rows: number; md5: string }>, b: Record<string, { rows: number; md5: string }>): string[] {
  const problems: string[] = []
  for (const t of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (!a[t] || !b[t]) problems.push(`${t}: only in the ${a[t] ? 'original' : 'restored copy'}`)
    else if (a[t].rows !== b[t].rows) problems.push(`${t}: ${a[t].rows} rows, restored ${b[t].rows}`)
    else if (a[t].md5 !== b[t].md5) problems.push(`${t}: same count, different rows`)
  }
  return problems
}
