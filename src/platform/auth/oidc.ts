import { Router, type Request } from 'express'
import * as client from 'openid-client'
import type { Config } from '../../config.js'
import type { AuditRepository } from '../audit/audit.repository.js'
import { transaction, type Db } from '../db/transaction.js'
import { BadRequestError } from '../http/errors.js'
import { routesFor, type RouteRegistry } from '../http/routes.js'
import { authRepository } from './auth.repository.js'
import type { CurrentUser } from './current-user.js'
import { oidcRepository } from './oidc.repository.js'
import { emailFromClaims, isLoopbackHttpIssuer, rolesFromClaims, sameRoles, type IdTokenClaims } from './oidc.rules.js'
import { finishSignIn } from './session.js'

export type OidcSignIn = { routes(registry: RouteRegistry): Router }

type Deps = { config: NonNullable<Config['oidc']>; db: Db; audit: AuditRepository }

/** `profile` brings `preferred_username` (Entra ID's sign-in name); `email` the address where the provider has one. */
const SCOPE = 'openid profile email'
const PUBLIC = { kind: 'public' } as const
const ACTION = 'sign-in:oidc'

const NOT_COMPLETED = 'Signing in with your organisation account did not complete. Go back to the sign-in page and try again.'
const NO_PENDING_SIGN_IN =
  'Your sign-in took too long, or was started in another browser or tab. Go back to the sign-in page and try again.'

/** Why a person the provider vouched for was not let in. Codes only: they go into the audit log. */
export type DenialReason = 'no-account' | 'disabled' | 'subject-mismatch'

export type OidcOutcome = { kind: 'signed-in'; user: CurrentUser } | { kind: 'denied'; reason: DenialReason }

/** Failures of the protocol itself (the provider said no, or a check failed): the person sees a 400 page. */
const PROTOCOL_FAILURES = new Set([
  'OAUTH_INVALID_RESPONSE',
  'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
  'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED',
  'OAUTH_JWT_TIMESTAMP_CHECK_FAILED',
])

/** A short code for the log: the provider's error code or the library's. Never token or claim content. */
function protocolFailure(err: unknown): string | undefined {
  const safe = (v: unknown) => (typeof v === 'string' && /^[A-Za-z0-9_.:-]{1,64}$/.test(v) ? v : 'unknown')
  if (err instanceof client.AuthorizationResponseError) return `authorization_response:${safe(err.error)}`
  if (err instanceof client.ResponseBodyError) return `token_endpoint:${safe(err.error)}`
  if (err instanceof client.ClientError && err.code && PROTOCOL_FAILURES.has(err.code)) return err.code
  return undefined
}

/**
 * Sign-in with the organisation's identity provider (for example Microsoft Entra ID), by the
 * authorization code flow with PKCE, state and nonce. Discovery runs once, at start-up, so a
 * wrong issuer stops the service starting rather than failing the first person to sign in.
 *
 * Accounts are provisioned by administrators: a person is matched to an existing account by
 * the provider's subject, or on first sign-in by email (and the subject is then linked). No
 * account is ever created here.
 */
