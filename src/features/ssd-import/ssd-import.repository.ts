import { sql } from 'kysely'
import type { Executor } from '../../platform/db/transaction.js'
import type { SsdTableName } from './ssd.spec.js'

/** The SSD import's SQL: its run, the staged rows and what each source row became. */
export type StagedRow = { tableName: string; rowNo: number; rowKey: string; personId: string | null; data: Record<string, string | null> }
export type RecordRow = { tableName: string; sourceKey: string; targetId: string; rowHash: string }

/**
 * A staged row's values, read as text and parsed here: the CamelCasePlugin would rename the SSD's
 * snake_case columns inside the JSON too.
 */
const STAGED = ['tableName', 'rowNo', 'rowKey', 'personId', sql<string>`data::text`.as('dataText')] as const
const parsed = (rows: (Omit<StagedRow, 'data'> & { dataText: string })[]): StagedRow[] =>
  rows.map(({ dataText, ...r }) => ({ ...r, data: JSON.parse(dataText) as Record<string, string | null> }))

/** Keys per `IN (…)`: a statement takes at most 65,535 parameters. */
const IN_CHUNK = 10_000

export function ssdImportRepository() {
  return {
    async createRun(db: Executor, row: { partnershipId: string; runBy: string | null; sourceName: string }): Promise<string> {
      const r = await db
        .insertInto('ssdImport')
        .values({ ...row, selection: '{}', reading: '{}' })
        .returning('id')
        .executeTakeFirstOrThrow()
      return r.id
    },

    async setReading(db: Executor, importId: string, reading: unknown): Promise<void> {
      await db
        .updateTable('ssdImport')
        .set({ reading: JSON.stringify(reading) })
        .where('id', '=', importId)
        .execute()
    },

    async findRun(db: Executor, importId: string) {
      return db.selectFrom('ssdImport').selectAll().where('id', '=', importId).executeTakeFirst()
    },

    async finishRun(db: Executor, importId: string, selection: unknown, summary: unknown, at: Date): Promise<void> {
      await db
        .updateTable('ssdImport')
        .set({ status: 'APPLIED', selection: JSON.stringify(selection), summary: JSON.stringify(summary), appliedAt: at })
        .where('id', '=', importId)
        .execute()
      await db.deleteFrom('ssdStagedRow').where('importId', '=', importId).execute()
    },

    /** Runs staged and never applied before `before`: their rows (children's details) deleted, the run marked discarded. */
    async discardStale(db: Executor, partnershipId: string, before: Date): Promise<number> {
      const stale = await db
        .updateTable('ssdImport')
        .set({ status: 'DISCARDED' })
        .where('partnershipId', '=', partnershipId)
        .where('status', '=', 'STAGED')
        .where('createdAt', '<', before)
        .returning('id')
        .execute()
      if (stale.length)
        await db
          .deleteFrom('ssdStagedRow')
          .where(
            'importId',
            'in',
            stale.map((r) => r.id),
          )
          .execute()
      return stale.length
    },

    /**
     * Fresh statistics for the staging table after a load, so that reading it a batch at a time is
     * planned for its real size (by index), not for the empty table it was: ANALYZE is the owner's
     * to run, so the role goes back to the owner for this transaction only (as migrations do).
     */
    async refreshStatistics(db: Executor): Promise<void> {
      await sql`SET LOCAL ROLE NONE`.execute(db)
      await sql`ANALYZE ssd_staged_row`.execute(db)
    },

    async stage(db: Executor, rows: readonly (StagedRow & { importId: string; partnershipId: string })[]): Promise<void> {
      if (rows.length === 0) return
      await db
        .insertInto('ssdStagedRow')
        .values(rows.map((r) => ({ ...r, data: JSON.stringify(r.data) })))
        .onConflict((oc) => oc.columns(['importId', 'tableName', 'rowNo']).doNothing())
        .execute()
    },

    /** A table's staged rows, in row order. */
    async rowsOf(db: Executor, importId: string, table: SsdTableName): Promise<StagedRow[]> {
      return db
        .selectFrom('ssdStagedRow')
        .select(STAGED)
        .where('importId', '=', importId)
        .where('tableName', '=', table)
        .orderBy('rowNo')
        .execute()
        .then(parsed)
    },

    /** How many rows of a table were staged. */
    async countOf(db: Executor, importId: string, table: SsdTableName): Promise<number> {
      const r = await db
        .selectFrom('ssdStagedRow')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('importId', '=', importId)
        .where('tableName', '=', table)
        .executeTakeFirstOrThrow()
      return Number(r.n)
    },

    /** A table's staged rows about these people. */
    async rowsFor(db: Executor, importId: string, table: SsdTableName, personIds: readonly string[]): Promise<StagedRow[]> {
      if (personIds.length === 0) return []
      return db
        .selectFrom('ssdStagedRow')
        .select(STAGED)
        .where('importId', '=', importId)
        .where('tableName', '=', table)
        .where('personId', 'in', personIds)
        .orderBy('rowNo')
        .execute()
        .then(parsed)
    },

    /** Staged rows of a table whose column points at keys of another (assessment factors by assessment). */
    async rowsPointingAt(
      db: Executor,
      importId: string,
      table: SsdTableName,
      column: string,
      keys: readonly string[],
    ): Promise<StagedRow[]> {
      if (keys.length === 0) return []
      return db
        .selectFrom('ssdStagedRow')
        .select(STAGED)
        .where('importId', '=', importId)
        .where('tableName', '=', table)
        .where(sql<string>`data->>${column}`, 'in', keys)
        .orderBy('rowNo')
        .execute()
        .then(parsed)
    },

    /**
     * Staged rows whose person is not in the extract's ssd_person (orphans): the people the other
     * tables name, in one scan, then the rows of any not in the extract. (One scan and a lookup in
     * memory, not an anti-join a just-loaded table's statistics could plan as rows × rows.)
     */
    async orphans(db: Executor, importId: string, people: ReadonlySet<string>): Promise<StagedRow[]> {
      const named = await db
        .selectFrom('ssdStagedRow')
        .select('personId')
        .distinct()
        .where('importId', '=', importId)
        .where('tableName', '<>', 'ssd_person')
        .where('personId', 'is not', null)
        .execute()
      const missing = named.map((r) => r.personId!).filter((id) => !people.has(id))
      const rows: StagedRow[] = []
      for (let at = 0; at < missing.length; at += IN_CHUNK)
        rows.push(
          ...(await db
            .selectFrom('ssdStagedRow')
            .select(STAGED)
            .where('importId', '=', importId)
            .where('tableName', '<>', 'ssd_person')
            .where('personId', 'in', missing.slice(at, at + IN_CHUNK))
            .execute()
            .then(parsed)),
        )
      return rows.sort((a, b) => a.tableName.localeCompare(b.tableName) || a.rowNo - b.rowNo)
    },

    /** What these source rows became before; asked for in chunks (a statement takes at most 65,535 parameters). */
    async records(db: Executor, partnershipId: string, table: string, keys: readonly string[]): Promise<Map<string, RecordRow>> {
      const found = new Map<string, RecordRow>()
      for (let at = 0; at < keys.length; at += IN_CHUNK) {
        const rows = await db
          .selectFrom('ssdRecord')
          .select(['tableName', 'sourceKey', 'targetId', 'rowHash'])
          .where('partnershipId', '=', partnershipId)
          .where('tableName', '=', table)
          .where('sourceKey', 'in', keys.slice(at, at + IN_CHUNK))
          .execute()
        for (const r of rows) found.set(r.sourceKey, r)
      }
      return found
    },

    /** What each source row became now (inserted or moved on to its new hash), and the version received. */
    async keepRecords(
      db: Executor,
      partnershipId: string,
      importId: string,
      rows: readonly { tableName: string; sourceKey: string; targetId: string; rowHash: string; data: Record<string, string | null> }[],
      at: Date,
    ): Promise<void> {
      for (let i = 0; i < rows.length; i += 500) {
        const batch = rows.slice(i, i + 500)
        await db
          .insertInto('ssdRecord')
          .values(batch.map(({ data: _data, ...r }) => ({ ...r, partnershipId, importId, updatedAt: at })))
          .onConflict((oc) =>
            oc
              .columns(['partnershipId', 'tableName', 'sourceKey'])
              .doUpdateSet((eb) => ({
                rowHash: eb.ref('excluded.rowHash'),
                importId: eb.ref('excluded.importId'),
                updatedAt: eb.ref('excluded.updatedAt'),
              })),
          )
          .execute()
        await db
          .insertInto('ssdRecordVersion')
          .values(
            batch.map((r) => ({
              partnershipId,
              importId,
              tableName: r.tableName,
              sourceKey: r.sourceKey,
              rowHash: r.rowHash,
              data: JSON.stringify(r.data),
            })),
          )
          .execute()
      }
    },

    async partnership(db: Executor, partnershipId: string) {
      return db.selectFrom('partnership').select(['id', 'name', 'laCodes']).where('id', '=', partnershipId).executeTakeFirstOrThrow()
    },

    async setLaCodes(db: Executor, partnershipId: string, codes: string[]): Promise<void> {
      await db.updateTable('partnership').set({ laCodes: codes }).where('id', '=', partnershipId).execute()
    },

    async agencies(db: Executor, partnershipId: string) {
      return db
        .selectFrom('agency')
        .select(['id', 'name', 'kind'])
        .where('partnershipId', '=', partnershipId)
        .where('retiredAt', 'is', null) // a retired agency is not given new records (features/organisations)
        .orderBy('createdAt')
        .execute()
    },

    async recentRuns(db: Executor, partnershipId: string) {
      return db
        .selectFrom('ssdImport as i')
        .leftJoin('appUser as u', 'u.id', 'i.runBy')
        .select(['i.id', 'i.sourceName', 'i.status', 'i.createdAt', 'i.appliedAt', 'i.summary', 'u.displayName as runByName'])
        .where('i.partnershipId', '=', partnershipId)
        .orderBy('i.createdAt', 'desc')
        .limit(20)
        .execute()
    },
  }
}
export type SsdImportRepository = ReturnType<typeof ssdImportRepository>
