import type { HttpError } from '../../platform/http/errors.js'

/** A command refused after the case was loaded: its audit row commits, then the error is shown. */
export class Refusal {
  constructor(readonly error: HttpError) {}
}
