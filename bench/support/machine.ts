import { readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'

/** What the figures were measured on, and the RESULTS.md section writer every benchmark shares. */
export async function machineLine(databaseUrl?: string): Promise<string> {
  let pgVersion = 'n/a'
  if (databaseUrl) {
    const c = new pg.Client({ connectionString: databaseUrl })
    await c.connect()
    pgVersion = (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '?'
    await c.end()
  }
  const cpus = os.cpus()
  return `${cpus.length} CPU (${cpus[0]?.model.trim() ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, load average ${os.loadavg()[0]!.toFixed(1)} at the start, Node ${process.version}, PostgreSQL ${pgVersion}, ${os.platform()} ${os.release()}`
}

export const RESULTS_PATH = path.join(import.meta.dirname, '..', 'RESULTS.md')

/** Replaces (or appends) one benchmark's section of bench/RESULTS.md, between its markers. */
export async function writeSection(name: string, body: string): Promise<void> {
  let text = ''
  try {
    text = await readFile(RESULTS_PATH, 'utf8')
  } catch {
    text =
      '# Benchmark results\n\nWritten by the benchmarks in bench/ (see bench/README.md). Each section is replaced when its benchmark runs again.\n'
  }
  const start = `<!-- ${name}:start -->`
  const end = `<!-- ${name}:end -->`
  const section = `${start}\n${body.trim()}\n${end}`
  const i = text.indexOf(start)
  const j = text.indexOf(end)
  text = i >= 0 && j > i ? text.slice(0, i) + section + text.slice(j + end.length) : `${text.trimEnd()}\n\n${section}\n`
  await writeFile(RESULTS_PATH, text)
}
