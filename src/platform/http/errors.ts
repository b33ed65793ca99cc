/** Errors that carry the HTTP status the user should see. Messages are safe to show. */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 413 | 429 | 500,
    message: string,
  ) {
    super(message)
  }
}

export class NotFoundError extends HttpError {
  constructor(message = 'Page not found') {
    super(404, message)
  }
}

/** A way forward the 403 page offers (a record refused may be opened in an emergency: break-glass). */
export type RefusalOffer = { href: string; text: string }

export class ForbiddenError extends HttpError {
  constructor(
    message = 'You do not have access to this page',
    readonly offer?: RefusalOffer,
  ) {
    super(403, message)
  }
}

export class ConflictError extends HttpError {
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(409, message)
  }
}

export class BadRequestError extends HttpError {
  constructor(message = 'The request could not be understood') {
    super(400, message)
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Whether a value is a UUID (an id, or a form's own key in a hidden field). */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value)

/** Ids in URLs are UUIDs; anything else is a page that does not exist, not a server error. */
export function requireUuid(value: unknown): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw new NotFoundError()
  return value.toLowerCase()
}
