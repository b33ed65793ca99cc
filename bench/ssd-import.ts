/**
 * SSD import benchmark: a messy synthetic SSD extract of N people (default 100,000; the 12 CSVs of
 * test/support/ssd-extract.ts) through our importer (the command line `import-ssd`, as a user runs
 * it: read and check every row, stage it, work out who is who, write children, cases with their
 * history, requests, strategy discussions and records, all or nothing) against `psql \copy` of the
 * same 12 files into plain text tables of the same columns, on the same database in the same run.
 * Then the same extract again (creates nothing) and a dry run (into an empty partnership: the
 * preview a person runs before their first import, all the work and then rolled back).
 *
 *   npx tsx bench/ssd-import.ts                       (100,000 people on hsb_bench_ssd, recreated)
 *   npx tsx bench/ssd-import.ts --persons 10000 --cpu-prof /tmp/ssd-prof --statements
 *
 * Options: --persons, --seed, --database-url (recreated: hsb_bench* only), --dir (the extract, kept),
 * --runs (which imports to time: default first,second,dry), --statements (every import times each
 * SQL statement it sends; the costliest are printed, and the first's written down), --cpu-prof DIR
 * (every import runs under `node --cpu-prof`; its hottest code is printed), --cli (the command line
 * to run: a build of src/ such as dist/cli/index.js gives a profile real line numbers, where tsx's
 * compiled code is all on one line), --timeout-ms (DATABASE_TIMEOUT_MS for the importer, which
 * allows a statement the longer of it and ten minutes), --top (lines printed).
 * Writes the "ssd-import" section of bench/RESULTS.md at 100,000 people, "ssd-import-N" otherwise
 * (not under the CPU profiler); a failed import is written down too. Needs `psql` and GNU
 * `/usr/bin/time` (the importer's peak RSS is its own, from the kernel).
 */
