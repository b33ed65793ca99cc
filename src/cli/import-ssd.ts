import type { Command } from './index.js'
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Services } from '../composition.js'
import type { Config } from '../config.js'
import { ImportRefused, ExtractRefused, type MatchDecision, type Selection } from '../features/ssd-import/index.js'
import { partnershipAndPerson, stdio, type Io } from './partnership.js'

export type ImportSsdArgs = {
  path: string
  partnership?: string
  as?: string
  dryRun: boolean
  laCode?: string
  factors: readonly string[]
  teams: readonly string[]
  same: readonly string[]
  separate: readonly string[]
}

/**
 * `import-ssd PATH`: reads an SSD extract (a folder of CSVs or a zip), brings in the episodes
 * chosen (all, or those with a factor or team given), and prints one JSON summary. Exit codes: 0
 * imported (or a dry run); 1 refused (limits, another local authority, nobody named for a real run);
 * 2 a usage error.
 */
export async function importSsd(services: Services, args: ImportSsdArgs, io: Io = stdio): Promise<number> {
  let source: { dir: string } | { zip: Uint8Array }
  try {
    const info = await stat(args.path)
    source = info.isDirectory() ? { dir: args.path } : { zip: await readFile(args.path) }
  } catch {
    io.complain(`Cannot read ${args.path}: give a folder of SSD CSV files or a zip of them.`)
    return 2
  }
  const found = await partnershipAndPerson(services, args.partnership, args.as, io)
  if (!found) return 2
  const selection: Selection =
    args.factors.length || args.teams.length ? { mode: 'RULES', factors: args.factors, teams: args.teams } : { mode: 'ALL' }
  const decisions: Record<string, MatchDecision> = {}
  for (const id of args.same) decisions[id] = 'SAME'
  for (const id of args.separate) decisions[id] = 'SEPARATE'
  try {
    const { reading, summary } = await services.ssdImport.service.importExtract(
      { partnershipId: found.partnership.id, userId: found.userId, requestId: null },
      source,
      path.basename(args.path),
      { selection, decisions, dryRun: args.dryRun, laCode: args.laCode ?? null },
    )
    io.say(
      JSON.stringify(
        {
          partnership: found.partnership.name,
          extract: path.basename(args.path),
          files: reading.files,
          ignored: reading.ignored,
          rowsRead: reading.rows,
          selection,
          ...summary,
        },
        null,
        2,
      ),
    )
    if (summary.children.held)
      io.complain(
        `${summary.children.held} children are held until their proposed matches are decided: --same PERSONID (the same child) or --separate PERSONID.`,
      )
    return 0
  } catch (err) {
    if (err instanceof ImportRefused || err instanceof ExtractRefused) {
      io.complain(err.message)
      return 1
    }
    throw err
  }
}

/** `export-ssd DIR`: writes the partnership's HSB episodes as SSD CSV files and the DfE payload (checked against its schema). */
export async function exportSsd(
  services: Services,
  args: { dir: string; partnership?: string; as?: string; laCode?: string },
  io: Io = stdio,
): Promise<number> {
  const found = await partnershipAndPerson(services, args.partnership, args.as, io)
  if (!found) return 2
  try {
    const out = await services.ssdImport.service.exportFor(
      { partnershipId: found.partnership.id, userId: found.userId, requestId: null },
      args.laCode,
    )
    await mkdir(args.dir, { recursive: true })
    for (const f of out.files) await writeFile(path.join(args.dir, f.name), f.content)
    await writeFile(path.join(args.dir, 'dfe-csc-payload.json'), JSON.stringify(out.payload, null, 2))
    io.say(
      JSON.stringify(
        {
          partnership: found.partnership.name,
          children: out.children,
          episodes: out.episodes,
          files: [...out.files.map((f) => f.name), 'dfe-csc-payload.json'],
        },
        null,
        2,
      ),
    )
    return 0
  } catch (err) {
    if (err instanceof ImportRefused) {
      io.complain(err.message)
      return 1
    }
    throw err
  }
}

