import { randomUUID } from 'node:crypto'
import { isIsoDate } from '../../platform/clocks/london-time.js'
import type { Trx } from '../../platform/db/transaction.js'
import { directory } from '../../platform/organisation/directory.js'
import { BadRequestError, NotFoundError } from '../../platform/http/errors.js'
import type { ImportCounts, ImportPlanInput, ImportPlanResult } from './imported-plan.js'
import { reviewsImportRepository, type NewAction, type NewQuestion, type NewResponse } from './reviews.import.repository.js'
import { reviewsRepository } from './reviews.repository.js'
import { isRagKey, normaliseActionText } from './reviews.rules.js'

/** An agency named only in an imported plan: its kind guessed from its name (PARTNERSHIP when nothing fits). */
export function guessAgencyKind(name: string): string {
  const n = name.toLowerCase()
  if (/police|constabulary/.test(n)) return 'POLICE'
  if (/youth offending|youth justice|\byot\b|\byos\b/.test(n)) return 'YOUTH_OFFENDING'
  if (/health|nhs|hospital|camhs|\bccg\b|\bicb\b|gp|nurs|trust/.test(n)) return 'HEALTH'
  if (/school|academy|education|college/.test(n)) return 'EDUCATION'
  if (/probation/.test(n)) return 'PROBATION'
  if (/cafcass/.test(n)) return 'CAFCASS'
  if (/children|social care|\bcsc\b|early help/.test(n)) return 'CHILDRENS_SERVICES'
  if (/charity|voluntary|barnardo|nspcc|support/.test(n)) return 'VOLUNTARY'
  return 'PARTNERSHIP'
}

const zero = (): ImportCounts => ({ findings: 0, questions: 0, agencies: 0, actions: 0 })
const clean = (s: string | undefined | null) => (s ?? '').trim()
const orNull = (s: string | undefined | null) => clean(s) || null

/**
 * Saves an imported plan into a review, in the caller's transaction (all or nothing). Idempotent:
 * findings are matched by number, questions by code, responses by agency (agencies by name,
 * case-insensitively, created when missing) and actions by their normalised text within the
 * response; what matches is left as it is. Every created action gets its first history row.
 * New questions, responses and actions are collected and written in batches at the end
 * (reviews.import.repository.ts), so a plan of a million rows takes one statement per 2,000
 * items rather than two or three each.
 */