import { spawn } from 'node:child_process'
import { open, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { parse } from 'csv-parse/sync'
import pg from 'pg'
import { createServices } from '../src/composition.js'
import { upnCheckLetter } from '../src/features/children/identifiers.rules.js'
import { SSD_TABLE_NAMES, SSD_TABLES, columnFor, type SsdTableName } from '../src/features/ssd-import/ssd.spec.js'
import type { Summary } from '../src/features/ssd-import/index.js'
import { openDatabase } from '../src/platform/db/connect.js'
import { migrate } from '../src/platform/db/migrate.js'
import { writeSyntheticExtract, type SyntheticCounts } from '../test/support/ssd-extract.js'
import { recreateDatabase, queryOnce } from './support/bench-db.js'
import { BENCH_DB_TIMEOUT_MS, BENCH_PASSWORD, benchConfig, benchServerEnv } from './support/bench-env.js'
import { machineLine, writeSection } from './support/machine.js'

const { values } = parseArgs({
  options: {
    persons: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/hsb_bench_ssd' },
    dir: { type: 'string' },
    'cpu-prof': { type: 'string' },
    statements: { type: 'boolean', default: false },
    'timeout-ms': { type: 'string' },
    top: { type: 'string', default: '25' },
    cli: { type: 'string', default: 'src/cli/index.ts' },
    runs: { type: 'string', default: 'first,second,dry' },
  },
})
const persons = Number(values.persons)
const seed = Number(values.seed)
const databaseUrl = values['database-url']!
const dir = values.dir ?? `/tmp/hsb-ssd-${persons}`
const LA_CODE = '873'
const PARTNERSHIP = 'SSD Bench Partnership'
const PREVIEW = 'SSD Bench Preview Partnership'
const EMAIL = 'ssd.importer@bench.example'
const profileDir = values['cpu-prof']
const profiling = Boolean(profileDir) || values.statements
/** Which imports to time after the first: `second` (the same extract again), `dry` (a dry run). */
const wanted = new Set(values.runs!.split(','))
/** The CPU profiler slows the importer: figures taken under it are not written to RESULTS.md. */
const profiled = Boolean(profileDir)
/** Node's arguments for the importer when profiling (a CPU profile, statement timings, or both). */
const profilerArgs: string[] = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []
const say = (text: string) => process.stdout.write(`${text}\n`)
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const n = (x: number) => x.toLocaleString('en-GB')

// ---------------------------------------------------------------------------------------------
// The extract's UPNs, made unique
// ---------------------------------------------------------------------------------------------

/**
 * The generator's UPNs repeat beyond 7,000 people (person n gets establishment 2000 + n % 7000 and
 * serial n % 1000: people 7,000 apart born in the same year share one): a quarter of the people
 * at 100,000. The importer holds every pair sharing a UPN as a proposed match (before it compared
 * people with the same date of birth only, it stopped on the one-child-per-UPN rule), so most of
 * the extract would not be imported at all. Each later repeat is given a UPN of its own here, in
 * ssd_person.csv and ssd_linked_identifiers.csv, leaving every other byte as written:
 * establishment 9xxx, which the generator never uses, with a valid check letter. Returns how many
 * people were given a new one.
 */
async function uniqueUpns(): Promise<number> {
  const rewrite = async (table: SsdTableName, change: (fields: Map<string, string>, line: string) => string) => {
    const file = path.join(dir, SSD_TABLES[table].file)
    const lines = (await readFile(file, 'utf8')).split('\n')
    const [header] = parse(lines[0]!.replace(/\r$/, ''), { bom: true }) as string[][]
    const names = header!.map((h) => columnFor(SSD_TABLES[table], h)?.name ?? h)
    for (let i = 1; i < lines.length; i++) {
      if (!lines[i]!.trim()) continue
      const [cells] = parse(lines[i]!.replace(/\r$/, '')) as string[][]
      lines[i] = change(new Map(names.map((name, k) => [name, cells![k] ?? ''])), lines[i]!)
    }
    await writeFile(file, lines.join('\n'))
  }
  const seen = new Set<string>()
  const given = new Map<string, { from: string; to: string }>()
  await rewrite('ssd_person', (f, line) => {
    const upn = f.get('pers_upn') ?? ''
    if (!/^[A-Z]\d{12}$/.test(upn)) return line
    if (!seen.has(upn)) return (seen.add(upn), line)
    const k = given.size
    const twelve = `${LA_CODE}9${String(k % 1000).padStart(3, '0')}${upn.slice(8, 10)}${String(Math.floor(k / 1000)).padStart(3, '0')}`
    const to = `${upnCheckLetter(twelve)!}${twelve}`
    given.set(f.get('pers_person_id')!, { from: upn, to })
    return line.replace(upn, to)
  })
  if (given.size)
    await rewrite('ssd_linked_identifiers', (f, line) => {
      const mine = given.get(f.get('link_person_id') ?? '')
      return mine && f.get('link_identifier_value') === mine.from ? line.replace(mine.from, mine.to) : line
    })
  return given.size
}

/** The code measured: the commit, and whether the import's files differ from it. */
async function codeLine(): Promise<string> {
  const git = (args: string[]) => run('git', args).then((r) => r.stdout.trimEnd())
  const head = await git(['rev-parse', '--short', 'HEAD'])
  const changed = await git(['status', '--porcelain', '--', 'src/features/ssd-import', 'src/cli/import-ssd.ts', 'src/features/cases'])
  return `commit ${head}${
    changed
      ? ` with uncommitted changes to ${changed
          .split('\n')
          .map((l) => l.slice(3))
          .join(', ')}`
      : ''
  }`
}

// ---------------------------------------------------------------------------------------------
// The database: recreated, migrated, a partnership with children's services and the importer
// ---------------------------------------------------------------------------------------------

async function setUp(): Promise<void> {
  await recreateDatabase(databaseUrl)
  const config = benchConfig({ databaseUrl })
  const handle = await openDatabase({ databaseUrl, appRole: config.databaseAppRole, poolSize: 2, timeoutMs: BENCH_DB_TIMEOUT_MS })
  try {
    await migrate(handle.db, config.databaseAppRole)
    const admin = (await createServices(config, handle)).admin.service
    for (const [name, email] of [
      [PARTNERSHIP, EMAIL],
      [PREVIEW, `preview.${EMAIL}`],
    ] as const) {
      const partnershipId = await admin.createPartnership(name)
      const system = { system: true as const, partnershipId }
      const agencyId = await admin.createAgency(system, { name: 'Bench Children’s Services', kind: 'CHILDRENS_SERVICES' })
      const teamId = await admin.createTeam(system, { agencyId, name: 'Bench Data Team' })
      const created = await admin.createUser(
        system,
        { displayName: 'Bench Importer', email, agencyId, roles: ['HSB_LEAD'], teamIds: [teamId], password: BENCH_PASSWORD },
        null,
      )
      if (!created.ok) throw new Error(created.errors.map((e) => e.text).join('; '))
    }
  } finally {
    await handle.close()
  }
}

const query = <T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> => queryOnce<T>(databaseUrl, text, params)

// ---------------------------------------------------------------------------------------------
// Running a process: wall time, and (under GNU time) its own peak RSS
// ---------------------------------------------------------------------------------------------

/** `cpuMs`: the process's own user + system time, which other work on a shared machine moves least. */
type Ran = { ms: number; code: number; stdout: string; stderr: string; peakRssMb: number; cpuMs: number }

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn('/usr/bin/time', ['-f', 'maxrss-kb=%M cpu-s=%U+%S', command, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (d: Buffer) => out.push(d))
    child.stderr.on('data', (d: Buffer) => err.push(d))
    child.on('error', reject)
    child.on('close', (code) => {
      const ms = performance.now() - started
      const stderr = Buffer.concat(err).toString()
      const rss = /maxrss-kb=(\d+) cpu-s=([\d.]+)\+([\d.]+)\s*$/.exec(stderr)
      resolve({
        ms,
        code: code ?? -1,
        stdout: Buffer.concat(out).toString(),
        stderr: (rss ? stderr.slice(0, rss.index) : stderr).replace(/Command exited with non-zero status \d+\n$/, ''),
        peakRssMb: rss ? Number(rss[1]) / 1024 : 0,
        cpuMs: rss ? (Number(rss[2]) + Number(rss[3])) * 1000 : 0,
      })
    })
  })
}

