import { createHmac } from 'node:crypto'
import { ROLE_LABELS, isRole } from '../access/roles.js'
import { Refusal } from '../access/refusal.js'
import { refusable } from '../access/authorise.js'
import { auditEntry, type AuditRepository } from '../audit/audit.repository.js'
import { transaction, type Db, type Trx } from '../db/transaction.js'
import { ForbiddenError, NotFoundError } from '../http/errors.js'
import { notifications as notificationsService, type Notifications } from '../notifications/notifications.js'
import { directory as directoryService, type Directory } from '../organisation/directory.js'
import type { AuthRepository } from './auth.repository.js'
import type { CurrentUser } from './current-user.js'
import { dummyPasswordHash, verifyPassword } from './passwords.js'
import { accountInvitations } from './invitations.js'
import type { SecretBox } from './secret-box.js'
import { currentStep, currentTotpCode, newTotpSecret, verifyTotp } from './totp.js'

/** Failed passwords for one account from one address (in the window) before that pair must wait. */
export const PAIR_FAILURE_LIMIT = 5
/**
 * Failed passwords for one account from any addresses before the account must wait: spreading
 * guesses over many addresses does not buy more of them.
 */
export const ACCOUNT_FAILURE_LIMIT = 20
/**
 * Failed passwords from one address for any accounts before that address must wait: a flood guard
 * only, far above what a building of people mistyping reaches (a council behind one proxy), so one
 * person's guessing never locks out their colleagues.
 */
export const CLIENT_FLOOD_LIMIT = 1000
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000

/**
 * Wrong security codes in a row for one account, counted across sessions, sign-ins and processes,
 * before the account's code step is locked. A correct code resets the count; after a lock runs
 * out the count is not reset, so each further wrong code locks it again at once.
 */
export const SECURITY_CODE_LIMIT = 10
/** How long a lock on the account's security codes lasts, unless another person unlocks it sooner. */
export const SECURITY_CODE_LOCK_MS = 30 * 60 * 1000
/** Who hears that an account's security codes were locked (the system administrators if there is none). */
const LOCK_ALERT_ROLES = ['PRIVACY_OFFICER'] as const
const LOCK_ALERT_FALLBACK_ROLES = ['SYSTEM_ADMINISTRATOR'] as const

export type PasswordStepResult =
  | { kind: 'mfa'; userId: string }
  | { kind: 'set-up-mfa'; userId: string }
  | { kind: 'invalid' }
  | { kind: 'throttled'; retryAfterMinutes: number }

/** The security code step: signed in, a wrong (or reused) code, or the account's codes locked. */
export type SecurityCodeResult = { kind: 'signed-in'; user: CurrentUser } | { kind: 'wrong' } | { kind: 'locked' }

type Deps = {
  db: Db
  secrets: SecretBox
  repo: AuthRepository
  audit: AuditRepository
  secret: string
  demoMode: boolean
  /** How a lock is made known (platform/notifications); who to tell (platform/organisation). */
  notifications?: Notifications
  directory?: Directory
  now?: () => number
}

/**
 * Sign-in with a local account: password, then TOTP. Unknown email and wrong password give
 * the same answer in the same time. Throttling counts failed passwords per (account, address)
 * pair, per account across addresses, and per address only as a flood guard: somebody's guessing
 * from one address neither locks the real person out from their own device nor locks out everyone
 * else at that address. Wrong security codes are counted per account (SECURITY_CODE_LIMIT).
 */
