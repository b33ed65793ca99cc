import type { AccessGuard, Act } from '../../platform/access/authorise.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import type { FieldError } from '../../platform/forms/forms.js'
import { directory } from '../../platform/organisation/directory.js'
import { readFindingForm, readQuestionForm, readResponseForm } from './reviews.form.js'
import type { ReviewRow, ReviewsRepository } from './reviews.repository.js'
import { reviewsAudit } from './reviews.rules.js'

type Ctx = { access: AccessGuard; repo: ReviewsRepository; loadReview: (act: Act, reviewId: string) => Promise<ReviewRow>; now: () => Date }

type Saved = { ok: true; id: string } | { ok: false; status: 400; errors: FieldError[] }
const invalid = (errors: FieldError[]) => ({ ok: false as const, status: 400 as const, errors })
type QuestionIds = { findingId: string } | { questionId: string }
type ResponseIds = { questionId: string } | { responseId: string }

/** Another item of the review already has this number or code (case ignored). */
const clashes = (items: readonly { id: string; key: string }[], key: string, ownId: string | undefined) =>
  items.some((i) => i.key.toLowerCase() === key.toLowerCase() && i.id !== ownId)

/**
 * Adding and changing findings, questions and agency responses (the business manager only: the
 * routes require reviews:manage). Every state is kept as a version for as-at reports.
 */
export function planEditing({ access, repo, loadReview, now }: Ctx) {
  const base = (user: CurrentUser, reviewId: string) => ({ partnershipId: user.partnershipId, reviewId, by: user.id, at: now() })

  /** Runs in the review (a 404 when there is none). */
  const inReview = <T>(user: CurrentUser, reviewId: string, requestId: string, fn: (act: Act, review: ReviewRow) => Promise<T>) =>
    access.run(user, requestId, async (act) => fn(act, await loadReview(act, reviewId)))

  /** The audit entry of an item added (`add-<kind>`) or changed (`edit-<kind>`). */
  async function recorded(
    act: Act,
    kind: 'finding' | 'question' | 'response',
    reviewId: string,
    id: string,
    edited: boolean,
  ): Promise<Saved> {
    await act.record(reviewsAudit(`${edited ? 'edit' : 'add'}-${kind}`, `review-${kind}`, id, { reviewId }))
    return { ok: true, id }
  }

  /** The question being edited (or null for a new one) and the finding it is under. */
  async function questionOf(act: Act, reviewId: string, ids: QuestionIds) {
    const question = 'questionId' in ids ? act.found(await repo.findQuestion(act.trx, reviewId, ids.questionId)) : null
    const finding = act.found(await repo.findFinding(act.trx, reviewId, question?.findingId ?? (ids as { findingId: string }).findingId))
    return { question, finding }
  }

  /** The response being edited (or null for a new one), its question, and the agencies that have not answered it yet. */
  async function responseOf(act: Act, reviewId: string, ids: ResponseIds) {
    const response = 'responseId' in ids ? act.found(await repo.findResponse(act.trx, reviewId, ids.responseId)) : null
    const question = act.found(
      await repo.findQuestion(act.trx, reviewId, response?.questionId ?? (ids as { questionId: string }).questionId),
    )
    const answered = new Set(
      (await repo.listResponses(act.trx, reviewId)).filter((r) => r.questionId === question.id).map((r) => r.agencyId),
    )
    const agencies = (await directory().agencies(act.trx, act.user.partnershipId)).filter((a) => !answered.has(a.id))
    return { response, question, agencies }
  }

  return {
    async findingForm(user: CurrentUser, reviewId: string, findingId: string | null, requestId: string) {
      return inReview(user, reviewId, requestId, async (act, review) => ({
        review,
        finding: findingId ? act.found(await repo.findFinding(act.trx, reviewId, findingId)) : null,
      }))
    },

    async saveFinding(user: CurrentUser, reviewId: string, findingId: string | null, raw: unknown, requestId: string): Promise<Saved> {
      return inReview(user, reviewId, requestId, async (act) => {
        const existing = findingId ? act.found(await repo.findFinding(act.trx, reviewId, findingId)) : null
        const form = readFindingForm(raw)
        if (!form.ok) return invalid(form.errors)
        const findings = (await repo.listFindings(act.trx, reviewId)).map((f) => ({ id: f.id, key: f.number }))
        if (clashes(findings, form.value.number, existing?.id))
          return invalid([{ href: '#number', text: 'This review already has a finding with this number' }])
        const id = await repo.saveFinding(act.trx, { ...base(user, reviewId), id: existing?.id, ...form.value })
        return recorded(act, 'finding', reviewId, id, !!existing)
      })
    },

    async questionForm(user: CurrentUser, reviewId: string, ids: QuestionIds, requestId: string) {
      return inReview(user, reviewId, requestId, async (act, review) => ({ review, ...(await questionOf(act, reviewId, ids)) }))
    },

    async saveQuestion(user: CurrentUser, reviewId: string, ids: QuestionIds, raw: unknown, requestId: string): Promise<Saved> {
      return inReview(user, reviewId, requestId, async (act) => {
        const { question: existing, finding } = await questionOf(act, reviewId, ids)
        const form = readQuestionForm(raw)
        if (!form.ok) return invalid(form.errors)
        const questions = (await repo.listQuestions(act.trx, reviewId)).map((q) => ({ id: q.id, key: q.code }))
        if (clashes(questions, form.value.code, existing?.id))
          return invalid([{ href: '#code', text: 'This review already has a question with this code' }])
        const id = await repo.saveQuestion(act.trx, { ...base(user, reviewId), id: existing?.id, findingId: finding.id, ...form.value })
        return recorded(act, 'question', reviewId, id, !!existing)
      })
    },

    async responseForm(user: CurrentUser, reviewId: string, ids: ResponseIds, requestId: string) {
      return inReview(user, reviewId, requestId, async (act, review) => ({ review, ...(await responseOf(act, reviewId, ids)) }))
    },

    async saveResponse(user: CurrentUser, reviewId: string, ids: ResponseIds, raw: unknown, requestId: string): Promise<Saved> {
      return inReview(user, reviewId, requestId, async (act) => {
        const { response: existing, question, agencies } = await responseOf(act, reviewId, ids)
        const form = readResponseForm(
          raw,
          agencies.map((a) => a.id),
          !!existing,
        )
        if (!form.ok) return invalid(form.errors)
        const id = await repo.saveResponse(act.trx, {
          ...base(user, reviewId),
          id: existing?.id,
          questionId: question.id,
          agencyId: existing?.agencyId ?? form.value.agencyId,
          response: form.value.response,
        })
        return recorded(act, 'response', reviewId, id, !!existing)
      })
    },
  }
}
