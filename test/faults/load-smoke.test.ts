import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signInOverHttp, csrfIn } from '../../bench/support/http-session.js'
import { runOpenLoad, standardMix } from '../../bench/support/open-load.js'
import { londonDate } from '../../src/platform/clocks/london-time.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { createFixtures, TEST_PASSWORD, type Fixtures } from '../support/fixtures.js'

/**
 * The load test's small version for CI (the full one is bench/load-soak.ts: 500 users, 200 req/s,
 * 10 minutes): the same mix of reads, searches, writes and exports at a fixed rate for a few
 * seconds. Every request answers as it should: no errors, nothing slower than the limit.
 */
let t: TestApp
let f: Fixtures
let server: Server
let base: string

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  server = t.app.listen(0, '127.0.0.1')
  await new Promise((r) => server.once('listening', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}, 120_000)
afterAll(async () => {
  server?.close()
  await t?.close()
})

describe('load, small version', () => {
  it('answers a mix of reads, searches, writes and exports at 20 requests a second with no errors', async () => {
    const worker = f.users.SOCIAL_WORKER
    const session = await signInOverHttp(base, worker, TEST_PASSWORD)
    const csrf = csrfIn(await (await fetch(`${base}/children/search`, { headers: { cookie: session.cookie } })).text())
    const caseIds = [f.children.SOCIAL_WORKER.INVOLVED, f.children.SOCIAL_WORKER.SAME_TEAM].map((c) => f.caseOf[c]!)
    const [year, month, day] = londonDate(new Date()).split('-') as [string, string, string]
    const result = await runOpenLoad({
      baseUrl: base,
      users: 10,
      rate: 20,
      seconds: 10,
      actions: standardMix({ caseIds, csrf, today: { day: String(Number(day)), month: String(Number(month)), year } }),
      cookieOf: () => session.cookie,
    })
    expect(result.firstErrors).toEqual([])
    expect(result.requests).toBeGreaterThanOrEqual(190)
    expect(new Set(result.byKind.map((k) => k.kind)).size).toBe(6)
    // Latency is measured at full size by bench/load-soak.ts; here it is only reported.
    console.log(`load smoke: ${result.requests} requests, p99 ${result.p99} ms`)
  }, 90_000)
})
