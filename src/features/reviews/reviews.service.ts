import type { AccessGuard, Act } from '../../platform/access/authorise.js'
import { canInPartnership } from '../../platform/access/policy.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { londonDate } from '../../platform/clocks/london-time.js'
import type { Trx } from '../../platform/db/transaction.js'
import { field, wholeNumber, type FieldError } from '../../platform/forms/forms.js'
import { checkWhen, whenOf, type When } from '../../platform/forms/when.js'
import { directory } from '../../platform/organisation/directory.js'
import type { ImportPlanInput } from './imported-plan.js'
import { checkEvidenceFile, evidenceStore, sha256, EVIDENCE_TYPES } from './reviews.evidence.js'
import { reportDocx, reportXlsx, type ReportData } from './reviews.exports.js'
import { readActionForm, readProgressForm, readRagKeyForm, readReviewForm, type ActionInput } from './reviews.form.js'
import { importPlan } from './reviews.import.js'
import { planEditing } from './reviews.plan-edit.js'
import { ragKeyOf } from './reviews.queries.js'
import { reviewsRepository, type ActionRow, type ReviewRow } from './reviews.repository.js'
import {
  asAtCutoff,
  buildPlan,
  normaliseActionText,
  progressFollows,
  readAsAt,
  reviewsAudit,
  summarise,
  validateRagKey,
  whenAuditDetail,
} from './reviews.rules.js'

/** `lateEntryDays`: a progress update entered more than this many days after it happened needs a reason (LATE_ENTRY_REASON_AFTER_DAYS). */
type Deps = { access: AccessGuard; now?: () => Date; evidenceDir?: string | undefined; lateEntryDays?: number }

export type Failure = { ok: false; status: 400 | 409; errors: FieldError[]; conflict?: boolean }
export type UploadFile = { originalname: string; size: number; buffer: Buffer }

/** The version a form was opened at (a hidden field), or null. */
const versionOf = (body: unknown) => wholeNumber(field(body, 'version'))

/**
 * Reviews and their action plans. Reading is for reviews:read; the business manager
 * (reviews:manage) changes everything; an agency lead changes only the actions of their own
 * agency's responses, and any other attempt is refused and audited. Every change is audited and
 * kept as a dated version, so the plan can be reported as at any past date.
 */
