import type { ErrorRequestHandler, Request, RequestHandler } from 'express'
import type { Logger } from 'pino'
import { ForbiddenError, HttpError, NotFoundError } from './errors.js'
import { pathOnly } from './logger.js'

const TITLES: Record<number, string> = {
  400: 'Sorry, there is a problem with your request',
  403: 'You do not have access to this page',
  404: 'Page not found',
  409: 'This record has changed',
  413: 'What you sent is too large',
  429: 'Too many requests',
  500: 'Sorry, there is a problem with the service',
  503: 'Sorry, the service is unavailable',
}

/** The database did not answer (timeout, refused, restarting): 503, so proxies and people retry. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
])
function unavailable(e: ErrorLike): boolean {
  if (e.code && UNAVAILABLE_CODES.has(e.code)) return true
  return /timeout exceeded when trying to connect|Query read timeout|Connection terminated|connection timeout|not queryable/i.test(
    e.message ?? '',
  )
}

export function notFound(): RequestHandler {
  return (_req, _res, next) => next(new NotFoundError())
}

type ErrorLike = { status?: number; statusCode?: number; type?: string; code?: string; message?: string; stack?: string }

function statusOf(err: unknown): number {
  if (err instanceof HttpError) return err.status
  const e = (err ?? {}) as ErrorLike
  if (e.code === 'EBADCSRFTOKEN' || e.message === 'invalid csrf token') return 403
  if (e.type === 'entity.too.large') return 413
  if (e.type === 'entity.parse.failed' || e.type === 'request.aborted' || e.type === 'parameters.too.many') return 400
  const s = e.status ?? e.statusCode
  if (s && [400, 403, 404, 409, 413].includes(s)) return s
  if (unavailable(e)) return 503
  return 500
}

/** A friendly page with a reference id; the stack trace goes to the log, never to the page. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req: Request, res, _next) => {
    const status = statusOf(err)
    const e = (err ?? {}) as ErrorLike
    const log = { requestId: req.requestId, userId: req.actor?.id, method: req.method, path: pathOnly(req.originalUrl), status }
    if (status >= 500) {
      logger.error({ ...log, err: { type: e.constructor?.name, message: e.message, code: e.code, stack: e.stack } }, 'request failed')
    } else {
      logger.info(log, 'request refused')
    }
    if (res.headersSent) return
    if (status === 503) res.set('Retry-After', '5')
    const message = err instanceof HttpError && status !== 500 ? err.message : undefined
    const details = err instanceof HttpError && 'details' in err ? (err.details as string[]) : []
    const offer = err instanceof ForbiddenError ? err.offer : undefined
    res
      .status(status)
      .render('errors/error.njk', { status, title: TITLES[status] ?? TITLES[500], message, details, offer, referenceId: req.requestId })
  }
}
