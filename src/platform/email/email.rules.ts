import type { NotificationKind } from '../notifications/notifications.js'

/**
 * What a notification email says, and how failed sends are retried. Pure: no I/O.
 *
 * An email only says there is something to look at, with a link to the person's notifications.
 * It never carries a child's name, date of birth, case details or any free text: the wording is
 * fixed per kind of notification and the only variable part is the service's own address.
 */

export const EMAIL_SUBJECT = 'HSB Pathway: you have a new notification'

/** One line per kind of notification: what happened, in general terms. */
export const EMAIL_WORDING: Record<NotificationKind, string> = {
  STRATEGY_MEETING_DUE: 'A strategy meeting is due soon.',
  STRATEGY_MEETING_OVERDUE: 'A strategy meeting is overdue.',
  MEETING_INVITATION: 'You have been invited to a meeting.',
  ASSESSMENT_DECISION: 'A decision has been recorded about an AIM assessment.',
  CO_ASSESSOR_ALLOCATED: 'You have been named as a co-assessor on a case.',
  AIM_ASSESSMENT_DUE: 'An AIM assessment is due soon.',
  AIM_ASSESSMENT_OVERDUE: 'An AIM assessment is overdue.',
  HSB_PANEL_REQUESTED: 'You have been asked to convene the HSB panel.',
  ABE_ACCESS_REQUESTED: 'Someone has asked to read restricted interview material.',
  ABE_ACCESS_DECIDED: 'A decision has been made on your request to read restricted interview material.',
  ROLE_GRANT_REQUESTED: 'A role that opens children’s records has been asked for and needs a second person’s approval.',
  ROLE_GRANT_DECIDED: 'A decision has been made on a role that opens children’s records.',
  ACCOUNT_LOCKED: 'An account has been locked after too many wrong security codes.',
  ACCOUNT_INVITATION: 'An account on HSB Pathway has been set up for you.',
  REQUEST_UPDATE: 'There is an update on a request for support you raised.',
  REQUEST_DECIDED: 'A decision has been made on a request for support you raised.',
  BREAK_GLASS_ACCESS: 'A record has been opened through break-glass and needs review.',
  PRIVACY_ALERT: 'A privacy alert is waiting for review.',
  SUBJECT_ACCESS_APPROVAL_REQUESTED: 'A subject access release is waiting for a second person’s approval.',
  SUBJECT_ACCESS_DECIDED: 'A decision has been made on a subject access release.',
  RETENTION_APPROVAL_REQUESTED: 'A deletion under the retention schedule is waiting for a second person’s approval.',
  RETENTION_DECIDED: 'A decision has been made on a deletion under the retention schedule.',
}

const GENERIC = 'You have a new notification.'

export type EmailMessage = { subject: string; text: string }

/** The email for a notification of `kind` (an unknown kind gets the general wording). */
export function notificationEmail(kind: string, publicBaseUrl: string): EmailMessage {
  const line = (EMAIL_WORDING as Record<string, string>)[kind] ?? GENERIC
  const base = publicBaseUrl.replace(/\/+$/, '')
  return {
    subject: EMAIL_SUBJECT,
    text: [
      line,
      '',
      `Sign in to HSB Pathway to see it: ${base}/notifications`,
      '',
      'For privacy this email does not include any details. Please do not reply to it.',
      '',
    ].join('\n'),
  }
}

/** How long an invitation's link works. */
export const INVITATION_DAYS = 7

/**
 * The invitation to set one's own password: the only email with a link that carries a secret (in
 * the query string, which the service never logs). It names nobody and nothing about a child.
 */
export function invitationEmail(publicBaseUrl: string, token: string): EmailMessage {
  const base = publicBaseUrl.replace(/\/+$/, '')
  return {
    subject: 'HSB Pathway: set up your account',
    text: [
      EMAIL_WORDING.ACCOUNT_INVITATION,
      '',
      `Set your password here: ${base}/account/set-up?invitation=${encodeURIComponent(token)}`,
      '',
      `The link works once, for ${INVITATION_DAYS} days. Then sign in and set up your authenticator app.`,
      'If you were not expecting this email, do not use the link: tell your system administrator.',
      '',
    ].join('\n'),
  }
}

export type RetryPolicy = { retryBaseMs: number; retryMaxMs: number; maxAttempts: number }

/**
 * After the `attempts`-th failed try: give up once `maxAttempts` tries have failed, otherwise try
 * again after the base delay doubled for each earlier failure, capped at `retryMaxMs`.
 */
export function afterFailure(attempts: number, now: Date, policy: RetryPolicy): { giveUp: true } | { giveUp: false; nextAttemptAt: Date } {
  if (attempts >= policy.maxAttempts) return { giveUp: true }
  const exponent = Math.min(Math.max(attempts - 1, 0), 30)
  const delay = Math.min(policy.retryBaseMs * 2 ** exponent, policy.retryMaxMs)
  return { giveUp: false, nextAttemptAt: new Date(now.getTime() + delay) }
}

/**
 * What is kept of a failed send: the error's code and SMTP status only. Messages from mail
 * servers can quote addresses, so they are never stored or logged.
 */
export function describeSendError(err: unknown): string {
  const e = (err ?? {}) as { code?: unknown; responseCode?: unknown; command?: unknown }
  const safe = (v: unknown) => (typeof v === 'string' && /^[A-Z0-9_ ]{1,40}$/i.test(v) ? v : undefined)
  const parts = [safe(e.code) ?? 'SEND_FAILED']
  if (typeof e.responseCode === 'number') parts.push(`SMTP ${e.responseCode}`)
  const command = safe(e.command)
  if (command) parts.push(`during ${command}`)
  return parts.join(' ')
}
