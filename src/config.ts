import path from 'node:path'
import { z } from 'zod'

/**
 * Typed configuration read once from the environment. It fails fast: a bad value stops
 * start-up with a message naming the variable, never a half-configured service.
 */
const booleanFromEnv = z.enum(['true', 'false', '1', '0', 'yes', 'no', '']).transform((v) => v === 'true' || v === '1' || v === 'yes')

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** PostgreSQL only: how many worker processes serve requests (Node's cluster module); 1 = this process alone. */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().url().optional(),
  /** The role the application switches to after connecting; it has no UPDATE/DELETE on history. */
  /** PostgreSQL: a query or a wait for a connection longer than this fails, and the request gets a 503. */
  DATABASE_TIMEOUT_MS: z.coerce.number().int().min(100).default(4000),
  DATABASE_APP_ROLE: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'must be a plain lower-case PostgreSQL role name')
    .default('hsb_app'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Key for secrets kept in the database (TOTP seeds); derived from SESSION_SECRET when unset. */
  MFA_ENCRYPTION_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Demo mode: embedded database with demo data and a banner. Never in production. */
  DEMO_MODE: booleanFromEnv.optional(),
  /** Set when TLS ends at a reverse proxy in front of the service. */
  TRUST_PROXY: booleanFromEnv.default(false),
  SECURE_COOKIES: booleanFromEnv.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_IDLE_TIMEOUT_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(30 * 60),
  SESSION_ABSOLUTE_TIMEOUT_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(12 * 60 * 60),
  AUDIT_SEAL_INTERVAL_MS: z.coerce.number().int().min(100).default(2000),
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_REDIRECT_URI: z.string().url().optional(),
  OIDC_ROLE_CLAIM: z.string().default('roles'),
  /** JSON object mapping identity-provider role values to HSB Pathway roles. */
  OIDC_ROLE_MAP: z.string().optional(),
  OIDC_BUTTON_TEXT: z.string().default('Sign in with your organisation account'),
  /** Email notifications (docs/email.md). Without SMTP_HOST emails wait in the outbox. */
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  /** true: TLS from the start (usually port 465); false: STARTTLS when the server offers it. */
  SMTP_SECURE: booleanFromEnv.default(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  EMAIL_FROM: z.string().min(3).default('HSB Pathway <no-reply@hsb-pathway.invalid>'),
  /** The address people use to reach the service; emails link to <PUBLIC_BASE_URL>/notifications. */
  PUBLIC_BASE_URL: z.string().url().optional(),
  EMAIL_POLL_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),
  /** Delay before the first retry of a failed send; it doubles each time, up to EMAIL_RETRY_MAX_MS. */
  EMAIL_RETRY_BASE_MS: z.coerce.number().int().min(100).default(30_000),
  EMAIL_RETRY_MAX_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(60 * 60_000),
  EMAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(10),
  /** PostgreSQL only: the connection the job queue (pg-boss) uses; DATABASE_URL when unset. */
  JOB_QUEUE_DATABASE_URL: z.string().url().optional(),
  /** A folder for action plans' evidence documents; unset: they are kept in the database. */
  EVIDENCE_DIR: z.string().min(1).optional(),
  /** /health answers UP or DOWN to anyone; the database check's details only to a caller presenting this bearer token. */
  HEALTH_DETAILS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Searches for a child one person may run in any 5 minutes (find a child, link a child, create a record). */
  CHILD_SEARCHES_PER_5_MINUTES: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Days the front door keeps access to a child after closing a request at the front door (no further action, early help). */
  FRONT_DOOR_ACCESS_DAYS_AFTER_CLOSURE: z.coerce.number().int().min(0).max(365).default(30),
  /** A step entered more than this many days after it happened needs a reason ("entered late because…"). */
  LATE_ENTRY_REASON_AFTER_DAYS: z.coerce.number().int().min(0).max(3650).default(7),
  /** Hours a break-glass opening of a child's record lasts (issue 18). */
  BREAK_GLASS_HOURS: z.coerce.number().int().min(1).max(72).default(8),
  /** Distinct children one person may open in an hour before the privacy officer gets an alert (issue 18). */
  PRIVACY_VOLUME_ALERT_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(50),
})

export type Config = {
  env: 'development' | 'test' | 'production'
  port: number
  host: string
  /** Worker processes serving requests (PostgreSQL only); 1 = no cluster. */
  workers: number
  dataDir: string
  databaseUrl: string | undefined
  databaseAppRole: string
  databaseTimeoutMs: number
  sessionSecret: string
  mfaEncryptionKey: string
  demoMode: boolean
  trustProxy: boolean
  secureCookies: boolean
  logLevel: z.infer<typeof schema>['LOG_LEVEL']
  auditSealIntervalMs: number
  session: { idleMs: number; absoluteMs: number }
  oidc:
    | {
        issuer: string
        clientId: string
        clientSecret: string
        redirectUri: string
        roleClaim: string
        roleMap: Record<string, string>
        buttonText: string
      }
    | undefined
  email: EmailConfig
  /** Where evidence documents are written; undefined keeps them in the database. */
  evidenceDir: string | undefined
  /** The bearer token that opens /health's details; undefined: nobody gets them. */
  healthDetailsToken: string | undefined
  /** Searches for a child one person may run in any 5 minutes. */
  childSearchesPer5Minutes: number
  /** Days the front door keeps access to a child after closing a request at the front door. */
  frontDoorAccessDaysAfterClosure: number
  /** Days after which a step entered late needs a reason. */
  lateEntryReasonAfterDays: number
  /** Hours a break-glass opening of a child's record lasts. */
  breakGlassHours: number
  /** Distinct children one person may open in an hour before a privacy alert is raised. */
  privacyVolumeAlertPerHour: number
}