/**
 * Loaded into the importer with --statements: times every statement node-postgres sends (call to
 * result), grouped by its text with parameter lists folded, printed to stderr at exit as JSON.
 */
const STATEMENT_TIMER = `
import { createRequire } from 'node:module'
const pg = createRequire(process.cwd() + '/')('pg')
const byText = new Map()
const fold = (sql) => sql.replace(/\\s+/g, ' ').replace(/\\$\\d+(, \\$\\d+)*/g, '$…').replace(/(\\(\\$…\\))(, \\(\\$…\\))+/g, '$1, …').slice(0, 240)
const original = pg.Client.prototype.query
pg.Client.prototype.query = function (config, ...rest) {
  const text = typeof config === 'string' ? config : config && config.text
  const result = original.call(this, config, ...rest)
  if (!text || !result || typeof result.then !== 'function') return result
  const started = performance.now()
  const done = (rows) => {
    const key = fold(text)
    const s = byText.get(key) ?? { count: 0, ms: 0, rows: 0 }
    s.count++
    s.ms += performance.now() - started
    s.rows += rows
    byText.set(key, s)
  }
  return result.then((r) => (done(r && typeof r.rowCount === 'number' ? r.rowCount : 0), r), (e) => { done(0); throw e })
}
process.on('exit', () => process.stderr.write('\\nSTATEMENTS ' + JSON.stringify([...byText]) + '\\n'))
`

if (values.statements) profilerArgs.push('--import', `data:text/javascript,${encodeURIComponent(STATEMENT_TIMER)}`)

// ---------------------------------------------------------------------------------------------
// The importer, as a person runs it
// ---------------------------------------------------------------------------------------------

/** The importer exited with an error: how long it took to, and what it said. */
class ImportFailed extends Error {
  constructor(
    readonly label: string,
    readonly ran: Ran,
  ) {
    super(
      `the ${label} exited ${ran.code} after ${seconds(ran.ms)}: ${ran.stderr
        .replace(/\nSTATEMENTS .*\n/, '\n')
        .trim()
        .slice(0, 2000)}`,
    )
  }
}

type Imported = Ran & { summary: Summary & { rowsRead: number }; statements?: [string, { count: number; ms: number; rows: number }][] }

