import type { Act } from '../../platform/access/authorise.js'
import type { AuditSubject } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { fieldError, type FieldError } from '../../platform/forms/forms.js'
import { BadRequestError, ConflictError, ForbiddenError, HttpError } from '../../platform/http/errors.js'
import { directory } from '../../platform/organisation/directory.js'
import {
  isExactMatch,
  matchScore,
  matchStrength,
  normaliseNhsNumber,
  SEARCHES_PER_WINDOW,
  SEARCH_WINDOW_MINUTES,
  type MatchStrength,
} from '../children/index.js'
import type { FeatureDeps } from '../feature-module.js'
import type { ChildSearch, RedactionInput, RequestInput } from './subject-access.form.js'
import { gatherForChild, type GatheredItem } from './subject-access.gather.js'
import { subjectAccessRepository, type DecisionRow, type ItemRow, type RedactionRow, type RequestRow } from './subject-access.repository.js'
import {
  containsWords,
  decisionRefusal,
  dueDate,
  mayGather,
  mayRedact,
  maySubmit,
  mentions,
  namesIn,
  referenceOf,
  type RedactionPart,
  type ReasonCode,
} from './subject-access.rules.js'

class TooManyRequestsError extends HttpError {
  constructor(message: string) {
    super(429, message)
  }
}

type Deps = Pick<FeatureDeps, 'access' | 'notifications' | 'now'> & { config?: Pick<FeatureDeps['config'], 'childSearchesPer5Minutes'> }

