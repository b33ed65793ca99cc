import { sql } from 'kysely'
import { addCalendarDays, londonDate, startOfLondonDay } from '../../platform/clocks/london-time.js'
import type { Executor } from '../../platform/db/transaction.js'
import type { LevelOfConcern } from './insight.tables.js'
import type { ProvisionValue } from './provision.rules.js'

export type ProvisionRow = ProvisionValue & { id: string; version: number; createdAt: Date; updatedAt: Date; updatedByName: string | null }

export type ProvisionVersionRow = { version: number; entry: ProvisionValue; createdAt: Date; createdByName: string | null }

export type ProvisionByLevel = { level: LevelOfConcern; services: number; places: number | null }

const endedOn = sql<string | null>`to_char(p.ended_on, 'YYYY-MM-DD')`.as('endedOn')

/**
 * The provision available at each level of concern on the as-at day: entries recorded by the
 * end of that day and not ended by it (an entry ended on a day is not available from that day).
 * `places` sums the capacities stated; null when no entry for the level states one.
 *
 * `asAt` is any instant within the as-at day, e.g. `startOfLondonDay(query.asAt)` (not
 * `query.asAtCutoff`, which is the start of the next day). Run it inside a transaction scoped to
 * the partnership (row-level security hides the rows otherwise). One grouped statement.
 */
export async function provisionByLevel(db: Executor, partnershipId: string, asAt: Date): Promise<ProvisionByLevel[]> {
  const day = londonDate(asAt)
  const cutoff = startOfLondonDay(addCalendarDays(day, 1))
  const { rows } = await sql<{ level: LevelOfConcern; services: string; places: string | null }>`
    SELECT l.level AS level, count(p.id) AS services, sum(p.capacity) AS places
    FROM (VALUES (1, 'LOW'), (2, 'MEDIUM'), (3, 'HIGH')) AS l(ord, level)
    LEFT JOIN provision p ON p.partnership_id = ${partnershipId} AND l.level = ANY (p.levels)
      AND p.created_at < ${cutoff} AND (p.ended_on IS NULL OR p.ended_on > ${day}::date)
    GROUP BY l.ord, l.level
    ORDER BY l.ord`.execute(db)
  return rows.map((r) => ({ level: r.level, services: Number(r.services), places: r.places === null ? null : Number(r.places) }))
}

/** The register's SQL: entries, their versions (append-only), optimistic locking on `version`. */
export function provisionRepository() {
  const base = (db: Executor) =>
    db
      .selectFrom('provision as p')
      .leftJoin('appUser as u', 'u.id', 'p.updatedBy')
      .select([
        'p.id',
        'p.service',
        'p.provider',
        'p.levels',
        'p.capacity',
        'p.notes',
        endedOn,
        'p.version',
        'p.createdAt',
        'p.updatedAt',
        'u.displayName as updatedByName',
      ])

  async function appendVersion(
    db: Executor,
    partnershipId: string,
    provisionId: string,
    version: number,
    entry: ProvisionValue,
    by: string,
  ) {
    await db
      .insertInto('provisionVersion')
      .values({ partnershipId, provisionId, version, entry: JSON.stringify(entry), createdBy: by })
      .execute()
  }

  return {
    provisionByLevel,

    async list(db: Executor, partnershipId: string): Promise<ProvisionRow[]> {
      return base(db)
        .where('p.partnershipId', '=', partnershipId)
        .orderBy(sql`p.ended_on IS NOT NULL`)
        .orderBy('p.service')
        .orderBy('p.id')
        .execute()
    },

    async find(db: Executor, partnershipId: string, id: string): Promise<ProvisionRow | undefined> {
      return base(db).where('p.partnershipId', '=', partnershipId).where('p.id', '=', id).executeTakeFirst()
    },

    async insert(db: Executor, partnershipId: string, value: ProvisionValue, by: string): Promise<string> {
      const { id } = await db
        .insertInto('provision')
        .values({ partnershipId, ...value, createdBy: by, updatedBy: by })
        .returning('id')
        .executeTakeFirstOrThrow()
      await appendVersion(db, partnershipId, id, 1, value, by)
      return id
    },

    /** Saves over `version`; false when someone saved since (nothing written). */
    async update(
      db: Executor,
      partnershipId: string,
      id: string,
      version: number,
      value: ProvisionValue,
      by: string,
      at: Date,
    ): Promise<boolean> {
      const updated = await db
        .updateTable('provision')
        .set({ ...value, version: version + 1, updatedBy: by, updatedAt: at })
        .where('partnershipId', '=', partnershipId)
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst()
      if (Number(updated.numUpdatedRows) !== 1) return false
      await appendVersion(db, partnershipId, id, version + 1, value, by)
      return true
    },

    async versions(db: Executor, partnershipId: string, id: string): Promise<ProvisionVersionRow[]> {
      const rows = await db
        .selectFrom('provisionVersion as v')
        .leftJoin('appUser as u', 'u.id', 'v.createdBy')
        .select(['v.version', 'v.entry', 'v.createdAt', 'u.displayName as createdByName'])
        .where('v.partnershipId', '=', partnershipId)
        .where('v.provisionId', '=', id)
        .orderBy('v.version', 'desc')
        .execute()
      return rows.map((r) => ({ ...r, entry: (typeof r.entry === 'string' ? JSON.parse(r.entry) : r.entry) as ProvisionValue }))
    },
  }
}
export type ProvisionRepository = ReturnType<typeof provisionRepository>
