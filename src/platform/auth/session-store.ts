import type { Request } from 'express'
import session from 'express-session'
import type { Db } from '../db/transaction.js'
import { authRepository } from './auth.repository.js'
import type { CurrentUser } from './current-user.js'

/** The person loaded with a request's session row (see `get`), for the currentUser middleware. */
export type PreloadedUser = { userId: string | null; user: CurrentUser | undefined }
const PRELOADED = Symbol('preloaded user')
const preloaded = new WeakMap<Request, PreloadedUser>()
type WithPreloaded = session.SessionData & { [PRELOADED]?: PreloadedUser }

/**
 * The person the request's session row named when it was read, loaded in the same statement.
 * Only for this request: nothing is cached across requests, so disabling a person or changing
 * their roles takes effect on their next request, as before.
 */
export function preloadedUser(req: Request): PreloadedUser | undefined {
  return preloaded.get(req)
}

const repo = authRepository()

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
    repo.loadSessionWithUser(this.db, sid, new Date()).then((row) => {
      if (!row) return callback(null, null)
      const data = row.data as unknown as WithPreloaded
      // A symbol key: not copied into the Session, not part of its hash or of what is saved.
      data[PRELOADED] = { userId: row.userId, user: row.user }
      callback(null, data)
    }, callback)
  }

  /** express-session builds the request's Session here: hand the preloaded person to the request. */
  override createSession(req: Request, data: session.SessionData): session.Session & session.SessionData {
    const withUser = data as WithPreloaded
    const user = withUser[PRELOADED]
    if (user) {
      preloaded.set(req, user)
      delete withUser[PRELOADED]
    }
    return super.createSession(req, data)
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
      .then(
        () => callback?.(),
        (err) => callback?.(err),
      )
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
      .then(
        () => callback?.(),
        (err) => callback?.(err),
      )
  }
}