export type ChildMatch = {
  id: string
  /** Null when withheld: what was typed does not name the child exactly ("Restricted record" for a restricted one). */
  name: string | null
  dateOfBirth: string | null
  caseNumber: string | null
  strength: MatchStrength
  reasons: string[]
}
export type RequestPage = { request: RequestRow; items: ItemRow[]; redactions: RedactionRow[]; decisions: DecisionRow[]; userId: string }
export type ItemPage = { request: RequestRow; item: ItemRow; redactions: RedactionRow[] }
export type Saved<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** Who decides a release (the policy's `subject-access:approve`): told of each bundle submitted. */
const APPROVERS = ['PRIVACY_OFFICER', 'HEAD_OF_SERVICE'] as const
const NOT_NOW = (what: string) => `This request cannot be ${what} now.`
/** Said to someone not named on a restricted child's record (audited as refused). */
export const RESTRICTED_REFUSAL =
  'This record is restricted. Ask the HSB lead or head of service to name you on it before you answer this request.'

/** Every audit entry names the request and its child (ids only), so the child's access report shows it. */
const subject = (
  action: string,
  r: { id: string; childId: string } | null,
  extra: Record<string, string | number | boolean | null> = {},
): AuditSubject => ({
  action: `subject-access:${action}`,
  recordType: 'subject_access_request',
  recordId: r?.id ?? null,
  detail: { childId: r?.childId ?? null, ...extra },
})

/**
 * Subject access requests: recording who asks about which child, gathering everything held about
 * the child from every feature, redacting item by item with a reason, submitting for a second
 * person's approval and releasing the bundle as a PDF. Every step runs through the access guard
 * and is audited with ids only (ADR 0011).
 */
export function subjectAccessService({ access, notifications, now = () => new Date(), config }: Deps) {
  // The partnership's search limit, counted with the children feature's searches (`child:search`).
  const searchesPerWindow = config?.childSearchesPer5Minutes ?? SEARCHES_PER_WINDOW
  const repo = subjectAccessRepository()
  const people = directory()

  /**
   * The request, or 404; a request about a restricted child is refused (audited) to someone not
   * named on the restriction. `forUpdate` locks it for a step that moves it on.
   */
  const requestOr404 = async (act: Act, requestId: string, action: string, forUpdate = false) => {
    const request = act.found(
      UUID.test(requestId) ? await repo.find(act.trx, act.user.partnershipId, requestId.toLowerCase(), act.user.id, forUpdate) : undefined,
    )
    if (request.childRestricted && !request.namedOnRestriction)
      act.refuse(new ForbiddenError(RESTRICTED_REFUSAL), subject(action, request, { restricted: true }))
    return request
  }

  async function page(act: Act, request: RequestRow): Promise<RequestPage> {
    const [items, redactions, decisions] = [
      await repo.items(act.trx, request.id),
      await repo.redactions(act.trx, request.id),
      await repo.decisions(act.trx, request.id),
    ]
    return { request, items, redactions, decisions, userId: act.user.id }
  }

  return {
    /** The requests, soonest due first (released ones last): each child named is audited. */
    async list(user: CurrentUser, requestId: string): Promise<RequestRow[]> {
      return access.run(user, requestId, async (act) => {
        act.authorise('subject-access:approve', subject('list', null))
        const rows = await repo.list(act.trx, user.partnershipId, user.id)
        await act.recordAll(rows.length ? rows.map((r) => subject('list', r)) : [subject('list', null)])
        return rows
      })
    },

    /**
     * Children who may be the one the request is about, found the way the service finds a child
     * (identifiers exactly, names and date of birth alike: the children feature's `matchScore`);
     * each match shown is audited.
     */
    async findChild(user: CurrentUser, search: ChildSearch, requestId: string): Promise<ChildMatch[]> {
      return access.run(user, requestId, async (act) => {
        act.authorise('subject-access:manage', subject('find-child', null))
        // Counted with the children feature's searches: enough for real work, too few to trawl the records.
        if ((await repo.searchesInWindow(act.trx, user.id, SEARCH_WINDOW_MINUTES)) >= searchesPerWindow)
          act.refuse(new TooManyRequestsError('You have searched too many times. Wait a few minutes and try again.'), {
            action: 'child:search',
            recordType: 'child-search',
            recordId: null,
            detail: { purpose: 'subject-access', refused: 'too-many' },
          })
        const identifier = search.identifier.replace(/\s/g, '').toUpperCase()
        const childId = UUID.test(search.identifier.trim()) ? search.identifier.trim().toLowerCase() : null
        const candidates = await repo.candidates(
          act.trx,
          user.partnershipId,
          { childId, identifier: childId ? null : identifier || null, dateOfBirth: search.dateOfBirth },
          user.id,
        )
        const query = {
          givenNames: search.givenNames || null,
          familyName: search.familyName || null,
          dateOfBirth: search.dateOfBirth,
          nhsNumber: normaliseNhsNumber(identifier),
          upn: identifier || null,
          localCaseId: identifier || null,
        }
        const matches = candidates
          .map((c) => {
            const byId = c.id === childId
            const { score, reasons } = byId ? { score: 1, reasons: ['Same record id'] } : matchScore(c, query)
            return { c, score, reasons }
          })
          .filter((m) => m.score >= 0.5)
          .sort((a, b) => b.score - a.score)
          .slice(0, 20)
        // Who the child is shows only when all of the names and the date of birth were typed (an identifier
        // alone never names a child), and never for a restricted record the person is not named on.
        const exact = (c: (typeof candidates)[number]) =>
          isExactMatch(c, { givenNames: search.givenNames, familyName: search.familyName, dateOfBirth: search.dateOfBirth })
        const shown = (c: (typeof candidates)[number]) => (!c.isRestricted || c.namedOnRestriction) && exact(c)
        await act.recordAll([
          { action: 'child:search', recordType: 'child-search', recordId: null, detail: { purpose: 'subject-access' } },
          subject('find-child', null, { matches: matches.length }),
          ...matches.map((m) => ({
            action: 'subject-access:find-child',
            recordType: 'child',
            recordId: m.c.id,
            detail: { nameShown: shown(m.c) },
          })),
        ])
        return matches.map(({ c, score, reasons }) => ({
          id: c.id,
          name: shown(c) ? `${c.givenNames} ${c.familyName}` : c.isRestricted && !c.namedOnRestriction ? 'Restricted record' : null,
          dateOfBirth: shown(c) ? c.dateOfBirth : null,
          caseNumber: shown(c) ? c.localCaseId : null,
          strength: matchStrength(score),
          reasons,
        }))
      })
    },

    /** Records a request (once per form); the due date is one calendar month from when it was received. */
    async create(user: CurrentUser, input: RequestInput, requestId: string): Promise<Saved<string>> {
      return access.run(user, requestId, async (act) => {
        act.authorise('subject-access:manage', subject('create', null))
        if (!input.key) act.refuse(new BadRequestError('The form was incomplete. Go back, reload the page and try again.'))
        const before = await repo.findByKey(act.trx, user.partnershipId, input.key!)
        if (before) return { ok: true, value: before }
        const child = input.childId ? await repo.child(act.trx, user.partnershipId, input.childId, user.id) : undefined
        if (!child) return { ok: false, errors: [fieldError('child-id', 'Find and choose the child the request is about')] }
        if (child.isRestricted && !child.namedOnRestriction)
          act.refuse(new ForbiddenError(RESTRICTED_REFUSAL), subject('create', null, { childId: child.id, restricted: true }))
        const receivedOn = input.receivedOn!
        const id = await repo.create(
          act.trx,
          {
            partnershipId: user.partnershipId,
            subjectKind: input.subjectKind!,
            childId: child.id,
            requesterName: input.subjectKind === 'PARENT_CARER' ? input.requesterName : null,
            requesterRelationship: input.subjectKind === 'PARENT_CARER' ? input.requesterRelationship : null,
            receivedOn,
            dueOn: dueDate(receivedOn),
            identityChecked: input.identityChecked!,
            identityHow: input.identityChecked ? input.identityHow : null,
            recordedBy: user.id,
            idempotencyKey: input.key!,
          },
          Number(receivedOn.slice(0, 4)),
          referenceOf,
        )
        const made = id ?? (await repo.findByKey(act.trx, user.partnershipId, input.key!))!
        await act.record(subject('create', { id: made, childId: child.id }, { subjectKind: input.subjectKind }))
        return { ok: true, value: made }
      })
    },

    async view(user: CurrentUser, id: string, requestId: string): Promise<RequestPage> {
      return access.run(user, requestId, async (act) => {
        act.authorise('subject-access:approve', subject('view', null))
        const request = await requestOr404(act, id, 'view')
        await act.record(subject('view', request))
        return page(act, request)
      })
    },

    /**
     * Gathers everything held about the child into the bundle. For a parent or carer, only the
     * child's items that mention them by name, and interviews recorded with a parent or carer.
     * A linked child's name is pre-marked for redaction wherever it appears, and so are other
     * children named in a request for support. Gathering again adds what was recorded since.
     */
    async gather(user: CurrentUser, id: string, requestId: string): Promise<{ added: number; preMarked: number }> {
      return access.run(user, requestId, async (act) => {
        act.authorise('subject-access:manage', subject('gather', null))
        const request = await requestOr404(act, id, 'gather', true)
        if (!mayGather(request.status))
          act.refuse(new ConflictError(NOT_NOW('gathered again')), subject('gather', request, { status: 409 }))
        const gathered = await gatherForChild(act.trx, user.partnershipId, request.childId)
        const own = await repo.child(act.trx, user.partnershipId, request.childId, user.id)
        // The subject's own name is never a third party's: a sibling's shared name is not pre-marked where it is theirs too.
        const ownName = gathered.items.find((i) => i.source === 'child')?.fields.find((f) => f.key === 'name')?.value ?? ''
        const wanted: GatheredItem[] =
          request.subjectKind === 'CHILD'
            ? gathered.items
            : gathered.items.filter(
                (i) =>
                  mentions(i.fields, request.requesterName ?? '') ||
                  (i.source === 'aim_interview' && i.fields.some((f) => f.key === 'interviewee' && f.value === 'A parent or carer')),
              )
        const added = await repo.addItems(act.trx, user.partnershipId, request.id, user.id, wanted)
        const marks = added.flatMap((item) => {
          const mark = (part: RedactionPart, fieldKey: string | null, words: string | null, reasonCode: ReasonCode) => ({
            partnershipId: user.partnershipId,
            requestId: request.id,
            itemId: item.id,
            part,
            fieldKey,
            words,
            reasonCode,
            reasonText: null,
            preMarked: true,
            redactedBy: user.id,
          })
          const out = []
          if (item.source === 'child_link') out.push(mark('FIELD', 'name', null, 'THIRD_PARTY_CHILD'))
          if (item.source === 'abe_material' && item.fields.some((f) => f.key === 'harmedChild'))
            out.push(mark('FIELD', 'harmedChild', null, 'THIRD_PARTY_CHILD'))
          if (item.source === 'request_for_support' && item.fields.some((f) => f.key === 'otherChildren'))
            out.push(mark('FIELD', 'otherChildren', null, 'THIRD_PARTY_CHILD'))
          const seen = new Set<string>()
          for (const other of gathered.linkedChildren)
            for (const found of namesIn(item.fields, other, own?.familyName ?? '')) {
              if (item.source === 'child_link' && found.fieldKey === 'name') continue
              if (containsWords(ownName, found.words)) continue
              const k = `${found.fieldKey}\u0000${found.words.toLowerCase()}`
              if (seen.has(k)) continue
              seen.add(k)
              out.push(mark('WORDS', found.fieldKey, found.words, 'THIRD_PARTY_CHILD'))
            }
          return out
        })
        const preMarked = await repo.addRedactions(act.trx, marks)
        const moved = await repo.move(act.trx, request.id, ['RECORDED', 'GATHERED', 'DECLINED'], {
          status: request.status === 'DECLINED' ? 'DECLINED' : 'GATHERED',
          gatheredBy: user.id,
          gatheredAt: now(),
        })
        if (!moved) act.refuse(new ConflictError(NOT_NOW('gathered again')), subject('gather', request, { status: 409 }))
        await act.record(subject('gather', request, { items: added.length, preMarked }))
        return { added: added.length, preMarked }
      })
    },

    async itemPage(user: CurrentUser, id: string, itemId: string, requestId: string): Promise<ItemPage> {
      return access.run(user, requestId, async (act) => {
        act.authorise('subject-access:manage', subject('view-item', null))
        const request = await requestOr404(act, id, 'view-item')
        const item = act.found(UUID.test(itemId) ? await repo.item(act.trx, request.id, itemId.toLowerCase()) : undefined)
        await act.record(subject('view-item', request, { itemId: item.id }))
        return { request, item, redactions: (await repo.redactions(act.trx, request.id)).filter((r) => r.itemId === item.id) }
      })
    },

    /** Redacts the whole item, a field, or some words of the item, with a reason (once per form). */
    async redact(user: CurrentUser, id: string, itemId: string, input: RedactionInput, requestId: string): Promise<Saved<null>> {
      return access.run(user, requestId, async (act) => {
        act.authorise('subject-access:manage', subject('redact', null))
        const request = await requestOr404(act, id, 'redact', true)
        const item = act.found(UUID.test(itemId) ? await repo.item(act.trx, request.id, itemId.toLowerCase()) : undefined)
        if (!mayRedact(request.status))
          act.refuse(
            new ConflictError(NOT_NOW('changed: it is waiting for approval or approved')),
            subject('redact', request, { itemId: item.id, status: 409 }),
          )
        if (!input.key) act.refuse(new BadRequestError('The form was incomplete. Go back, reload the page and try again.'))
        if (input.part === 'FIELD' && !item.fields.some((f) => f.key === input.fieldKey))
          return { ok: false, errors: [fieldError('field-key', 'Select the part of the item to redact')] }
        if (input.part === 'WORDS' && !item.fields.some((f) => containsWords(f.value, input.words)))
          return { ok: false, errors: [fieldError('words', 'The words to redact must appear in the item as written')] }
        const added = await repo.addRedactions(act.trx, [
          {
            partnershipId: user.partnershipId,
            requestId: request.id,
            itemId: item.id,
            part: input.part!,
            fieldKey: input.part === 'ITEM' ? null : input.part === 'FIELD' ? input.fieldKey : null,
            words: input.part === 'WORDS' ? input.words : null,
            reasonCode: input.reasonCode!,
            reasonText: input.reasonText || null,
            redactedBy: user.id,
            idempotencyKey: input.key,
          },
        ])
        if (added) await act.record(subject('redact', request, { itemId: item.id, part: input.part, reason: input.reasonCode }))
        return { ok: true, value: null }
      })
    },

    /** Submits the bundle for approval; every approver but the submitter is told. */
    async submit(user: CurrentUser, id: string, requestId: string): Promise<RequestRow> {
      return access.run(user, requestId, async (act) => {
        act.authorise('subject-access:manage', subject('submit', null))
        const request = await requestOr404(act, id, 'submit', true)
        const at = now()
        if (
          !maySubmit(request.status) ||
          !(await repo.move(act.trx, request.id, ['GATHERED', 'DECLINED'], {
            status: 'SUBMITTED',
            submittedBy: user.id,
            submittedAt: at,
            decidedBy: null,
            decidedAt: null,
          }))
        )
          act.refuse(new ConflictError(NOT_NOW('submitted')), subject('submit', request, { status: 409 }))
        const approvers = (await people.holdersOf(act.trx, user.partnershipId, APPROVERS)).filter((u) => u !== user.id)
        await notifications.raiseToEach(act.trx, approvers, {
          partnershipId: user.partnershipId,
          kind: 'SUBJECT_ACCESS_APPROVAL_REQUESTED',
          dedupeKey: `subject-access:submitted:${request.id}:${at.getTime()}`,
        })
        await act.record(subject('submit', request))
        return request
      })
    },

    /** Approves or declines a submitted bundle: a second person, never the one who submitted it (refused and audited). */
    async decide(user: CurrentUser, id: string, approve: boolean, reason: string, requestId: string): Promise<RequestRow> {
      const action = approve ? 'approve' : 'decline'
      return access.run(user, requestId, async (act) => {
        act.authorise('subject-access:approve', subject(action, null))
        const request = await requestOr404(act, id, action, true)
        const redactors = await repo.redactors(act.trx, request.id)
        const refusal = decisionRefusal(user.id, request, redactors)
        if (refusal)
          act.refuse(
            request.status === 'SUBMITTED' ? new ForbiddenError(refusal) : new ConflictError(refusal),
            subject(action, request, {
              own: request.submittedBy === user.id,
              gathered: request.gatheredBy === user.id,
              redacted: redactors.includes(user.id),
            }),
          )
        const at = now()
        const moved = await repo.move(act.trx, request.id, ['SUBMITTED'], {
          status: approve ? 'APPROVED' : 'DECLINED',
          decidedBy: user.id,
          decidedAt: at,
          declineReason: approve ? null : reason,
        })
        if (!moved)
          act.refuse(new ConflictError('Someone else decided this request a moment ago.'), subject(action, request, { status: 409 }))
        await repo.recordDecision(act.trx, {
          partnershipId: user.partnershipId,
          requestId: request.id,
          submittedBy: request.submittedBy!,
          submittedAt: request.submittedAt!,
          outcome: approve ? 'APPROVED' : 'DECLINED',
          reason: approve ? null : reason,
          decidedBy: user.id,
        })
        await notifications.raise(act.trx, {
          partnershipId: user.partnershipId,
          userId: request.submittedBy!,
          kind: 'SUBJECT_ACCESS_DECIDED',
          dedupeKey: `subject-access:decided:${request.id}:${at.getTime()}`,
        })
        await act.record(subject(action, request))
        return request
      })
    },

    /** The approved bundle to release: its items and redactions (the first download marks it released), audited. */
    async release(user: CurrentUser, id: string, requestId: string): Promise<RequestPage & { generatedAt: Date }> {
      return access.run(user, requestId, async (act) => {
        act.authorise('subject-access:manage', subject('download', null))
        const request = await requestOr404(act, id, 'download', true)
        if (request.status !== 'APPROVED')
          act.refuse(
            new ConflictError('The bundle can be downloaded once a second person has approved it.'),
            subject('download', request, { status: 409 }),
          )
        const generatedAt = now()
        await repo.released(act.trx, request.id, user.id, generatedAt)
        await act.record(subject('download', request))
        return { ...(await page(act, request)), generatedAt }
      })
    },
  }
}
export type SubjectAccessService = ReturnType<typeof subjectAccessService>
