import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config.js'

const SECRET = 'a-session-secret-of-at-least-thirty-two-chars'

describe('loadConfig', () => {
  it('defaults to demo mode on the embedded database, port 3000, ./data', () => {
    const c = loadConfig({})
    expect(c.demoMode).toBe(true)
    expect(c.port).toBe(3000)
    expect(c.dataDir.endsWith('/data')).toBe(true)
    expect(c.session).toEqual({ idleMs: 30 * 60_000, absoluteMs: 12 * 3600_000 })
  })

  it('limits each person to 20 searches for a child in 5 minutes unless the partnership sets another number', () => {
    expect(loadConfig({}).childSearchesPer5Minutes).toBe(20)
    expect(loadConfig({}).frontDoorAccessDaysAfterClosure).toBe(30)
    expect(loadConfig({ FRONT_DOOR_ACCESS_DAYS_AFTER_CLOSURE: '0' }).frontDoorAccessDaysAfterClosure).toBe(0)
    expect(() => loadConfig({ FRONT_DOOR_ACCESS_DAYS_AFTER_CLOSURE: '-1' })).toThrow(ConfigError)
    expect(loadConfig({ CHILD_SEARCHES_PER_5_MINUTES: '40' }).childSearchesPer5Minutes).toBe(40)
    expect(() => loadConfig({ CHILD_SEARCHES_PER_5_MINUTES: '0' })).toThrow(ConfigError)
  })

  it('opens a record through break-glass for 8 hours and alerts on 50 children an hour unless set otherwise', () => {
    expect(loadConfig({}).breakGlassHours).toBe(8)
    expect(loadConfig({}).privacyVolumeAlertPerHour).toBe(50)
    expect(loadConfig({ BREAK_GLASS_HOURS: '4', PRIVACY_VOLUME_ALERT_PER_HOUR: '20' })).toMatchObject({
      breakGlassHours: 4,
      privacyVolumeAlertPerHour: 20,
    })
    expect(() => loadConfig({ BREAK_GLASS_HOURS: '0' })).toThrow(/BREAK_GLASS_HOURS/)
    expect(() => loadConfig({ PRIVACY_VOLUME_ALERT_PER_HOUR: '0' })).toThrow(/PRIVACY_VOLUME_ALERT_PER_HOUR/)
  })

  it('runs one process unless WEB_CONCURRENCY asks for workers, which need PostgreSQL', () => {
    expect(loadConfig({}).workers).toBe(1)
    expect(loadConfig({ DATABASE_URL: 'postgres://x@h/d', SESSION_SECRET: SECRET, WEB_CONCURRENCY: '2' }).workers).toBe(2)
    expect(() => loadConfig({ WEB_CONCURRENCY: '2' })).toThrow(/WEB_CONCURRENCY above 1 needs PostgreSQL/)
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x@h/d', SESSION_SECRET: SECRET, WEB_CONCURRENCY: '0' })).toThrow(ConfigError)
  })

  it('refuses demo mode with NODE_ENV=production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/Demo mode cannot run with NODE_ENV=production/)
    expect(() => loadConfig({ NODE_ENV: 'production', DEMO_MODE: 'true', SESSION_SECRET: SECRET })).toThrow(ConfigError)
  })

  it('is not in demo mode with DATABASE_URL unless asked, and then needs a session secret', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x@localhost/db' })).toThrow(/SESSION_SECRET is required/)
    expect(loadConfig({ DATABASE_URL: 'postgres://x@localhost/db', SESSION_SECRET: SECRET }).demoMode).toBe(false)
    expect(loadConfig({ DATABASE_URL: 'postgres://x@localhost/db', DEMO_MODE: 'true' }).demoMode).toBe(true)
  })

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/)
    expect(() => loadConfig({ SESSION_SECRET: 'short', DEMO_MODE: 'false' })).toThrow(/SESSION_SECRET: must be at least 32/)
    expect(() => loadConfig({ DATABASE_APP_ROLE: 'x; drop table' })).toThrow(/DATABASE_APP_ROLE/)
  })

  it('needs the rest of the OpenID Connect settings once an issuer is set', () => {
    expect(() => loadConfig({ OIDC_ISSUER: 'https://login.example/tenant/v2.0' })).toThrow(/OIDC_CLIENT_ID/)
    expect(() =>
      loadConfig({
        OIDC_ISSUER: 'https://login.example/tenant/v2.0',
        OIDC_CLIENT_ID: 'id',
        OIDC_CLIENT_SECRET: 's',
        OIDC_REDIRECT_URI: 'https://hsb.example/sign-in/oidc/callback',
        OIDC_ROLE_MAP: 'not json',
      }),
    ).toThrow(/OIDC_ROLE_MAP/)
  })

  it('uses secure cookies in production', () => {
    expect(loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x@h/d', SESSION_SECRET: SECRET }).secureCookies).toBe(true)
  })
})
