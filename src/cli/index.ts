import { parseArgs } from 'node:util'
import { ConfigError, loadConfig, type Config } from '../config.js'
import { isRole, type Role } from '../platform/access/roles.js'
import { sealPending, verifyChain } from '../platform/audit/audit-chain.js'
import { openDatabase, type DatabaseHandle } from '../platform/db/connect.js'
import { migrate, type MigrationResult } from '../platform/db/migrate.js'
import { importActionPlanCommand } from './import-action-plan.js'
import { exportSsdCommand, importSsdCommand } from './import-ssd.js'
import { retentionRunCommand } from './retention-run.js'

/**
 * One command-line entry: `npm run cli -- <command> [options]`. It uses the same
 * configuration as the server (DATABASE_URL or DATA_DIR). The embedded database is one
 * process at a time: stop the server before running a command against its data folder.
 */
/** The CLI's own output: results to stdout, problems to stderr (the server uses the logger). */
/** The services (and every feature behind them) load only for the commands that use them, so `--help` stays quick. */
const createServices = async (...args: Parameters<typeof import('../composition.js').createServices>) =>
  (await import('../composition.js')).createServices(...args)
const seedDemo = async (...args: Parameters<typeof import('../demo/seed.js').seedDemo>) =>
  (await import('../demo/seed.js')).seedDemo(...args)

const say = (text: string) => process.stdout.write(`${text}\n`)
const complain = (text: string) => process.stderr.write(`${text}\n`)

export type Command = {
  summary: string
  usage: string
  options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; description: string }>
  /** Whether the command takes arguments that are not options (a file name). */
  positionals?: boolean
  run(values: Record<string, string | boolean | string[] | undefined>, config: Config, positionals: string[]): Promise<number>
}

/** Opens the configured database, brings it up to date (what was applied is passed on), runs `fn`, and closes it. */
export async function withDatabase<T>(config: Config, fn: (handle: DatabaseHandle, migrated: MigrationResult) => Promise<T>): Promise<T> {
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    appRole: config.databaseAppRole,
    timeoutMs: config.databaseTimeoutMs,
  })
  try {
    return await fn(handle, await migrate(handle.db, config.databaseAppRole))
  } finally {
    await handle.close()
  }
}

