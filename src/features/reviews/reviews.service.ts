import { canInPartnership } from '../../platform/access/policy.js'
import type { AuditRepository } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { londonDate } from '../../platform/clocks/london-time.js'
import { transaction, type Db, type Trx } from '../../platform/db/transaction.js'
import { ForbiddenError, NotFoundError, type HttpError } from '../../platform/http/errors.js'
import type { FieldError } from '../../platform/forms/forms.js'
import type { ImportPlanInput } from './imported-plan.js'
import { checkEvidenceFile, evidenceStore, sha256, EVIDENCE_TYPES } from './reviews.evidence.js'
import { reportDocx, reportXlsx, type ReportData } from './reviews.exports.js'
import { readActionForm, readProgressForm, readRagKeyForm, readReviewForm, version, type ActionInput } from './reviews.form.js'
import { importPlan } from './reviews.import.js'
import { reviewsRepository, type ActionRow, type ReviewRow } from './reviews.repository.js'
import { asAtCutoff, buildPlan, normaliseActionText, ragKeyFrom, readAsAt, summarise, validateRagKey, type RagEntry } from './reviews.rules.js'
import { planEditing } from './reviews.plan-edit.js'

type Deps = { db: Db; audit: AuditRepository; now?: () => Date; evidenceDir?: string | undefined }

/** A refusal decided inside a transaction: its audit row commits, then the error is thrown. */
export class Refusal {
  constructor(readonly error: HttpError) {}
}

export type Failure = { ok: false; status: 400 | 409; errors: FieldError[]; conflict?: boolean }
export type UploadFile = { originalname: string; size: number; buffer: Buffer }

/**
 * Reviews and their action plans. Reading is for reviews:read; the business manager
 * (reviews:manage) changes everything; an agency lead changes only the actions of their own
 * agency's responses, and any other attempt is refused and audited. Every change is audited and
 * kept as a dated version, so the plan can be reported as at any past date.
 */
