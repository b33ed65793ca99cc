import { Router, type Request } from 'express'
import { uploadedFile } from '../../platform/http/csrf.js'
import { requireUuid } from '../../platform/http/errors.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { presentPreview } from './plan-import.presenter.js'
import type { PlanImportService } from './plan-import.service.js'

const MANAGE = { kind: 'partnership', action: 'reviews:manage' } as const
const VIEWS = 'plan-import/views'

/** The form's one file (its multipart body was read, within the platform's limit, before the token check), refusing anything over ours. */
function receivedPlan(req: Request, maxBytes: number): { bytes: Uint8Array | null; tooLarge: boolean } {
  const { file, refused } = uploadedFile(req, 'plan')
  if (refused === 'TOO_LARGE' || (file && file.size > maxBytes)) return { bytes: null, tooLarge: true }
  return { bytes: file ? new Uint8Array(file.buffer.buffer, file.buffer.byteOffset, file.buffer.byteLength) : null, tooLarge: false }
}

/** Import of an action plan into a review: upload, preview with RAG word mapping, confirm. */
export function planImportRoutes(registry: RouteRegistry, service: PlanImportService): Router {
  const router = Router()
  const route = routesFor(registry, router)

  route.get('/reviews/:reviewId/import', MANAGE, async (req, res) => {
    const review = await service.uploadForm(req.actor!, requireUuid(req.params.reviewId), req.requestId)
    res.render(`${VIEWS}/upload.njk`, { review, pageTitle: `Import an action plan – ${review.name}` })
  })

  route.upload('/reviews/:reviewId/import', MANAGE, async (req, res) => {
    const reviewId = requireUuid(req.params.reviewId)
    const file = receivedPlan(req, service.maxBytes)
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
