import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { openDatabase } from '../../src/platform/db/connect.js'
import { migrate } from '../../src/platform/db/migrate.js'
import { TEMPLATE_PATH } from './paths.js'

/**
 * Builds one migrated PGlite database and dumps it; each test file starts from a copy
 * (~0.5 s) instead of initialising and migrating its own (~3 s).
 */
export default async function setup() {
  if (process.env.TEST_DATABASE_URL) return
  const handle = await openDatabase({ appRole: 'hsb_app' })
  await migrate(handle.db, 'hsb_app')
  const blob = await handle.dump!()
  await mkdir(path.dirname(TEMPLATE_PATH), { recursive: true })
  await writeFile(TEMPLATE_PATH, Buffer.from(await blob.arrayBuffer()))
  await handle.close()
}
