/**
 * Import benchmark: an action-plan extract of N rows (default 1,000,000) through our importer
 * (the command line `import-action-plan`, as a user runs it: read, check every row, save all or
 * nothing with each action's first history row) against `psql \copy` of the same file into a
 * table of the same columns, on the same database in the same run.
 *
 *   npx tsx bench/import.ts                         (1,000,000 rows on hsb_bench_import)
 *   npx tsx bench/import.ts --rows 100000 --runs 1
 *
 * Options: --rows, --database-url (recreated: hsb_bench* only), --runs (best of), --file (kept).
 * Writes the "import" section of bench/RESULTS.md. Needs `psql` on the PATH.
 */
import { spawn } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { once } from 'node:events'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { BOARD_PLAN_COLUMNS } from '../src/features/reviews/imported-plan.js'
import { recreateDatabase, seedInto, queryOnce } from './support/bench-db.js'
import { benchServerEnv } from './support/bench-env.js'
import { machineLine, writeSection } from './support/machine.js'
import { rngFor } from './seed/prng.js'
import { rssMb } from './support/server.js'

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/hsb_bench_import' },
    runs: { type: 'string', default: '1' },
    file: { type: 'string' },
  },
})
const rows = Number(values.rows)
const databaseUrl = values['database-url']!
const runs = Number(values.runs)
const file = values.file ?? `/tmp/hsb-import-${rows}.csv`
const say = (text: string) => process.stdout.write(`${text}\n`)

const AGENCIES = ['Children’s Social Care', 'Northshire Police', 'Northshire Health Trust', 'Northshire Schools', 'Youth Justice Service']
const RAG = ['Red', 'Amber', 'Amber', 'Green', 'Green', 'Green', 'Completed']
const VERBS = [
  'Review',
  'Audit',
  'Update',
  'Train staff on',
  'Publish guidance on',
  'Report to the board on',
  'Agree a protocol for',
  'Check the use of',
]
const TOPICS = [
  'information sharing at the front door',
  'strategy meeting invitations',
  'AIM assessment timescales',
  'safety planning in school',
  'supervision of HSB cases',
  'recording of ethnicity and SEND',
  'joint visits with police',
  'transfer of cases between areas',
]
const csv = (text: string) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text)

/**
 * The extract: the board action-plan layout (BOARD_PLAN_COLUMNS), every row filled in as an
 * export writes it. 40 actions per agency response, 5 agencies per question, 25 questions per
 * finding: 1,000,000 rows is 200 findings, 5,000 questions and 25,000 responses.
 */
async function writeExtract(path: string, n: number): Promise<number> {
  const out = createWriteStream(path)
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain')
  }
  await write(`${BOARD_PLAN_COLUMNS.join(',')}\n`)
  for (let i = 0; i < n; i++) {
    const action = i % 40
    const agency = Math.floor(i / 40) % AGENCIES.length
    const q = Math.floor(i / 200)
    const finding = Math.floor(q / 25) + 1
    const question = (q % 25) + 1
    const rng = rngFor(1, 'import', i)
    const date = `${String(rng.int(1, 28)).padStart(2, '0')}/${String(rng.int(1, 12)).padStart(2, '0')}/${rng.int(2025, 2027)}`
    await write(
      [
        `${finding}. Learning theme ${finding}`,
        `${finding}.${question} Agencies should strengthen practice in area ${finding}.${question}`,
        AGENCIES[agency]!,
        `The agency accepts the recommendation for question ${finding}.${question}, and will report progress quarterly.`,
        `${rng.pick(VERBS)} ${rng.pick(TOPICS)} (action ${action + 1} of ${finding}.${question}/${agency + 1})`,
        rng.pick(RAG),
        rng.chance(0.3) ? 'Capacity in the team, and waiting for the new system' : '',
        date,
        `Lead officer ${rng.int(1, 60)}`,
        'Children are safer because agencies act together',
      ]
        .map(csv)
        .join(',') + '\n',
    )
  }
  out.end()
  await once(out, 'finish')
  return (await stat(path)).size
}

function run(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ ms: number; code: number; stdout: string; stderr: string; peakRssMb: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let peak = 0
    const timer = setInterval(
      () =>
        rssMb(child.pid!)
          .then((mb) => (peak = Math.max(peak, mb)))
          .catch(() => {}),
      200,
    )
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('exit', (code) => {
      clearInterval(timer)
      resolve({ ms: performance.now() - started, code: code ?? -1, stdout, stderr, peakRssMb: peak })
    })
  })
}

