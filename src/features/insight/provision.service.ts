import type { Act } from '../../platform/access/authorise.js'
import { canInPartnership } from '../../platform/access/policy.js'
import type { AuditDetail, AuditSubject } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { londonDate } from '../../platform/clocks/london-time.js'
import { transaction } from '../../platform/db/transaction.js'
import type { FieldError } from '../../platform/forms/forms.js'
import type { FeatureDeps } from '../feature-module.js'
import { provisionRepository, type ProvisionRow, type ProvisionVersionRow } from './provision.repository.js'
import { isActiveOn, validateProvision, type ProvisionInput } from './provision.rules.js'

type Deps = Pick<FeatureDeps, 'db' | 'access'> & { now: () => Date }

export type ProvisionEditPage = { entry: ProvisionRow; versions: ProvisionVersionRow[] }
export type SaveResult = { ok: true; id: string } | { ok: false; status: 400 | 409; errors: FieldError[]; page: ProvisionEditPage | null }

/**
 * The provision register: services the partnership can call on, the levels of concern each
 * serves and their capacity. Reading is for insight:read, changing for insight:manage (both
 * checked by the routes); every save keeps a version and is audited.
 */
export function provisionService({ db, access, now }: Deps) {
  const repo = provisionRepository()
  const scope = (user: CurrentUser) => ({ partnershipId: user.partnershipId })

  const saved = (action: string, id: string, detail: AuditDetail): AuditSubject => ({
    action: `provision:${action}`,
    recordType: 'provision',
    recordId: id,
    detail,
  })

  async function editPage(act: Act, id: string): Promise<ProvisionEditPage> {
    const entry = act.found(await repo.find(act.trx, act.user.partnershipId, id))
    return { entry, versions: await repo.versions(act.trx, act.user.partnershipId, id) }
  }

  return {
    async list(user: CurrentUser) {
      return transaction(db, scope(user), async (trx) => {
        const today = londonDate(now())
        const entries = (await repo.list(trx, user.partnershipId)).map((e) => ({ ...e, active: isActiveOn(e.endedOn, today) }))
        const byLevel = await repo.provisionByLevel(trx, user.partnershipId, now())
        return { entries, byLevel, canManage: canInPartnership(user, 'insight:manage') }
      })
    },

    async create(user: CurrentUser, input: ProvisionInput, requestId: string): Promise<SaveResult> {
      const checked = validateProvision(input)
      if (!checked.ok) return { ok: false, status: 400, errors: checked.errors, page: null }
      return access.run(user, requestId, async ({ trx, record }) => {
        const id = await repo.insert(trx, user.partnershipId, checked.value, user.id)
        await record(saved('create', id, { levels: checked.value.levels.join(','), capacity: checked.value.capacity }))
        return { ok: true as const, id }
      })
    },

    async edit(user: CurrentUser, id: string, requestId: string): Promise<ProvisionEditPage> {
      return access.run(user, requestId, (act) => editPage(act, id))
    },

    /** Saves over the version the form was opened at; refused (the input kept) if someone saved since. */
    async update(
      user: CurrentUser,
      id: string,
      input: ProvisionInput & { version: number | null },
      requestId: string,
    ): Promise<SaveResult> {
      return access.run(user, requestId, async (act) => {
        const { trx, record } = act
        const page = await editPage(act, id)
        const checked = validateProvision(input)
        if (!checked.ok) return { ok: false as const, status: 400 as const, errors: checked.errors, page }
        const updated =
          input.version !== null && (await repo.update(trx, user.partnershipId, id, input.version, checked.value, user.id, now()))
        if (!updated) {
          return {
            ok: false as const,
            status: 409 as const,
            page,
            errors: [
              {
                href: '#service',
                text: 'Someone else saved this entry after you opened it. Your changes are kept below: check what is saved now (in the history), then save again.',
              },
            ],
          }
        }
        await record(saved('update', id, { version: (input.version ?? 0) + 1, ended: checked.value.endedOn !== null }))
        return { ok: true as const, id }
      })
    },
  }
}
export type ProvisionService = ReturnType<typeof provisionService>
