import { can, canInPartnership } from '../../platform/access/policy.js'
import type { AuditRepository } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { londonDate } from '../../platform/clocks/london-time.js'
import type { Trx } from '../../platform/db/transaction.js'
import { ConflictError, ForbiddenError, NotFoundError, type HttpError } from '../../platform/http/errors.js'
import type { FieldError } from '../../platform/forms/forms.js'
import type { CaseWorkflow } from '../cases/case-workflow.js'
import type { CaseForAccess } from '../cases/cases.repository.js'
import { asChild } from '../children/child-access.service.js'
import { childrenRepository } from '../children/children.repository.js'
import type { NotificationsRepository } from '../queues/notifications.repository.js'
import { restrictedMaterialRepository, type MaterialRow, type RequestRow } from './restricted-material.repository.js'
import { grantExpiry, hasActiveGrant, mayDecide, requestState, validateDecision, validateMaterial, validateReason, type DecisionInput, type MaterialInput } from './restricted-material.rules.js'

type Deps = { workflow: CaseWorkflow; audit: AuditRepository; notifications: NotificationsRepository; now?: () => Date }

/** A refusal decided after the case was loaded: its audit row commits, then the error is shown. */
class Refusal {
  constructor(readonly error: HttpError) {}
}

/** Who may record that ABE material exists (metadata and summary). */
export const RECORDER_ROLES: readonly string[] = ['POLICE_OFFICER', 'SOCIAL_WORKER', 'TEAM_MANAGER', 'HSB_LEAD']

export type HarmedChild = { id: string; name: string | null }
export type MaterialView = MaterialRow & { requests: RequestRow[]; mine: RequestRow[]; hasGrant: boolean; canRequest: boolean }
export type RestrictedMaterialPage = {
  kase: CaseForAccess
  harmed: HarmedChild[]
  materials: MaterialView[]
  isApprover: boolean
  canRecord: boolean
  userId: string
  now: Date
}
export type MaterialFormOptions = { kase: CaseForAccess; harmed: HarmedChild[]; agencies: { id: string; name: string }[] }
export type DecisionPage = { kase: CaseForAccess; request: RequestRow; material: MaterialRow }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Restricted interview material of the harmed child (ABE): that it exists, requests to read it,
 * decisions by a head of service or HSB lead (never the requester), time-limited grants, and
 * every read (allowed or refused) audited against the harmed child and the case.
 */
