import querystring from 'node:querystring'
import type { RequestHandler } from 'express'

/**
 * NUL characters never mean anything in a form, and PostgreSQL refuses them in text ("invalid byte
 * sequence"), which would turn a stray byte into a server error. They are dropped where input
 * enters: form bodies, query strings and uploaded files' text cells.
 */
export function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('\u0000', '') as T
  if (Array.isArray(value)) return value.map((item) => withoutNul(item)) as T
  if (value && typeof value === 'object') {
    const clean: Record<string, unknown> = Object.create(null) as Record<string, unknown>
    for (const [key, item] of Object.entries(value)) clean[withoutNul(key)] = withoutNul(item)
    return clean as T
  }
  return value
}

/** Runs after a body parser: the parsed body without NUL characters. */
export function dropNulCharacters(): RequestHandler {
  return (req, _res, next) => {
    if (req.body && typeof req.body === 'object') req.body = withoutNul(req.body as Record<string, unknown>)
    next()
  }
}

/** Express's 'simple' query parser, without NUL characters. */
export function parseQueryWithoutNul(query: string): Record<string, unknown> {
  return withoutNul({ ...querystring.parse(query) })
}
