import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServices, type Services } from '../../src/composition.js'
import { loadConfig } from '../../src/config.js'
import { childrenRepository } from '../../src/features/children/children.repository.js'
import { sealPending, verifyChain } from '../../src/platform/audit/audit-chain.js'
import type { CurrentUser } from '../../src/platform/auth/current-user.js'
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/connect.js'
import { migrate } from '../../src/platform/db/migrate.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestDatabase } from '../support/database.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'

/**
 * Retention (issue 18, part 7): a retention run killed part-way (SIGKILL of its process while one
 * child's erasure is done but not committed) leaves every child either whole or tombstoned, never
 * half-erased; what it did not reach stays approved, and the next run finishes it; the audit chain
 * verifies. On PostgreSQL (TEST_DATABASE_URL) and on the embedded database (a data folder the run's
 * process opens after the test has closed it).
 */
const ADMIN_URL = process.env.TEST_DATABASE_URL
const CHILDREN = 5
const KILL_AT = 3
const config = loadConfig({
  NODE_ENV: 'test',
  SESSION_SECRET: 'test-session-secret-that-is-long-enough-0123456789',
  DEMO_MODE: 'false',
  LOG_LEVEL: 'silent',
})
const dataDir = `/tmp/hsb-fault-retention-${process.pid}`

let handle: DatabaseHandle & { url?: string }
let services: Services
let f: Fixtures
const kids: { childId: string; caseId: string; events: number }[] = []

async function open(): Promise<DatabaseHandle & { url?: string }> {
  if (ADMIN_URL) return createTestDatabase()
  const h = await openDatabase({ appRole: 'hsb_app', dataDir })
  await migrate(h.db, 'hsb_app')
  return h
}

const asSystem = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(handle.db, 'system', fn)

beforeAll(async () => {
  await rm(dataDir, { recursive: true, force: true })
  handle = await open()
  services = await createServices(config, handle)
  f = await createFixtures(services)
  const head = (await services.auth.currentUser(f.users.HEAD_OF_SERVICE.id)) as CurrentUser
  const privacy = (await services.auth.currentUser(f.users.PRIVACY_OFFICER.id)) as CurrentUser
  const manager = (await services.auth.currentUser(f.users.TEAM_MANAGER.id)) as CurrentUser
  const children = childrenRepository()
  const partnershipId = f.partnershipId
  for (let i = 0; i < CHILDREN; i++) {
    kids.push(
      await transaction(handle.db, { partnershipId }, async (trx) => {
        const childId = await children.insertChild(trx, {
          partnershipId,
          givenNames: 'Kill',
          familyName: `Drill${i}`,
          dateOfBirth: '1999-09-09',
        })
        await children.insertInvolvement(trx, {
          partnershipId,
          childId,
          agencyId: f.agencyIds.csc,
          teamId: f.users.TEAM_MANAGER.teamId,
          kind: 'ALLOCATED',
        })
        const caseId = await services.kernel.openIn(trx, manager, { childId, route: 'NEW', referralReceivedAt: new Date() }, 'fault')
        await trx.updateTable('hsbCase').set({ status: 'CLOSED', closedAt: new Date() }).where('id', '=', caseId).execute()
        const events = await trx.selectFrom('caseEvent').select('id').where('caseId', '=', caseId).execute()
        return { childId, caseId, events: events.length }
      }),
    )
  }
  const retention = services.retention.service
  const saved = await retention.setSchedule(
    head,
    {
      kind: 'CHILD_RECORD',
      yearsAfterLastContact: '',
      untilBirthday: '21',
      effectiveFrom: { day: '1', month: '1', year: '2020' },
      note: 'The fault drill’s decision.',
    },
    randomUUID(),
    'fault',
  )
  expect(saved.ok).toBe(true)
  for (const k of kids) {
    const { deletionId } = await retention.propose(head, k.childId, 'fault')
    await retention.decide(privacy, deletionId!, true, 'fault')
  }
  // The embedded database is one process at a time: the run's process opens it next.
  if (!ADMIN_URL) await handle.close()
}, 300_000)

afterAll(async () => {
  await handle?.close()
  await rm(dataDir, { recursive: true, force: true })
})