export function restrictedMaterialService({ workflow, audit, notifications, now = () => new Date() }: Deps) {
  const repo = restrictedMaterialRepository()
  const children = childrenRepository()

  async function run<T>(user: CurrentUser, caseId: string, requestId: string, fn: (trx: Trx, kase: CaseForAccess) => Promise<T | Refusal>): Promise<T> {
    const out = await workflow.command(user, caseId, requestId, fn)
    if (out instanceof Refusal) throw out.error
    return out
  }

  /** Every ABE audit row names the case, the case's child and the harmed child, so both records' access reports show it. */
  async function record(trx: Trx, user: CurrentUser, kase: CaseForAccess, action: string, material: { id: string; harmedChildId: string } | null, requestId: string, allowed = true, extra: Record<string, string | number | boolean | null> = {}) {
    await audit.record(trx, {
      partnershipId: user.partnershipId,
      userId: user.id,
      action: `abe:${action}`,
      recordType: 'abe_material',
      recordId: material?.id ?? null,
      outcome: allowed ? 'ALLOWED' : 'DENIED',
      requestId,
      detail: { caseId: kase.id, childId: kase.childId, harmedChildId: material?.harmedChildId ?? null, ...extra },
    })
  }

  async function refuse(trx: Trx, user: CurrentUser, kase: CaseForAccess, action: string, material: { id: string; harmedChildId: string } | null, requestId: string, error: HttpError, extra: Record<string, string | number | boolean | null> = {}) {
    await record(trx, user, kase, action, material, requestId, false, { status: error.status, ...extra })
    return new Refusal(error)
  }

  /** The harmed children linked to the case's child: named only for someone who may read them (that sight audited). */
  async function harmedChildren(trx: Trx, user: CurrentUser, kase: CaseForAccess, requestId: string): Promise<HarmedChild[]> {
    const ids = await repo.harmedChildIds(trx, kase.childId)
    const out: HarmedChild[] = []
    for (const id of ids) {
      const child = await children.findForAccess(trx, id, user)
      const readable = !!child && can(user, 'child:read', asChild(child))
      if (readable) {
        await audit.record(trx, { partnershipId: user.partnershipId, userId: user.id, action: 'child:read-as-linked', recordType: 'child', recordId: id, outcome: 'ALLOWED', requestId, detail: { linkedFrom: kase.childId, caseId: kase.id } })
      }
      out.push({ id, name: readable ? `${child.givenNames} ${child.familyName}` : null })
    }
    return out
  }

  async function materialOr404(trx: Trx, kase: CaseForAccess, materialId: string) {
    return UUID.test(materialId) ? repo.findMaterial(trx, kase.id, materialId.toLowerCase()) : undefined
  }

  async function page(trx: Trx, user: CurrentUser, kase: CaseForAccess, requestId: string): Promise<RestrictedMaterialPage> {
    const at = now()
    const harmed = await harmedChildren(trx, user, kase, requestId)
    const isApprover = canInPartnership(user, 'abe:approve')
    const all = await repo.listRequests(trx, kase.id)
    const materials = (await repo.listMaterials(trx, kase.id)).map((m) => {
      const requests = all.filter((r) => r.materialId === m.id)
      const mine = requests.filter((r) => r.requestedBy === user.id)
      const open = mine.some((r) => ['PENDING', 'ACTIVE'].includes(requestState(r, at)))
      return { ...m, requests: isApprover ? requests : [], mine, hasGrant: hasActiveGrant(mine, user.id, at), canRequest: !open }
    })
    await audit.record(trx, { partnershipId: user.partnershipId, userId: user.id, action: 'abe:list', recordType: 'case', recordId: kase.id, outcome: 'ALLOWED', requestId, detail: { childId: kase.childId, materials: materials.length } })
    const canRecord = harmed.length > 0 && user.roles.some((r) => RECORDER_ROLES.includes(r))
    return { kase, harmed, materials, isApprover, canRecord, userId: user.id, now: at }
  }

  async function decisionTarget(trx: Trx, user: CurrentUser, kase: CaseForAccess, accessRequestId: string, action: string, requestId: string) {
    const request = UUID.test(accessRequestId) ? await repo.findRequest(trx, kase.id, accessRequestId.toLowerCase()) : undefined
    if (!request) return new Refusal(new NotFoundError())
    const material = (await repo.findMaterial(trx, kase.id, request.materialId))!
    if (!mayDecide(user.id, request)) {
      return refuse(trx, user, kase, action, material, requestId, new ForbiddenError('You cannot decide your own request to read restricted material. Another approver must decide it.'), { accessRequestId: request.id })
    }
    return { request, material }
  }

  return {
    async view(user: CurrentUser, caseId: string, requestId: string): Promise<RestrictedMaterialPage> {
      return run(user, caseId, requestId, (trx, kase) => page(trx, user, kase, requestId))
    },

    async materialForm(user: CurrentUser, caseId: string, requestId: string): Promise<MaterialFormOptions> {
      return run(user, caseId, requestId, async (trx, kase) => {
        if (!user.roles.some((r) => RECORDER_ROLES.includes(r))) return refuse(trx, user, kase, 'record', null, requestId, new ForbiddenError('Your role cannot record restricted interview material.'))
        const harmed = await harmedChildren(trx, user, kase, requestId)
        if (harmed.length === 0) return new Refusal(new ConflictError('No harmed child is linked to this child, so there is no interview material to record.', ['Link the harmed child from the child’s record first.']))
        return { kase, harmed, agencies: await repo.listAgencies(trx, user.partnershipId) }
      })
    },

    async recordMaterial(user: CurrentUser, caseId: string, input: MaterialInput, requestId: string): Promise<{ ok: true } | { ok: false; errors: FieldError[]; options: MaterialFormOptions }> {
      return run(user, caseId, requestId, async (trx, kase) => {
        if (!user.roles.some((r) => RECORDER_ROLES.includes(r))) return refuse(trx, user, kase, 'record', null, requestId, new ForbiddenError('Your role cannot record restricted interview material.'))
        const harmed = await harmedChildren(trx, user, kase, requestId)
        if (harmed.length === 0) return new Refusal(new ConflictError('No harmed child is linked to this child, so there is no interview material to record.'))
        const agencies = await repo.listAgencies(trx, user.partnershipId)
        const checked = validateMaterial(input, { today: londonDate(now()), harmedChildIds: harmed.map((h) => h.id), agencyIds: agencies.map((a) => a.id) })
        if (!checked.ok) return { ok: false as const, errors: checked.errors, options: { kase, harmed, agencies } }
        const id = await repo.insertMaterial(trx, { ...checked.value, partnershipId: user.partnershipId, caseId: kase.id, recordedBy: user.id })
        await record(trx, user, kase, 'record', { id, harmedChildId: checked.value.harmedChildId }, requestId)
        return { ok: true as const }
      })
    },

    async requestAccess(user: CurrentUser, caseId: string, materialId: string, reason: string, requestId: string): Promise<{ ok: true } | { ok: false; errors: FieldError[]; page: RestrictedMaterialPage; materialId: string }> {
      return run(user, caseId, requestId, async (trx, kase) => {
        const material = await materialOr404(trx, kase, materialId)
        if (!material) return new Refusal(new NotFoundError())
        const checked = validateReason(reason)
        const errors = checked.ok ? [] : checked.errors
        const mine = (await repo.listRequests(trx, kase.id)).filter((r) => r.materialId === material.id && r.requestedBy === user.id)
        if (mine.some((r) => ['PENDING', 'ACTIVE'].includes(requestState(r, now())))) errors.push({ href: '#reason', text: 'You already have a request waiting or access in force for this material' })
        if (!checked.ok || errors.length) return { ok: false as const, errors, page: await page(trx, user, kase, requestId), materialId: material.id }
        const id = await repo.insertRequest(trx, { partnershipId: user.partnershipId, caseId: kase.id, materialId: material.id, requestedBy: user.id, reason: checked.value, requestedAt: now() })
        await record(trx, user, kase, 'request', material, requestId, true, { accessRequestId: id })
        for (const approver of await repo.approverIds(trx, user.partnershipId)) {
          if (approver === user.id) continue
          await notifications.raise(trx, { partnershipId: user.partnershipId, userId: approver, kind: 'ABE_ACCESS_REQUESTED', caseId: kase.id, dedupeKey: `abe-request:${id}` })
        }
        return { ok: true as const }
      })
    },

    async decisionForm(user: CurrentUser, caseId: string, accessRequestId: string, requestId: string): Promise<DecisionPage> {
      return run(user, caseId, requestId, async (trx, kase) => {
        const target = await decisionTarget(trx, user, kase, accessRequestId, 'decide', requestId)
        if (target instanceof Refusal) return target
        return { kase, ...target }
      })
    },

    async decide(user: CurrentUser, caseId: string, accessRequestId: string, input: DecisionInput, requestId: string): Promise<{ ok: true; approved: boolean } | ({ ok: false; errors: FieldError[] } & DecisionPage)> {
      return run(user, caseId, requestId, async (trx, kase) => {
        const target = await decisionTarget(trx, user, kase, accessRequestId, input.decision === 'REFUSE' ? 'refuse' : 'approve', requestId)
        if (target instanceof Refusal) return target
        const { request, material } = target
        const checked = validateDecision(input)
        if (!checked.ok) return { ok: false as const, errors: checked.errors, kase, ...target }
        const at = now()
        const decided = await repo.decide(trx, request.id, {
          status: checked.value.approve ? 'APPROVED' : 'REFUSED',
          decidedBy: user.id,
          decidedAt: at,
          decisionNote: checked.value.note,
          expiresAt: checked.value.approve ? grantExpiry(at, checked.value.days) : null,
        })
        if (!decided) return new Refusal(new ConflictError('This request has already been decided.'))
        await record(trx, user, kase, checked.value.approve ? 'approve' : 'refuse', material, requestId, true, { accessRequestId: request.id, requesterId: request.requestedBy, ...(checked.value.approve ? { days: checked.value.days } : {}) })
        await notifications.raise(trx, { partnershipId: user.partnershipId, userId: request.requestedBy, kind: 'ABE_ACCESS_DECIDED', caseId: kase.id, dedupeKey: `abe-decided:${request.id}` })
        return { ok: true as const, approved: checked.value.approve }
      })
    },

    async revoke(user: CurrentUser, caseId: string, accessRequestId: string, requestId: string): Promise<void> {
      await run(user, caseId, requestId, async (trx, kase) => {
        const request = UUID.test(accessRequestId) ? await repo.findRequest(trx, kase.id, accessRequestId.toLowerCase()) : undefined
        if (!request) return new Refusal(new NotFoundError())
        const material = (await repo.findMaterial(trx, kase.id, request.materialId))!
        if (!(await repo.revoke(trx, request.id, user.id, now()))) return new Refusal(new ConflictError('Only approved access can be revoked.'))
        await record(trx, user, kase, 'revoke', material, requestId, true, { accessRequestId: request.id, requesterId: request.requestedBy })
        return undefined
      })
    },

    /** The summary, only under an approved, unexpired grant for this person. Allowed and refused reads are both audited. */
    async read(user: CurrentUser, caseId: string, materialId: string, requestId: string): Promise<{ kase: CaseForAccess; material: MaterialRow & { summary: string | null }; expiresAt: Date }> {
      return run(user, caseId, requestId, async (trx, kase) => {
        const material = await materialOr404(trx, kase, materialId)
        if (!material) return new Refusal(new NotFoundError())
        const at = now()
        const mine = (await repo.listRequests(trx, kase.id)).filter((r) => r.materialId === material.id && r.requestedBy === user.id)
        const grant = mine.find((r) => requestState(r, at) === 'ACTIVE')
        if (!grant) return refuse(trx, user, kase, 'read', material, requestId, new ForbiddenError('You need approved, current access to read this interview material. Ask for access on the restricted material page.'))
        await record(trx, user, kase, 'read', material, requestId, true, { accessRequestId: grant.id })
        return { kase, material, expiresAt: grant.expiresAt! }
      })
    },
  }
}
export type RestrictedMaterialService = ReturnType<typeof restrictedMaterialService>
