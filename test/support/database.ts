import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import pg from 'pg'
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/connect.js'
import { migrate } from '../../src/platform/db/migrate.js'
import { TEMPLATE_PATH } from './paths.js'

export const APP_ROLE = 'hsb_app'

/**
 * A fresh, migrated database for one test file: a copy of the PGlite template, or, when
 * TEST_DATABASE_URL is set, a new PostgreSQL database created for the file and dropped after.
 */
export async function createTestDatabase(): Promise<DatabaseHandle & { url?: string }> {
  const adminUrl = process.env.TEST_DATABASE_URL
  if (!adminUrl) {
    const template = await readFile(TEMPLATE_PATH)
    const handle = await openDatabase({ appRole: APP_ROLE, loadDataDir: new Blob([template]) })
    return handle
  }
  const name = `hsb_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  const handle = await openDatabase({ appRole: APP_ROLE, databaseUrl: url.toString(), poolSize: 5 })
  await migrate(handle.db, APP_ROLE)
  return {
    ...handle,
    url: url.toString(),
    async close() {
      await handle.close()
      const c = new pg.Client({ connectionString: adminUrl })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    },
  }
}