async function importer(label: string, partnership: string, email: string, extra: string[] = []): Promise<Imported> {
  const env: Record<string, string> = { ...benchServerEnv({ databaseUrl, port: 0 }) }
  if (values['timeout-ms']) env.DATABASE_TIMEOUT_MS = values['timeout-ms']
  const args = [...profilerArgs, '--import', 'tsx', values.cli!, 'import-ssd', dir, '--partnership', partnership, '--as', email]
  const ran = await run(process.execPath, [...args, '--la-code', LA_CODE, ...extra], env)
  if (ran.code !== 0) throw new ImportFailed(label, ran)
  const timed = /\nSTATEMENTS (.*)\n/.exec(ran.stderr)
  const imported = {
    ...ran,
    summary: JSON.parse(ran.stdout) as Imported['summary'],
    ...(timed ? { statements: JSON.parse(timed[1]!) as Imported['statements'] } : {}),
  }
  if (profiling) say(`\n${label}: ${seconds(ran.ms)} (its own CPU ${seconds(ran.cpuMs)}), peak RSS ${Math.round(ran.peakRssMb)} MB`)
  if (profileDir) await showProfile(profileDir, Number(values.top))
  if (imported.statements) showStatements(imported.statements, Number(values.top))
  return imported
}

/** When the run was staged (ssd_import.created_at, the database's clock) and applied (its applied_at: when `run` began). */
type Phases = { stageMs: number; runMs: number; analysed: string }

/**
 * When the run was staged (ssd_import.created_at, the database's clock) and applied (its
 * applied_at: when `run` began), and whether PostgreSQL had statistics for ssd_staged_row when the
 * run began (autovacuum analyses it when it gets round to it: the plans of the run's statements
 * over the staged rows depend on it).
 */
async function phases(importId: string, endedAt: number, analysedBefore: number): Promise<Phases | null> {
  const [r] = await query<{ created: Date; applied: Date | null; last: Date | null; count: string }>(
    `SELECT i.created_at AS created, i.applied_at AS applied, greatest(t.last_autoanalyze, t.last_analyze) AS last,
            (t.autoanalyze_count + t.analyze_count)::text AS count
       FROM ssd_import i, pg_stat_user_tables t WHERE i.id = $1 AND t.relname = 'ssd_staged_row'`,
    [importId],
  )
  if (!r?.applied) return null
  const times = Number(r.count) - analysedBefore
  const analysed = !times
    ? 'ssd_staged_row not analysed while staging or running'
    : `ssd_staged_row analysed ${times}× (by the import or autovacuum), last ${seconds(r.last!.getTime() - r.created.getTime())} after staging began (the run began at ${seconds(r.applied.getTime() - r.created.getTime())})`
  return { stageMs: r.applied.getTime() - r.created.getTime(), runMs: endedAt - r.applied.getTime(), analysed }
}

async function analyseCount(): Promise<number> {
  const [r] = await query<{ n: string }>(
    "SELECT (autoanalyze_count + analyze_count)::text AS n FROM pg_stat_user_tables WHERE relname = 'ssd_staged_row'",
  )
  return Number(r?.n ?? 0)
}

// ---------------------------------------------------------------------------------------------
// The baseline: psql \copy of the same files into text tables of the same columns
// ---------------------------------------------------------------------------------------------

/** A file's header, each name as the spec calls it (or as written when it is not one of ours). */
async function headerOf(file: string, table: SsdTableName): Promise<string[]> {
  const handle = await open(file)
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, 0)
    const text = buffer.subarray(0, bytesRead).toString('utf8')
    const line = text.slice(0, text.search(/\r?\n/))
    const [names] = parse(line, { bom: true }) as string[][]
    return names!.map((h) => columnFor(SSD_TABLES[table], h)?.name ?? h.trim().toLowerCase())
  } finally {
    await handle.close()
  }
}

const copyTable = (table: SsdTableName) => `copy_${table}`

async function copyBaseline(): Promise<Ran> {
  const script: string[] = []
  for (const table of SSD_TABLE_NAMES) {
    const file = path.join(dir, SSD_TABLES[table].file)
    const columns = (await headerOf(file, table)).map((c) => `"${c.replace(/"/g, '')}" text`).join(', ')
    await query(`DROP TABLE IF EXISTS ${copyTable(table)}; CREATE TABLE ${copyTable(table)} (${columns})`)
    script.push(`\\copy ${copyTable(table)} FROM '${file}' WITH (FORMAT csv, HEADER true)`)
  }
  const args = [databaseUrl, '-X', '-q', '-v', 'ON_ERROR_STOP=1', ...script.flatMap((s) => ['-c', s])]
  const copied = await run('psql', args)
  if (copied.code !== 0) throw new Error(`psql \\copy failed: ${copied.stderr}`)
  return copied
}

