import { Router, type Request, type Response } from 'express'
import { z } from 'zod'
import { formValues, parseForm, text } from '../forms/forms.js'
import { routesFor, type RouteRegistry } from '../http/routes.js'
import type { AuthService } from './auth.service.js'
import { endSession, finishSignIn, regenerateSession } from './session.js'
import { totpUri } from './totp.js'

/** Wrong codes in one sign-in before it ends (the account's own limit, across sign-ins, is SECURITY_CODE_LIMIT). */
const MAX_MFA_ATTEMPTS = 5
const PUBLIC = { kind: 'public' } as const
const SIGNED_IN = { kind: 'signed-in' } as const

const signInSchema = z.object({
  email: z.string().trim().min(1, 'Enter your email address').max(320, 'Email address must be 320 characters or fewer'),
  password: z.string().min(1, 'Enter your password').max(1024, 'Password must be 1024 characters or fewer'),
})
const codeSchema = z.object({
  code: z
    .string()
    .transform((v) => v.replace(/\s+/g, ''))
    .pipe(
      z
        .string()
        .min(1, 'Enter the 6-digit code')
        .regex(/^\d{6}$/, 'The code must be 6 digits'),
    ),
})

const REASONS: Record<string, string> = {
  idle: 'You were signed out because you had not done anything for a while. Sign in again to continue.',
  expired: 'You were signed out because you had been signed in for the longest time allowed. Sign in again to continue.',
  'signed-out': 'You have been signed out.',
}

type Options = { auth: AuthService; oidcEnabled: boolean; oidcButtonText: string }

function clientKey(req: Request): string {
  return req.ip ?? 'unknown'
}

