import { createHash } from 'node:crypto'
import type { AccessGuard, Act } from '../../platform/access/authorise.js'
import type { AuditDetail, AuditRepository, AuditSubject } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { transaction, type Db, type Trx } from '../../platform/db/transaction.js'
import { field, type FieldError } from '../../platform/forms/forms.js'
import { HttpError, NotFoundError } from '../../platform/http/errors.js'
import {
  addReview,
  findReview,
  importPlan,
  listReviewsFor,
  ragKeyOf as reviewsRagKey,
  type ImportPlanResult,
  type RagEntry,
} from '../reviews/index.js'
import { planImportRepository } from './plan-import.repository.js'
import {
  MAX_PLAN_BYTES,
  readPlanFile,
  readPlanFileInThread,
  WEB_LIMITS,
  type PlanFileKind,
  type PlanLimits,
  type ReadFile,
} from './plan-import.files.js'
import {
  countPlan,
  NO_STATUS,
  parsePlan,
  ragWordKey,
  readMapping,
  resolvePlan,
  type ParsedPlan,
  type Problem,
  type RagMapping,
  type UnknownWord,
} from './plan-import.rules.js'

/** `access` for a person's upload and import; `db` and `audit` for the command line's (system work in a partnership). */
type Deps = { access: AccessGuard; db: Db; audit: AuditRepository; now?: () => Date }

/** How long an uploaded plan waits for its confirmation. */
const UPLOAD_TTL_MS = 2 * 60 * 60 * 1000

export type Analysis = { ok: false; message: string } | { ok: true; kind: PlanFileKind; parsed: ParsedPlan }

/** The summary the command line prints, and the preview's figures. */
export type ImportSummary = {
  file: PlanFileKind
  counts: { findings: number; questions: number; agencies: number; actions: number }
  ragAsWritten: Record<string, number>
  ragAsMapped: Record<string, number>
  unknownRagWords: { word: string; rows: number[]; mappedTo: string | null }[]
  unmappedRagWords: string[]
  problems: Problem[]
}

/** The partnership's RAG key, and its labels as words a plan may use (label → key). */
async function ragKeyOf(trx: Trx, partnershipId: string): Promise<{ key: RagEntry[]; words: Record<string, string> }> {
  const key = await reviewsRagKey(trx, partnershipId)
  return { key, words: Object.fromEntries(key.map((e) => [ragWordKey(e.label), e.key])) }
}

/** Parses a file's rows: a message for a file that is not a plan, else the parsed plan with its problems. */
export function analyseFile(file: ReadFile, words: Record<string, string>): Analysis {
  if (!file.ok) return { ok: false, message: file.message }
  const parsed = parsePlan(file.rows, { extraRagWords: words })
  if (!parsed) {
    return {
      ok: false,
      message:
        'No header row was found. The plan needs a row of column headings such as Questions, Agency, Response, Actions, RAG, Target date and Lead person.',
    }
  }
  return { ok: true, kind: file.kind, parsed }
}

/** Reads and parses a file in this thread (the command line's way: it has no other pages to keep answering). */
export async function analysePlan(bytes: Uint8Array, words: Record<string, string>, limits: PlanLimits = WEB_LIMITS): Promise<Analysis> {
  return analyseFile(await readPlanFile(bytes, limits), words)
}

export function summarise(
  kind: PlanFileKind,
  parsed: ParsedPlan,
  mapping: RagMapping,
  key: readonly RagEntry[],
): ImportSummary & { resolution: ReturnType<typeof resolvePlan> } {
  const resolution = resolvePlan(
    parsed,
    mapping,
    key.map((e) => e.key),
  )
  const unmapped = resolution.ok ? [] : resolution.unmapped.map((u) => u.word)
  return {
    file: kind,
    counts: countPlan(parsed),
    ragAsWritten: parsed.ragAsWritten,
    ragAsMapped: resolution.ragAsMapped,
    unknownRagWords: parsed.unknownWords.map((u) => ({
      word: u.asWritten,
      rows: u.rows,
      mappedTo: unmapped.includes(u.word) ? null : (mapping[u.word] ?? null),
    })),
    unmappedRagWords: parsed.unknownWords.filter((u) => unmapped.includes(u.word)).map((u) => u.asWritten),
    problems: parsed.problems,
    resolution,
  }
}

export type PreviewPage = {
  review: { id: string; name: string }
  uploadId: string
  summary: ImportSummary
  unknownWords: (UnknownWord & { field: string; selected: string })[]
  ragKey: RagEntry[]
  errors: FieldError[]
  canConfirm: boolean
}

export type ConfirmResult = { ok: true; result: ImportPlanResult } | { ok: false; status: 400 | 409; page: PreviewPage }

/**
 * Importing a board's action plan into a review: upload (kept server-side for a while), a preview
 * with the counts, the row problems and the RAG words to map, then one all-or-nothing save.
 * Business managers only (reviews:manage, checked by the route).
 */