const query = <T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> => queryOnce<T>(databaseUrl, text, params)

say(`Writing a ${rows.toLocaleString('en-GB')}-row extract to ${file}`)
const bytes = await writeExtract(file, rows)
say(`  ${(bytes / 1024 / 1024).toFixed(1)} MB`)
await recreateDatabase(databaseUrl)
await seedInto({ databaseUrl }, 50, 1, () => {})
const machine = await machineLine(databaseUrl)
const columns = BOARD_PLAN_COLUMNS.map((_, i) => `c${i + 1} text`).join(', ')

type Figure = { copyMs: number; importMs: number; importPeakMb: number; actions: number; versions: number }
const figures: Figure[] = []
for (let r = 1; r <= runs; r++) {
  // Baseline: psql \copy of the same file into a plain table of the same ten columns.
  await query(`DROP TABLE IF EXISTS bench_plan_extract; CREATE TABLE bench_plan_extract (${columns})`)
  const copy = await run('psql', [
    databaseUrl,
    '-v',
    'ON_ERROR_STOP=1',
    '-c',
    `\\copy bench_plan_extract FROM '${file}' WITH (FORMAT csv, HEADER true)`,
  ])
  if (copy.code !== 0) throw new Error(`psql \\copy failed: ${copy.stderr}`)
  const copied = await query<{ n: string }>('SELECT count(*)::text AS n FROM bench_plan_extract')
  if (Number(copied[0]!.n) !== rows) throw new Error(`\\copy loaded ${copied[0]!.n} rows, not ${rows}`)

  // Ours: the command line importer, into a new review each run.
  const review = `Bench import ${r}`
  const env = { ...benchServerEnv({ databaseUrl, port: 0 }), NODE_OPTIONS: '--max-old-space-size=8192' }
  const imported = await run(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'import-action-plan', file, '--review', review], env)
  if (imported.code !== 0) throw new Error(`the importer exited ${imported.code}: ${imported.stderr.slice(0, 2000)}`)
  const [counts] = await query<{ actions: string; versions: string }>(
    `SELECT (SELECT count(*) FROM review_action a JOIN review v ON v.id = a.review_id WHERE v.name = $1)::text AS actions,
            (SELECT count(*) FROM review_action_version a JOIN review v ON v.id = a.review_id WHERE v.name = $1)::text AS versions`,
    [review],
  )
  const figure = {
    copyMs: copy.ms,
    importMs: imported.ms,
    importPeakMb: imported.peakRssMb,
    actions: Number(counts!.actions),
    versions: Number(counts!.versions),
  }
  if (figure.actions !== rows || figure.versions !== rows)
    throw new Error(`the importer saved ${figure.actions} actions and ${figure.versions} history rows, not ${rows}`)
  figures.push(figure)
  say(
    `run ${r}: \\copy ${(copy.ms / 1000).toFixed(1)} s, importer ${(imported.ms / 1000).toFixed(1)} s (peak RSS ${Math.round(imported.peakRssMb)} MB), ratio ${(copy.ms / imported.ms).toFixed(2)}`,
  )
}

const best = (pick: (f: Figure) => number) => Math.min(...figures.map(pick))
const copyMs = best((f) => f.copyMs)
const importMs = best((f) => f.importMs)
const perSecond = (ms: number) => Math.round(rows / (ms / 1000)).toLocaleString('en-GB')
const body = `## Import: ${rows.toLocaleString('en-GB')}-row action plan extract

Run ${new Date().toISOString()} with \`npx tsx bench/import.ts ${process.argv.slice(2).join(' ')}\`.
Machine: ${machine}.
File: ${(bytes / 1024 / 1024).toFixed(1)} MB CSV in the board action-plan layout (200 findings, 5,000 questions, 25,000 agency responses at 1,000,000 rows). Best of ${runs}.

| | Time | Rows per second | Ratio to \\copy |
|---|---:|---:|---:|
| \`psql \\copy\` into a 10-column text table (baseline) | ${(copyMs / 1000).toFixed(1)} s | ${perSecond(copyMs)} | 1.00 |
| Our importer (\`import-action-plan\`: reads, checks every row, saves each action with its history row, all or nothing) | ${(importMs / 1000).toFixed(1)} s | ${perSecond(importMs)} | **${(copyMs / importMs).toFixed(2)}** |

Importer peak RSS ${Math.round(Math.max(...figures.map((f) => f.importPeakMb)))} MB. Target: ratio ≥ 0.5.`
await writeSection('import', body)
say(`\n${body}`)
