import { Router, type Request } from 'express'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { formValues, type FieldError } from '../../platform/forms/forms.js'
import { whenFields } from '../../platform/forms/when.js'
import { uploadedFile } from '../../platform/http/csrf.js'
import { requireUuid } from '../../platform/http/errors.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { EVIDENCE_MAX_BYTES } from './reviews.evidence.js'
import { reportFileName } from './reviews.exports.js'
import { actionFormModel, colourItems, historyModel, kindLabel, ragTag, reviewFormModel } from './reviews.presenter.js'
import type { ActionRow } from './reviews.repository.js'
import type { RagEntry } from './reviews.rules.js'
import type { ReviewsService } from './reviews.service.js'

const READ = { kind: 'partnership', action: 'reviews:read' } as const
const MANAGE = { kind: 'partnership', action: 'reviews:manage' } as const
const UPDATE = { kind: 'partnership', action: 'reviews:update-agency-actions' } as const
const VIEWS = 'reviews/views'

const reviewPath = (reviewId: string) => `/reviews/${reviewId}`
const actionPath = (reviewId: string, actionId: string) => `/reviews/${reviewId}/actions/${actionId}`
const id = (req: Request, name: string) => requireUuid(req.params[name])

/** An evidence upload's one file (its multipart body was read, within 10 MB, before the token check); the service checks what it really is. */
function receivedEvidence(req: Request): { file: Express.Multer.File | undefined; error: FieldError | null } {
  const { file, refused } = uploadedFile(req, 'document')
  if (refused === 'TOO_LARGE' || (file && file.size > EVIDENCE_MAX_BYTES))
    return { file: undefined, error: { href: '#document', text: 'The file must be smaller than 10 MB' } }
  if (refused) return { file: undefined, error: { href: '#document', text: 'Upload one file at a time' } }
  return { file: file ?? undefined, error: null }
}