// ---------------------------------------------------------------------------------------------
// What the import made, checked against what the generator wrote
// ---------------------------------------------------------------------------------------------

type Made = { children: number; cases: number; events: number; requests: number; discussions: number; records: number }

async function madeIn(partnership: string): Promise<Made> {
  const [r] = await query<Record<keyof Made, string>>(
    `WITH p AS (SELECT id FROM partnership WHERE name = $1)
     SELECT (SELECT count(*) FROM child WHERE partnership_id = (SELECT id FROM p))::text AS children,
            (SELECT count(*) FROM hsb_case WHERE partnership_id = (SELECT id FROM p))::text AS cases,
            (SELECT count(*) FROM case_event WHERE partnership_id = (SELECT id FROM p))::text AS events,
            (SELECT count(*) FROM request_for_support WHERE partnership_id = (SELECT id FROM p))::text AS requests,
            (SELECT count(*) FROM meeting WHERE partnership_id = (SELECT id FROM p) AND kind = 'STRATEGY_DISCUSSION')::text AS discussions,
            (SELECT count(*) FROM ssd_record WHERE partnership_id = (SELECT id FROM p))::text AS records`,
    [partnership],
  )
  return Object.fromEntries(Object.entries(r!).map(([k, v]) => [k, Number(v)])) as Made
}

function expect(what: string, got: number, want: number): void {
  if (got !== want) throw new Error(`${what}: ${n(got)}, expected ${n(want)}`)
}

/**
 * The first import against the generator's counts. People proposed as one child are held (none
 * is merged without a person deciding): children and episodes are counted without them, the
 * episodes they have read from the \copy of the same file.
 */
async function checkFirst(s: Summary, counts: SyntheticCounts, made: Made): Promise<{ planRejected: number; heldEpisodes: number }> {
  const held = new Set(s.proposedMatches.flatMap((m) => [m.personId, ...('personId' in m.with ? [m.with.personId] : [])]))
  expect('people held (proposed matches)', held.size, s.children.held)
  const [e] = await query<{ people: string; held: string }>(
    `SELECT count(DISTINCT cine_person_id) FILTER (WHERE NOT cine_person_id = ANY($1::text[]))::text AS people,
            count(*) FILTER (WHERE cine_person_id = ANY($1::text[]))::text AS held
       FROM ${copyTable('ssd_cin_episodes')}`,
    [[...held]],
  )
  const heldEpisodes = Number(e!.held)
  expect('people found', s.children.found, counts.persons)
  expect(
    'rows read',
    (s as Summary & { rowsRead: number }).rowsRead,
    Object.values(counts.rows).reduce((a, b) => a + b, 0),
  )
  expect('episodes found (generator’s, less those of people held)', s.episodes.found, counts.episodes - heldEpisodes)
  expect('episodes selected (all)', s.episodes.selected, s.episodes.found)
  // Rejected in the run: each episode refused by the rules (the run's own, after reading's).
  const readingRejected = s.rejected.length < s.rejectedCount ? null : s.rejected.filter((r) => r.file === 'ssd_cin_episodes.csv').length
  const planRejected = s.episodes.selected - s.episodes.new - s.episodes.updated - s.episodes.unchanged
  if (readingRejected !== null) expect('episodes rejected', planRejected, readingRejected)
  expect('cases created (episodes chosen less rejected)', s.created.cases, counts.episodes - heldEpisodes - planRejected)
  expect('children created (people with an episode, less those held)', s.created.children, Number(e!.people))
  expect('children in the database', made.children, s.created.children)
  expect('cases in the database', made.cases, s.created.cases)
  expect('events in the database', made.events, s.created.events)
  expect('requests in the database', made.requests, s.created.requests)
  expect('strategy discussions in the database', made.discussions, s.created.strategyDiscussions)
  expect('records (people and episodes)', made.records, s.created.children + s.created.cases)
  return { planRejected, heldEpisodes }
}

// ---------------------------------------------------------------------------------------------
// A CPU profile's hottest code
// ---------------------------------------------------------------------------------------------

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
type Profile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[] }

