import type { Request, RequestHandler } from 'express'
import { csrfSync } from 'csrf-sync'
import multer from 'multer'
import { withoutNul } from './nul.js'

/**
 * The synchroniser token check (csrf-sync: the token lives in the session; every POST carries it
 * as the `_csrf` field of its body). Never in a URL: a URL ends up in logs, history and referrers.
 *
 * A file upload's body is multipart, which the urlencoded parser does not read, so for a signed-in
 * person's multipart POST the body is read here first, into memory, within one limit (one file of
 * at most `maxUploadBytes`, a few small fields), and its `_csrf` field checked like any other form's.
 * The route then takes the file with `uploadedFile` and applies its own, smaller limit if it has one.
 * Nobody signed out has an upload form: their multipart bodies are refused unread.
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

export function csrfProtection(options: { maxUploadBytes?: number } = {}) {
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => {
      const body = req.body as Record<string, unknown> | undefined
      return typeof body?._csrf === 'string' ? body._csrf : undefined
    },
    errorConfig: { statusCode: 403, message: 'invalid csrf token', code: 'EBADCSRFTOKEN' },
  })
  const multipart = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: options.maxUploadBytes ?? MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 8 * 1024, parts: 11 },
  }).any()

  const protection: RequestHandler = (req, res, next) => {
    const isUpload = CHANGES.has(req.method) && req.is('multipart/form-data') === 'multipart/form-data'
    if (!isUpload || !req.actor || !req.session.csrfToken) return csrfSynchronisedProtection(req, res, next)
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
  return { csrfProtection: protection, generateToken }
}

/** The uploaded file of a form's field (read by `csrfProtection`), or why there is none. */
export function uploadedFile(req: Request, field: string): Upload {
  const upload = req.upload ?? { file: null, refused: null }
  if (upload.file && upload.file.fieldname !== field) return { file: null, refused: 'MALFORMED' }
  return upload
}