export type EmailConfig = {
  /** Undefined when SMTP_HOST is not set: emails stay in the outbox. */
  smtp: { host: string; port: number; secure: boolean; user: string | undefined; password: string | undefined } | undefined
  from: string
  publicBaseUrl: string
  pollIntervalMs: number
  retryBaseMs: number
  retryMaxMs: number
  maxAttempts: number
  /** The job queue's connection (PostgreSQL only). */
  jobQueueDatabaseUrl: string | undefined
}

export class ConfigError extends Error {}

const DEMO_SECRET = 'demo-mode-session-secret-not-for-real-use-0000'

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`)
  }
  const e = parsed.data
  const production = e.NODE_ENV === 'production'
  // Demo mode is the default only on the embedded database; with DATABASE_URL it must be asked for.
  const demoMode = e.DEMO_MODE ?? !e.DATABASE_URL
  if (demoMode && production) {
    throw new ConfigError('Demo mode cannot run with NODE_ENV=production. Unset DEMO_MODE or NODE_ENV.')
  }
  if (!demoMode && !e.SESSION_SECRET) {
    throw new ConfigError('SESSION_SECRET is required outside demo mode (at least 32 random characters).')
  }
  if (e.WEB_CONCURRENCY > 1 && !e.DATABASE_URL) {
    throw new ConfigError('WEB_CONCURRENCY above 1 needs PostgreSQL (DATABASE_URL): the embedded database is used by one process only.')
  }
  const oidc = readOidc(e)
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    workers: e.WEB_CONCURRENCY,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    databaseAppRole: e.DATABASE_APP_ROLE,
    databaseTimeoutMs: e.DATABASE_TIMEOUT_MS,
    sessionSecret: e.SESSION_SECRET ?? DEMO_SECRET,
    mfaEncryptionKey: e.MFA_ENCRYPTION_KEY ?? e.SESSION_SECRET ?? DEMO_SECRET,
    demoMode,
    trustProxy: e.TRUST_PROXY,
    secureCookies: e.SECURE_COOKIES ?? production,
    logLevel: e.LOG_LEVEL,
    auditSealIntervalMs: e.AUDIT_SEAL_INTERVAL_MS,
    session: { idleMs: e.SESSION_IDLE_TIMEOUT_SECONDS * 1000, absoluteMs: e.SESSION_ABSOLUTE_TIMEOUT_SECONDS * 1000 },
    oidc,
    email: readEmail(e),
    evidenceDir: e.EVIDENCE_DIR,
    healthDetailsToken: e.HEALTH_DETAILS_TOKEN,
    childSearchesPer5Minutes: e.CHILD_SEARCHES_PER_5_MINUTES,
    frontDoorAccessDaysAfterClosure: e.FRONT_DOOR_ACCESS_DAYS_AFTER_CLOSURE,
    lateEntryReasonAfterDays: e.LATE_ENTRY_REASON_AFTER_DAYS,
    breakGlassHours: e.BREAK_GLASS_HOURS,
    privacyVolumeAlertPerHour: e.PRIVACY_VOLUME_ALERT_PER_HOUR,
  }
}

function readEmail(e: z.infer<typeof schema>): EmailConfig {
  if (e.SMTP_USER && !e.SMTP_PASSWORD) throw new ConfigError('SMTP_USER is set, so SMTP_PASSWORD is required too.')
  return {
    smtp: e.SMTP_HOST
      ? { host: e.SMTP_HOST, port: e.SMTP_PORT, secure: e.SMTP_SECURE, user: e.SMTP_USER, password: e.SMTP_PASSWORD }
      : undefined,
    from: e.EMAIL_FROM,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    pollIntervalMs: e.EMAIL_POLL_INTERVAL_MS,
    retryBaseMs: e.EMAIL_RETRY_BASE_MS,
    retryMaxMs: Math.max(e.EMAIL_RETRY_MAX_MS, e.EMAIL_RETRY_BASE_MS),
    maxAttempts: e.EMAIL_MAX_ATTEMPTS,
    jobQueueDatabaseUrl: e.JOB_QUEUE_DATABASE_URL ?? e.DATABASE_URL,
  }
}

function readOidc(e: z.infer<typeof schema>): Config['oidc'] {
  if (!e.OIDC_ISSUER) return undefined
  const missing = (['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URI'] as const).filter((k) => !e[k])
  if (missing.length > 0) {
    throw new ConfigError(`OIDC_ISSUER is set, so these are required too: ${missing.join(', ')}`)
  }
  let roleMap: Record<string, string> = {}
  if (e.OIDC_ROLE_MAP) {
    try {
      roleMap = z.record(z.string(), z.string()).parse(JSON.parse(e.OIDC_ROLE_MAP))
    } catch {
      throw new ConfigError('OIDC_ROLE_MAP must be a JSON object of strings, e.g. {"HSB.SocialWorker":"SOCIAL_WORKER"}')
    }
  }
  return {
    issuer: e.OIDC_ISSUER,
    clientId: e.OIDC_CLIENT_ID as string,
    clientSecret: e.OIDC_CLIENT_SECRET as string,
    redirectUri: e.OIDC_REDIRECT_URI as string,
    roleClaim: e.OIDC_ROLE_CLAIM,
    roleMap,
    buttonText: e.OIDC_BUTTON_TEXT,
  }
}