export function authRoutes(registry: RouteRegistry, { auth, oidcEnabled, oidcButtonText }: Options): Router {
  const router = Router()
  const route = routesFor(registry, router)

  async function renderSignIn(req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) {
    const reason = typeof req.query.reason === 'string' ? REASONS[req.query.reason] : undefined
    res
      .status(status)
      .render('auth/views/sign-in.njk', {
        pageTitle: 'Sign in',
        reason,
        demoAccounts: await auth.demoAccounts(),
        oidcEnabled,
        oidcButtonText,
        values: {},
        ...extra,
      })
  }

  route.get('/sign-in', PUBLIC, async (req, res) => {
    if (req.actor) return res.redirect('/')
    await renderSignIn(req, res, 200)
  })

  route.post('/sign-in', PUBLIC, async (req, res) => {
    const values = formValues(req.body)
    delete values.password
    const parsed = parseForm(signInSchema, req.body)
    if (!parsed.ok) return renderSignIn(req, res, 400, { errors: parsed.errors, values })
    const result = await auth.signInWithPassword(parsed.value.email, parsed.value.password, clientKey(req), req.requestId)
    if (result.kind === 'invalid') {
      const errors = [{ href: '#email', text: 'Enter a correct email address and password' }]
      return renderSignIn(req, res, 400, { errors, values })
    }
    if (result.kind === 'throttled') {
      const minutes = result.retryAfterMinutes === 1 ? '1 minute' : `${result.retryAfterMinutes} minutes`
      const errors = [{ href: '#email', text: `There have been too many attempts to sign in. Wait ${minutes}, then try again` }]
      return renderSignIn(req, res, 429, { errors, values })
    }
    const returnTo = req.session.returnTo
    await regenerateSession(req)
    req.session.pendingUserId = result.userId
    if (returnTo) req.session.returnTo = returnTo
    res.redirect(result.kind === 'mfa' ? '/sign-in/code' : '/sign-in/set-up-authenticator')
  })

  /** The account's security codes are locked: this sign-in ends, and the page says what to do. */
  async function renderLocked(req: Request, res: Response) {
    await endSession(req, res)
    res.status(429).render('auth/views/security-codes-locked.njk', { pageTitle: 'Your account is temporarily locked' })
  }

  route.get('/sign-in/code', PUBLIC, async (req, res) => {
    const pending = req.session.pendingUserId
    if (!pending) return res.redirect('/sign-in')
    if (await auth.securityCodesLocked(pending)) return renderLocked(req, res)
    res.render('auth/views/mfa.njk', { pageTitle: 'Enter your security code', demoCode: await auth.demoCode(pending) })
  })

  route.post('/sign-in/code', PUBLIC, async (req, res) => {
    const pending = req.session.pendingUserId
    if (!pending) return res.redirect('/sign-in')
    const parsed = parseForm(codeSchema, req.body)
    const result = parsed.ok ? await auth.verifyMfa(pending, parsed.value.code, req.requestId) : undefined
    if (result?.kind === 'locked') return renderLocked(req, res)
    if (result?.kind !== 'signed-in') {
      req.session.mfaFailures = (req.session.mfaFailures ?? 0) + 1
      if (req.session.mfaFailures >= MAX_MFA_ATTEMPTS) {
        await endSession(req, res)
        return res.redirect('/sign-in?reason=signed-out')
      }
      const errors = parsed.ok
        ? [{ href: '#code', text: 'The code is not correct or has expired. Enter the code your app shows now' }]
        : parsed.errors
      return res
        .status(400)
        .render('auth/views/mfa.njk', { pageTitle: 'Enter your security code', errors, demoCode: await auth.demoCode(pending) })
    }
    await finishSignIn(req, res, result.user)
  })

  route.get('/sign-in/set-up-authenticator', PUBLIC, async (req, res) => {
    const pending = req.session.pendingUserId
    if (!pending) return res.redirect('/sign-in')
    req.session.pendingTotpSecret ??= auth.newTotpSecret()
    renderSetUp(res, req.session.pendingTotpSecret, 200)
  })

  route.post('/sign-in/set-up-authenticator', PUBLIC, async (req, res) => {
    const pending = req.session.pendingUserId
    const secret = req.session.pendingTotpSecret
    if (!pending || !secret) return res.redirect('/sign-in')
    const parsed = parseForm(codeSchema, req.body)
    const user = parsed.ok ? await auth.completeTotpSetUp(pending, secret, parsed.value.code, req.requestId) : undefined
    if (!user) {
      const errors = parsed.ok ? [{ href: '#code', text: 'The code is not correct. Enter the code your app shows now' }] : parsed.errors
      return renderSetUp(res, secret, 400, errors)
    }
    await finishSignIn(req, res, user)
  })

  function renderSetUp(res: Response, secret: string, status: number, errors?: { href: string; text: string }[]) {
    res
      .status(status)
      .render('auth/views/set-up-authenticator.njk', {
        pageTitle: 'Set up your authenticator app',
        secretGroups: secret.match(/.{1,4}/g)?.join(' '),
        otpauthUri: totpUri(secret, 'HSB Pathway'),
        errors,
      })
  }

  route.post('/sign-out', SIGNED_IN, async (req, res) => {
    if (req.actor) await auth.signOut(req.actor, req.requestId)
    await endSession(req, res)
    res.redirect('/sign-in?reason=signed-out')
  })

  /** Why an invitation link cannot be used, in words (nothing about whose it was). */
  const NOT_USABLE = {
    unknown: {
      heading: 'This link does not work',
      text: 'Check you copied the whole link from the email. If it still does not work, ask your system administrator to email you a new one.',
    },
    expired: {
      heading: 'This link has expired',
      text: 'Links to set a password work for 7 days. Ask your system administrator to email you a new one.',
    },
    used: {
      heading: 'This link has already been used',
      text: 'Your password is set: sign in with it. If you did not set it yourself, tell your system administrator at once.',
    },
  } as const

  /** Set one's own password from an emailed invitation: the secret comes in the query string, which is never logged. */
  route.get('/account/set-up', PUBLIC, async (req, res) => {
    const token = typeof req.query.invitation === 'string' ? req.query.invitation.slice(0, 100) : ''
    const invitation = token ? await auth.invitations.open(token) : ({ ok: false, reason: 'unknown' } as const)
    res.set('Cache-Control', 'no-store')
    res
      .status(invitation.ok ? 200 : 404)
      .render('auth/views/set-up-account.njk', {
        pageTitle: 'Set your password',
        invitation,
        token,
        notUsable: invitation.ok ? null : NOT_USABLE[invitation.reason],
      })
  })

  route.post('/account/set-up', PUBLIC, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const token = text(body.invitation).slice(0, 100)
    const password = typeof body.password === 'string' ? body.password.slice(0, 1024) : ''
    const result = await auth.invitations.accept(token, password, req.requestId)
    if (result.ok) {
      req.session.flash = { heading: 'Your password is set', text: 'Sign in with it, then set up your authenticator app.' }
      return res.redirect('/sign-in')
    }
    if ('reason' in result)
      return res
        .status(404)
        .render('auth/views/set-up-account.njk', {
          pageTitle: 'Set your password',
          invitation: result,
          notUsable: NOT_USABLE[result.reason],
        })
    const invitation = await auth.invitations.open(token)
    res
      .status(400)
      .render('auth/views/set-up-account.njk', {
        pageTitle: 'Set your password',
        invitation,
        token,
        notUsable: invitation.ok ? null : NOT_USABLE[invitation.reason],
        errors: [{ href: '#password', text: result.problem }],
      })
  })

  return router
}
