import { randomBytes } from 'node:crypto'
import type { Request, RequestHandler } from 'express'
import { csrfSync } from 'csrf-sync'
import multer from 'multer'
import { withoutNul } from './nul.js'

/**
 * The synchroniser token check (csrf-sync: the token lives in the session; every POST carries it
 * as the `_csrf` field of its body). Never in a URL: a URL ends up in logs, history and referrers.
 *
 * A file upload's body is multipart, which the urlencoded parser does not read, so for a multipart
 * POST to a route registered as an upload (`route.upload`), by someone its permission lets in
 * (`mayUpload`), the body is read here first, into memory, within one limit (one file of at most
 * `maxUploadBytes`, a few small fields), and its `_csrf` field checked like any other form's. The
 * route then takes the file with `uploadedFile` and applies its own, smaller limit if it has one.
 * Any other multipart body (signed out, another route, a role the route refuses) is not read: the
 * token check finds no token and refuses it.
 */

/** The largest file any form takes (a review's evidence document: 10 MB); a route refuses more than its own limit. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024

/** What the multipart body held: its file (if any), or why it was not read to the end. */
export type Upload = { file: Express.Multer.File | null; refused: 'TOO_LARGE' | 'MALFORMED' | null }

declare module 'express-serve-static-core' {
  interface Request {
    /** Set for a multipart POST once its body is read (before the token check). */
    upload?: Upload
  }
}

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * The token as a page carries it: masked with a fresh random pad each time (pad and token XORed,
 * both base64url), so that no two compressed responses repeat the same secret bytes (BREACH: a
 * secret in a compressed page can be guessed from response sizes when it is the same every time).
 */
export function maskToken(token: string): string {
  const raw = Buffer.from(token, 'utf8')
  const pad = randomBytes(raw.length)
  const masked = Buffer.from(raw.map((b, i) => b ^ pad[i]!))
  return `${pad.toString('base64url')}.${masked.toString('base64url')}`
}

/** The token a masked value carries; undefined for anything else (a forged or mangled field). */
export function unmaskToken(value: string): string | undefined {
  const parts = value.split('.')
  if (parts.length !== 2 || value.length > 1024) return undefined
  const pad = Buffer.from(parts[0]!, 'base64url')
  const masked = Buffer.from(parts[1]!, 'base64url')
  if (pad.length === 0 || pad.length !== masked.length) return undefined
  return Buffer.from(masked.map((b, i) => b ^ pad[i]!)).toString('utf8')
}

export function csrfProtection(options: { maxUploadBytes?: number; mayUpload?: (req: Request) => boolean } = {}) {
  const mayUpload = options.mayUpload ?? (() => false)
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => {
      const body = req.body as Record<string, unknown> | undefined
      return typeof body?._csrf === 'string' ? unmaskToken(body._csrf) : undefined
    },
    errorConfig: { statusCode: 403, message: 'invalid csrf token', code: 'EBADCSRFTOKEN' },
  })
  const multipart = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: options.maxUploadBytes ?? MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 8 * 1024, parts: 11 },
  }).any()

  const protection: RequestHandler = (req, res, next) => {
    const isUpload = CHANGES.has(req.method) && req.is('multipart/form-data') === 'multipart/form-data'
    if (!isUpload || !req.actor || !req.session.csrfToken || !mayUpload(req)) return csrfSynchronisedProtection(req, res, next)
    multipart(req, res, (err: unknown) => {
      if (err && !(err instanceof multer.MulterError)) return next(err)
      const files = Array.isArray(req.files) ? req.files : []
      req.body = withoutNul((req.body ?? {}) as Record<string, unknown>)
      req.upload = {
        file: err ? null : (files[0] ?? null),
        refused: err instanceof multer.MulterError ? (err.code === 'LIMIT_FILE_SIZE' ? 'TOO_LARGE' : 'MALFORMED') : null,
      }
      csrfSynchronisedProtection(req, res, next)
    })
  }
  /** The token for a page's forms: the session's, masked afresh for each response. */
  const pageToken = (req: Request) => maskToken(generateToken(req))
  return { csrfProtection: protection, pageToken }
}

/** The uploaded file of a form's field (read by `csrfProtection`), or why there is none. */
export function uploadedFile(req: Request, field: string): Upload {
  const upload = req.upload ?? { file: null, refused: null }
  if (upload.file && upload.file.fieldname !== field) return { file: null, refused: 'MALFORMED' }
  return upload
}
