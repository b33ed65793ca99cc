import type { Services } from '../composition.js'
import { transaction } from '../platform/db/transaction.js'

export type Io = { say: (text: string) => void; complain: (text: string) => void }
export const stdio: Io = { say: (t) => process.stdout.write(`${t}\n`), complain: (t) => process.stderr.write(`${t}\n`) }

/**
 * The partnership a command names (or the only one there is), and the person it names by email
 * in it (the one the work is recorded as); null, having said why, when either is not found.
 */
export async function partnershipAndPerson(
  services: Services,
  partnershipName: string | undefined,
  email: string | undefined,
  io: Io,
): Promise<{ partnership: { id: string; name: string }; userId: string | null } | null> {
  const partnerships = await transaction(services.db, 'system', (trx) => trx.selectFrom('partnership').select(['id', 'name']).execute())
  const partnership = partnershipName
    ? partnerships.find((p) => p.name.toLowerCase() === partnershipName.toLowerCase())
    : partnerships.length === 1
      ? partnerships[0]
      : undefined
  if (!partnership) {
    io.complain(
      partnershipName ? `No partnership called “${partnershipName}”` : 'There is more than one partnership: name one with --partnership',
    )
    return null
  }
  if (!email) return { partnership, userId: null }
  const user = await transaction(services.db, 'system', (trx) =>
    trx
      .selectFrom('appUser')
      .select('id')
      .where('partnershipId', '=', partnership.id)
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .executeTakeFirst(),
  )
  if (!user) {
    io.complain(`No person with the email ${email} in ${partnership.name}`)
    return null
  }
  return { partnership, userId: user.id }
}