/** Action plans: reviews, their findings, questions, agency responses and actions, history and as-at reports. */
export function reviewsRoutes(registry: RouteRegistry, reviews: ReviewsService): Router {
  const router = Router()
  const route = routesFor(registry, router)

  route.get('/reviews', READ, async (req, res) => {
    const page = await reviews.list(req.actor!, req.requestId)
    res.render(`${VIEWS}/list.njk`, { ...page, kindLabel, canManage: reviews.canManage(req.actor!) })
  })

  route.get('/reviews/new', MANAGE, async (_req, res) => {
    res.render(`${VIEWS}/new-review.njk`, reviewFormModel())
  })

  route.post('/reviews/new', MANAGE, async (req, res) => {
    const result = await reviews.createReview(req.actor!, req.body, req.requestId)
    if (!result.ok) return res.status(result.status).render(`${VIEWS}/new-review.njk`, reviewFormModel(formValues(req.body), result.errors))
    req.session.flash = { heading: 'Review created', text: 'Add its findings, questions and the agencies’ responses.' }
    res.redirect(reviewPath(result.id))
  })

  route.get('/reviews/rag-key', READ, async (req, res) => {
    const { ragKey } = await reviews.ragKeyPage(req.actor!, req.requestId)
    res.render(`${VIEWS}/rag-key.njk`, { ragKey, colourItems, canManage: reviews.canManage(req.actor!), values: null })
  })

  route.post('/reviews/rag-key', MANAGE, async (req, res) => {
    const result = await reviews.saveRagKey(req.actor!, req.body, req.requestId)
    if (!result.ok) {
      const { ragKey } = await reviews.ragKeyPage(req.actor!, req.requestId)
      return res
        .status(400)
        .render(`${VIEWS}/rag-key.njk`, { ragKey, colourItems, canManage: true, values: formValues(req.body), errors: result.errors })
    }
    req.session.flash = { heading: 'RAG key saved' }
    res.redirect('/reviews/rag-key')
  })

  route.get('/reviews/:reviewId', READ, async (req, res) => {
    const page = await reviews.reviewPage(req.actor!, id(req, 'reviewId'), req.requestId)
    const user = req.actor!
    res.render(`${VIEWS}/review.njk`, {
      ...page,
      kindLabel,
      ragTag: (rag: string | null) => ragTag(page.ragKey, rag),
      canManage: reviews.canManage(user),
      mayUpdate: (agencyId: string) => reviews.mayUpdate(user, { agencyId }),
    })
  })

  // ---------------------------------------------------------------- findings, questions, responses

  const formPage = (view: string) => `${VIEWS}/${view}.njk`

  /** An item's form (to add one, or to change one: then its saved values), saved to its place on the plan. */
  function itemPages<Ids>(
    kind: 'finding' | 'question' | 'response',
    path: string,
    idsOf: (req: Request) => Ids,
    form: ItemForm<Ids>,
    save: ItemSave<Ids>,
  ) {
    const view = formPage(`${kind}-form`)
    route.get(path, MANAGE, async (req, res) => {
      const page = await form(req.actor!, id(req, 'reviewId'), idsOf(req), req.requestId)
      res.render(view, { ...page, values: page[kind] ?? {} })
    })
    route.post(path, MANAGE, async (req, res) => {
      const [reviewId, ids] = [id(req, 'reviewId'), idsOf(req)]
      const result = await save(req.actor!, reviewId, ids, req.body, req.requestId)
      if (!result.ok)
        return res
          .status(400)
          .render(view, { ...(await form(req.actor!, reviewId, ids, req.requestId)), values: formValues(req.body), errors: result.errors })
      res.redirect(`${reviewPath(reviewId)}#${kind}-${result.id}`)
    })
  }

  itemPages('finding', '/reviews/:reviewId/findings/new', () => null, reviews.findingForm, reviews.saveFinding)
  itemPages(
    'finding',
    '/reviews/:reviewId/findings/:findingId/edit',
    (req) => id(req, 'findingId'),
    reviews.findingForm,
    reviews.saveFinding,
  )
  itemPages(
    'question',
    '/reviews/:reviewId/findings/:findingId/questions/new',
    (req) => ({ findingId: id(req, 'findingId') }),
    reviews.questionForm,
    reviews.saveQuestion,
  )
  itemPages(
    'question',
    '/reviews/:reviewId/questions/:questionId/edit',
    (req) => ({ questionId: id(req, 'questionId') }),
    reviews.questionForm,
    reviews.saveQuestion,
  )
  itemPages(
    'response',
    '/reviews/:reviewId/questions/:questionId/responses/new',
    (req) => ({ questionId: id(req, 'questionId') }),
    reviews.responseForm,
    reviews.saveResponse,
  )
  itemPages(
    'response',
    '/reviews/:reviewId/responses/:responseId/edit',
    (req) => ({ responseId: id(req, 'responseId') }),
    reviews.responseForm,
    reviews.saveResponse,
  )

  // ---------------------------------------------------------------- actions

  const ACTION_FORM = formPage('action-form')
  route.get('/reviews/:reviewId/responses/:responseId/actions/new', MANAGE, async (req, res) => {
    const reviewId = id(req, 'reviewId')
    const page = await reviews.newActionForm(req.actor!, reviewId, id(req, 'responseId'), req.requestId)
    res.render(ACTION_FORM, actionForm(reviewId, { ...page, action: null }))
  })
  route.post('/reviews/:reviewId/responses/:responseId/actions/new', MANAGE, async (req, res) => {
    const reviewId = id(req, 'reviewId')
    const result = await reviews.addAction(req.actor!, reviewId, id(req, 'responseId'), req.body, req.requestId)
    if (!result.ok)
      return res.status(400).render(ACTION_FORM, actionForm(reviewId, { ...result, action: null }, formValues(req.body), result.errors))
    req.session.flash = { heading: 'Action added' }
    res.redirect(actionPath(reviewId, result.id))
  })

  route.get('/reviews/:reviewId/actions/:actionId', READ, async (req, res) => {
    const page = await reviews.actionPage(req.actor!, id(req, 'reviewId'), id(req, 'actionId'), req.requestId)
    res.render(formPage('action'), actionPageModel(page))
  })

  route.get('/reviews/:reviewId/actions/:actionId/edit', UPDATE, async (req, res) => {
    const reviewId = id(req, 'reviewId')
    res.render(ACTION_FORM, actionForm(reviewId, await reviews.editActionForm(req.actor!, reviewId, id(req, 'actionId'), req.requestId)))
  })
  route.post('/reviews/:reviewId/actions/:actionId/edit', UPDATE, async (req, res) => {
    const [reviewId, actionId] = [id(req, 'reviewId'), id(req, 'actionId')]
    const result = await reviews.editAction(req.actor!, reviewId, actionId, req.body, req.requestId)
    if (!result.ok) {
      const form = actionForm(reviewId, result, formValues(req.body), result.errors)
      // On a conflict the form is re-based on the version saved now, keeping what was typed.
      if (result.conflict) form.version = String(result.action.version)
      return res.status(result.status).render(ACTION_FORM, { ...form, conflict: !!result.conflict })
    }
    req.session.flash = { heading: 'Action saved' }
    res.redirect(actionPath(reviewId, actionId))
  })

  route.post('/reviews/:reviewId/actions/:actionId/progress', UPDATE, async (req, res) => {
    const [reviewId, actionId] = [id(req, 'reviewId'), id(req, 'actionId')]
    const result = await reviews.progress(req.actor!, reviewId, actionId, req.body, req.requestId)
    if (!result.ok) {
      const page = await reviews.actionPage(req.actor!, reviewId, actionId, req.requestId)
      const values = formValues(req.body)
      const progress = {
        note: String(values.note ?? ''),
        rag: String(values.rag ?? ''),
        version: result.conflict ? String(page.action.version) : String(values.version ?? ''),
      }
      return res
        .status(result.status)
        .render(formPage('action'), actionPageModel(page, { progress, values, errors: result.errors, conflict: !!result.conflict }))
    }
    req.session.flash = { heading: 'Progress update saved' }
    res.redirect(actionPath(reviewId, actionId))
  })

  route.upload('/reviews/:reviewId/actions/:actionId/evidence', UPDATE, async (req, res) => {
    const [reviewId, actionId] = [id(req, 'reviewId'), id(req, 'actionId')]
    const received = receivedEvidence(req)
    const result = received.error
      ? { ok: false as const, status: 413 as const, errors: [received.error] }
      : await reviews.uploadEvidence(req.actor!, reviewId, actionId, received.file, req.requestId)
    if (!result.ok) {
      const page = await reviews.actionPage(req.actor!, reviewId, actionId, req.requestId)
      if (!page.canUpdate) await reviews.uploadEvidence(req.actor!, reviewId, actionId, undefined, req.requestId) // refused and audited
      return res.status(result.status).render(formPage('action'), actionPageModel(page, { errors: result.errors }))
    }
    req.session.flash = { heading: 'Evidence document added' }
    res.redirect(`${actionPath(reviewId, actionId)}#evidence`)
  })

  route.get('/reviews/:reviewId/actions/:actionId/evidence/:documentId', READ, async (req, res) => {
    const doc = await reviews.downloadEvidence(req.actor!, id(req, 'reviewId'), id(req, 'actionId'), id(req, 'documentId'), req.requestId)
    res.setHeader('Content-Type', doc.contentType)
    res.setHeader('Content-Disposition', `attachment; filename="${doc.fileName.replace(/[^\x20-\x7e]|"/g, '_')}"`)
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.send(doc.content)
  })

  // ---------------------------------------------------------------- reports

  route.get('/reviews/:reviewId/report', READ, async (req, res) => {
    const reviewId = id(req, 'reviewId')
    const data = await reviews.report(req.actor!, reviewId, req.query.asAt, req.requestId)
    const errors = data.error ? [{ href: '#asAt', text: data.error }] : []
    res
      .status(data.error ? 400 : 200)
      .render(`${VIEWS}/report.njk`, {
        ...data,
        reviewId,
        kindLabel,
        ragTag: (rag: string | null) => ragTag(data.ragKey, rag),
        errors,
        asAtInput: typeof req.query.asAt === 'string' ? req.query.asAt : data.asAt,
      })
  })

  for (const format of ['docx', 'xlsx'] as const) {
    route.get(`/reviews/:reviewId/report.${format}`, READ, async (req, res) => {
      const reviewId = id(req, 'reviewId')
      const file = await reviews.reportFile(req.actor!, reviewId, req.query.asAt, format, req.requestId)
      if (!file.ok) return res.redirect(`/reviews/${reviewId}/report?asAt=${encodeURIComponent(String(req.query.asAt ?? ''))}`)
      const type =
        format === 'docx'
          ? 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
      res.setHeader('Content-Type', type)
      res.setHeader('Content-Disposition', `attachment; filename="${reportFileName(reviewId, file.asAt, format)}"`)
      res.send(file.content)
    })
  }

  return router
}

