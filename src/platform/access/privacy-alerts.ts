import { sql } from 'kysely'
import type { Executor } from '../db/transaction.js'

/**
 * Raising the privacy officer's alerts (issue 18), in one place. The two doors that decide and
 * audit a read of a child (the case kernel's `run` and the children feature's `withChild`) call
 * `onRead` inside the read's transaction, after its audit entry is written, so an alert exists
 * exactly when an allowed read does (a refused or failed request rolls both back).
 *
 * - `BREAK_GLASS`: a read allowed only through break-glass.
 * - `RESTRICTED_READ`: a read of a restricted record (by someone named on it).
 *   Both once per request and child (dedupe key `read:<requestId>:<childId>`): a page that opens
 *   the same child twice raises one.
 * - `UNUSUAL_VOLUME`: a person's allowed reads of children's records and cases in the last hour
 *   name more distinct children than PRIVACY_VOLUME_ALERT_PER_HOUR; once per person per UTC hour
 *   (`volume:<userId>:<hour>`), notified to the partnership's privacy officers (`PRIVACY_ALERT`).
 *
 * The common read (neither restricted nor break-glass) costs no statement: the volume is counted
 * on every Nth read a process serves for a person (N = a fifth of the threshold, 1 to 10), so an
 * alert comes at most N - 1 reads late, in one statement that counts, raises and notifies.
 */

/** What the door that allowed the read knows about it. */
export type ChildRead = {
  childId: string
  /** The record is restricted (the reader is named on it). */
  isRestricted: boolean
  /** The read was allowed only through break-glass. */
  viaBreakGlass: boolean
}

type Reader = { id: string; partnershipId: string }

/** How often (every Nth read by a person, per process) the hour's volume is counted. */
export function volumeCheckEvery(volumePerHour: number): number {
  return Math.min(10, Math.max(1, Math.floor(volumePerHour / 5)))
}

/** UTC hour of `at`, as in the volume alert's dedupe key: 2025-01-31T09. */
export const utcHour = (at: Date): string => at.toISOString().slice(0, 13)

/** Reads served per person in this process this hour (shared by every door; reset each hour). */
const readsThisHour = { hour: '', byUser: new Map<string, number>() }

function dueForVolumeCheck(userId: string, every: number, now: Date): boolean {
  const hour = utcHour(now)
  if (readsThisHour.hour !== hour) {
    readsThisHour.hour = hour
    readsThisHour.byUser.clear()
  }
  const n = (readsThisHour.byUser.get(userId) ?? 0) + 1
  readsThisHour.byUser.set(userId, n)
  return n % every === 0
}

/**
 * `volumePerHour` is PRIVACY_VOLUME_ALERT_PER_HOUR (the composition root passes it to both doors).
 * Without it (a service built on its own, in a test) no volume is counted: only the alerts about
 * the read itself are raised.
 */
export function privacyAlerts({ volumePerHour, now = () => new Date() }: { volumePerHour?: number; now?: () => Date } = {}) {
  const every = volumePerHour === undefined ? null : volumeCheckEvery(volumePerHour)

  /** One alert about one read, once per request and child. */
  async function raiseForRead(db: Executor, user: Reader, requestId: string, read: ChildRead): Promise<void> {
    const kind = read.viaBreakGlass ? 'BREAK_GLASS' : 'RESTRICTED_READ'
    await db
      .insertInto('privacyAlert')
      .values({
        partnershipId: user.partnershipId,
        kind,
        userId: user.id,
        childId: read.childId,
        requestId,
        detail: JSON.stringify({}),
        dedupeKey: `read:${requestId}:${read.childId}`,
      })
      .onConflict((oc) => oc.column('dedupeKey').doNothing())
      .execute()
  }

  /**
   * Counts the distinct children this person read in the last hour (their allowed `child:read`
   * and `case:read` entries, on a partial index) and, over the threshold, raises the hour's alert
   * and notifies the privacy officers, in one statement. Returns whether an alert was raised now.
   */
  async function checkVolume(db: Executor, user: Reader, requestId: string, threshold: number): Promise<boolean> {
    const hour = utcHour(now())
    const result = await sql<{ id: string }>`
      WITH n AS (
        SELECT count(DISTINCT CASE WHEN a.action = 'child:read' THEN a.record_id ELSE a.detail->>'childId' END)::int AS children
        FROM audit_log a
        WHERE a.user_id = ${user.id} AND a.occurred_at > now() - interval '1 hour'
          AND a.outcome = 'ALLOWED' AND a.action IN ('child:read', 'case:read')
      ), alert AS (
        INSERT INTO privacy_alert (partnership_id, kind, user_id, request_id, detail, dedupe_key)
        SELECT ${user.partnershipId}, 'UNUSUAL_VOLUME', ${user.id}, ${requestId},
               jsonb_build_object('children', n.children, 'threshold', ${threshold}::int, 'hour', ${hour}::text),
               ${`volume:${user.id}:${hour}`}
        FROM n WHERE n.children > ${threshold}
        ON CONFLICT (dedupe_key) DO NOTHING
        RETURNING id
      )
      INSERT INTO notification (partnership_id, user_id, kind, dedupe_key)
      SELECT ${user.partnershipId}, u.id, 'PRIVACY_ALERT', 'privacy-alert:' || alert.id
      FROM alert
      CROSS JOIN app_user u
      WHERE u.partnership_id = ${user.partnershipId} AND u.disabled_at IS NULL
        AND EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = u.id AND r.role = 'PRIVACY_OFFICER')
      ON CONFLICT (user_id, dedupe_key) DO NOTHING
      RETURNING id`.execute(db)
    return result.rows.length > 0
  }

  return {
    /**
     * After an allowed read of a child's record or case, in its transaction: the alert for a
     * break-glass or restricted read, and (every Nth read) the volume check.
     */
    async onRead(db: Executor, user: Reader, requestId: string, read: ChildRead): Promise<void> {
      if (read.viaBreakGlass || read.isRestricted) await raiseForRead(db, user, requestId, read)
      if (every !== null && volumePerHour !== undefined && dueForVolumeCheck(user.id, every, now()))
        await checkVolume(db, user, requestId, volumePerHour)
    },
    checkVolume,
  }
}
export type PrivacyAlerts = ReturnType<typeof privacyAlerts>
