import session from 'express-session'
import type { Db } from '../db/transaction.js'

/**
 * express-session store in the database, so the app holds no state and a disabled user's
 * sessions can be ended at once. The idle limit is the row's expiry; the absolute limit is
 * checked by the session middleware from `signedInAt`.
 */
export class DatabaseSessionStore extends session.Store {
  constructor(
    private readonly db: Db,
    private readonly limits: { idleMs: number; absoluteMs: number },
  ) {
    super()
  }

  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    this.db
      .selectFrom('httpSession')
      .select(['data'])
      .where('sid', '=', sid)
      .where('expiresAt', '>', new Date())
      .executeTakeFirst()
      .then((row) => callback(null, row ? (row.data as unknown as session.SessionData) : null), callback)
  }

  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    // A signed-in session lives until its absolute limit (idle time is checked from lastSeenAt);
    // an anonymous one (a sign-in form in progress) for one idle period.
    const expiresAt = new Date(data.signedInAt ? data.signedInAt + this.limits.absoluteMs : Date.now() + this.limits.idleMs)
    const userId = data.userId ?? null
    this.db
      .insertInto('httpSession')
      .values({ sid, userId, data: JSON.stringify(data), expiresAt })
      .onConflict((oc) => oc.column('sid').doUpdateSet({ userId, data: JSON.stringify(data), expiresAt }))
      .execute()
      .then(() => callback?.(), (err) => callback?.(err))
  }

  /** Nothing to do: expiry does not move with each request (see set). */
  override touch(_sid: string, _data: session.SessionData, callback?: (err?: unknown) => void): void {
    callback?.()
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.db
      .deleteFrom('httpSession')
      .where('sid', '=', sid)
      .execute()
      .then(() => callback?.(), (err) => callback?.(err))
  }
}
