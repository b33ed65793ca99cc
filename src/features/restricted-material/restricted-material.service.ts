import { canInPartnership } from '../../platform/access/policy.js'
import type { AuditDetail, AuditSubject } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { londonDate } from '../../platform/clocks/london-time.js'
import type { FieldError } from '../../platform/forms/forms.js'
import { ConflictError, ForbiddenError, type HttpError } from '../../platform/http/errors.js'
import { directory, type AgencyOption } from '../../platform/organisation/directory.js'
import type { CaseAct, CaseForAccess } from '../cases/index.js'
import { linkedChildNames } from '../children/index.js'
import type { FeatureDeps } from '../feature-module.js'
import { invalid, type PageFailure, type PageOutcome } from '../../platform/http/case-pages.js'
import { restrictedMaterialRepository, type MaterialRow, type RequestRow } from './restricted-material.repository.js'
import {
  grantExpiry,
  hasActiveGrant,
  mayDecide,
  requestState,
  validateDecision,
  validateMaterial,
  validateReason,
  type DecisionInput,
  type MaterialInput,
} from './restricted-material.rules.js'

type Deps = Pick<FeatureDeps, 'cases' | 'notifications' | 'now'>

/** Recording that ABE material exists: a case-wide step, allowed by role in any status (the transition table). */
const RECORD = 'RECORD_ABE_MATERIAL'

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
export type MaterialFormOptions = { kase: CaseForAccess; harmed: HarmedChild[]; agencies: AgencyOption[] }
export type DecisionPage = { kase: CaseForAccess; request: RequestRow; material: MaterialRow }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** The roles that decide requests to read the material (the access policy's `abe:approve`), told of each request. */
const APPROVERS = ['HEAD_OF_SERVICE', 'HSB_LEAD'] as const
const NO_HARMED_CHILD = 'No harmed child is linked to this child, so there is no interview material to record.'

/** Every ABE audit entry names the case, the case's child and the harmed child, so both records' access reports show it. */
function abe(
  kase: CaseForAccess,
  action: string,
  material: { id: string; harmedChildId: string } | null,
  extra: AuditDetail = {},
): AuditSubject {
  return {
    action: `abe:${action}`,
    recordType: 'abe_material',
    recordId: material?.id ?? null,
    detail: { caseId: kase.id, childId: kase.childId, harmedChildId: material?.harmedChildId ?? null, ...extra },
  }
}

/** An audited ABE refusal: its DENIED entry (with the status shown) is written after the rollback. */
function refuse(
  act: CaseAct,
  error: HttpError,
  action: string,
  material: { id: string; harmedChildId: string } | null,
  extra: AuditDetail = {},
): never {
  return act.refuse(error, abe(act.kase, action, material, { status: error.status, ...extra }))
}

/**
 * Restricted interview material of the harmed child (ABE): that it exists, requests to read it,
 * decisions by a head of service or HSB lead (never the requester), time-limited grants, and
 * every read (allowed or refused) audited against the harmed child and the case.
 */
export function restrictedMaterialService({ cases, notifications, now = () => new Date() }: Deps) {
  const repo = restrictedMaterialRepository()
  const organisation = directory()

  /** The harmed children linked to the case's child: named only for someone who may read them (that sight audited). */
  async function harmedChildren(act: CaseAct): Promise<HarmedChild[]> {
    const { kase } = act
    const ids = await repo.harmedChildIds(act.trx, kase.childId)
    const names = await linkedChildNames(act, ids, { childId: kase.childId, caseId: kase.id })
    return ids.map((id) => ({ id, name: names.get(id) ?? null }))
  }

  /** The case's material, or request to read it, with this id from the URL (checked only now): 404 when there is none. */
  const materialOr404 = async (act: CaseAct, materialId: string) =>
    act.found(UUID.test(materialId) ? await repo.findMaterial(act.trx, act.kase.id, materialId.toLowerCase()) : undefined)
  const requestOr404 = async (act: CaseAct, accessRequestId: string) =>
    act.found(UUID.test(accessRequestId) ? await repo.findRequest(act.trx, act.kase.id, accessRequestId.toLowerCase()) : undefined)

  /** This person's own requests for one material. */
  async function myRequests(act: CaseAct, materialId: string) {
    return (await repo.listRequests(act.trx, act.kase.id)).filter((r) => r.materialId === materialId && r.requestedBy === act.user.id)
  }

  async function page(act: CaseAct): Promise<RestrictedMaterialPage> {
    const { trx, user, kase } = act
    const at = now()
    const harmed = await harmedChildren(act)
    const isApprover = canInPartnership(user, 'abe:approve')
    const all = await repo.listRequests(trx, kase.id)
    const materials = (await repo.listMaterials(trx, kase.id)).map((m) => {
      const requests = all.filter((r) => r.materialId === m.id)
      const mine = requests.filter((r) => r.requestedBy === user.id)
      const open = mine.some((r) => ['PENDING', 'ACTIVE'].includes(requestState(r, at)))
      return {
        ...m,
        requests: isApprover ? requests : [],
        mine,
        hasGrant: hasActiveGrant(mine, user.id, at),
        canRequest: !open && !act.readOnly,
      }
    })
    await act.record({
      action: 'abe:list',
      recordType: 'case',
      recordId: kase.id,
      detail: { childId: kase.childId, materials: materials.length },
    })
    return { kase, harmed, materials, isApprover, canRecord: harmed.length > 0 && act.may(RECORD), userId: user.id, now: at }
  }

  /** The recording form's choices, after the role is checked (refused and audited as abe:record). */
  async function recordingOptions(act: CaseAct, details: string[] = []): Promise<MaterialFormOptions> {
    act.step(RECORD, abe(act.kase, 'record', null))
    const harmed = await harmedChildren(act)
    if (harmed.length === 0) act.refuse(new ConflictError(NO_HARMED_CHILD, details))
    return { kase: act.kase, harmed, agencies: await organisation.agencies(act.trx, act.user.partnershipId) }
  }

  /** A request someone else made, for an approver to decide; deciding your own is refused and audited. */
  async function decisionTarget(act: CaseAct, accessRequestId: string, action: string) {
    const request = await requestOr404(act, accessRequestId)
    const material = (await repo.findMaterial(act.trx, act.kase.id, request.materialId))!
    // Deciding is a change: never through break-glass, which opens the case to read (ADR 0010).
    act.writes(abe(act.kase, action, material, { accessRequestId: request.id }))
    if (!mayDecide(act.user.id, request)) {
      refuse(
        act,
        new ForbiddenError('You cannot decide your own request to read restricted material. Another approver must decide it.'),
        action,
        material,
        { accessRequestId: request.id },
      )
    }
    return { request, material }
  }

  return {
    async view(user: CurrentUser, caseId: string, requestId: string): Promise<RestrictedMaterialPage> {
      return cases.run(user, caseId, requestId, page)
    },

    async materialForm(user: CurrentUser, caseId: string, requestId: string): Promise<MaterialFormOptions> {
      return cases.run(user, caseId, requestId, (act) => recordingOptions(act, ['Link the harmed child from the child’s record first.']))
    },

    async recordMaterial(
      user: CurrentUser,
      caseId: string,
      input: MaterialInput,
      requestId: string,
    ): Promise<PageOutcome<MaterialFormOptions>> {
      return cases.run(user, caseId, requestId, async (act) => {
        const options = await recordingOptions(act)
        const checked = validateMaterial(input, {
          today: londonDate(now()),
          harmedChildIds: options.harmed.map((h) => h.id),
          agencyIds: options.agencies.map((a) => a.id),
        })
        if (!checked.ok) return invalid(checked.errors, options)
        const id = await repo.insertMaterial(act.trx, {
          ...checked.value,
          partnershipId: user.partnershipId,
          caseId: act.kase.id,
          recordedBy: user.id,
        })
        await act.record(abe(act.kase, 'record', { id, harmedChildId: checked.value.harmedChildId }))
        return { ok: true as const }
      })
    },

    async requestAccess(
      user: CurrentUser,
      caseId: string,
      materialId: string,
      reason: string,
      requestId: string,
    ): Promise<{ ok: true } | { ok: false; errors: FieldError[]; page: RestrictedMaterialPage; materialId: string }> {
      return cases.run(user, caseId, requestId, async (act) => {
        const material = await materialOr404(act, materialId)
        // Break-glass opens the case to read: asking for the material is a change (ADR 0010).
        act.writes(abe(act.kase, 'request', material))
        const checked = validateReason(reason)
        const errors = checked.ok ? [] : checked.errors
        const mine = await myRequests(act, material.id)
        if (mine.some((r) => ['PENDING', 'ACTIVE'].includes(requestState(r, now()))))
          errors.push({ href: '#reason', text: 'You already have a request waiting or access in force for this material' })
        if (!checked.ok || errors.length) return { ok: false as const, errors, page: await page(act), materialId: material.id }
        const id = await repo.insertRequest(act.trx, {
          partnershipId: user.partnershipId,
          caseId: act.kase.id,
          materialId: material.id,
          requestedBy: user.id,
          reason: checked.value,
          requestedAt: now(),
        })
        await act.record(abe(act.kase, 'request', material, { accessRequestId: id }))
        const approvers = (await organisation.holdersOf(act.trx, user.partnershipId, APPROVERS)).filter((approver) => approver !== user.id)
        await notifications.raiseToEach(act.trx, approvers, {
          partnershipId: user.partnershipId,
          kind: 'ABE_ACCESS_REQUESTED',
          caseId: act.kase.id,
          dedupeKey: `abe-request:${id}`,
        })
        return { ok: true as const }
      })
    },

    async decisionForm(user: CurrentUser, caseId: string, accessRequestId: string, requestId: string): Promise<DecisionPage> {
      return cases.run(user, caseId, requestId, async (act) => ({
        kase: act.kase,
        ...(await decisionTarget(act, accessRequestId, 'decide')),
      }))
    },

    async decide(
      user: CurrentUser,
      caseId: string,
      accessRequestId: string,
      input: DecisionInput,
      requestId: string,
    ): Promise<{ ok: true; approved: boolean } | PageFailure<DecisionPage>> {
      return cases.run(user, caseId, requestId, async (act) => {
        const target = await decisionTarget(act, accessRequestId, input.decision === 'REFUSE' ? 'refuse' : 'approve')
        const { request, material } = target
        const checked = validateDecision(input)
        if (!checked.ok) return invalid(checked.errors, { kase: act.kase, ...target })
        const at = now()
        const decided = await repo.decide(act.trx, request.id, {
          status: checked.value.approve ? 'APPROVED' : 'REFUSED',
          decidedBy: user.id,
          decidedAt: at,
          decisionNote: checked.value.note,
          expiresAt: checked.value.approve ? grantExpiry(at, checked.value.days) : null,
        })
        if (!decided) act.refuse(new ConflictError('This request has already been decided.'))
        const days: AuditDetail = checked.value.approve ? { days: checked.value.days } : {}
        await act.record(
          abe(act.kase, checked.value.approve ? 'approve' : 'refuse', material, {
            accessRequestId: request.id,
            requesterId: request.requestedBy,
            ...days,
          }),
        )
        await notifications.raise(act.trx, {
          partnershipId: user.partnershipId,
          userId: request.requestedBy,
          kind: 'ABE_ACCESS_DECIDED',
          caseId: act.kase.id,
          dedupeKey: `abe-decided:${request.id}`,
        })
        return { ok: true as const, approved: checked.value.approve }
      })
    },

    async revoke(user: CurrentUser, caseId: string, accessRequestId: string, requestId: string): Promise<void> {
      await cases.run(user, caseId, requestId, async (act) => {
        const request = await requestOr404(act, accessRequestId)
        const material = (await repo.findMaterial(act.trx, act.kase.id, request.materialId))!
        act.writes(abe(act.kase, 'revoke', material, { accessRequestId: request.id }))
        if (!(await repo.revoke(act.trx, request.id, user.id, now()))) act.refuse(new ConflictError('Only approved access can be revoked.'))
        await act.record(abe(act.kase, 'revoke', material, { accessRequestId: request.id, requesterId: request.requestedBy }))
      })
    },

    /** The summary, only under an approved, unexpired grant for this person. Allowed and refused reads are both audited. */
    async read(
      user: CurrentUser,
      caseId: string,
      materialId: string,
      requestId: string,
    ): Promise<{ kase: CaseForAccess; material: MaterialRow & { summary: string | null }; expiresAt: Date }> {
      return cases.run(user, caseId, requestId, async (act) => {
        const material = await materialOr404(act, materialId)
        const grant = (await myRequests(act, material.id)).find((r) => requestState(r, now()) === 'ACTIVE')
        if (!grant) {
          return refuse(
            act,
            new ForbiddenError(
              'You need approved, current access to read this interview material. Ask for access on the restricted material page.',
            ),
            'read',
            material,
          )
        }
        await act.record(abe(act.kase, 'read', material, { accessRequestId: grant.id }))
        return { kase: act.kase, material, expiresAt: grant.expiresAt! }
      })
    },
  }
}
export type RestrictedMaterialService = ReturnType<typeof restrictedMaterialService>
