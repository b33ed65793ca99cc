import type { Request, RequestHandler, Response } from 'express'
import type { CurrentUser } from './current-user.js'
import session from 'express-session'
import type { Db } from '../db/transaction.js'
import type { AuthService } from './auth.service.js'
import { DatabaseSessionStore, preloadedUser } from './session-store.js'

export type SessionLimits = { idleMs: number; absoluteMs: number }

/** The session cookie's name: `__Host-` prefixed whenever it is served over HTTPS. */
export const sessionCookieName = (secure: boolean) => (secure ? '__Host-hsb-session' : 'hsb-session')
/** The session cookie's attributes, besides `secure` (also used to clear it: a browser matches them). */
const COOKIE_OPTIONS = { httpOnly: true, sameSite: 'lax', path: '/' } as const

/** Server-side sessions; the cookie is `__Host-` prefixed whenever it is served over HTTPS. */
export function sessionMiddleware(options: { db: Db; secret: string; secure: boolean; limits: SessionLimits }) {
  const store = new DatabaseSessionStore(options.db, options.limits)
  const handler = session({
    name: sessionCookieName(options.secure),
    secret: options.secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    proxy: undefined,
    cookie: { ...COOKIE_OPTIONS, secure: options.secure },
  })
  return { handler, store }
}

export function regenerateSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())))
}

export function destroySession(req: Request): Promise<void> {
  return new Promise((resolve) => req.session.destroy(() => resolve()))
}

/**
 * Ends the session: the row is deleted, then the browser is told to drop the cookie (the same
 * name and attributes it was set with, an expiry in the past), so no session id outlives it.
 */
export async function endSession(req: Request, res: Response): Promise<void> {
  const secure = req.session.cookie.secure === true
  await destroySession(req)
  res.clearCookie(sessionCookieName(secure), { ...COOKIE_OPTIONS, secure })
}

/**
 * Loads the signed-in person on every request, and ends the session after 30 minutes idle or
 * 12 hours in all (both configurable), or at once when the person has been disabled.
 */
export function currentUser(auth: AuthService, limits: SessionLimits): RequestHandler {
  return async (req, res, next) => {
    const s = req.session
    if (!s.userId) return next()
    const now = Date.now()
    const expired = now - (s.signedInAt ?? 0) > limits.absoluteMs ? 'expired' : now - (s.lastSeenAt ?? 0) > limits.idleMs ? 'idle' : null
    // The session row was read with its person in one statement (session-store.ts); if the
    // session names someone else by now (it was just regenerated), load them as before.
    const pre = preloadedUser(req)
    const user = expired ? undefined : pre && pre.userId === s.userId ? pre.user : await auth.currentUser(s.userId)
    if (!user) {
      await endSession(req, res)
      return res.redirect(`/sign-in?reason=${expired ?? 'signed-out'}`)
    }
    req.actor = user
    res.locals.currentUser = user
    // Idle time is tracked to the minute, so a page view writes the session at most once a minute.
    if (now - (s.lastSeenAt ?? 0) > 60_000) s.lastSeenAt = now
    next()
  }
}

/** Completes sign-in (after MFA, or after OpenID Connect): a new session id, then the page asked for. */
export async function finishSignIn(req: Request, res: Response, user: CurrentUser): Promise<void> {
  const returnTo = req.session.returnTo
  await regenerateSession(req)
  const now = Date.now()
  req.session.userId = user.id
  req.session.signedInAt = now
  req.session.lastSeenAt = now
  res.redirect(returnTo && returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/')
}
