import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { CamelCasePlugin, CompiledQuery, Kysely, PostgresDialect, type DatabaseConnection } from 'kysely'
import pg from 'pg'
import type { Database } from './schema.js'
import { PGliteDialect } from './pglite-dialect.js'

export type DatabaseKind = 'pglite' | 'postgres'

export type DatabaseHandle = {
  db: Kysely<Database>
  kind: DatabaseKind
  close(): Promise<void>
  /** Embedded only: the whole data folder as a tarball (tests start from a migrated copy). */
  dump?: () => Promise<Blob>
}

export type OpenOptions = {
  databaseUrl?: string | undefined
  /** Folder for the embedded database; undefined means in memory. */
  dataDir?: string | undefined
  appRole: string
  /** A dumped PGlite data folder to start from (tests). */
  loadDataDir?: Blob | undefined
  poolSize?: number
  /** A query (or getting a connection) that takes longer fails, so a hung database gives a 503, not a hung request. */
  timeoutMs?: number
  onPoolError?: (err: Error) => void
}

/**
 * Every connection works as the application's role: row-level security applies to it and it
 * cannot UPDATE or DELETE history. The role is created on first use (it needs no privileges
 * of its own until the migrations grant them). `appRole` is validated by the config schema.
 */
function setRoleOnConnect(appRole: string) {
  return async (conn: DatabaseConnection): Promise<void> => {
    await conn.executeQuery(
      CompiledQuery.raw(
        `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN CREATE ROLE ${appRole} NOLOGIN; END IF; END $$; SET ROLE ${appRole}`,
      ),
    )
  }
}

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  const plugins = [new CamelCasePlugin()]
  if (options.databaseUrl) {
    const timeout = options.timeoutMs ?? 5000
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: timeout,
      query_timeout: timeout,
    })
    // An idle connection dropped by the server (restart, failover) must not crash the process:
    // the pool replaces it; the next query that fails is reported to its caller.
    pool.on('error', (err) => options.onPoolError?.(err))
    // node-postgres listens only on idle clients: one checked out when the server dies would
    // emit 'error' with no listener and end the process. The query in progress still fails.
    pool.on('connect', (client) => client.on('error', (err) => options.onPoolError?.(err)))
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool, onCreateConnection: setRoleOnConnect(options.appRole) }),
      plugins,
    })
    return { db, kind: 'postgres', close: () => db.destroy() }
  }
  let dataDir: string | undefined
  if (options.dataDir) {
    dataDir = path.join(options.dataDir, 'pgdata')
    await mkdir(options.dataDir, { recursive: true })
  }
  const pglite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    extensions: { pg_trgm },
    // Like node-postgres: int8 (bigserial ids, counts) arrives as a string, so both databases agree.
    parsers: { 20: (value: string) => value },
  })
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite, setRoleOnConnect(options.appRole)), plugins })
  const close = async () => {
    // Kysely skips its driver's destroy when no query ever ran, so close PGlite here as well.
    await db.destroy()
    if (!pglite.closed) await pglite.close()
  }
  return { db, kind: 'pglite', close, dump: () => pglite.dumpDataDir('none') }
}
