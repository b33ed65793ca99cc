import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../config.js'
import { afterFailure, describeSendError, EMAIL_SUBJECT, EMAIL_WORDING, notificationEmail } from './email.rules.js'

describe('notification emails', () => {
  it('say there is something to look at, with a link to the notifications page', () => {
    const m = notificationEmail('AIM_ASSESSMENT_OVERDUE', 'https://hsb.example.gov.uk/')
    expect(m.subject).toBe('HSB Pathway: you have a new notification')
    expect(m.text).toContain('An AIM assessment is overdue.')
    expect(m.text).toContain('Sign in to HSB Pathway to see it: https://hsb.example.gov.uk/notifications')
  })

  it('have fixed wording for every kind: no placeholders, nothing but the kind and the link varies', () => {
    for (const [kind, line] of Object.entries(EMAIL_WORDING)) {
      const m = notificationEmail(kind, 'https://hsb.example')
      expect(m.subject).toBe(EMAIL_SUBJECT)
      expect(m.text.startsWith(line)).toBe(true)
      expect(m.text).not.toMatch(/[{}<>$]/)
    }
    expect(notificationEmail('CO_ASSESSOR_ALLOCATED', 'x').text).toContain('You have been named as a co-assessor on a case.')
    expect(notificationEmail('SOMETHING_NEW', 'https://hsb.example').text).toContain('You have a new notification.')
  })
})

describe('retries', () => {
  const policy = { retryBaseMs: 30_000, retryMaxMs: 3_600_000, maxAttempts: 5 }
  const now = new Date('2026-11-23T09:00:00Z')
  const delay = (attempts: number) => {
    const r = afterFailure(attempts, now, policy)
    return r.giveUp ? 'give up' : r.nextAttemptAt.getTime() - now.getTime()
  }

  it('back off, doubling from the base, then give up after the last attempt', () => {
    expect([1, 2, 3, 4, 5].map(delay)).toEqual([30_000, 60_000, 120_000, 240_000, 'give up'])
  })

  it('never wait longer than the cap', () => {
    expect(afterFailure(20, now, { ...policy, maxAttempts: 100 })).toEqual({
      giveUp: false,
      nextAttemptAt: new Date(now.getTime() + 3_600_000),
    })
  })

  it('keep only the error code and SMTP status, never the server’s message (it can quote addresses)', () => {
    const err = Object.assign(new Error('550 5.1.1 <jo.whitfield@northshire.example>: mailbox unavailable'), {
      code: 'EENVELOPE',
      responseCode: 550,
      command: 'RCPT TO',
    })
    expect(describeSendError(err)).toBe('EENVELOPE SMTP 550 during RCPT TO')
    expect(describeSendError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2526'), { code: 'ESOCKET' }))).toBe('ESOCKET')
    expect(describeSendError({ code: 'weird <x@y>' })).toBe('SEND_FAILED')
  })
})

describe('email configuration', () => {
  it('leaves email off without SMTP_HOST, with a base URL from the port', () => {
    const c = loadConfig({ PORT: '4000' })
    expect(c.email.smtp).toBeUndefined()
    expect(c.email.publicBaseUrl).toBe('http://localhost:4000')
    expect(c.email.jobQueueDatabaseUrl).toBeUndefined()
  })

  it('reads the SMTP settings, and the job queue uses DATABASE_URL unless told otherwise', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://owner@db/hsb',
      SESSION_SECRET: 'a-session-secret-of-at-least-thirty-two-chars',
      SMTP_HOST: 'smtp.example',
      SMTP_PORT: '465',
      SMTP_SECURE: 'true',
      SMTP_USER: 'hsb',
      SMTP_PASSWORD: 'pw',
      PUBLIC_BASE_URL: 'https://hsb.example/',
      EMAIL_POLL_INTERVAL_MS: '1000',
    })
    expect(c.email.smtp).toEqual({ host: 'smtp.example', port: 465, secure: true, user: 'hsb', password: 'pw' })
    expect(c.email.publicBaseUrl).toBe('https://hsb.example')
    expect(c.email.pollIntervalMs).toBe(1000)
    expect(c.email.jobQueueDatabaseUrl).toBe('postgres://owner@db/hsb')
  })

  it('refuses a user without a password and names bad values', () => {
    expect(() => loadConfig({ SMTP_HOST: 'smtp.example', SMTP_USER: 'hsb' })).toThrow(ConfigError)
    expect(() => loadConfig({ SMTP_PORT: 'twenty-five' })).toThrow(/SMTP_PORT/)
    expect(() => loadConfig({ PUBLIC_BASE_URL: 'not a url' })).toThrow(/PUBLIC_BASE_URL/)
  })
})