async function showProfile(profileDir: string, top: number): Promise<void> {
  // The main thread's (thread 0): tsx's module loader runs in a thread of its own and writes a profile too.
  const files = (await readdir(profileDir)).filter((f) => /\.0\.\d+\.cpuprofile$/.test(f))
  const newest = (await Promise.all(files.map(async (f) => ({ f, t: (await stat(path.join(profileDir, f))).mtimeMs })))).sort(
    (a, b) => b.t - a.t,
  )[0]
  if (!newest) throw new Error(`no profile written in ${profileDir}`)
  const profile = JSON.parse(await readFile(path.join(profileDir, newest.f), 'utf8')) as Profile
  const counts = new Map<number, number>()
  for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1)
  const msPerSample = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples.length)
  const where = (url: string): string => {
    if (!url) return '(native, gc, idle)'
    const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
    if (nm) return nm[1]!
    if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`
    const src = /\/(src|bench|test)\/(.*)$/.exec(url)
    return src ? `${src[1]}/${src[2]}` : url
  }
  const byPlace = new Map<string, number>()
  const byFunction = new Map<string, number>()
  let total = 0
  for (const node of profile.nodes) {
    const ms = (counts.get(node.id) ?? 0) * msPerSample
    if (!ms) continue
    total += ms
    const name = node.callFrame.functionName
    const place = name === '(idle)' || name === '(garbage collector)' || name === '(program)' ? name : where(node.callFrame.url)
    byPlace.set(place, (byPlace.get(place) ?? 0) + ms)
    const fn = `${name || '(anonymous)'} ${where(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms)
  }
  const show = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `  ${((100 * v) / total).toFixed(1).padStart(5)}%  ${v.toFixed(0).padStart(7)} ms  ${k}`)
      .join('\n')
  say(`\nCPU profile ${path.join(profileDir, newest.f)}: ${n(Math.round(total))} ms sampled`)
  say(`Self time by file or package:\n${show(byPlace)}`)
  say(`Hottest functions (self time):\n${show(byFunction)}`)
}

function showStatements(statements: NonNullable<Imported['statements']>, top: number): void {
  const total = statements.reduce((t, [, s]) => t + s.ms, 0)
  const count = statements.reduce((t, [, s]) => t + s.count, 0)
  say(`\nSQL statements the importer sent: ${n(count)}, ${seconds(total)} waiting for them (call to result)`)
  for (const [text, s] of [...statements].sort((a, b) => b[1].ms - a[1].ms).slice(0, top))
    say(
      `  ${seconds(s.ms).padStart(8)}  ${n(s.count).padStart(7)}×  ${(s.ms / s.count).toFixed(1).padStart(8)} ms each  ${n(s.rows).padStart(10)} rows  ${text}`,
    )
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

say(`Writing a messy ${n(persons)}-person SSD extract to ${dir}`)
const wrote = performance.now()
const { counts } = await writeSyntheticExtract(dir, { persons, seed, laCode: LA_CODE, messy: true })
const bytes = (await Promise.all(SSD_TABLE_NAMES.map((t) => stat(path.join(dir, SSD_TABLES[t].file))))).reduce((a, s) => a + s.size, 0)
const rows = Object.values(counts.rows).reduce((a, b) => a + b, 0)
const renumbered = await uniqueUpns()
if (renumbered) say(`  ${n(renumbered)} people given a UPN of their own (the generator repeats UPNs beyond 7,000 people)`)
say(`  ${n(rows)} rows, ${(bytes / 1024 / 1024).toFixed(1)} MB in ${seconds(performance.now() - wrote)}: ${n(counts.episodes)} episodes`)
await setUp()
const machine = await machineLine(databaseUrl)
const code = await codeLine()

const copy = await copyBaseline()
for (const table of SSD_TABLE_NAMES) {
  const [c] = await query<{ n: string }>(`SELECT count(*)::text AS n FROM ${copyTable(table)}`)
  expect(`\\copy of ${table}`, Number(c!.n), counts.rows[table])
}
say(`psql \\copy of the 12 files: ${seconds(copy.ms)}`)

const heading = `## SSD import: ${n(persons)}-person messy synthetic extract

Run ${new Date().toISOString()} with \`npx tsx bench/ssd-import.ts ${process.argv.slice(2).join(' ')}\`.
Machine: ${machine}.
Code: ${code}.
Extract: \`writeSyntheticExtract\` (test/support/ssd-extract.ts, seed ${seed}, messy: three date shapes, CRLF and BOM, NULL, shuffled and renamed headers)${renumbered ? `, with the UPNs it repeats beyond 7,000 people made unique (${n(renumbered)} people; bench/ssd-import.ts \`uniqueUpns\`)` : ''}, 12 CSV files, ${n(rows)} rows, ${(bytes / 1024 / 1024).toFixed(1)} MB: ${n(counts.persons)} people, ${n(counts.episodes)} CIN episodes, ${n(counts.assessments)} assessments, ${n(counts.s47)} section 47 enquiries, ${n(counts.involvements)} involvements, ${n(counts.contacts)} contacts.${values['timeout-ms'] ? `\nThe importer ran with DATABASE_TIMEOUT_MS=${values['timeout-ms']} (import-ssd allows a statement the longer of that and ten minutes).` : ''}`
const section = persons === 100_000 ? 'ssd-import' : `ssd-import-${persons}`

const analysedBeforeFirst = await analyseCount()
const first = await importer('first import', PARTNERSHIP, EMAIL).catch(async (err: unknown) => {
  if (!(err instanceof ImportFailed)) throw err
  // A failure is a result too: written down, so the next run after a fix replaces it.
  const said = err.ran.stderr.replace(/\nSTATEMENTS .*\n/, '\n').trim()
  const timed = /\nSTATEMENTS (.*)\n/.exec(err.ran.stderr)
  const statements = timed ? (JSON.parse(timed[1]!) as NonNullable<Imported['statements']>) : null
  if (statements) showStatements(statements, Number(values.top))
  const failed = `${heading}\n\n\`psql \\copy\` of the 12 files: ${seconds(copy.ms)}.\n\n**Our import (\`import-ssd\`) failed** after ${seconds(err.ran.ms)} (its own CPU ${seconds(err.ran.cpuMs)}, peak RSS ${Math.round(err.ran.peakRssMb)} MB): \`${said.split('\n')[0]}\`.${statements ? statementTable(statements, 'The failed import') : ''}`
  if (!profiled) await writeSection(section, failed)
  say(`\n${failed}`)
  process.exit(1)
})
const firstPhases = await phases(first.summary.importId, Date.now(), analysedBeforeFirst)
const made = await madeIn(PARTNERSHIP)
const checked = await checkFirst(first.summary, counts, made)
say(
  `our import: ${seconds(first.ms)} (staging ${firstPhases ? seconds(firstPhases.stageMs) : '?'}, run ${firstPhases ? seconds(firstPhases.runMs) : '?'}), peak RSS ${Math.round(first.peakRssMb)} MB; ` +
    `${n(made.children)} children, ${n(made.cases)} cases, ${n(made.events)} events, ${n(made.requests)} requests, ${n(made.discussions)} strategy discussions; ` +
    `${n(first.summary.children.held)} people held as proposed matches; ${firstPhases?.analysed ?? ''}`,
)