type ActionPage = Awaited<ReturnType<ReviewsService['actionPage']>>
type ItemForm<Ids> = (user: CurrentUser, reviewId: string, ids: Ids, requestId: string) => Promise<Record<string, unknown>>
type ItemSave<Ids> = (
  user: CurrentUser,
  reviewId: string,
  ids: Ids,
  body: unknown,
  requestId: string,
) => Promise<{ ok: true; id: string } | { ok: false; errors: FieldError[] }>

/** The action form (a new action for a response, or an action's saved details), with what was typed when shown again. */
function actionForm(
  reviewId: string,
  page: { response: unknown; action: ActionRow | null; ragKey: RagEntry[]; people: { id: string; displayName: string }[] },
  values?: Record<string, string | string[]>,
  errors?: FieldError[],
) {
  return {
    reviewId,
    response: page.response,
    action: page.action,
    ...actionFormModel(page.ragKey, page.people, page.action, values, errors),
  }
}

/** The action page; after a refused progress update, what was typed (`progress`, and when it happened in `values`) with its errors. */
function actionPageModel(
  page: ActionPage,
  extra: {
    progress?: { note: string; rag: string; version: string }
    values?: Record<string, string | string[]>
    errors?: FieldError[]
    conflict?: boolean
  } = {},
) {
  const a = page.action
  return {
    ...page,
    ragTag: (rag: string | null) => ragTag(page.ragKey, rag),
    overdue: !!a.targetDate && a.targetDate < page.today && a.rag !== 'COMPLETED',
    leadName: page.people.find((p) => p.id === a.leadUserId)?.displayName ?? a.leadText,
    history: historyModel(page.ragKey, page.history),
    progress: extra.progress ?? { note: '', rag: a.rag ?? '', version: String(a.version) },
    progressRagItems: page.ragKey.map((e) => ({
      value: e.key,
      text: e.label,
      hint: { text: e.meaning },
      checked: e.key === (extra.progress?.rag ?? a.rag),
    })),
    when: whenFields(extra.values ?? {}, extra.errors),
    errors: extra.errors ?? [],
    conflict: extra.conflict ?? false,
  }
}
