import { startProcess, type Running } from '../../../bench/support/server.js'
import type { Services } from '../../../src/composition.js'
import { childrenRepository } from '../../../src/features/children/children.repository.js'
import type { Role } from '../../../src/platform/access/roles.js'
import { transaction } from '../../../src/platform/db/transaction.js'

/**
 * App instances as child processes (`node --import tsx src/server.ts`, so a SIGKILL reaches the
 * server itself, not a wrapper), a small partnership made through the services, and an HTTP
 * client with a cookie jar that records which upstream the proxy sent each request to.
 */
export const INSTANCE_SECRET = 'two-instances-session-secret-not-for-real-use-0123'
export const INSTANCE_MFA_KEY = 'two-instances-mfa-key-not-for-real-use-0123456789'
export const INSTANCE_PASSWORD = 'quartz-meadow-beacon-lantern-17'

/** What every instance shares (and the test process, which makes the people). */
export function sharedEnv(databaseUrl: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    SECURE_COOKIES: 'false',
    DEMO_MODE: 'false',
    SESSION_SECRET: INSTANCE_SECRET,
    MFA_ENCRYPTION_KEY: INSTANCE_MFA_KEY,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
  }
}

const running = new Set<Running>()
let guarded = false

/** Starts instances in parallel; if one fails, the others are stopped. Killed on exit whatever happens. */
export async function startInstances(list: { name: string; port: number; env: Record<string, string> }[]): Promise<Map<string, Running>> {
  if (!guarded) {
    guarded = true
    process.once('exit', () => {
      for (const r of running) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL')
    })
  }
  const started = await Promise.allSettled(
    list.map(async (i) => {
      const r = await startProcess('src/server.ts', { ...i.env, PORT: String(i.port) }, { port: i.port, timeoutMs: 90_000 })
      running.add(r)
      return [i.name, r] as const
    }),
  )
  const failed = started.find((s) => s.status === 'rejected')
  if (failed) {
    await stopAll()
    throw (failed as PromiseRejectedResult).reason
  }
  return new Map(started.map((s) => (s as PromiseFulfilledResult<readonly [string, Running]>).value))
}

/** Stops every instance started here (SIGTERM, SIGKILL after 15 s). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((r) => r.stop()))
  running.clear()
}

export type Person = { id: string; email: string; totpSecret: string }
export type Partnership = { partnershipId: string; teamId: string; people: Record<'worker' | 'manager' | 'lead', Person>; caseId: string }

/** A partnership with a social worker, a team manager and an HSB lead, and one case at "strategy meeting due". */
export async function makePartnership(services: Services, referralReceivedAt: Date): Promise<Partnership> {
  const { db, kernel, auth } = services
  const admin = services.admin.service
  const partnershipId = await admin.createPartnership('Two Instances Partnership')
  const system = { system: true as const, partnershipId }
  const agencyId = await admin.createAgency(system, { name: 'Two Instances Children’s Services', kind: 'CHILDRENS_SERVICES' })
  const teamId = await admin.createTeam(system, { agencyId, name: 'Two Instances Team' })
  // The front door: its managers hear of cases not yet allocated to a team (the clock notifications).
  await services.referrals.service.setFrontDoorTeam(system, teamId)
  const make = async (role: Role, key: string, totpSecret: string): Promise<Person> => {
    const email = `${key}@two-instances.example`
    const made = await admin.createUser(
      system,
      { displayName: `Two Instances ${role}`, email, agencyId, roles: [role], teamIds: [teamId], password: INSTANCE_PASSWORD, totpSecret },
      null,
    )
    if (!made.ok) throw new Error(made.errors.map((e) => e.text).join('; '))
    return { id: made.value, email, totpSecret }
  }
  const people = {
    worker: await make('SOCIAL_WORKER', 'worker', 'KRSXG5CTMVZHK3TFKRSXG5CTMVZHK3TA'),
    manager: await make('TEAM_MANAGER', 'manager', 'KRSXG5CTMVZHK3TFKRSXG5CTMVZHK3TB'),
    lead: await make('HSB_LEAD', 'lead', 'KRSXG5CTMVZHK3TFKRSXG5CTMVZHK3TC'),
  }
  const manager = (await auth.currentUser(people.manager.id))!
  const children = childrenRepository()
  const caseId = await transaction(db, { partnershipId }, async (trx) => {
    const childId = await children.insertChild(trx, {
      partnershipId,
      givenNames: 'Instance',
      familyName: 'Child',
      dateOfBirth: '2011-05-05',
    })
    await children.insertInvolvement(trx, { partnershipId, childId, agencyId, teamId, kind: 'ALLOCATED' })
    await children.insertInvolvement(trx, { partnershipId, childId, agencyId, userId: people.worker.id, kind: 'INVOLVED' })
    return kernel.openIn(trx, manager, { childId, route: 'NEW', referralReceivedAt }, 'two-instances')
  })
  await kernel.run(manager, caseId, 'ti-1', (act) => act.apply('RECORD_SCREENING', {}))
  await kernel.run(manager, caseId, 'ti-2', (act) => act.apply('CONFIRM_SCREENING', { rating: 'AMBER' }))
  return { partnershipId, teamId, people, caseId }
}

export type Answer = { status: number; text: string; location: string | null; upstream: string | null }
export const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''

/** A browser without JavaScript: a cookie jar, no redirects followed, and the upstream of each answer. */
export class Browser {
  private jar = new Map<string, string>()
  readonly upstreams: string[] = []
  constructor(private readonly baseUrl: string) {}

  get cookie(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  async get(path: string): Promise<Answer> {
    return this.send(path, { method: 'GET' })
  }

  async post(path: string, form: Record<string, string>): Promise<Answer> {
    return this.send(path, { method: 'POST', body: new URLSearchParams(form).toString(), contentType: 'application/x-www-form-urlencoded' })
  }

  private async send(path: string, o: { method: string; body?: string; contentType?: string }): Promise<Answer> {
    const res = await fetch(this.baseUrl + path, {
      method: o.method,
      headers: { cookie: this.cookie, ...(o.contentType ? { 'content-type': o.contentType } : {}) },
      ...(o.body !== undefined ? { body: o.body } : {}),
      redirect: 'manual',
    })
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';')
      const i = pair!.indexOf('=')
      this.jar.set(pair!.slice(0, i), pair!.slice(i + 1))
    }
    const upstream = res.headers.get('x-upstream')
    if (upstream) this.upstreams.push(upstream)
    return { status: res.status, text: await res.text(), location: res.headers.get('location'), upstream }
  }
}