/** The same extract again: it creates nothing. */
async function again(): Promise<{ ran: Imported; phases: Awaited<ReturnType<typeof phases>> }> {
  const analysedBefore = await analyseCount()
  const ran = await importer('second import', PARTNERSHIP, EMAIL)
  const timing = await phases(ran.summary.importId, Date.now(), analysedBefore)
  const after = await madeIn(PARTNERSHIP)
  expect('second import: children created', ran.summary.created.children, 0)
  expect('second import: cases created', ran.summary.created.cases, 0)
  expect('second import: events created', ran.summary.created.events, 0)
  expect('second import: episodes unchanged', ran.summary.episodes.unchanged, made.cases)
  for (const k of Object.keys(made) as (keyof Made)[]) if (k !== 'records') expect(`second import: ${k} in the database`, after[k], made[k])
  say(`second import (creates nothing): ${seconds(ran.ms)}, peak RSS ${Math.round(ran.peakRssMb)} MB; ${timing?.analysed ?? ''}`)
  return { ran, phases: timing }
}

/** A dry run into the empty partnership: all the work, rolled back. */
async function dryRun(): Promise<Imported> {
  const ran = await importer('dry run', PREVIEW, `preview.${EMAIL}`, ['--dry-run'])
  expect('dry run: cases it would create', ran.summary.created.cases, made.cases)
  expect('dry run: events it would create', ran.summary.created.events, made.events)
  const kept = await madeIn(PREVIEW)
  expect('dry run: children kept', kept.children, 0)
  expect('dry run: cases kept', kept.cases, 0)
  say(`dry run (into an empty partnership, rolled back): ${seconds(ran.ms)}, peak RSS ${Math.round(ran.peakRssMb)} MB`)
  return ran
}