const list = (x: unknown) => (Array.isArray(x) ? (x as string[]) : [])
const text = (x: unknown) => (typeof x === 'string' ? x : undefined)

/** A statement of an import may take longer than a page's (DATABASE_TIMEOUT_MS): the command allows ten minutes. */
export const IMPORT_STATEMENT_TIMEOUT_MS = 600_000

async function withServices(config: Config, fn: (services: Services) => Promise<number>): Promise<number> {
  // index.ts imports this file, so its database helper is taken when the command runs.
  const { withDatabase } = await import('./index.js')
  const patient = { ...config, databaseTimeoutMs: Math.max(config.databaseTimeoutMs, IMPORT_STATEMENT_TIMEOUT_MS) }
  return withDatabase(patient, async (handle) => {
    const { createServices } = await import('../composition.js')
    return fn(await createServices(patient, handle))
  })
}

export const importSsdCommand: Command = {
  summary: 'Import children and their history from an SSD extract (a folder of CSVs or a zip) and print a JSON summary.',
  usage:
    'import-ssd PATH [--partnership NAME] [--as EMAIL] [--dry-run] [--la-code CODE] [--factor CODE]... [--team NAME]... [--same PERSONID]... [--separate PERSONID]...\n' +
    '  A real run is recorded as the person named with --as. Without --factor or --team every episode is brought in.',
  positionals: true,
  options: {
    partnership: { type: 'string', description: 'the partnership, by name (needed when there is more than one)' },
    as: { type: 'string', description: 'the email of the person the import is recorded as (needed for a real run)' },
    'dry-run': { type: 'boolean', description: 'read, match and summarise; save nothing' },
    'la-code': { type: 'string', description: 'the local authority code the extract is from (refused if not the partnership’s)' },
    factor: { type: 'string', multiple: true, description: 'bring in episodes whose assessment has this factor code (repeat)' },
    team: { type: 'string', multiple: true, description: 'bring in episodes worked by this team (id or name; repeat)' },
    same: { type: 'string', multiple: true, description: 'PERSONID whose proposed match is the same child (repeat)' },
    separate: { type: 'string', multiple: true, description: 'PERSONID whose proposed match is a different child (repeat)' },
  },
  async run(values, config, positionals = []) {
    const [target, ...extra] = positionals
    if (!target || extra.length) {
      stdio.complain(`Usage: npm run cli -- ${importSsdCommand.usage}`)
      return 2
    }
    return withServices(config, (services) =>
      importSsd(services, {
        path: target,
        dryRun: values['dry-run'] === true,
        factors: list(values.factor),
        teams: list(values.team),
        same: list(values.same),
        separate: list(values.separate),
        ...(text(values.partnership) ? { partnership: text(values.partnership)! } : {}),
        ...(text(values.as) ? { as: text(values.as)! } : {}),
        ...(text(values['la-code']) ? { laCode: text(values['la-code'])! } : {}),
      }),
    )
  },
}

export const exportSsdCommand: Command = {
  summary: 'Write the partnership’s HSB episodes as SSD CSV files and the DfE children’s social care API payload.',
  usage: 'export-ssd DIR [--partnership NAME] [--as EMAIL] [--la-code CODE]',
  positionals: true,
  options: {
    partnership: { type: 'string', description: 'the partnership, by name (needed when there is more than one)' },
    as: { type: 'string', description: 'the email of the person the export is recorded as (optional)' },
    'la-code': { type: 'string', description: 'the local authority code (default: the partnership’s first)' },
  },
  async run(values, config, positionals = []) {
    const [dir, ...extra] = positionals
    if (!dir || extra.length) {
      stdio.complain(`Usage: npm run cli -- ${exportSsdCommand.usage}`)
      return 2
    }
    return withServices(config, (services) =>
      exportSsd(services, {
        dir,
        ...(text(values.partnership) ? { partnership: text(values.partnership)! } : {}),
        ...(text(values.as) ? { as: text(values.as)! } : {}),
        ...(text(values['la-code']) ? { laCode: text(values['la-code'])! } : {}),
      }),
    )
  },
}
