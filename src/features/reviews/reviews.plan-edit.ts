import type { CurrentUser } from '../../platform/auth/current-user.js'
import type { Trx } from '../../platform/db/transaction.js'
import { NotFoundError } from '../../platform/http/errors.js'
import type { FieldError } from '../../platform/forms/forms.js'
import { readFindingForm, readQuestionForm, readResponseForm } from './reviews.form.js'
import type { ReviewRow, ReviewsRepository } from './reviews.repository.js'
import type { Refusal } from './reviews.service.js'

type Ctx = {
  repo: ReviewsRepository
  record: (trx: Trx, user: CurrentUser, action: string, recordType: string, recordId: string | null, requestId: string, detail?: Record<string, string | number | boolean | null>) => Promise<void>
  run: <T>(user: CurrentUser, fn: (trx: Trx) => Promise<T | Refusal>) => Promise<T>
  loadReview: (trx: Trx, reviewId: string) => Promise<ReviewRow>
  now: () => Date
}

type Saved = { ok: true; id: string } | { ok: false; status: 400; errors: FieldError[] }
const invalid = (errors: FieldError[]) => ({ ok: false as const, status: 400 as const, errors })

/**
 * Adding and changing findings, questions and agency responses (the business manager only: the
 * routes require reviews:manage). Every state is kept as a version for as-at reports.
 */
export function planEditing({ repo, record, run, loadReview, now }: Ctx) {
  const base = (user: CurrentUser, reviewId: string) => ({ partnershipId: user.partnershipId, reviewId, by: user.id, at: now() })

  async function mustFind<T>(value: Promise<T | undefined>): Promise<T> {
    const found = await value
    if (!found) throw new NotFoundError()
    return found
  }

  return {
    async findingForm(user: CurrentUser, reviewId: string, findingId: string | null) {
      return run(user, async (trx) => ({ review: await loadReview(trx, reviewId), finding: findingId ? await mustFind(repo.findFinding(trx, reviewId, findingId)) : null }))
    },

    async saveFinding(user: CurrentUser, reviewId: string, findingId: string | null, raw: unknown, requestId: string): Promise<Saved> {
      return run(user, async (trx) => {
        await loadReview(trx, reviewId)
        const existing = findingId ? await mustFind(repo.findFinding(trx, reviewId, findingId)) : null
        const form = readFindingForm(raw)
        if (!form.ok) return invalid(form.errors)
        const clash = (await repo.listFindings(trx, reviewId)).find((f) => f.number.toLowerCase() === form.value.number.toLowerCase() && f.id !== existing?.id)
        if (clash) return invalid([{ href: '#number', text: 'This review already has a finding with this number' }])
        let id = existing?.id
        if (id) await repo.updateFinding(trx, { ...base(user, reviewId), id, ...form.value })
        else id = await repo.insertFinding(trx, { ...base(user, reviewId), ...form.value })
        await record(trx, user, existing ? 'edit-finding' : 'add-finding', 'review-finding', id, requestId, { reviewId })
        return { ok: true as const, id }
      })
    },

    async questionForm(user: CurrentUser, reviewId: string, ids: { findingId: string } | { questionId: string }) {
      return run(user, async (trx) => {
        const review = await loadReview(trx, reviewId)
        const question = 'questionId' in ids ? await mustFind(repo.findQuestion(trx, reviewId, ids.questionId)) : null
        const finding = await mustFind(repo.findFinding(trx, reviewId, question?.findingId ?? (ids as { findingId: string }).findingId))
        return { review, finding, question }
      })
    },

    async saveQuestion(user: CurrentUser, reviewId: string, ids: { findingId: string } | { questionId: string }, raw: unknown, requestId: string): Promise<Saved> {
      return run(user, async (trx) => {
        await loadReview(trx, reviewId)
        const existing = 'questionId' in ids ? await mustFind(repo.findQuestion(trx, reviewId, ids.questionId)) : null
        const finding = await mustFind(repo.findFinding(trx, reviewId, existing?.findingId ?? (ids as { findingId: string }).findingId))
        const form = readQuestionForm(raw)
        if (!form.ok) return invalid(form.errors)
        const clash = (await repo.listQuestions(trx, reviewId)).find((q) => q.code.toLowerCase() === form.value.code.toLowerCase() && q.id !== existing?.id)
        if (clash) return invalid([{ href: '#code', text: 'This review already has a question with this code' }])
        let id = existing?.id
        if (id) await repo.updateQuestion(trx, { ...base(user, reviewId), id, findingId: finding.id, ...form.value })
        else id = await repo.insertQuestion(trx, { ...base(user, reviewId), findingId: finding.id, ...form.value })
        await record(trx, user, existing ? 'edit-question' : 'add-question', 'review-question', id, requestId, { reviewId })
        return { ok: true as const, id }
      })
    },

    async responseForm(user: CurrentUser, reviewId: string, ids: { questionId: string } | { responseId: string }) {
      return run(user, async (trx) => {
        const review = await loadReview(trx, reviewId)
        const response = 'responseId' in ids ? await mustFind(repo.findResponse(trx, reviewId, ids.responseId)) : null
        const question = await mustFind(repo.findQuestion(trx, reviewId, response?.questionId ?? (ids as { questionId: string }).questionId))
        const answered = new Set((await repo.listResponses(trx, reviewId)).filter((r) => r.questionId === question.id).map((r) => r.agencyId))
        const agencies = (await repo.listAgencies(trx, user.partnershipId)).filter((a) => !answered.has(a.id))
        return { review, question, response, agencies }
      })
    },

    async saveResponse(user: CurrentUser, reviewId: string, ids: { questionId: string } | { responseId: string }, raw: unknown, requestId: string): Promise<Saved> {
      return run(user, async (trx) => {
        await loadReview(trx, reviewId)
        const existing = 'responseId' in ids ? await mustFind(repo.findResponse(trx, reviewId, ids.responseId)) : null
        const question = await mustFind(repo.findQuestion(trx, reviewId, existing?.questionId ?? (ids as { questionId: string }).questionId))
        const answered = new Set((await repo.listResponses(trx, reviewId)).filter((r) => r.questionId === question.id).map((r) => r.agencyId))
        const agencies = (await repo.listAgencies(trx, user.partnershipId)).filter((a) => !answered.has(a.id)).map((a) => a.id)
        const form = readResponseForm(raw, agencies, !!existing)
        if (!form.ok) return invalid(form.errors)
        let id = existing?.id
        if (existing) await repo.updateResponse(trx, { ...base(user, reviewId), id: existing.id, questionId: question.id, agencyId: existing.agencyId, response: form.value.response })
        else id = await repo.insertResponse(trx, { ...base(user, reviewId), questionId: question.id, agencyId: form.value.agencyId, response: form.value.response })
        await record(trx, user, existing ? 'edit-response' : 'add-response', 'review-response', id!, requestId, { reviewId })
        return { ok: true as const, id: id! }
      })
    },
  }
}