const second = wanted.has('second') ? await again() : null
const dry = wanted.has('dry') ? await dryRun() : null

const perSecond = (ms: number) => n(Math.round(rows / (ms / 1000)))
const phase = (p: Phases | null) => (p ? ` (staging ${seconds(p.stageMs)}, the run ${seconds(p.runMs)})` : '')
const line = (what: string, r: Ran) =>
  `| ${what} | ${seconds(r.ms)} | ${perSecond(r.ms)} | ${(copy.ms / r.ms).toFixed(3)} | ${seconds(r.cpuMs)} | ${Math.round(r.peakRssMb)} MB |`
/** A statement in a line: what it writes to, or what it reads from and how it chooses. */
function shortSql(text: string): string {
  const t = text.trim()
  const write = /^(insert into|update|delete from) "?(\w+)"?/i.exec(t)
  if (write) return `${write[1]!.toUpperCase()} ${write[2]}${/ on conflict /i.test(t) ? ' … ON CONFLICT' : ''}`
  const from = / from (.*)$/i.exec(t)
  return from ? `SELECT … FROM ${from[1]!.replace(/"/g, '').slice(0, 150)}` : t.slice(0, 150)
}
function statementTable(statements: NonNullable<Imported['statements']>, who = 'The first import'): string {
  const total = statements.reduce((t, [, x]) => t + x.ms, 0)
  const top = [...statements].sort((a, b) => b[1].ms - a[1].ms).slice(0, 8)
  return `\n\n${who} waited on the database (${seconds(total)} in ${n(statements.reduce((t, [, x]) => t + x.count, 0))} statements; the costliest):\n\n| Statement | Count | Total | Rows |\n|---|---:|---:|---:|\n${top
    .map(([text, x]) => `| \`${shortSql(text).replace(/\|/g, '\\|')}\` | ${n(x.count)} | ${seconds(x.ms)} | ${n(x.rows)} |`)
    .join('\n')}`
}
const s = first.summary
const body = `${heading}

| | Time | Rows per second | Ratio (\\copy ÷ this) | Its own CPU | Peak RSS |
|---|---:|---:|---:|---:|---:|
| \`psql \\copy\` of the 12 files into text tables of the same columns (baseline) | ${seconds(copy.ms)} | ${perSecond(copy.ms)} | 1.00 | ${seconds(copy.cpuMs)} | – |
${[
  line(`Our import (\`import-ssd\`, selection all, real run)${phase(firstPhases)}`, first).replace(
    /\| ([\d.]+) \| ([\d.]+ s) \| (\d+ MB) \|$/,
    '| **$1** | $2 | $3 |',
  ),
  ...(second ? [line(`The same extract again (creates nothing)${phase(second.phases)}`, second.ran)] : []),
  ...(dry ? [line('Dry run (into an empty partnership; all the work, rolled back)', dry)] : []),
].join('\n')}

${second && dry ? '' : `Not run this time (\`--runs ${values.runs}\`): ${[second ? null : 'the second import', dry ? null : 'the dry run'].filter(Boolean).join(' and ')}.\n\n`}Our times are the command as a person runs it: process start-up, reading and checking every row, staging, who is who, writing, auditing. Its own CPU (user + system) and peak RSS are the process's own (GNU time): on a shared machine the CPU moves least; the database server's work is in the time, not in the CPU. Staging and run are split at the run's applied_at.

Created, and checked against the generator and the database: ${n(made.children)} children (the ${n(counts.persons)} people less those with no episode and the ${n(s.children.held)} held as proposed matches of each other, which no import merges without a person deciding), ${n(made.cases)} cases (= ${n(counts.episodes)} episodes written less ${n(checked.heldEpisodes)} of people held less ${n(checked.planRejected)} rejected by the rules), ${n(made.events)} history events, ${n(made.requests)} requests for support, ${n(made.discussions)} strategy discussions.${second ? ` The second import created nothing (${n(second.ran.summary.episodes.unchanged)} episodes unchanged).` : ''}${dry ? ` The dry run would have created the same ${n(dry.summary.created.cases)} cases and kept nothing.` : ''}${first.statements ? statementTable(first.statements) : ''}`
if (profiled) say('\nbench/RESULTS.md is not written (the figures include the profiler).')
else await writeSection(section, body)
say(`\n${body}`)