/** Runs the retention run in its own process and SIGKILLs it mid-transaction at child number KILL_AT. */
function runAndKill(): Promise<{ erased: string[]; mid: string | null; signal: string | null; output: string }> {
  return new Promise((resolve, reject) => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_ENV' && !k.startsWith('VITEST')))
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/faults/support/retention-run-child.ts'], {
      cwd: process.cwd(),
      env: {
        ...env,
        PARTNERSHIP_ID: f.partnershipId,
        KILL_AT: String(KILL_AT),
        ...(ADMIN_URL ? { DATABASE_URL: handle.url! } : { DATA_DIR: dataDir }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    const erased: string[] = []
    let mid: string | null = null
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000)
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString()
      for (const line of output.split('\n')) {
        const [word, id] = line.split(' ')
        if (word === 'ERASED' && id && !erased.includes(id)) erased.push(id)
        if (word === 'MID' && id && !mid) {
          mid = id
          child.kill('SIGKILL')
        }
      }
    })
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    child.once('error', reject)
    child.once('close', (_code, signal) => {
      clearTimeout(timer)
      resolve({ erased, mid, signal, output })
    })
  })
}

/** Each child: tombstoned (nothing left of it), whole (everything as before, still approved), or neither. */
async function stateOf(k: (typeof kids)[number]): Promise<'TOMBSTONED' | 'WHOLE' | string> {
  return asSystem(async (trx) => {
    const child = await trx.selectFrom('child').select('id').where('id', '=', k.childId).executeTakeFirst()
    const kase = await trx.selectFrom('hsbCase').select('id').where('id', '=', k.caseId).executeTakeFirst()
    const events = await trx.selectFrom('caseEvent').select('id').where('caseId', '=', k.caseId).execute()
    const involvements = await trx.selectFrom('childInvolvement').select('id').where('childId', '=', k.childId).execute()
    const tombstone = await trx.selectFrom('retentionTombstone').select('id').where('childId', '=', k.childId).executeTakeFirst()
    const deletion = await trx.selectFrom('retentionDeletion').select('status').where('childId', '=', k.childId).executeTakeFirstOrThrow()
    if (tombstone && !child && !kase && events.length === 0 && involvements.length === 0 && deletion.status === 'EXECUTED')
      return 'TOMBSTONED'
    if (!tombstone && child && kase && events.length === k.events && involvements.length === 1 && deletion.status === 'APPROVED')
      return 'WHOLE'
    return `HALF: child ${!!child}, case ${!!kase}, events ${events.length}/${k.events}, tombstone ${!!tombstone}, ${deletion.status}`
  })
}

describe(`a retention run killed part-way (${ADMIN_URL ? 'PostgreSQL' : 'embedded database'})`, () => {
  it('leaves every child whole or tombstoned; the next run finishes; the audit chain verifies', async () => {
    const run = await runAndKill()
    expect(run.signal, run.output.slice(-2000)).toBe('SIGKILL')
    expect(run.mid, run.output.slice(-2000)).not.toBeNull()
    expect(run.erased).toHaveLength(KILL_AT - 1)

    if (!ADMIN_URL) {
      handle = await open()
      services = await createServices(config, handle)
    }
    const states = await Promise.all(kids.map(async (k) => [k.childId, await stateOf(k)] as const))
    for (const [childId, state] of states) {
      expect(['TOMBSTONED', 'WHOLE'], `${childId}: ${state}`).toContain(state)
      expect(state, childId).toBe(run.erased.includes(childId) ? 'TOMBSTONED' : 'WHOLE')
    }
    // The child being erased when the run was killed is whole: its transaction never committed.
    expect(states.find(([id]) => id === run.mid)![1]).toBe('WHOLE')

    const again = await services.retention.service.runApproved({ partnershipId: f.partnershipId, userId: null, requestId: 'after-kill' })
    expect(again).toEqual({ erased: CHILDREN - (KILL_AT - 1), held: 0, failed: 0, failures: [] })
    for (const k of kids) expect(await stateOf(k)).toBe('TOMBSTONED')

    await sealPending(handle.db, { settleMs: 0 })
    expect((await verifyChain(handle.db)).ok).toBe(true)
  }, 300_000)
})
