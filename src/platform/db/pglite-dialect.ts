import { AsyncLocalStorage } from 'node:async_hooks'
import type { PGlite } from '@electric-sql/pglite'
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely'

/**
 * Kysely dialect for PGlite. PGlite is ONE connection, so the driver hands it out to one
 * holder at a time (a one-slot mutex): a transaction keeps it from BEGIN to COMMIT and no
 * other request's statements can slip in between. A query issued on the root handle while
 * the same async flow already holds the connection would wait for itself for ever; that is
 * always a bug (a repository called with `db` instead of `trx`), so it is refused loudly.
 */
export class PGliteDialect implements Dialect {
  constructor(
    private readonly pglite: PGlite,
    private readonly onConnect?: (conn: DatabaseConnection) => Promise<void>,
  ) {}
  createDriver(): Driver {
    return new PGliteDriver(this.pglite, this.onConnect)
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler()
  }
  createAdapter(): DialectAdapter {
    return new PostgresAdapter()
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db)
  }
}

/**
 * Set by `transaction()` (see transaction.ts) around a whole unit of work. The store object is
 * shared by reference through the async flow, so a second acquire inside it is seen.
 */
export const connectionHolder = new AsyncLocalStorage<{ holds: boolean }>()

class OneSlotMutex {
  private tail: Promise<void> = Promise.resolve()
  async lock(): Promise<() => void> {
    let release!: () => void
    const next = new Promise<void>((resolve) => (release = resolve))
    const previous = this.tail
    this.tail = previous.then(() => next)
    await previous
    return release
  }
}

class PGliteDriver implements Driver {
  private readonly mutex = new OneSlotMutex()
  private readonly connection: PGliteConnection
  private release: (() => void) | undefined
  private initialised = false
  private destroyed = false

  constructor(
    pglite: PGlite,
    private readonly onConnect?: (conn: DatabaseConnection) => Promise<void>,
  ) {
    this.connection = new PGliteConnection(pglite)
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const store = connectionHolder.getStore()
    if (store?.holds) {
      throw new Error('PGlite connection requested while this flow already holds it: use the transaction handle')
    }
    const release = await this.mutex.lock()
    if (this.destroyed) {
      release()
      throw new Error('The embedded database has been closed')
    }
    this.release = release
    if (store) store.holds = true
    if (!this.initialised) {
      this.initialised = true
      if (this.onConnect) await this.onConnect(this.connection)
    }
    return this.connection
  }

  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : ''
    await conn.executeQuery(CompiledQuery.raw(`begin${isolation}`))
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'))
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'))
  }

  async releaseConnection(): Promise<void> {
    const store = connectionHolder.getStore()
    if (store) store.holds = false
    const release = this.release
    this.release = undefined
    release?.()
  }

  async destroy(): Promise<void> {
    const release = await this.mutex.lock()
    this.destroyed = true
    try {
      await this.connection.close()
    } finally {
      release()
    }
  }
}

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGlite) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    if (this.pglite.closed) throw new Error('The embedded database has been closed')
    if (compiledQuery.parameters.length === 0 && compiledQuery.query.kind === 'RawNode') {
      // Raw SQL without parameters may hold several statements (migrations): use the simple protocol.
      const results = await this.pglite.exec(compiledQuery.sql)
      const last = results[results.length - 1]
      return { rows: (last?.rows ?? []) as R[] }
    }
    const result = await this.pglite.query<R>(compiledQuery.sql, [...compiledQuery.parameters])
    const kind = compiledQuery.query.kind
    const changes =
      kind === 'InsertQueryNode' || kind === 'UpdateQueryNode' || kind === 'DeleteQueryNode'
        ? { numAffectedRows: BigInt(result.affectedRows ?? 0) }
        : {}
    return { rows: result.rows, ...changes }
  }

  // eslint-disable-next-line require-yield -- PGlite has no cursors over the wire; refuse streaming plainly
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported on the embedded database')
  }

  async close(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close()
  }
}
