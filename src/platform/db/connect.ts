import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import {
  CamelCasePlugin,
  CompiledQuery,
  Kysely,
  PostgresDialect,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type QueryCompiler,
  type TransactionSettings,
} from 'kysely'
import pg from 'pg'
import type { Database } from './schema.js'
import { PGliteDialect } from './pglite-dialect.js'
import { SET_SCOPE_SQL } from './transaction.js'

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

/**
 * node-postgres sends one statement per round trip, and each costs a socket write and a wake-up
 * on both sides. Every `transaction()` opens with BEGIN and then sets its row-level-security
 * scope (transaction.ts): this driver holds BEGIN back and sends it in the same simple-protocol
 * message as that scope statement (`begin; select set_config(..., true)`): the same two
 * statements in the same order, one round trip. When the transaction's first statement is
 * anything else, BEGIN goes on its own first, as before; a transaction that ran no statement
 * sends neither BEGIN nor its COMMIT/ROLLBACK.
 */
class LazyBeginConnection implements DatabaseConnection {
  pendingBegin = false
  constructor(readonly inner: DatabaseConnection) {}
  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.pendingBegin) {
      this.pendingBegin = false
      if (query.parameters.length === 0 && /^(commit|rollback)$/i.test(query.sql)) return { rows: [] }
      if (query.parameters.length === 0 && query.sql.startsWith(SET_SCOPE_SQL)) {
        await this.inner.executeQuery(CompiledQuery.raw(`begin; ${query.sql}`))
        return { rows: [] }
      }
      await this.inner.executeQuery(CompiledQuery.raw('begin'))
    }
    return this.inner.executeQuery<R>(query)
  }
  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    if (this.pendingBegin) {
      this.pendingBegin = false
      await this.inner.executeQuery(CompiledQuery.raw('begin'))
    }
    yield* this.inner.streamQuery<R>(query, chunkSize)
  }
}

class LazyBeginDriver implements Driver {
  private readonly wrappers = new WeakMap<DatabaseConnection, LazyBeginConnection>()
  constructor(private readonly inner: Driver) {}
  init(): Promise<void> {
    return this.inner.init()
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const conn = await this.inner.acquireConnection()
    let wrapper = this.wrappers.get(conn)
    if (!wrapper) this.wrappers.set(conn, (wrapper = new LazyBeginConnection(conn)))
    wrapper.pendingBegin = false
    return wrapper
  }
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (settings.isolationLevel || settings.accessMode) return this.inner.beginTransaction(connection, settings)
    ;(connection as LazyBeginConnection).pendingBegin = true
  }
  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection)
  }
  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection)
  }
  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.savepoint!(connection, name, compile)
  }
  rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.rollbackToSavepoint!(connection, name, compile)
  }
  releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.releaseSavepoint!(connection, name, compile)
  }
  releaseConnection(connection: DatabaseConnection): Promise<void> {
    const wrapper = connection as LazyBeginConnection
    wrapper.pendingBegin = false
    return this.inner.releaseConnection(wrapper.inner)
  }
  destroy(): Promise<void> {
    return this.inner.destroy()
  }
}

class LazyBeginPostgresDialect extends PostgresDialect {
  override createDriver(): Driver {
    return new LazyBeginDriver(super.createDriver())
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
      dialect: new LazyBeginPostgresDialect({ pool, onCreateConnection: setRoleOnConnect(options.appRole) }),
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
