/**
 * The retention run in a process of its own, for test/faults/retention-kill.test.ts: it erases
 * the approved records of one partnership, saying `ERASED <childId>` inside each child's
 * transaction before it commits; at the child number KILL_AT it says `MID <childId>` there and
 * waits, mid-transaction, for the test to kill it (SIGKILL).
 */
import { createServices } from '../../../src/composition.js'
import { loadConfig } from '../../../src/config.js'
import { openDatabase } from '../../../src/platform/db/connect.js'

const killAt = Number(process.env.KILL_AT ?? '0')
const partnershipId = process.env.PARTNERSHIP_ID!
const handle = await openDatabase({
  appRole: 'hsb_app',
  ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL, poolSize: 2 } : { dataDir: process.env.DATA_DIR! }),
})
const config = loadConfig({
  NODE_ENV: 'test',
  SESSION_SECRET: 'test-session-secret-that-is-long-enough-0123456789',
  DEMO_MODE: 'false',
  LOG_LEVEL: 'silent',
})
const services = await createServices(config, handle)
let n = 0
const result = await services.retention.service.runApproved(
  { partnershipId, userId: null, requestId: 'fault-drill' },
  {
    async withinEach(childId) {
      n++
      if (n === killAt) {
        process.stdout.write(`MID ${childId}\n`)
        await new Promise(() => {})
      }
      process.stdout.write(`ERASED ${childId}\n`)
    },
  },
)
process.stdout.write(`DONE ${JSON.stringify(result)}\n`)
await handle.close()