export function reviewsService(deps: Deps) {
  const { access, now = () => new Date(), lateEntryDays = 7 } = deps
  const repo = reviewsRepository()
  const store = evidenceStore(deps.evidenceDir)
  const today = () => londonDate(now())

  const loadReview = async (act: Act, reviewId: string): Promise<ReviewRow> => act.found(await repo.findReview(act.trx, reviewId))
  const canManage = (user: CurrentUser) => canInPartnership(user, 'reviews:manage')
  /** The business manager updates any action; an agency lead only their own agency's. */
  const mayUpdate = (user: CurrentUser, action: { agencyId: string }) =>
    canManage(user) || (canInPartnership(user, 'reviews:update-agency-actions') && user.agencyId === action.agencyId)

  /** An action this person is about to change: refused (403, audited as `verb`) unless it is theirs to update. */
  async function loadAction(act: Act, reviewId: string, actionId: string, verb: string): Promise<ActionRow> {
    await loadReview(act, reviewId)
    const action = act.found(await repo.findAction(act.trx, reviewId, actionId))
    act.authorise(
      mayUpdate(act.user, action),
      reviewsAudit(verb, 'review-action', action.id, { reviewId, agencyId: action.agencyId }),
      'You can only update the actions of your own agency.',
    )
    return action
  }

  async function actionFormOptions(trx: Trx, user: CurrentUser) {
    return { ragKey: await ragKeyOf(trx, user.partnershipId), people: await directory().people(trx, user.partnershipId) }
  }

  const plan = planEditing({ access, repo, loadReview, now })

  async function reportData(act: Act, reviewId: string, asAt: string): Promise<ReportData> {
    const review = await loadReview(act, reviewId)
    const key = await ragKeyOf(act.trx, act.user.partnershipId)
    const state = await repo.planAsAt(act.trx, act.user.partnershipId, reviewId, asAtCutoff(asAt))
    const built = buildPlan(state.items, state.actions, asAt)
    return { review, asAt, plan: built, ragKey: key, summary: summarise(built, key) }
  }

  const service = {
    ...plan,
    canManage,
    mayUpdate,
    today,

    async list(user: CurrentUser, requestId: string) {
      return access.run(user, requestId, async (act) => {
        await act.record(reviewsAudit('list', 'review', null))
        return {
          reviews: await repo.listReviews(act.trx, user.partnershipId, today()),
          ragKey: await ragKeyOf(act.trx, user.partnershipId),
        }
      })
    },

    async createReview(user: CurrentUser, raw: unknown, requestId: string): Promise<{ ok: true; id: string } | Failure> {
      const form = readReviewForm(raw)
      if (!form.ok) return { ok: false, status: 400, errors: form.errors }
      return access.run(user, requestId, async (act) => {
        if (await repo.reviewNameTaken(act.trx, user.partnershipId, form.value.name))
          return { ok: false as const, status: 400 as const, errors: [{ href: '#name', text: 'A review with this name already exists' }] }
        const id = await repo.insertReview(act.trx, { partnershipId: user.partnershipId, ...form.value, createdBy: user.id, at: now() })
        await act.record(reviewsAudit('create', 'review', id, { kind: form.value.kind }))
        return { ok: true as const, id }
      })
    },

    /** The plan as it is now, with what this person may change. */
    async reviewPage(user: CurrentUser, reviewId: string, requestId: string) {
      return access.run(user, requestId, async (act) => {
        const review = await loadReview(act, reviewId)
        const key = await ragKeyOf(act.trx, user.partnershipId)
        const state = await repo.currentPlan(act.trx, reviewId)
        const built = buildPlan(state.items, state.actions, today())
        await act.record(reviewsAudit('read', 'review', reviewId))
        return { review, plan: built, ragKey: key, summary: summarise(built, key), today: today() }
      })
    },

    async newActionForm(user: CurrentUser, reviewId: string, responseId: string, requestId: string) {
      return access.run(user, requestId, async (act) => {
        await loadReview(act, reviewId)
        const response = act.found(await repo.findResponse(act.trx, reviewId, responseId))
        return { response, ...(await actionFormOptions(act.trx, user)) }
      })
    },

    async addAction(user: CurrentUser, reviewId: string, responseId: string, raw: unknown, requestId: string) {
      return access.run(user, requestId, async (act) => {
        await loadReview(act, reviewId)
        const response = act.found(await repo.findResponse(act.trx, reviewId, responseId))
        const options = await actionFormOptions(act.trx, user)
        const form = readActionForm(
          raw,
          options.people.map((p) => p.id),
        )
        if (!form.ok) return { ok: false as const, status: 400 as const, errors: form.errors, response, ...options }
        const id = await repo.insertAction(act.trx, {
          partnershipId: user.partnershipId,
          reviewId,
          responseId,
          agencyId: response.agencyId,
          textKey: normaliseActionText(form.value.text),
          state: form.value,
          by: user.id,
          at: now(),
          change: 'CREATED',
        })
        await act.record(reviewsAudit('add-action', 'review-action', id, { reviewId, agencyId: response.agencyId }))
        return { ok: true as const, id }
      })
    },

    /** The action, its history (newest first) and evidence; refused (audited) edits are shown read-only. */
    async actionPage(user: CurrentUser, reviewId: string, actionId: string, requestId: string) {
      return access.run(user, requestId, async (act) => {
        const review = await loadReview(act, reviewId)
        const action = act.found(await repo.findAction(act.trx, reviewId, actionId))
        const response = (await repo.findResponse(act.trx, reviewId, action.responseId))!
        await act.record(reviewsAudit('read-action', 'review-action', actionId, { reviewId }))
        return {
          review,
          action,
          response,
          history: await repo.actionHistory(act.trx, actionId),
          evidence: await repo.listEvidence(act.trx, actionId),
          ...(await actionFormOptions(act.trx, user)),
          canUpdate: mayUpdate(user, action),
          today: today(),
        }
      })
    },

    async editActionForm(user: CurrentUser, reviewId: string, actionId: string, requestId: string) {
      return access.run(user, requestId, async (act) => {
        const action = await loadAction(act, reviewId, actionId, 'edit-action')
        return {
          action,
          response: (await repo.findResponse(act.trx, reviewId, action.responseId))!,
          ...(await actionFormOptions(act.trx, user)),
        }
      })
    },

    /** Changes the action's details if nobody else has since the form was opened (409 otherwise, text kept). */
    async editAction(user: CurrentUser, reviewId: string, actionId: string, raw: unknown, requestId: string) {
      return access.run(user, requestId, async (act) => {
        const action = await loadAction(act, reviewId, actionId, 'edit-action')
        const options = await actionFormOptions(act.trx, user)
        const response = (await repo.findResponse(act.trx, reviewId, action.responseId))!
        const form = readActionForm(
          raw,
          options.people.map((p) => p.id),
        )
        if (!form.ok)
          return { ok: false as const, status: 400 as const, conflict: false, errors: form.errors, action, response, ...options }
        const saved = await save(act, action, versionOf(raw), form.value, 'EDITED', null)
        if (!saved) return { ok: false as const, status: 409 as const, conflict: true, errors: conflictError, action, response, ...options }
        await act.record(reviewsAudit('edit-action', 'review-action', actionId, { reviewId, agencyId: action.agencyId }))
        return { ok: true as const }
      })
    },

    /**
     * A progress update with the RAG status it left the action at, dated to when it happened (blank
     * is now; not in the future, not before the action's last update, a reason when long past);
     * from → to kept in the history.
     */
    async progress(user: CurrentUser, reviewId: string, actionId: string, raw: unknown, requestId: string) {
      return access.run(user, requestId, async (act) => {
        const action = await loadAction(act, reviewId, actionId, 'progress')
        const at = now()
        const form = readProgressForm(raw)
        const follows = progressFollows(await repo.latestVersion(act.trx, actionId))
        const when = checkWhen(whenOf(raw), { now: at, follows, lateAfterDays: lateEntryDays })
        if (!form.ok || !when.ok) {
          const errors = [...(form.ok ? [] : form.errors), ...(when.ok ? [] : when.errors)]
          return { ok: false as const, status: 400 as const, conflict: false, errors }
        }
        const { id: _id, reviewId: _r, responseId: _s, agencyId: _a, position: _p, version: _v, textKey: _t, ...state } = action
        const saved = await save(act, action, versionOf(raw), { ...state, rag: form.value.rag }, 'PROGRESS', form.value.note, {
          at,
          when: when.value,
        })
        if (!saved) return { ok: false as const, status: 409 as const, conflict: true, errors: conflictError }
        await act.record(
          reviewsAudit('progress', 'review-action', actionId, {
            reviewId,
            agencyId: action.agencyId,
            ragFrom: action.rag,
            ragTo: form.value.rag,
            ...whenAuditDetail(when.value),
          }),
        )
        return { ok: true as const }
      })
    },

    async uploadEvidence(user: CurrentUser, reviewId: string, actionId: string, file: UploadFile | undefined, requestId: string) {
      return access.run(user, requestId, async (act) => {
        await loadAction(act, reviewId, actionId, 'upload-evidence')
        const checked = checkEvidenceFile(file)
        if (!checked.ok) return { ok: false as const, status: 400 as const, errors: [{ href: '#document', text: checked.error }] }
        const content = file!.buffer
        const stored = await store.put(user.partnershipId, content)
        const id = await repo.insertEvidence(act.trx, {
          partnershipId: user.partnershipId,
          reviewId,
          actionId,
          fileName: checked.fileName,
          fileType: checked.type,
          contentType: EVIDENCE_TYPES[checked.type].contentType,
          sizeBytes: content.length,
          sha256: sha256(content),
          ...stored,
          by: user.id,
          at: now(),
        })
        await act.record(
          reviewsAudit('upload-evidence', 'review-evidence', id, { reviewId, actionId, type: checked.type, bytes: content.length }),
        )
        return { ok: true as const, id }
      })
    },

    async downloadEvidence(user: CurrentUser, reviewId: string, actionId: string, documentId: string, requestId: string) {
      return access.run(user, requestId, async (act) => {
        await loadReview(act, reviewId)
        const doc = act.found(await repo.findEvidence(act.trx, actionId, documentId))
        await act.record(reviewsAudit('download-evidence', 'review-evidence', documentId, { reviewId, actionId }))
        return { fileName: doc.fileName, contentType: doc.contentType, content: await store.get(doc) }
      })
    },

    async ragKeyPage(user: CurrentUser, requestId: string) {
      return access.run(user, requestId, async (act) => ({ ragKey: await ragKeyOf(act.trx, user.partnershipId) }))
    },

    async saveRagKey(user: CurrentUser, raw: unknown, requestId: string) {
      const checked = validateRagKey(readRagKeyForm(raw))
      if (!checked.ok) return { ok: false as const, status: 400 as const, errors: checked.errors }
      return access.run(user, requestId, async (act) => {
        await repo.saveRagKey(act.trx, user.partnershipId, checked.value, user.id, now())
        await act.record(reviewsAudit('rag-key', 'review-rag-key', null))
        return { ok: true as const }
      })
    },

    /** The board's report as at a date (default today): the plan as it stood at the end of that day (`asAtCutoff`). */
    async report(user: CurrentUser, reviewId: string, asAtRaw: unknown, requestId: string, format: 'html' | 'docx' | 'xlsx' = 'html') {
      const asAt = readAsAt(asAtRaw, today())
      return access.run(user, requestId, async (act) => {
        const data = await reportData(act, reviewId, asAt.ok ? asAt.value : today())
        await act.record(reviewsAudit(`report-${format}`, 'review', reviewId, { asAt: data.asAt }))
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

  const conflictError: FieldError[] = [
    {
      href: '#conflict',
      text: 'Someone else changed this action after you opened it. Your text is kept below: check what is saved now, then save again.',
    },
  ]

  async function save(
    act: Act,
    action: ActionRow,
    formVersion: number | null,
    state: ActionInput,
    change: 'EDITED' | 'PROGRESS',
    note: string | null,
    /** When it is recorded (default now), and when it happened if said (default then). */
    timing: { at?: Date; when?: When } = {},
  ) {
    if (formVersion === null || formVersion !== action.version) return false
    const { at = now(), when } = timing
    return repo.updateAction(act.trx, {
      partnershipId: act.user.partnershipId,
      action,
      version: formVersion,
      textKey: normaliseActionText(state.text),
      state,
      change,
      progressNote: note,
      by: act.user.id,
      at,
      occurred: when && { occurredAt: when.occurredAt, lateReason: when.lateReason },
    })
  }

  return service
}
export type ReviewsService = ReturnType<typeof reviewsService>