export function authService({
  db,
  secrets,
  repo,
  audit,
  secret,
  demoMode,
  notifications = notificationsService(),
  directory = directoryService(),
  now = Date.now,
}: Deps) {
  const emailHash = (email: string) => createHmac('sha256', secret).update(email.trim().toLowerCase()).digest('hex')

  async function throttleState(hash: string, clientKey: string) {
    const since = new Date(now() - THROTTLE_WINDOW_MS)
    const counts = await repo.countFailures(db, hash, clientKey, since)
    const reached = [
      { name: 'pair', ...counts.pair, limit: PAIR_FAILURE_LIMIT },
      { name: 'account', ...counts.account, limit: ACCOUNT_FAILURE_LIMIT },
      // The flood guard never stops someone with no failure of their own from this address: a
      // stranger's flood of guesses cannot lock out everyone behind the same proxy.
      { name: 'address', ...counts.client, limit: counts.pair.count > 0 ? CLIENT_FLOOD_LIMIT : Infinity },
    ].filter((c) => c.count >= c.limit)
    if (reached.length === 0) return { throttled: false as const }
    // Until the oldest failure of each limit reached leaves the window (at least a minute).
    const waitMs = Math.max(60_000, ...reached.map((c) => (c.oldestAt?.getTime() ?? now()) + THROTTLE_WINDOW_MS - now()))
    return { throttled: true as const, retryAfterMinutes: Math.ceil(waitMs / 60_000), limits: reached.map((c) => c.name).join(' ') }
  }

  /** Whether the account's security codes are locked now (the row as the caller's transaction sees it). */
  const lockedNow = (state: { lockedUntil: Date | null } | undefined) => !!state?.lockedUntil && state.lockedUntil.getTime() > now()

  /** One more wrong code for the account: recorded in its history, and the lock once the limit is reached. */
  async function countWrongCode(trx: Trx, user: { id: string; partnershipId: string }, requestId: string): Promise<boolean> {
    const at = new Date(now())
    const wrongCodes = await repo.recordWrongCode(trx, user.id, user.partnershipId, at)
    const history = { partnershipId: user.partnershipId, userId: user.id, actorId: null }
    await audit.denied(trx, user, { action: 'sign-in:mfa', recordType: 'user', recordId: user.id, detail: { wrongCodes } }, requestId)
    await repo.insertUserEvent(trx, { ...history, kind: 'SECURITY_CODE_WRONG', detail: { wrongCodes } })
    if (wrongCodes < SECURITY_CODE_LIMIT) return false
    const lockedUntil = new Date(at.getTime() + SECURITY_CODE_LOCK_MS)
    await repo.lockSecurityCodes(trx, user.id, at, lockedUntil)
    const detail = { wrongCodes, lockedUntil: lockedUntil.toISOString() }
    await audit.allowed(
      trx,
      { id: null, partnershipId: user.partnershipId },
      { action: 'security-codes:lock', recordType: 'user', recordId: user.id, detail },
      requestId,
    )
    await repo.insertUserEvent(trx, { ...history, kind: 'SECURITY_CODES_LOCKED', detail })
    const officers = await directory.holdersOf(trx, user.partnershipId, LOCK_ALERT_ROLES)
    const alerted = officers.length ? officers : await directory.holdersOf(trx, user.partnershipId, LOCK_ALERT_FALLBACK_ROLES)
    await notifications.raiseToEach(trx, alerted, {
      partnershipId: user.partnershipId,
      kind: 'ACCOUNT_LOCKED',
      dedupeKey: `account-locked:${user.id}:${at.getTime()}`,
    })
    return true
  }

  /** Accounts an administrator makes are set up by the person, through an emailed invitation. */
  const invitations = accountInvitations({ db, audit, notifications, now: () => new Date(now()) })

  return {
    invitations,

    async signInWithPassword(email: string, password: string, clientKey: string, requestId: string): Promise<PasswordStepResult> {
      const hash = emailHash(email)
      const throttle = await throttleState(hash, clientKey)
      if (throttle.throttled) {
        await transaction(db, 'none', (trx) =>
          audit.denied(
            trx,
            { id: null, partnershipId: null },
            { action: 'sign-in:throttled', recordType: 'session', recordId: null, detail: { limits: throttle.limits } },
            requestId,
          ),
        )
        return { kind: 'throttled', retryAfterMinutes: throttle.retryAfterMinutes }
      }
      const user = await repo.findForSignIn(db, email)
      const usable = user && !user.disabledAt && user.passwordHash
      const ok = await verifyPassword(usable ? (user.passwordHash as string) : await dummyPasswordHash(), password)
      if (!usable || !ok) {
        await repo.recordFailure(db, hash, clientKey)
        await transaction(db, user ? { partnershipId: user.partnershipId } : 'none', (trx) =>
          audit.denied(
            trx,
            { id: user?.id ?? null, partnershipId: user?.partnershipId ?? null },
            { action: 'sign-in:password', recordType: 'user', recordId: user?.id ?? null },
            requestId,
          ),
        )
        return { kind: 'invalid' }
      }
      await repo.clearFailures(db, hash, clientKey)
      return user.totpSecret ? { kind: 'mfa', userId: user.id } : { kind: 'set-up-mfa', userId: user.id }
    },

    /**
     * Second step. Refuses while the account's security codes are locked (even a correct code);
     * counts a wrong or reused code against the account, whatever the session; a correct code
     * resets the count.
     */
    async verifyMfa(userId: string, code: string, requestId: string): Promise<SecurityCodeResult> {
      const user = await repo.findById(db, userId)
      if (!user || user.disabledAt || !user.totpSecret) return { kind: 'wrong' }
      const totpSecret = user.totpSecret
      const actor = { id: userId, partnershipId: user.partnershipId }
      return transaction(db, { partnershipId: user.partnershipId }, async (trx): Promise<SecurityCodeResult> => {
        await repo.holdForCodeCheck(trx, userId)
        if (lockedNow(await repo.securityCodeState(trx, userId))) {
          const subject = { action: 'sign-in:mfa', recordType: 'user', recordId: userId, detail: { locked: true } }
          await audit.denied(trx, actor, subject, requestId)
          return { kind: 'locked' }
        }
        const lastStep = user.totpLastStep === null ? null : Number(user.totpLastStep)
        const result = await verifyTotp(secrets.open(totpSecret), code, lastStep, now())
        const accepted = result.valid && result.step !== null && (await repo.claimTotpStep(trx, userId, result.step))
        if (!accepted) return (await countWrongCode(trx, actor, requestId)) ? { kind: 'locked' } : { kind: 'wrong' }
        await repo.resetSecurityCodes(trx, userId)
        await audit.allowed(trx, actor, { action: 'sign-in:mfa', recordType: 'user', recordId: userId }, requestId)
        const signedIn = await repo.loadCurrentUser(trx, userId)
        return signedIn ? { kind: 'signed-in', user: signedIn } : { kind: 'wrong' }
      })
    },

    /** Whether the account's security codes are locked now (the code page says so before asking). */
    async securityCodesLocked(userId: string): Promise<boolean> {
      const user = await repo.findById(db, userId)
      if (!user) return false
      return transaction(db, { partnershipId: user.partnershipId }, async (trx) => lockedNow(await repo.securityCodeState(trx, userId)))
    },

    /**
     * For a page about a person (an administrator's): their wrong codes in a row and, while their
     * codes are locked, until when. The caller has already decided the reader may see the person.
     */
    async securityCodeStatus(partnershipId: string, userId: string): Promise<{ wrongCodes: number; lockedUntil: Date | null }> {
      const state = await transaction(db, { partnershipId }, (trx) => repo.securityCodeState(trx, userId))
      return { wrongCodes: state?.wrongCodes ?? 0, lockedUntil: lockedNow(state) ? state!.lockedUntil : null }
    },

    /**
     * Clears the lock on a person's security codes and their count of wrong codes, recording who
     * did it (audit and the person's history). Refused, and audited, when `by` is the locked person:
     * somebody else must unlock an account. Who may call this at all is the route's permission.
     */
    async unlockSecurityCodes(
      by: { id: string; partnershipId: string },
      userId: string,
      requestId: string | null,
    ): Promise<{ wasLocked: boolean }> {
      const subject = { action: 'security-codes:unlock', recordType: 'user', recordId: userId }
      return refusable({ db, audit }, by.partnershipId, () =>
        transaction(db, { partnershipId: by.partnershipId }, async (trx) => {
          if (by.id === userId)
            throw new Refusal(
              new ForbiddenError('You cannot unlock your own security codes. Ask another administrator to do it'),
              auditEntry(by, subject, false, requestId),
            )
          const target = await repo.findById(trx, userId)
          if (!target || target.partnershipId !== by.partnershipId) throw new Refusal(new NotFoundError())
          await repo.holdForCodeCheck(trx, userId)
          const was = await repo.resetSecurityCodes(trx, userId)
          const wasLocked = lockedNow(was)
          const detail = { wasLocked, wrongCodes: was?.wrongCodes ?? 0 }
          await audit.allowed(trx, by, { ...subject, detail }, requestId)
          await repo.insertUserEvent(trx, {
            partnershipId: target.partnershipId,
            userId,
            actorId: by.id,
            kind: 'SECURITY_CODES_UNLOCKED',
            detail,
          })
          return { wasLocked }
        }),
      )
    },

    newTotpSecret,

    /** First sign-in: the person proves their authenticator works before the secret is kept. */
    async completeTotpSetUp(userId: string, secret: string, code: string, requestId: string): Promise<CurrentUser | undefined> {
      const user = await repo.findById(db, userId)
      if (!user || user.disabledAt || user.totpSecret) return undefined
      const result = await verifyTotp(secret, code, null, now())
      if (!result.valid || result.step === null) return undefined
      const step = result.step
      return transaction(db, { partnershipId: user.partnershipId }, async (trx) => {
        await repo.setTotpSecret(trx, userId, secrets.seal(secret), step)
        await audit.allowed(
          trx,
          { id: userId, partnershipId: user.partnershipId },
          { action: 'mfa:set-up', recordType: 'user', recordId: userId },
          requestId,
        )
        return repo.loadCurrentUser(trx, userId)
      })
    },

    async currentUser(userId: string): Promise<CurrentUser | undefined> {
      return repo.loadCurrentUser(db, userId)
    },

    async signOut(user: CurrentUser, requestId: string): Promise<void> {
      await transaction(db, { partnershipId: user.partnershipId }, (trx) =>
        audit.allowed(trx, user, { action: 'sign-out', recordType: 'user', recordId: user.id }, requestId),
      )
    },

    /** Housekeeping: expired sessions and failures older than a day. */
    async pruneExpired(): Promise<void> {
      await repo.pruneSessions(db, new Date(now()))
      await repo.pruneFailures(db, new Date(now() - 24 * 3600_000))
    },

    /** Demo mode only: the accounts to try, listed on the sign-in page. */
    async demoAccounts() {
      if (!demoMode) return []
      const accounts = await repo.listDemoAccounts(db)
      return accounts.map((a) => ({ ...a, roleLabels: a.roles.map((r) => (isRole(r) ? ROLE_LABELS[r] : r)).join(', ') }))
    },

    /**
     * Demo mode only: the code a demo account's authenticator would show. A code works once, so
     * after a recent sign-in this is the next code, with how long until the server accepts it.
     */
    async demoCode(userId: string): Promise<{ code: string; usableInSeconds: number } | undefined> {
      if (!demoMode) return undefined
      const user = await repo.findById(db, userId)
      if (!user?.totpSecret) return undefined
      const lastStep = user.totpLastStep === null ? null : Number(user.totpLastStep)
      const step = currentStep(now())
      const useStep = lastStep !== null && lastStep >= step ? lastStep + 1 : step
      // A step is accepted up to one ahead of the clock: useStep needs the clock at useStep - 1.
      const usableInSeconds = Math.max(0, Math.ceil(((useStep - 1) * 30_000 - now()) / 1000))
      return { code: await currentTotpCode(secrets.open(user.totpSecret), useStep * 30_000), usableInSeconds }
    },
  }
}
export type AuthService = ReturnType<typeof authService>