export async function oidcSignIn({ config, db, audit }: Deps): Promise<OidcSignIn> {
  // Plain HTTP only for a provider on this machine (tests, local development). Never otherwise.
  const insecure = isLoopbackHttpIssuer(config.issuer)
  const server = await client.discovery(
    new URL(config.issuer),
    config.clientId,
    { client_secret: config.clientSecret, redirect_uris: [config.redirectUri], response_types: ['code'] },
    client.ClientSecretBasic(config.clientSecret),
    insecure ? { execute: [client.allowInsecureRequests] } : undefined,
  )
  const repo = oidcRepository()
  const users = authRepository()

  async function denyUnknown(requestId: string): Promise<OidcOutcome> {
    await transaction(db, 'none', (trx) =>
      audit.denied(
        trx,
        { id: null, partnershipId: null },
        { action: ACTION, recordType: 'user', recordId: null, detail: { reason: 'no-account' } },
        requestId,
      ),
    )
    return { kind: 'denied', reason: 'no-account' }
  }

  /** Matches the person, links their subject, brings their roles up to date, and audits it: all in one transaction. */
  async function signInWithClaims(claims: IdTokenClaims, requestId: string): Promise<OidcOutcome> {
    const subject = claims.sub
    if (typeof subject !== 'string' || subject === '') throw new BadRequestError(NOT_COMPLETED)
    const email = emailFromClaims(claims)
    const found = (await repo.findBySubject(db, subject)) ?? (email ? await repo.findByEmail(db, email) : undefined)
    if (!found) return denyUnknown(requestId)

    const partnershipId = found.partnershipId
    return transaction(db, { partnershipId }, async (trx): Promise<OidcOutcome> => {
      const record = (reason: DenialReason | null, detail: Record<string, boolean> = {}) =>
        audit.write(
          trx,
          { id: found.id, partnershipId },
          { action: ACTION, recordType: 'user', recordId: found.id, detail: reason ? { reason } : detail },
          !reason,
          requestId,
        )
      const deny = async (reason: DenialReason): Promise<OidcOutcome> => {
        await record(reason)
        return { kind: 'denied', reason }
      }

      const account = await repo.lockById(trx, found.id)
      if (!account || account.disabledAt) return deny('disabled')
      // An account linked to a different subject is somebody else's identity using this email.
      if (account.oidcSubject !== null && account.oidcSubject !== subject) return deny('subject-mismatch')
      const linked = account.oidcSubject === null
      if (linked && !(await repo.linkSubject(trx, account.id, subject))) return deny('subject-mismatch')

      let rolesChanged = false
      const roles = rolesFromClaims(claims, config.roleClaim, config.roleMap)
      if (roles !== undefined) {
        const before = await repo.listRoles(trx, account.id)
        if (!sameRoles(before, roles)) {
          await repo.replaceRoles(trx, account.id, roles)
          await repo.insertRolesFromIdpEvent(trx, { partnershipId, userId: account.id, from: before, to: roles })
          rolesChanged = true
        }
      }

      const user = await users.loadCurrentUser(trx, account.id)
      if (!user) return deny('disabled')
      await record(null, { linked, rolesChanged })
      return { kind: 'signed-in', user }
    })
  }

  function routes(registry: RouteRegistry): Router {
    const router = Router()
    const route = routesFor(registry, router)

    route.get('/sign-in/oidc', PUBLIC, async (req, res) => {
      if (req.actor) return res.redirect('/')
      const state = client.randomState()
      const nonce = client.randomNonce()
      const codeVerifier = client.randomPKCECodeVerifier()
      const codeChallenge = await client.calculatePKCECodeChallenge(codeVerifier)
      req.session.oidcState = { state, nonce, codeVerifier }
      const url = client.buildAuthorizationUrl(server, {
        redirect_uri: config.redirectUri,
        scope: SCOPE,
        state,
        nonce,
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
      })
      res.redirect(url.href)
    })

    route.get('/sign-in/oidc/callback', PUBLIC, async (req, res) => {
      const pending = req.session.oidcState
      // One attempt per start: whatever happens next, this state cannot be used again.
      delete req.session.oidcState
      const params = new URL(req.originalUrl, 'http://callback.invalid').searchParams
      if (params.has('error')) {
        refused(
          req,
          `authorization_response:${params
            .get('error')
            ?.replace(/[^A-Za-z0-9_.-]/g, '')
            .slice(0, 64)}`,
        )
        throw new BadRequestError(NOT_COMPLETED)
      }
      if (!pending) {
        refused(req, 'no_pending_sign_in')
        throw new BadRequestError(NO_PENDING_SIGN_IN)
      }
      if (params.get('state') !== pending.state) {
        refused(req, 'state_mismatch')
        throw new BadRequestError(NOT_COMPLETED)
      }

      // The URL the provider redirected to, built on the configured redirect URI so that it
      // matches exactly behind a proxy; openid-client sends it to the token endpoint.
      const currentUrl = new URL(config.redirectUri)
      currentUrl.search = params.toString()
      let claims: IdTokenClaims | undefined
      try {
        const tokens = await client.authorizationCodeGrant(server, currentUrl, {
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          pkceCodeVerifier: pending.codeVerifier,
          idTokenExpected: true,
        })
        claims = tokens.claims()
      } catch (err) {
        const code = protocolFailure(err)
        if (!code) throw err
        refused(req, code)
        throw new BadRequestError(NOT_COMPLETED)
      }
      if (!claims) throw new BadRequestError(NOT_COMPLETED)

      const outcome = await signInWithClaims(claims, req.requestId)
      if (outcome.kind === 'denied') {
        req.log.info({ requestId: req.requestId, reason: outcome.reason }, 'oidc sign-in denied')
        return res.status(403).render('auth/views/oidc-no-account.njk', { pageTitle: 'You do not have an account on HSB Pathway' })
      }
      req.log.info({ requestId: req.requestId, userId: outcome.user.id }, 'oidc sign-in')
      // No local TOTP step: the identity provider is responsible for multi-factor
      // authentication of organisation accounts (enforce it there, e.g. Entra Conditional Access).
      await finishSignIn(req, res, outcome.user)
    })

    return router
  }

  return { routes }
}

/** Logs why a callback was refused, by code only: never the code, tokens or claims. */
function refused(req: Request, code: string): void {
  req.log.warn({ requestId: req.requestId, code }, 'oidc callback refused')
}