export function planImportService({ access, db, audit, now = () => new Date() }: Deps) {
  const uploads = planImportRepository()
  /** The audit entry of an import step, on the review. */
  const about = (action: string, reviewId: string, detail: AuditDetail): AuditSubject => ({
    action: `plan-import:${action}`,
    recordType: 'review',
    recordId: reviewId,
    detail,
  })

  async function reviewOf(act: Act, reviewId: string) {
    const review = (await findReview(act.trx, reviewId)) ?? act.refuse(new NotFoundError())
    return { id: review.id, name: review.name }
  }

  async function loadUpload(act: Act, reviewId: string, uploadId: string) {
    const row = await uploads.findUpload(act.trx, reviewId, uploadId)
    if (!row || row.expiresAt.getTime() < now().getTime())
      return act.refuse(new HttpError(404, 'This upload has expired. Upload the file again.'))
    return row
  }

  async function buildPreview(
    act: Act,
    reviewId: string,
    uploadId: string,
    file: ReadFile,
    mapping: RagMapping,
    errors: FieldError[] = [],
  ): Promise<PreviewPage & { resolution: ReturnType<typeof resolvePlan> }> {
    const review = await reviewOf(act, reviewId)
    await loadUpload(act, reviewId, uploadId)
    const { key, words } = await ragKeyOf(act.trx, act.user.partnershipId)
    const analysis = analyseFile(file, words)
    if (!analysis.ok) return act.refuse(new HttpError(400, analysis.message))
    const { resolution, ...summary } = summarise(analysis.kind, analysis.parsed, mapping, key)
    const hasErrors = summary.problems.some((p) => p.severity === 'error')
    return {
      review,
      uploadId,
      summary,
      ragKey: key,
      unknownWords: analysis.parsed.unknownWords.map((u, i) => ({ ...u, field: `map-${i}`, selected: mapping[u.word] ?? '' })),
      errors,
      canConfirm: !hasErrors,
      resolution,
    }
  }

  /** The person's choices from the preview form: `map-<n>` for the n-th unknown word. */
  async function mappingFrom(act: Act, reviewId: string, uploadId: string, file: ReadFile, body: unknown): Promise<RagMapping> {
    const page = await buildPreview(act, reviewId, uploadId, file, {})
    const mapping: Record<string, string> = {}
    page.unknownWords.forEach((u) => {
      const choice = field(body, u.field)
      if (choice && (choice === NO_STATUS || page.ragKey.some((e) => e.key === choice))) mapping[u.word] = choice
    })
    return mapping
  }

  /**
   * A kept upload's rows, read in a worker thread outside any transaction: a large file's parsing
   * holds neither the web process's thread nor a database connection (the preview and the
   * confirmation check the upload again in their own transaction).
   */
  async function readUpload(user: CurrentUser, reviewId: string, uploadId: string, requestId: string): Promise<ReadFile> {
    const content = await access.run(user, requestId, async (act) => (await loadUpload(act, reviewId, uploadId)).content)
    return (await readPlanFileInThread(content)).file
  }

  return {
    maxBytes: MAX_PLAN_BYTES,

    async uploadForm(user: CurrentUser, reviewId: string, requestId: string) {
      return access.run(user, requestId, (act) => reviewOf(act, reviewId))
    },

    /** Checks the file is a plan at all; if it is, keeps it (even with row problems, which the preview shows). */
    async upload(
      user: CurrentUser,
      reviewId: string,
      bytes: Uint8Array | null,
      requestId: string,
    ): Promise<{ ok: true; uploadId: string } | { ok: false; message: string; review: { id: string; name: string } }> {
      // Read in a worker thread before the transaction opens (the route has checked the person may import).
      const file = bytes ? (await readPlanFileInThread(bytes)).file : null
      return access.run(user, requestId, async (act) => {
        const review = await reviewOf(act, reviewId)
        if (!bytes || !file) return { ok: false as const, message: 'Choose a CSV or Excel (.xlsx) file to upload.', review }
        const { words } = await ragKeyOf(act.trx, user.partnershipId)
        const analysis = analyseFile(file, words)
        if (!analysis.ok) {
          await act.record(about('upload-refused', reviewId, { sizeBytes: bytes.length }))
          return { ok: false as const, message: analysis.message, review }
        }
        await uploads.deleteExpired(act.trx, now())
        const uploadId = await uploads.insertUpload(act.trx, {
          partnershipId: user.partnershipId,
          reviewId,
          uploadedBy: user.id,
          fileKind: analysis.kind,
          sizeBytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          content: Buffer.from(bytes),
          expiresAt: new Date(now().getTime() + UPLOAD_TTL_MS),
        })
        await act.record(about('upload', reviewId, { uploadId, kind: analysis.kind, sizeBytes: bytes.length }))
        return { ok: true as const, uploadId }
      })
    },

    async preview(user: CurrentUser, reviewId: string, uploadId: string, requestId: string): Promise<PreviewPage> {
      const file = await readUpload(user, reviewId, uploadId, requestId)
      return access.run(user, requestId, async (act) => withoutResolution(await buildPreview(act, reviewId, uploadId, file, {})))
    },

    /** Saves the whole plan in one transaction, or nothing: row errors and unmapped RAG words refuse it. `body`: the preview form. */
    async confirm(user: CurrentUser, reviewId: string, uploadId: string, body: unknown, requestId: string): Promise<ConfirmResult> {
      let mapping: RagMapping = {}
      const file = await readUpload(user, reviewId, uploadId, requestId)
      const attempt = access.run(user, requestId, async (act): Promise<ConfirmResult> => {
        mapping = await mappingFrom(act, reviewId, uploadId, file, body)
        const page = await buildPreview(act, reviewId, uploadId, file, mapping)
        if (!page.canConfirm)
          return {
            ok: false,
            status: 400,
            page: {
              ...withoutResolution(page),
              errors: [{ href: '#problems', text: 'Correct the problems in the file and upload it again. Nothing has been saved.' }],
            },
          }
        if (!page.resolution.ok) {
          const errors = page.unknownWords
            .filter((u) => !mapping[u.word])
            .map((u) => ({ href: `#${u.field}`, text: `Choose what “${u.asWritten}” means in the RAG key` }))
          return { ok: false, status: 400, page: { ...withoutResolution(page), errors } }
        }
        const result = await importPlan(
          act.trx,
          { partnershipId: user.partnershipId, reviewId, actorId: user.id, plan: page.resolution.plan },
          now(),
        )
        await uploads.deleteUpload(act.trx, uploadId)
        await act.record(
          about('confirm', reviewId, {
            uploadId,
            actions: result.actions,
            newActions: result.created.actions,
            newQuestions: result.created.questions,
          }),
        )
        return { ok: true, result }
      })
      try {
        return await attempt
      } catch (err) {
        // The save refused part of the plan: nothing was saved (one transaction); the upload is kept.
        if (!(err instanceof HttpError) || err.status !== 400) throw err
        const page = await access.run(user, requestId, (act) => buildPreview(act, reviewId, uploadId, file, mapping))
        return {
          ok: false,
          status: 400,
          page: { ...withoutResolution(page), errors: [{ href: '#problems', text: `${err.message} Nothing has been saved.` }] },
        }
      }
    },

    /** For the command line (system scope, in the partnership named): the same reading and saving, as JSON. `limits`: the web's unless given (the command line takes extracts). */
    async importFile(
      partnershipId: string,
      input: {
        bytes: Uint8Array
        reviewName: string
        maps: readonly string[]
        dryRun: boolean
        actorId: string | null
        createReview: boolean
        limits?: PlanLimits
      },
    ) {
      return transaction(db, { partnershipId }, async (trx) => {
        const { key, words } = await ragKeyOf(trx, partnershipId)
        const mapping: Record<string, string> = {}
        for (const value of input.maps) {
          const read = readMapping(value, words)
          if (!read)
            return {
              ok: false as const,
              usage: true,
              message: `--map "${value}" is not WORD=STATUS with a status of ${key.map((e) => e.label.toLowerCase()).join(', ')} or none.`,
            }
          mapping[read.word] = read.key
        }
        const analysis = await analysePlan(input.bytes, words, input.limits)
        if (!analysis.ok) return { ok: false as const, usage: false, message: analysis.message }
        const { resolution, ...summary } = summarise(analysis.kind, analysis.parsed, mapping, key)
        const list = await listReviewsFor(trx, partnershipId, now().toISOString().slice(0, 10))
        const named = list.find((r) => r.name.trim().toLowerCase() === input.reviewName.trim().toLowerCase())
        const blocked = !resolution.ok || summary.problems.some((p) => p.severity === 'error')
        if (blocked || input.dryRun) return { ok: true as const, saved: false, blocked, reviewExists: !!named, summary, result: null }
        if (!named && !input.createReview) return { ok: false as const, usage: false, message: `No review called “${input.reviewName}”.` }
        const reviewId =
          named?.id ??
          (await addReview(trx, {
            partnershipId,
            kind: 'OTHER',
            name: input.reviewName.trim(),
            reviewDate: null,
            createdBy: input.actorId,
            at: now(),
          }))
        const createdReview = !named
        if (!resolution.ok) throw new Error('unreachable')
        const result = await importPlan(trx, { partnershipId, reviewId, actorId: input.actorId, plan: resolution.plan }, now())
        await audit.allowed(
          trx,
          { id: input.actorId, partnershipId },
          {
            action: 'plan-import:cli',
            recordType: 'review',
            recordId: reviewId,
            detail: { actions: result.actions, newActions: result.created.actions, createdReview },
          },
          null,
        )
        return { ok: true as const, saved: true, blocked: false, reviewExists: true, createdReview, summary, result }
      })
    },
  }
}

function withoutResolution(page: PreviewPage & { resolution: unknown }): PreviewPage {
  const { resolution, ...rest } = page
  void resolution
  return rest
}

export type PlanImportService = ReturnType<typeof planImportService>