export async function importPlan(trx: Trx, input: ImportPlanInput, at: Date = new Date()): Promise<ImportPlanResult> {
  const { partnershipId, reviewId, actorId, plan } = input
  const repo = reviewsRepository()
  const review = await repo.findReview(trx, reviewId)
  if (!review) throw new NotFoundError()
  const created = zero()
  const unchanged = zero()
  const by = actorId
  const base = { partnershipId, reviewId, by, at }

  const findings = new Map((await repo.listFindings(trx, reviewId)).map((f) => [f.number.trim().toLowerCase(), f.id]))
  const questions = new Map((await repo.listQuestions(trx, reviewId)).map((q) => [q.code.trim().toLowerCase(), q.id]))
  const responses = new Map((await repo.listResponses(trx, reviewId)).map((r) => [`${r.questionId}|${r.agencyId}`, r.id]))
  // Retired agencies too: a plan names the agencies it was written with (and a name is never added twice).
  const agencies = new Map(
    (await directory().agencies(trx, partnershipId, { includeRetired: true })).map((a) => [a.name.trim().toLowerCase(), a.id]),
  )
  // Each response's actions as matched (normalised text) and its last position, from one read.
  const actionsOf = new Map<string, { keys: Set<string>; last: number }>()
  for (const a of await reviewsImportRepository().actionKeysOfReview(trx, reviewId)) {
    const entry = actionsOf.get(a.responseId) ?? { keys: new Set<string>(), last: 0 }
    entry.keys.add(a.textKey)
    entry.last = Math.max(entry.last, a.position)
    actionsOf.set(a.responseId, entry)
  }
  const newQuestions: NewQuestion[] = []
  const newResponses: NewResponse[] = []
  const newActions: NewAction[] = []
  const seen = { findings: new Set<string>(), questions: new Set<string>(), agencies: new Set<string>(), actions: new Set<string>() }
  const count = (kind: keyof ImportCounts, key: string, isNew: boolean) => {
    if (seen[kind].has(key)) return
    seen[kind].add(key)
    ;(isNew ? created : unchanged)[kind]++
  }

  for (const f of plan.findings) {
    const number = clean(f.number)
    if (!number) throw new BadRequestError('A finding has no number.')
    let findingId = findings.get(number.toLowerCase())
    count('findings', number.toLowerCase(), !findingId)
    if (!findingId) {
      findingId = await repo.saveFinding(trx, {
        ...base,
        number,
        title: clean(f.title) || `Finding ${number}`,
        narrative: orNull(f.narrative),
      })
      findings.set(number.toLowerCase(), findingId)
    }
    for (const q of f.questions) {
      const code = clean(q.code)
      if (!code) throw new BadRequestError(`A question under finding ${number} has no code.`)
      let questionId = questions.get(code.toLowerCase())
      count('questions', code.toLowerCase(), !questionId)
      if (!questionId) {
        questionId = randomUUID()
        newQuestions.push({ id: questionId, findingId, code, text: clean(q.text) || code })
        questions.set(code.toLowerCase(), questionId)
      }
      for (const r of q.responses) {
        const agencyName = clean(r.agencyName).replace(/\s+/g, ' ')
        if (!agencyName) throw new BadRequestError(`A response to question ${code} has no agency.`)
        let agencyId = agencies.get(agencyName.toLowerCase())
        count('agencies', agencyName.toLowerCase(), !agencyId)
        if (!agencyId) {
          agencyId = await repo.insertAgency(trx, partnershipId, agencyName, guessAgencyKind(agencyName))
          agencies.set(agencyName.toLowerCase(), agencyId)
        }
        let responseId = responses.get(`${questionId}|${agencyId}`)
        if (!responseId) {
          responseId = randomUUID()
          newResponses.push({ id: responseId, questionId, agencyId, response: clean(r.response) })
          responses.set(`${questionId}|${agencyId}`, responseId)
        }
        const existing = actionsOf.get(responseId) ?? { keys: new Set<string>(), last: 0 }
        actionsOf.set(responseId, existing)
        for (const a of r.actions) {
          const text = clean(a.text)
          if (!text) continue
          const textKey = normaliseActionText(text)
          if (a.ragKey !== null && !isRagKey(a.ragKey)) throw new BadRequestError(`Action under ${code} has an unknown RAG key.`)
          if (a.targetDate && !isIsoDate(a.targetDate))
            throw new BadRequestError(`Action under ${code} has a target date that is not a date.`)
          const isNew = !existing.keys.has(textKey)
          count('actions', `${responseId}|${textKey}`, isNew)
          if (!isNew) continue
          existing.keys.add(textKey)
          existing.last += 1
          newActions.push({
            responseId,
            agencyId,
            position: existing.last,
            textKey,
            state: {
              text,
              rag: a.ragKey,
              constraints: orNull(a.constraints),
              targetDate: a.targetDate || null,
              targetText: a.targetDate ? null : orNull(a.targetText),
              evidence: orNull(a.evidence),
              leadUserId: null,
              leadText: orNull(a.leadText),
              desiredOutcome: orNull(a.desiredOutcome),
            },
          })
        }
      }
    }
  }
  // In the order the keys need them: questions, then their responses, then the responses' actions.
  const bulk = reviewsImportRepository()
  await bulk.insertQuestions(trx, { partnershipId, reviewId, by, at, questions: newQuestions })
  await bulk.insertResponses(trx, { partnershipId, reviewId, by, at, responses: newResponses })
  await bulk.insertActions(trx, { partnershipId, reviewId, by, at, change: 'IMPORTED', actions: newActions })
  const total = (k: keyof ImportCounts) => created[k] + unchanged[k]
  return {
    findings: total('findings'),
    questions: total('questions'),
    agencies: total('agencies'),
    actions: total('actions'),
    created,
    unchanged,
  }
}
