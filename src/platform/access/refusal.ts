import type { AuditEntry } from '../audit/audit.repository.js'
import type { HttpError } from '../http/errors.js'

/**
 * The one refusal of the service. Thrown inside a guarded transaction (`Act.refuse`): the
 * transaction rolls back, `entry` (the DENIED audit row, if any) is written on its own so it
 * survives, and `error` is what the person sees.
 */
export class Refusal extends Error {
  constructor(
    readonly error: HttpError,
    readonly entry: AuditEntry | null = null,
  ) {
    super(error.message)
    this.name = 'Refusal'
  }
}
