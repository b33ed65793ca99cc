import type { Services } from '../composition.js'
import type { Config } from '../config.js'
import type { Command } from './index.js'
import { partnershipAndPerson, stdio, type Io } from './partnership.js'

/**
 * `retention-run`: erases the partnership's approved records, one child per transaction (each
 * leaves a tombstone; a record under a legal hold is never erased), and prints what it did as
 * JSON. Exit codes: 0 done (held records are reported, not an error); 1 some could not be erased
 * (they stay approved: run again); 2 a usage error.
 */
export async function retentionRun(services: Services, args: { partnership?: string; as?: string }, io: Io = stdio): Promise<number> {
  const found = await partnershipAndPerson(services, args.partnership, args.as, io)
  if (!found) return 2
  const result = await services.retention.service.runApproved({
    partnershipId: found.partnership.id,
    userId: found.userId,
    requestId: null,
  })
  io.say(JSON.stringify({ partnership: found.partnership.name, ...result }))
  return result.failed ? 1 : 0
}

const text = (x: unknown) => (typeof x === 'string' && x ? x : undefined)

export const retentionRunCommand: Command = {
  summary: 'Erase the records whose erasure was proposed and approved by a second person (never one under a legal hold).',
  usage: 'retention-run [--partnership NAME] [--as EMAIL]\n  Recorded as the person named with --as, or as the system.',
  options: {
    partnership: { type: 'string', description: 'the partnership, by name (needed when there is more than one)' },
    as: { type: 'string', description: 'the email of the person the run is recorded as' },
  },
  async run(values, config: Config) {
    const { withDatabase } = await import('./index.js')
    return withDatabase(config, async (handle) => {
      const { createServices } = await import('../composition.js')
      const services = await createServices(config, handle)
      const partnership = text(values.partnership)
      const as = text(values.as)
      return retentionRun(services, { ...(partnership ? { partnership } : {}), ...(as ? { as } : {}) })
    })
  },
}
