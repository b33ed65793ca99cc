import type { AccessGuard } from '../../platform/access/authorise.js'
import type { AuditRepository, AuditSubject } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { transaction, type Db, type Trx } from '../../platform/db/transaction.js'
import { INCOMPLETE_FORM, type FieldError, type FormResult } from '../../platform/forms/forms.js'
import { BadRequestError, ConflictError, NotFoundError } from '../../platform/http/errors.js'
import type { Sent } from './organisations.form.js'
import type { OrganisationsRepository } from './organisations.repository.js'
import {
  agencyChanges,
  agencyRetirementRefusal,
  checkAgency,
  checkTeam,
  teamChanges,
  teamRetirementRefusal,
  type AgencyInput,
  type Change,
  type TeamInput,
} from './organisations.rules.js'

/** Who is acting: a system administrator or the business manager, or the system itself (the command line, the demo seed). */
export type OrganisationsActor = CurrentUser | { system: true; partnershipId: string }

/** A stale edit: someone changed the record since the form was opened. */
export const CHANGED_SINCE =
  'This record has changed since you opened it: someone else saved a change. Check what it says now, then make your change again.'

/** What a refused retirement or a form with errors comes back with; a stale edit throws a ConflictError (409). */
export type Outcome<T> = FormResult<T>

type Deps = { db: Db; repo: OrganisationsRepository; audit: AuditRepository; access: AccessGuard }

const MANAGE = 'organisations:manage' as const

/**
 * The partnership's agencies and teams: add, rename, change, retire, each change kept in the
 * organisation's history (organisation_change) and audited. Organisations are not about
 * children, but who changed them, and when, must be traceable. Retiring keeps the record (and
 * its name on every record that holds it); forms stop offering it (platform/organisation/directory.ts).
 */
