import { Router, type Request, type Response } from 'express'
import multer from 'multer'
import { requireUuid } from '../../platform/http/errors.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { presentPreview } from './plan-import.presenter.js'
import type { PlanImportService } from './plan-import.service.js'
import { withoutNul } from '../../platform/http/nul.js'

const MANAGE = { kind: 'partnership', action: 'reviews:manage' } as const
const VIEWS = 'plan-import/views'

/** Reads the one file of a multipart form into memory, refusing anything over the limit. */
function receiveFile(maxBytes: number) {
  const single = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1, fields: 5, parts: 6 } }).single('plan')
  return (req: Request, res: Response) =>
    new Promise<{ bytes: Uint8Array | null; tooLarge: boolean }>((resolve, reject) => {
      single(req, res, (err: unknown) => {
        if (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE') return resolve({ bytes: null, tooLarge: true })
        if (err instanceof multer.MulterError) return resolve({ bytes: null, tooLarge: false })
        if (err) return reject(err as Error)
        req.body = withoutNul(req.body as Record<string, unknown>)
        const file = req.file
        resolve({ bytes: file && file.size > 0 ? new Uint8Array(file.buffer) : file ? new Uint8Array(0) : null, tooLarge: false })
      })
    })
}

/** Import of an action plan into a review: upload, preview with RAG word mapping, confirm. */
export function planImportRoutes(registry: RouteRegistry, service: PlanImportService): Router {
  const router = Router()
  const route = routesFor(registry, router)
  const receive = receiveFile(service.maxBytes)

  route.get('/reviews/:reviewId/import', MANAGE, async (req, res) => {
    const review = await service.uploadForm(req.actor!, requireUuid(req.params.reviewId), req.requestId)
    res.render(`${VIEWS}/upload.njk`, { review, pageTitle: `Import an action plan – ${review.name}` })
  })

  route.post('/reviews/:reviewId/import', MANAGE, async (req, res) => {
    const reviewId = requireUuid(req.params.reviewId)
    const file = await receive(req, res)
    const result = file.tooLarge
      ? {
          ok: false as const,
          message: 'The file is larger than 5 MB. Remove anything other than the action plan and try again.',
          review: await service.uploadForm(req.actor!, reviewId, req.requestId),
        }
      : await service.upload(req.actor!, reviewId, file.bytes, req.requestId)
    if (!result.ok) {
      return res
        .status(file.tooLarge ? 413 : 400)
        .render(`${VIEWS}/upload.njk`, {
          review: result.review,
          pageTitle: `Import an action plan – ${result.review.name}`,
          errors: [{ href: '#plan', text: result.message }],
        })
    }
    res.redirect(`/reviews/${reviewId}/import/${result.uploadId}`)
  })

  route.get('/reviews/:reviewId/import/:uploadId', MANAGE, async (req, res) => {
    const page = await service.preview(req.actor!, requireUuid(req.params.reviewId), requireUuid(req.params.uploadId), req.requestId)
    res.render(`${VIEWS}/preview.njk`, presentPreview(page))
  })

  route.post('/reviews/:reviewId/import/:uploadId', MANAGE, async (req, res) => {
    const reviewId = requireUuid(req.params.reviewId)
    const outcome = await service.confirm(req.actor!, reviewId, requireUuid(req.params.uploadId), req.body, req.requestId)
    if (!outcome.ok) return res.status(outcome.status).render(`${VIEWS}/preview.njk`, presentPreview(outcome.page))
    const { result } = outcome
    const plural = (n: number, word: string) => `${n} new ${word}${n === 1 ? '' : 's'}`
    req.session.flash = {
      heading: 'Action plan imported',
      text: `${plural(result.created.actions, 'action')}, ${plural(result.created.questions, 'question')} and ${plural(result.created.findings, 'finding')}. ${result.unchanged.actions} action${result.unchanged.actions === 1 ? ' was' : 's were'} already in the review.`,
    }
    res.redirect(`/reviews/${reviewId}/import`)
  })

  return router
}