const commands: Record<string, Command> = {
  migrate: {
    summary: 'Apply the numbered SQL migrations that have not run yet.',
    usage: 'migrate',
    options: {},
    async run(_values, config) {
      return withDatabase(config, async (_handle, result) => {
        say(result.applied.length ? `Applied: ${result.applied.join(', ')}` : 'Nothing to apply: the database is up to date.')
        return 0
      })
    },
  },

  'seed-demo': {
    summary: 'Load the fictional demo partnership (does nothing if it is already there).',
    usage: 'seed-demo',
    options: {},
    async run(_values, config) {
      if (config.env === 'production') {
        complain('Refusing to load demo data with NODE_ENV=production.')
        return 1
      }
      return withDatabase(config, async (handle) => {
        const result = await seedDemo(await createServices(config, handle))
        say(result.created ? `Demo partnership loaded with ${result.users} people.` : 'The demo partnership is already there.')
        return 0
      })
    },
  },

  'create-user': {
    summary: 'Create a person with a local account (they set up their authenticator app at first sign-in).',
    usage:
      'create-user --partnership NAME --agency NAME --name "Full Name" --email ADDRESS --role ROLE [--role ROLE...]\n' +
      '  The password is read from the HSB_NEW_USER_PASSWORD environment variable, never from the command line.',
    options: {
      partnership: { type: 'string', description: 'the partnership, by name (created if it does not exist)' },
      agency: { type: 'string', description: 'the person’s organisation, by name (created with --agency-kind if it does not exist)' },
      'agency-kind': {
        type: 'string',
        description: 'kind of a new organisation, e.g. CHILDRENS_SERVICES, PARTNERSHIP (default PARTNERSHIP)',
      },
      name: { type: 'string', description: 'display name' },
      email: { type: 'string', description: 'email address, used to sign in' },
      role: { type: 'string', multiple: true, description: 'a role, e.g. SYSTEM_ADMINISTRATOR (repeat for more)' },
    },
    async run(values, config) {
      const missing = ['partnership', 'agency', 'name', 'email', 'role'].filter((k) => !values[k])
      const password = process.env.HSB_NEW_USER_PASSWORD
      if (missing.length || !password) {
        complain(`Missing: ${[...missing.map((m) => `--${m}`), ...(password ? [] : ['HSB_NEW_USER_PASSWORD'])].join(', ')}`)
        return 2
      }
      const roles = values.role as string[]
      const bad = roles.filter((r) => !isRole(r))
      if (bad.length) {
        complain(`Unknown role: ${bad.join(', ')}`)
        return 2
      }
      return withDatabase(config, async (handle) => {
        const services = await createServices(config, handle)
        const admin = services.admin.service
        const partnershipName = values.partnership as string
        const partnershipId = (await admin.findPartnership(partnershipName)) ?? (await admin.createPartnership(partnershipName))
        const system = { system: true as const, partnershipId }
        const agencies = await admin.listAgencies(system)
        const agencyName = values.agency as string
        let agencyId = agencies.find((a) => a.name.toLowerCase() === agencyName.trim().toLowerCase())?.id
        if (!agencyId) {
          // A new agency goes through the organisations' rules and history, as on the Organisations pages.
          const kind = (values['agency-kind'] as string | undefined) ?? 'PARTNERSHIP'
          const added = await services.organisations.service.addAgency(system, { name: agencyName, kind, key: null }, null)
          if (!added.ok) {
            for (const e of added.errors) complain(`${e.href === '#kind' ? 'agency-kind' : 'agency'}: ${e.text}`)
            return 1
          }
          agencyId = added.value
        }
        const result = await admin.createUser(
          system,
          { displayName: values.name as string, email: values.email as string, agencyId, roles: roles as Role[], teamIds: [], password },
          null,
        )
        if (!result.ok) {
          for (const e of result.errors) complain(`${e.href.slice(1)}: ${e.text}`)
          return 1
        }
        say(`Created user ${result.value}. They set up their authenticator app when they first sign in.`)
        return 0
      })
    },
  },

  'set-timescale': {
    summary:
      'Set a partnership’s own length for a clock (local timescales), for clocks started from today on (the Timescales page sets a later date).',
    usage: 'set-timescale --partnership NAME --clock KIND --length N',
    options: {
      partnership: { type: 'string', description: 'the partnership, by name' },
      clock: {
        type: 'string',
        description:
          'STRATEGY_MEETING (hours), REFERRAL_DECISION, ASSESSMENT, INITIAL_CONFERENCE, SERIOUS_INCIDENT_NOTIFICATION, RAPID_REVIEW (working days), AIM_INTERVIEWS, AIM_TARGET (weeks)',
      },
      length: { type: 'string', description: 'a whole number in the clock’s own unit (1–168 hours, 1–130 working days, 1–52 weeks)' },
    },
    async run(values, config) {
      const missing = ['partnership', 'clock', 'length'].filter((k) => !values[k])
      if (missing.length) {
        complain(`Missing: ${missing.map((m) => `--${m}`).join(', ')}`)
        return 2
      }
      return withDatabase(config, async (handle) => {
        const services = await createServices(config, handle)
        const partnershipId = await services.admin.service.findPartnership(values.partnership as string)
        if (!partnershipId) {
          complain(`No partnership called “${values.partnership as string}”`)
          return 1
        }
        // The same checks and history as the Timescales page, effective today (clocks already running keep their length).
        const result = await services.cases.service.timescales.setFromCommandLine(
          { system: true, partnershipId },
          values.clock as string,
          values.length as string,
        )
        if (!result.ok) {
          complain(result.error)
          return 1
        }
        say(`${values.clock as string} is now ${values.length as string} for new clocks in this partnership, from ${result.effectiveFrom}.`)
        return 0
      })
    },
  },

  'verify-audit': {
    summary: 'Check the audit log’s hash chain and report rows not yet sealed. Exits 1 if the chain is broken.',
    usage: 'verify-audit [--seal]',
    options: { seal: { type: 'boolean', description: 'seal settled rows first' } },
    async run(values, config) {
      return withDatabase(config, async (handle) => {
        if (values.seal) say(`Sealed ${await sealPending(handle.db)} rows.`)
        const report = await verifyChain(handle.db)
        if (!report.ok) {
          complain(`BROKEN: ${report.problem}. ${report.sealedRows} rows verified before it.`)
          return 1
        }
        say(`OK: ${report.sealedRows} sealed rows verified; ${report.unsealedRows} rows not yet sealed.`)
        return 0
      })
    },
  },

  'import-action-plan': importActionPlanCommand,
  'import-ssd': importSsdCommand,
  'export-ssd': exportSsdCommand,
  'retention-run': retentionRunCommand,
}

function help(): string {
  const lines = ['Usage: npm run cli -- <command> [options]', '', 'Commands:']
  for (const [name, c] of Object.entries(commands)) lines.push(`  ${name.padEnd(14)} ${c.summary}`)
  lines.push('', 'Run a command with --help for its options.')
  return lines.join('\n')
}

function commandHelp(c: Command): string {
  const lines = [`Usage: npm run cli -- ${c.usage}`, '', c.summary]
  const opts = Object.entries(c.options)
  if (opts.length) {
    lines.push('', 'Options:')
    for (const [o, d] of opts) lines.push(`  --${o.padEnd(14)} ${d.description}`)
  }
  return lines.join('\n')
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    say(help())
    return name ? 0 : 2
  }
  const command = commands[name]
  if (!command) {
    complain(`Unknown command: ${name}\n\n${help()}`)
    return 2
  }
  let values: Record<string, string | boolean | string[] | undefined>
  let positionals: string[]
  try {
    ;({ values, positionals } = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean' } },
      allowPositionals: command.positionals ?? false,
    }))
  } catch (err) {
    complain(`${(err as Error).message}\n\n${commandHelp(command)}`)
    return 2
  }
  if (values.help) {
    say(commandHelp(command))
    return 0
  }
  let config: Config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      complain(err.message)
      return 2
    }
    throw err
  }
  return command.run(values, config, positionals)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runCli(process.argv.slice(2)).then(
    // Once everything written to a pipe has gone: a long JSON summary is not cut off by the exit.
    (code) => process.stdout.write('', () => process.exit(code)),
    (err: unknown) => {
      complain(`Failed: ${(err as Error).message}`)
      process.exit(1)
    },
  )
}
