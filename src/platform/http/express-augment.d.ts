import type { Actor } from '../access/policy.js'
import type { CurrentUser } from '../auth/current-user.js'

declare global {
  namespace Express {
    interface Request {
      /** The signed-in person, set once sign-in and MFA are complete. */
      actor?: CurrentUser
      /** Request id: in logs, in audit rows and on error pages as the reference. */
      requestId: string
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    userId: string
    /** Set after the password step, cleared once MFA succeeds. */
    pendingUserId: string
    /** When sign-in finished: the 12-hour absolute limit counts from here. */
    signedInAt: number
    lastSeenAt: number
    returnTo: string
    mfaFailures: number
    /** The secret being set up on first sign-in, kept until the person proves their app works. */
    pendingTotpSecret: string
    oidcState: { state: string; nonce: string; codeVerifier: string }
    flash: { heading: string; text?: string }
  }
}

export type { Actor }
