import type { Trx } from '../../platform/db/transaction.js'
import {
  bailHoldsUpIntervention as holds,
  criminalProcessRepository,
  type BailHold,
  type CriminalProcessRow,
} from './criminal-process.repository.js'

/**
 * What other features read of the criminal process, inside a read or command they are already
 * running on the case (so its access is checked and audited there).
 */
export const criminalProcessEntries = (trx: Trx, caseId: string): Promise<CriminalProcessRow[]> =>
  criminalProcessRepository().listForCase(trx, caseId)

/** Current bail holding up intervention work on the case, or null. */
export const bailHoldsUpIntervention = (trx: Trx, caseId: string, at: Date): Promise<BailHold[] | null> => holds(trx, caseId, at)