export function reviewsService(deps: Deps) {
  const { db, audit, now = () => new Date() } = deps
  const repo = reviewsRepository()
  const store = evidenceStore(deps.evidenceDir)
  const today = () => londonDate(now())

  async function record(trx: Trx, user: CurrentUser, action: string, recordType: string, recordId: string | null, requestId: string, detail: Record<string, string | number | boolean | null> = {}, allowed = true) {
    await audit.record(trx, { partnershipId: user.partnershipId, userId: user.id, action: `reviews:${action}`, recordType, recordId, outcome: allowed ? 'ALLOWED' : 'DENIED', requestId, detail })
  }

  /** Runs in the partnership's scope; a Refusal returned from inside is thrown after the commit. */
  async function run<T>(user: CurrentUser, fn: (trx: Trx) => Promise<T | Refusal>): Promise<T> {
    const out = await transaction(db, { partnershipId: user.partnershipId }, fn)
    if (out instanceof Refusal) throw out.error
    return out
  }

  async function loadReview(trx: Trx, reviewId: string): Promise<ReviewRow> {
    const review = await repo.findReview(trx, reviewId)
    if (!review) throw new NotFoundError()
    return review
  }

  const ragKey = async (trx: Trx, partnershipId: string): Promise<RagEntry[]> => ragKeyFrom(await repo.ragKeyRows(trx, partnershipId))
  const canManage = (user: CurrentUser) => canInPartnership(user, 'reviews:manage')
  /** The business manager updates any action; an agency lead only their own agency's. */
  const mayUpdate = (user: CurrentUser, action: { agencyId: string }) =>
    canManage(user) || (canInPartnership(user, 'reviews:update-agency-actions') && user.agencyId === action.agencyId)

  async function loadAction(trx: Trx, user: CurrentUser, reviewId: string, actionId: string, verb: string, requestId: string): Promise<ActionRow | Refusal> {
    await loadReview(trx, reviewId)
    const action = await repo.findAction(trx, reviewId, actionId)
    if (!action) throw new NotFoundError()
    if (!mayUpdate(user, action)) {
      await record(trx, user, verb, 'review-action', action.id, requestId, { reviewId, agencyId: action.agencyId }, false)
      return new Refusal(new ForbiddenError('You can only update the actions of your own agency.'))
    }
    return action
  }

  async function actionFormOptions(trx: Trx, user: CurrentUser) {
    return { ragKey: await ragKey(trx, user.partnershipId), people: await repo.listPeople(trx, user.partnershipId) }
  }

  const plan = planEditing({ repo, record, run, loadReview, now })

  async function reportData(trx: Trx, user: CurrentUser, reviewId: string, asAt: string): Promise<ReportData> {
    const review = await loadReview(trx, reviewId)
    const key = await ragKey(trx, user.partnershipId)
    const state = await repo.planAsAt(trx, reviewId, asAtCutoff(asAt))
    const built = buildPlan(state.items, state.actions, asAt)
    return { review, asAt, plan: built, ragKey: key, summary: summarise(built, key) }
  }

  const service = {
    ...plan,
    canManage,
    mayUpdate,
    today,

    async list(user: CurrentUser, requestId: string) {
      return run(user, async (trx) => {
        await record(trx, user, 'list', 'review', null, requestId)
        return { reviews: await repo.listReviews(trx, user.partnershipId, today()), ragKey: await ragKey(trx, user.partnershipId) }
      })
    },

    async createReview(user: CurrentUser, raw: unknown, requestId: string): Promise<{ ok: true; id: string } | Failure> {
      const form = readReviewForm(raw)
      if (!form.ok) return { ok: false, status: 400, errors: form.errors }
      return run(user, async (trx) => {
        if (await repo.reviewNameTaken(trx, user.partnershipId, form.value.name)) return { ok: false as const, status: 400 as const, errors: [{ href: '#name', text: 'A review with this name already exists' }] }
        const id = await repo.insertReview(trx, { partnershipId: user.partnershipId, ...form.value, createdBy: user.id, at: now() })
        await record(trx, user, 'create', 'review', id, requestId, { kind: form.value.kind })
        return { ok: true as const, id }
      })
    },

    /** The plan as it is now, with what this person may change. */
    async reviewPage(user: CurrentUser, reviewId: string, requestId: string) {
      return run(user, async (trx) => {
        const review = await loadReview(trx, reviewId)
        const key = await ragKey(trx, user.partnershipId)
        const state = await repo.currentPlan(trx, reviewId)
        const built = buildPlan(state.items, state.actions, today())
        await record(trx, user, 'read', 'review', reviewId, requestId)
        return { review, plan: built, ragKey: key, summary: summarise(built, key), today: today() }
      })
    },

    async newActionForm(user: CurrentUser, reviewId: string, responseId: string) {
      return run(user, async (trx) => {
        await loadReview(trx, reviewId)
        const response = await repo.findResponse(trx, reviewId, responseId)
        if (!response) throw new NotFoundError()
        return { response, ...(await actionFormOptions(trx, user)) }
      })
    },

    async addAction(user: CurrentUser, reviewId: string, responseId: string, raw: unknown, requestId: string) {
      return run(user, async (trx) => {
        await loadReview(trx, reviewId)
        const response = await repo.findResponse(trx, reviewId, responseId)
        if (!response) throw new NotFoundError()
        const options = await actionFormOptions(trx, user)
        const form = readActionForm(raw, options.people.map((p) => p.id))
        if (!form.ok) return { ok: false as const, status: 400 as const, errors: form.errors, response, ...options }
        const id = await repo.insertAction(trx, { partnershipId: user.partnershipId, reviewId, responseId, agencyId: response.agencyId, textKey: normaliseActionText(form.value.text), state: form.value, by: user.id, at: now(), change: 'CREATED' })
        await record(trx, user, 'add-action', 'review-action', id, requestId, { reviewId, agencyId: response.agencyId })
        return { ok: true as const, id }
      })
    },

    /** The action, its history (newest first) and evidence; refused (audited) edits are shown read-only. */
    async actionPage(user: CurrentUser, reviewId: string, actionId: string, requestId: string) {
      return run(user, async (trx) => {
        const review = await loadReview(trx, reviewId)
        const action = await repo.findAction(trx, reviewId, actionId)
        if (!action) throw new NotFoundError()
        const response = (await repo.findResponse(trx, reviewId, action.responseId))!
        await record(trx, user, 'read-action', 'review-action', actionId, requestId, { reviewId })
        return {
          review,
          action,
          response,
          history: await repo.actionHistory(trx, actionId),
          evidence: await repo.listEvidence(trx, actionId),
          ...(await actionFormOptions(trx, user)),
          canUpdate: mayUpdate(user, action),
          today: today(),
        }
      })
    },

    async editActionForm(user: CurrentUser, reviewId: string, actionId: string, requestId: string) {
      return run(user, async (trx) => {
        const action = await loadAction(trx, user, reviewId, actionId, 'edit-action', requestId)
        if (action instanceof Refusal) return action
        return { action, response: (await repo.findResponse(trx, reviewId, action.responseId))!, ...(await actionFormOptions(trx, user)) }
      })
    },

    /** Changes the action's details if nobody else has since the form was opened (409 otherwise, text kept). */
    async editAction(user: CurrentUser, reviewId: string, actionId: string, raw: unknown, requestId: string) {
      return run(user, async (trx) => {
        const action = await loadAction(trx, user, reviewId, actionId, 'edit-action', requestId)
        if (action instanceof Refusal) return action
        const options = await actionFormOptions(trx, user)
        const response = (await repo.findResponse(trx, reviewId, action.responseId))!
        const form = readActionForm(raw, options.people.map((p) => p.id))
        if (!form.ok) return { ok: false as const, status: 400 as const, conflict: false, errors: form.errors, action, response, ...options }
        const saved = await save(trx, user, action, version(raw), form.value, 'EDITED', null)
        if (!saved) return { ok: false as const, status: 409 as const, conflict: true, errors: conflictError, action, response, ...options }
        await record(trx, user, 'edit-action', 'review-action', actionId, requestId, { reviewId, agencyId: action.agencyId })
        return { ok: true as const }
      })
    },

    /** A dated progress update with the RAG status now (from → to kept in the history). */
    async progress(user: CurrentUser, reviewId: string, actionId: string, raw: unknown, requestId: string) {
      return run(user, async (trx) => {
        const action = await loadAction(trx, user, reviewId, actionId, 'progress', requestId)
        if (action instanceof Refusal) return action
        const form = readProgressForm(raw)
        if (!form.ok) return { ok: false as const, status: 400 as const, conflict: false, errors: form.errors }
        const { id: _id, reviewId: _r, responseId: _s, agencyId: _a, position: _p, version: _v, textKey: _t, ...state } = action
        const saved = await save(trx, user, action, version(raw), { ...state, rag: form.value.rag }, 'PROGRESS', form.value.note)
        if (!saved) return { ok: false as const, status: 409 as const, conflict: true, errors: conflictError }
        await record(trx, user, 'progress', 'review-action', actionId, requestId, { reviewId, agencyId: action.agencyId, ragFrom: action.rag, ragTo: form.value.rag })
        return { ok: true as const }
      })
    },

    async uploadEvidence(user: CurrentUser, reviewId: string, actionId: string, file: UploadFile | undefined, requestId: string) {
      return run(user, async (trx) => {
        const action = await loadAction(trx, user, reviewId, actionId, 'upload-evidence', requestId)
        if (action instanceof Refusal) return action
        const checked = checkEvidenceFile(file)
        if (!checked.ok) return { ok: false as const, status: 400 as const, errors: [{ href: '#document', text: checked.error }] }
        const content = file!.buffer
        const stored = await store.put(user.partnershipId, content)
        const id = await repo.insertEvidence(trx, {
          partnershipId: user.partnershipId, reviewId, actionId, fileName: checked.fileName, fileType: checked.type, contentType: EVIDENCE_TYPES[checked.type].contentType,
          sizeBytes: content.length, sha256: sha256(content), ...stored, by: user.id, at: now(),
        })
        await record(trx, user, 'upload-evidence', 'review-evidence', id, requestId, { reviewId, actionId, type: checked.type, bytes: content.length })
        return { ok: true as const, id }
      })
    },

    async downloadEvidence(user: CurrentUser, reviewId: string, actionId: string, documentId: string, requestId: string) {
      return run(user, async (trx) => {
        await loadReview(trx, reviewId)
        const doc = await repo.findEvidence(trx, actionId, documentId)
        if (!doc) throw new NotFoundError()
        await record(trx, user, 'download-evidence', 'review-evidence', documentId, requestId, { reviewId, actionId })
        return { fileName: doc.fileName, contentType: doc.contentType, content: await store.get(doc) }
      })
    },

    async ragKeyPage(user: CurrentUser) {
      return run(user, async (trx) => ({ ragKey: await ragKey(trx, user.partnershipId) }))
    },

    async saveRagKey(user: CurrentUser, raw: unknown, requestId: string) {
      const input = readRagKeyForm(raw)
      const checked = validateRagKey(input)
      if (!checked.ok) return { ok: false as const, status: 400 as const, errors: checked.errors }
      return run(user, async (trx) => {
        await repo.saveRagKey(trx, user.partnershipId, checked.value, user.id, now())
        await record(trx, user, 'rag-key', 'review-rag-key', null, requestId)
        return { ok: true as const }
      })
    },

    /** The board's report as at a date (default today): the plan as recorded by the end of that day. */
    async report(user: CurrentUser, reviewId: string, asAtRaw: unknown, requestId: string, format: 'html' | 'docx' | 'xlsx' = 'html') {
      const asAt = readAsAt(asAtRaw, today())
      return run(user, async (trx) => {
        const data = await reportData(trx, user, reviewId, asAt.ok ? asAt.value : today())
        await record(trx, user, `report-${format}`, 'review', reviewId, requestId, { asAt: data.asAt })
        return { ...data, error: asAt.ok ? null : asAt.error, today: today() }
      })
    },

    async reportFile(user: CurrentUser, reviewId: string, asAtRaw: unknown, format: 'docx' | 'xlsx', requestId: string) {
      const data = await service.report(user, reviewId, asAtRaw, requestId, format)
      if (data.error) return { ok: false as const, error: data.error }
      return { ok: true as const, asAt: data.asAt, content: format === 'docx' ? await reportDocx(data) : await reportXlsx(data) }
    },

    /** For the plan importer: see reviews.import.ts. Runs in the caller's transaction. */
    importPlan: (trx: Trx, input: ImportPlanInput) => importPlan(trx, input, now()),

    /** The same service on another clock (demo data back-dates its history through this). */
    withClock: (clock: () => Date) => reviewsService({ ...deps, now: clock }),
  }

  const conflictError: FieldError[] = [{ href: '#conflict', text: 'Someone else changed this action after you opened it. Your text is kept below: check what is saved now, then save again.' }]

  async function save(trx: Trx, user: CurrentUser, action: ActionRow, formVersion: number | null, state: ActionInput, change: 'EDITED' | 'PROGRESS', note: string | null) {
    if (formVersion === null || formVersion !== action.version) return false
    return repo.updateAction(trx, { partnershipId: user.partnershipId, action, version: formVersion, textKey: normaliseActionText(state.text), state, change, progressNote: note, by: user.id, at: now() })
  }

  return service
}
export type ReviewsService = ReturnType<typeof reviewsService>