export function organisationsService({ db, repo, audit, access }: Deps) {
  const actorId = (by: OrganisationsActor) => ('system' in by ? null : by.id)

  /** In the partnership's transaction, for a person with 'organisations:manage' (anyone else refused, audited), or the system. */
  function inPartnership<T>(by: OrganisationsActor, requestId: string | null, subject: AuditSubject, fn: (trx: Trx) => Promise<T>) {
    if ('system' in by) return transaction(db, { partnershipId: by.partnershipId }, fn)
    return access.run(by, requestId ?? '', (act) => {
      act.authorise(MANAGE, subject)
      return fn(act.trx)
    })
  }

  /** The change kept in the history and audited, in the same transaction. */
  async function keep(
    trx: Trx,
    by: OrganisationsActor,
    of: { agencyId: string } | { teamId: string },
    changes: readonly Change[],
    requestId: string | null,
    formKey: string | null = null,
  ) {
    if (!changes.length) return
    await repo.insertChanges(trx, { partnershipId: by.partnershipId, ...of, changedBy: actorId(by), formKey }, changes)
    const [recordType, recordId] = 'agencyId' in of ? ['agency', of.agencyId] : ['team', of.teamId]
    await audit.allowed(
      trx,
      { id: actorId(by), partnershipId: by.partnershipId },
      { action: `organisation:${changes.map((c) => c.change.toLowerCase()).join('+')}`, recordType, recordId },
      requestId,
    )
  }

  const listSubject = { action: 'organisation:list', recordType: 'agency', recordId: null }
  const agencySubject = (action: string, id: string | null) => ({ action: `organisation:${action}`, recordType: 'agency', recordId: id })
  const teamSubject = (action: string, id: string | null) => ({ action: `organisation:${action}`, recordType: 'team', recordId: id })

  async function agencyOf(trx: Trx, by: OrganisationsActor, agencyId: string) {
    const agency = await repo.findAgency(trx, by.partnershipId, agencyId)
    if (!agency) throw new NotFoundError()
    return agency
  }
  async function teamOf(trx: Trx, by: OrganisationsActor, teamId: string) {
    const team = await repo.findTeam(trx, by.partnershipId, teamId)
    if (!team) throw new NotFoundError()
    return team
  }

  /** A stale or altered form: the hidden fields are missing. */
  const complete = <T extends { version: number | null }>(sent: T): T & { version: number } => {
    if (sent.version === null) throw new BadRequestError(INCOMPLETE_FORM)
    return sent as T & { version: number }
  }

  return {
    /** Every agency (current first, then retired) with its teams. */
    async overview(by: OrganisationsActor, requestId: string | null) {
      return inPartnership(by, requestId, listSubject, (trx) => repo.listAgencies(trx, by.partnershipId))
    },

    async viewAgency(by: OrganisationsActor, agencyId: string, requestId: string | null) {
      return inPartnership(by, requestId, agencySubject('view', agencyId), async (trx) => {
        const agency = await agencyOf(trx, by, agencyId)
        return { agency, history: await repo.history(trx, { agencyId }) }
      })
    },

    async viewTeam(by: OrganisationsActor, teamId: string, requestId: string | null) {
      return inPartnership(by, requestId, teamSubject('view', teamId), async (trx) => {
        const team = await teamOf(trx, by, teamId)
        return { team, history: await repo.history(trx, { teamId }) }
      })
    },

    /** The agencies a new team may join (not retired). */
    async agencyChoices(by: OrganisationsActor, requestId: string | null) {
      return inPartnership(by, requestId, teamSubject('add', null), (trx) => repo.currentAgencies(trx, by.partnershipId))
    },

    /** Adds an agency (once per form: the same form sent again finds the first). */
    async addAgency(by: OrganisationsActor, sent: Omit<Sent<AgencyInput>, 'version'>, requestId: string | null): Promise<Outcome<string>> {
      return inPartnership(by, requestId, agencySubject('add', null), async (trx) => {
        await repo.lockPartnership(trx, by.partnershipId)
        if (sent.key) {
          const earlier = await repo.addedWith(trx, by.partnershipId, sent.key)
          if (earlier?.agencyId) return { ok: true as const, value: earlier.agencyId }
        }
        const checked = checkAgency(sent, { taken: await repo.agencyNames(trx, by.partnershipId) })
        if (!checked.ok) return checked
        const id = await repo.insertAgency(trx, { partnershipId: by.partnershipId, ...checked.value })
        await keep(trx, by, { agencyId: id }, [{ change: 'ADDED', before: null, after: checked.value }], requestId, sent.key)
        return { ok: true as const, value: id }
      })
    },

    /** Renames an agency or changes its kind, from the version the form showed (a stale form: 409). */
    async changeAgency(
      by: OrganisationsActor,
      agencyId: string,
      sent: Sent<AgencyInput>,
      requestId: string | null,
    ): Promise<Outcome<Change[]>> {
      return inPartnership(by, requestId, agencySubject('change', agencyId), async (trx) => {
        const { version } = complete(sent)
        await repo.lockPartnership(trx, by.partnershipId)
        const agency = await agencyOf(trx, by, agencyId)
        if (agency.retiredAt) throw new ConflictError('This agency is retired: it cannot be changed.')
        if (agency.version !== version) throw new ConflictError(CHANGED_SINCE)
        const checked = checkAgency(sent, { taken: await repo.agencyNames(trx, by.partnershipId), selfId: agencyId })
        if (!checked.ok) return checked
        const changes = agencyChanges(agency, checked.value)
        if (!changes.length) return { ok: true as const, value: [] }
        if (!(await repo.updateAgency(trx, agencyId, version, checked.value))) throw new ConflictError(CHANGED_SINCE)
        await keep(trx, by, { agencyId }, changes, requestId)
        return { ok: true as const, value: changes }
      })
    },

    /** Retires an agency: refused (with what to do instead) while it has teams in use or people with accounts. */
    async retireAgency(
      by: OrganisationsActor,
      agencyId: string,
      sent: { version: number | null },
      requestId: string | null,
    ): Promise<Outcome<void>> {
      return inPartnership(by, requestId, agencySubject('retire', agencyId), async (trx) => {
        const { version } = complete(sent)
        await repo.lockPartnership(trx, by.partnershipId)
        const agency = await agencyOf(trx, by, agencyId)
        if (!agency.retiredAt && agency.version !== version) throw new ConflictError(CHANGED_SINCE)
        const refusal = agencyRetirementRefusal({
          retired: agency.retiredAt !== null,
          activeTeams: agency.teams.filter((t) => !t.retired).map((t) => t.name),
          activePeople: agency.activePeople,
        })
        if (refusal) return { ok: false as const, errors: [{ href: '#retire', text: refusal }] satisfies FieldError[] }
        if (!(await repo.updateAgency(trx, agencyId, version, { retiredAt: new Date() }))) throw new ConflictError(CHANGED_SINCE)
        await keep(trx, by, { agencyId }, [{ change: 'RETIRED', before: { name: agency.name }, after: null }], requestId)
        return { ok: true as const, value: undefined }
      })
    },

    /** Adds a team to an agency that is not retired (once per form). */
    async addTeam(by: OrganisationsActor, sent: Omit<Sent<TeamInput>, 'version'>, requestId: string | null): Promise<Outcome<string>> {
      return inPartnership(by, requestId, teamSubject('add', null), async (trx) => {
        await repo.lockPartnership(trx, by.partnershipId)
        if (sent.key) {
          const earlier = await repo.addedWith(trx, by.partnershipId, sent.key)
          if (earlier?.teamId) return { ok: true as const, value: earlier.teamId }
        }
        const checked = checkTeam(sent, {
          taken: await repo.teamNames(trx, by.partnershipId),
          agencies: await repo.currentAgencies(trx, by.partnershipId),
        })
        if (!checked.ok) return checked
        const { name, agencyId, frontDoor } = checked.value
        const id = await repo.insertTeam(trx, { partnershipId: by.partnershipId, agencyId, name, isFrontDoor: frontDoor })
        const agency = await agencyOf(trx, by, agencyId)
        const added: Change = { change: 'ADDED', before: null, after: { name, agency: agency.name, frontDoor } }
        await keep(trx, by, { teamId: id }, [added], requestId, sent.key)
        return { ok: true as const, value: id }
      })
    },

    /** Renames a team or changes whether it is the front door (never the last front door away). */
    async changeTeam(by: OrganisationsActor, teamId: string, sent: Sent<TeamInput>, requestId: string | null): Promise<Outcome<Change[]>> {
      return inPartnership(by, requestId, teamSubject('change', teamId), async (trx) => {
        const { version } = complete(sent)
        await repo.lockPartnership(trx, by.partnershipId)
        const team = await teamOf(trx, by, teamId)
        if (team.retiredAt) throw new ConflictError('This team is retired: it cannot be changed.')
        if (team.version !== version) throw new ConflictError(CHANGED_SINCE)
        const checked = checkTeam(
          { ...sent, agencyId: team.agencyId },
          {
            taken: await repo.teamNames(trx, by.partnershipId),
            agencies: [],
            selfId: teamId,
            frontDoorNow: { isFrontDoor: team.isFrontDoor, others: team.otherFrontDoors },
          },
        )
        if (!checked.ok) return checked
        const { name, frontDoor } = checked.value
        const changes = teamChanges({ name: team.name, frontDoor: team.isFrontDoor }, { name, frontDoor })
        if (!changes.length) return { ok: true as const, value: [] }
        if (!(await repo.updateTeam(trx, teamId, version, { name, isFrontDoor: frontDoor }))) throw new ConflictError(CHANGED_SINCE)
        await keep(trx, by, { teamId }, changes, requestId)
        return { ok: true as const, value: changes }
      })
    },

    /** Retires a team: refused while people are in it or it is the front door. */
    async retireTeam(
      by: OrganisationsActor,
      teamId: string,
      sent: { version: number | null },
      requestId: string | null,
    ): Promise<Outcome<void>> {
      return inPartnership(by, requestId, teamSubject('retire', teamId), async (trx) => {
        const { version } = complete(sent)
        await repo.lockPartnership(trx, by.partnershipId)
        const team = await teamOf(trx, by, teamId)
        if (!team.retiredAt && team.version !== version) throw new ConflictError(CHANGED_SINCE)
        const refusal = teamRetirementRefusal({
          retired: team.retiredAt !== null,
          members: team.members.length,
          isFrontDoor: team.isFrontDoor,
        })
        if (refusal) return { ok: false as const, errors: [{ href: '#retire', text: refusal }] satisfies FieldError[] }
        if (!(await repo.updateTeam(trx, teamId, version, { retiredAt: new Date() }))) throw new ConflictError(CHANGED_SINCE)
        await keep(trx, by, { teamId }, [{ change: 'RETIRED', before: { name: team.name }, after: null }], requestId)
        return { ok: true as const, value: undefined }
      })
    },
  }
}
export type OrganisationsService = ReturnType<typeof organisationsService>
