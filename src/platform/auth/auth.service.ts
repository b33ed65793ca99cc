import { createHmac } from 'node:crypto'
import { ROLE_LABELS, isRole } from '../access/roles.js'
import type { AuditRepository } from '../audit/audit.repository.js'
import { transaction, type Db } from '../db/transaction.js'
import type { AuthRepository } from './auth.repository.js'
import type { CurrentUser } from './current-user.js'
import { dummyPasswordHash, verifyPassword } from './passwords.js'
import type { SecretBox } from './secret-box.js'
import { currentStep, currentTotpCode, newTotpSecret, verifyTotp } from './totp.js'

/** Failures from one client against one account before that pair must wait. */
export const PAIR_FAILURE_LIMIT = 5
/** Failures from one client against any accounts before that client must wait. */
export const CLIENT_FAILURE_LIMIT = 50
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000

export type PasswordStepResult =
  | { kind: 'mfa'; userId: string }
  | { kind: 'set-up-mfa'; userId: string }
  | { kind: 'invalid' }
  | { kind: 'throttled'; retryAfterMinutes: number }

type Deps = {
  db: Db
  secrets: SecretBox
  repo: AuthRepository
  audit: AuditRepository
  secret: string
  demoMode: boolean
  now?: () => number
}

/**
 * Sign-in with a local account: password, then TOTP. Unknown email and wrong password give
 * the same answer in the same time. Throttling counts failures per (account, client) pair and
 * per client, so somebody else's guessing cannot lock the real person out from their own device.
 */
export function authService({ db, secrets, repo, audit, secret, demoMode, now = Date.now }: Deps) {
  const emailHash = (email: string) => createHmac('sha256', secret).update(email.trim().toLowerCase()).digest('hex')

  async function throttleState(hash: string, clientKey: string) {
    const since = new Date(now() - THROTTLE_WINDOW_MS)
    const counts = await repo.countFailures(db, hash, clientKey, since)
    if (counts.pair >= PAIR_FAILURE_LIMIT || counts.client >= CLIENT_FAILURE_LIMIT) {
      const oldest = counts.oldestPairAt?.getTime() ?? now()
      const waitMs = Math.max(60_000, oldest + THROTTLE_WINDOW_MS - now())
      return { throttled: true as const, retryAfterMinutes: Math.ceil(waitMs / 60_000) }
    }
    return { throttled: false as const }
  }

  return {
    async signInWithPassword(email: string, password: string, clientKey: string, requestId: string): Promise<PasswordStepResult> {
      const hash = emailHash(email)
      const throttle = await throttleState(hash, clientKey)
      if (throttle.throttled) {
        await transaction(db, 'none', (trx) =>
          audit.denied(
            trx,
            { id: null, partnershipId: null },
            { action: 'sign-in:throttled', recordType: 'session', recordId: null },
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

    /** Second step. Returns the signed-in person, or undefined when the code is wrong or reused. */
    async verifyMfa(userId: string, code: string, requestId: string): Promise<CurrentUser | undefined> {
      const user = await repo.findById(db, userId)
      if (!user || user.disabledAt || !user.totpSecret) return undefined
      const lastStep = user.totpLastStep === null ? null : Number(user.totpLastStep)
      const result = await verifyTotp(secrets.open(user.totpSecret), code, lastStep, now())
      return transaction(db, { partnershipId: user.partnershipId }, async (trx) => {
        const accepted = result.valid && result.step !== null && (await repo.claimTotpStep(trx, userId, result.step))
        await audit.write(
          trx,
          { id: userId, partnershipId: user.partnershipId },
          { action: 'sign-in:mfa', recordType: 'user', recordId: userId },
          accepted,
          requestId,
        )
        return accepted ? repo.loadCurrentUser(trx, userId) : undefined
      })
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
