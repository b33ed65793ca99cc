import type { Command } from './index.js'
import { readFile, stat } from 'node:fs/promises'
import type { Services } from '../composition.js'
import type { Config } from '../config.js'
import { EXTRACT_LIMITS } from '../features/plan-import/index.js'
import { partnershipAndPerson, stdio, type Io } from './partnership.js'

export type ImportActionPlanArgs = {
  file: string
  review: string
  partnership?: string
  dryRun: boolean
  map: readonly string[]
  /** The email of the person the import is recorded as; without it, the import is recorded as made from the command line by nobody in particular. */
  as?: string
}

/**
 * `import-action-plan <file> --review "<name>"`: reads a CSV or XLSX action plan and imports it into
 * the review (created, kind "Other", when no review has that name), all or nothing, as the web
 * import does. Prints a JSON summary. Exit codes: 0 saved (or a clean dry run); 1 unknown RAG words
 * left unmapped, problems in the file, or a file that is not a plan; 2 a usage error.
 */
export async function importActionPlan(services: Services, args: ImportActionPlanArgs, io: Io = stdio): Promise<number> {
  let bytes: Uint8Array
  try {
    const info = await stat(args.file)
    if (info.size > EXTRACT_LIMITS.maxBytes) {
      io.complain(`The file is larger than ${Math.round(EXTRACT_LIMITS.maxBytes / 1024 / 1024)} MB.`)
      return 1
    }
    bytes = await readFile(args.file)
  } catch {
    io.complain(`Cannot read the file ${args.file}`)
    return 2
  }
  const found = await partnershipAndPerson(services, args.partnership, args.as, io)
  if (!found) return 2
  const { partnership, userId: actorId } = found
  const outcome = await services.planImport.service.importFile(partnership.id, {
    bytes,
    reviewName: args.review,
    maps: args.map,
    dryRun: args.dryRun,
    actorId,
    createReview: true,
    limits: EXTRACT_LIMITS,
  })
  if (!outcome.ok) {
    io.complain(outcome.message)
    return outcome.usage ? 2 : 1
  }
  const { summary, result } = outcome
  io.say(
    JSON.stringify(
      {
        review: args.review,
        partnership: partnership.name,
        dryRun: args.dryRun,
        saved: outcome.saved,
        ...(outcome.saved ? { reviewCreated: outcome.createdReview ?? false } : { reviewExists: outcome.reviewExists }),
        file: summary.file,
        counts: summary.counts,
        ragAsWritten: summary.ragAsWritten,
        ragAsMapped: summary.ragAsMapped,
        unknownRagWords: summary.unknownRagWords,
        unmappedRagWords: summary.unmappedRagWords,
        problems: summary.problems,
        ...(result ? { created: result.created, unchanged: result.unchanged } : {}),
      },
      null,
      2,
    ),
  )
  if (summary.unmappedRagWords.length)
    io.complain(`Map every unknown RAG word with --map, e.g. --map "${summary.unmappedRagWords[0]}=amber". Nothing was saved.`)
  else if (outcome.blocked) io.complain('Correct the problems listed in the file. Nothing was saved.')
  return outcome.blocked ? 1 : 0
}

/** The command as src/cli/index.ts registers it. */
export const importActionPlanCommand: Command = {
  summary: 'Import a CSV or XLSX action plan into a review (created if missing) and print a JSON summary.',
  usage:
    'import-action-plan FILE --review "NAME" [--dry-run] [--map "P=amber"]... [--partnership NAME] [--as EMAIL]\n' +
    '  Exits 1, saving nothing, while RAG words not in the board’s key are unmapped or the file has problems.',
  positionals: true,
  options: {
    review: { type: 'string', description: 'the review, by name (created, kind Other, if there is none)' },
    partnership: { type: 'string', description: 'the partnership, by name (needed when there is more than one)' },
    'dry-run': { type: 'boolean', description: 'read and summarise the plan, save nothing' },
    map: {
      type: 'string',
      multiple: true,
      description: 'WORD=STATUS for a RAG word not in the key: red, amber, green, completed or none (repeat)',
    },
    as: { type: 'string', description: 'the email of the person the import is recorded as (optional)' },
  },
  async run(values: Record<string, string | boolean | string[] | undefined>, config: Config, positionals: string[] = []): Promise<number> {
    const [file, ...extra] = positionals
    const review = values.review
    if (!file || extra.length || typeof review !== 'string' || !review.trim()) {
      stdio.complain('Usage: npm run cli -- import-action-plan FILE --review "NAME" [--dry-run] [--map "P=amber"]...')
      return 2
    }
    // index.ts imports this file, so its database helper is taken when the command runs.
    const { withDatabase } = await import('./index.js')
    return withDatabase(config, async (handle) => {
      const { createServices } = await import('../composition.js')
      const services = await createServices(config, handle)
      return importActionPlan(services, {
        file,
        review,
        dryRun: values['dry-run'] === true,
        map: (values.map as string[] | undefined) ?? [],
        ...(typeof values.partnership === 'string' ? { partnership: values.partnership } : {}),
        ...(typeof values.as === 'string' ? { as: values.as } : {}),
      })
    })
  },
}
