/**
 * Backup, restore and a restore drill, for PostgreSQL (pg_dump/pg_restore) and the embedded
 * database (PGlite dump). Uses the server's settings: DATABASE_URL, or DATA_DIR (embedded).
 *
 *   npx tsx scripts/backup.ts backup <file>                      (embedded: stop the server first)
 *   npx tsx scripts/backup.ts restore <file> --into <URL|DIR>    (an EMPTY database, or a new folder)
 *   npx tsx scripts/backup.ts drill [<file>]                     (backup, restore into a scratch copy, compare every table)
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { backup, compare, fingerprint, restore, type Target } from './backup-lib.js'

const say = (text: string) => process.stdout.write(`${text}\n`)
const complain = (text: string) => process.stderr.write(`${text}\n`)

const { positionals, values } = parseArgs({ allowPositionals: true, options: { into: { type: 'string' } } })
const [command, file] = positionals
const source: Target = process.env.DATABASE_URL
  ? { databaseUrl: process.env.DATABASE_URL }
  : { dataDir: path.resolve(process.env.DATA_DIR ?? './data') }
const targetOf = (s: string): Target => (/^postgres(ql)?:\/\//.test(s) ? { databaseUrl: s } : { dataDir: path.resolve(s) })

if (command === 'backup' && file) {
  await backup(source, file)
  say(`Backed up to ${file}`)
} else if (command === 'restore' && file && values.into) {
  await restore(file, targetOf(values.into))
  say(`Restored ${file} into ${values.into}`)
} else if (command === 'drill') {
  const work = await mkdtemp(path.join(tmpdir(), 'hsb-backup-drill-'))
  const dump = file ?? path.join(work, 'backup.dump')
  let scratch: Target
  let dropScratch = async () => {}
  if ('databaseUrl' in source) {
    const url = new URL(source.databaseUrl)
    const name = `hsb_restore_drill_${Date.now()}`
    const admin = new URL(source.databaseUrl)
    admin.pathname = '/postgres'
    const c = new pg.Client({ connectionString: admin.toString() })
    await c.connect()
    await c.query(`CREATE DATABASE ${name}`)
    await c.end()
    url.pathname = `/${name}`
    scratch = { databaseUrl: url.toString() }
    dropScratch = async () => {
      const d = new pg.Client({ connectionString: admin.toString() })
      await d.connect()
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await d.end()
    }
  } else {
    scratch = { dataDir: path.join(work, 'restored') }
  }
  try {
    const t0 = Date.now()
    await backup(source, dump)
    const t1 = Date.now()
    await restore(dump, scratch)
    const t2 = Date.now()
    const [a, b] = [await fingerprint(source), await fingerprint(scratch)]
    const problems = compare(a, b)
    const rows = Object.values(a).reduce((s, x) => s + x.rows, 0)
    say(`Drill: ${Object.keys(a).length} tables, ${rows.toLocaleString('en-GB')} rows; backup ${t1 - t0} ms, restore ${t2 - t1} ms`)
    if (problems.length) {
      for (const p of problems) say(`  MISMATCH ${p}`)
      process.exitCode = 1
    } else {
      say('  every table restored with the same rows (count and checksum)')
    }
  } finally {
    await dropScratch()
    await rm(work, { recursive: true, force: true })
  }
} else {
  complain('usage: backup <file> | restore <file> --into <URL|DIR> | drill [<file>]')
  process.exitCode = 2
}
