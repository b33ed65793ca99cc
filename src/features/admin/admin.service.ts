import type { AccessGuard, Act } from '../../platform/access/authorise.js'
import { opensChildRecords } from '../../platform/access/policy.js'
import { isRole, type Role } from '../../platform/access/roles.js'
import type { AuditRepository } from '../../platform/audit/audit.repository.js'
import type { AuthService } from '../../platform/auth/auth.service.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { checkPassword, hashPassword } from '../../platform/auth/passwords.js'
import type { SecretBox } from '../../platform/auth/secret-box.js'
import { transaction, type Db, type Trx } from '../../platform/db/transaction.js'
import { fieldError, type FieldError, type FormResult } from '../../platform/forms/forms.js'
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/http/errors.js'
import type { Notifications } from '../../platform/notifications/notifications.js'
import { directory as organisationDirectory } from '../../platform/organisation/directory.js'
import type { AdminRepository, RoleGrantRow, UserDetail } from './admin.repository.js'

/** Who is acting: a signed-in system administrator, or the system itself (CLI, demo seed). */
export type AdminActor = CurrentUser | { system: true; partnershipId: string }

export type CreateUserCommand = {
  displayName: string
  email: string
  agencyId: string
  roles: Role[]
  teamIds: string[]
  password: string | null
  /** Only the demo seed and tests set this: demo accounts arrive with MFA already set up. */
  totpSecret?: string | null
}

export type TrainingCommand = { model: string; completedOn: string; expiresOn: string | null }

export type Result<T> = FormResult<T>

type Deps = {
  db: Db
  repo: AdminRepository
  audit: AuditRepository
  access: AccessGuard
  secrets: SecretBox
  notifications: Notifications
  /** Security codes (platform/auth): a person's lock, and unlocking it (never one's own). */
  auth: Pick<AuthService, 'securityCodeStatus' | 'unlockSecurityCodes' | 'invitations'>
  /** OpenID Connect is configured: a person who signs in through it gets roles only from the mapped claim. */
  rolesFromIdp: boolean
}

/** Who may approve a role that opens children's records (the policy's 'admin:approve-roles'), and who hears of every request. */
const APPROVERS: readonly Role[] = ['HEAD_OF_SERVICE', 'HSB_LEAD']
const PRIVACY: readonly Role[] = ['PRIVACY_OFFICER']

/** A role that opens children's records, or administration itself (which grants roles), is given only with a second person's approval. */
const needsSecondPerson = (role: Role) => opensChildRecords(role) || role === 'SYSTEM_ADMINISTRATOR'

/** Whoever administers people never also opens children's records (README: administrators have no access to them). */
export const ADMIN_AND_CHILD_ROLES =
  'A system administrator cannot also have a role that opens children’s records. Choose one or the other.'
const mixesAdminAndChildRoles = (roles: readonly Role[]) => roles.includes('SYSTEM_ADMINISTRATOR') && roles.some(opensChildRecords)

export const OWN_ROLES_REFUSED = 'You cannot change your own roles or teams. Ask another system administrator.'

const PAGE_SIZE = 25

/**
 * Administration of people: create, disable, roles, teams, training. Only a system
 * administrator may do it (or the system itself). None of it reads a child's record.
 */
export const ROLES_FROM_IDP =
  'This person’s roles come from their organisation’s sign-in service. Change them there; you can change their teams here.'

export function adminService({ db, repo, audit, access, secrets, notifications, auth, rolesFromIdp }: Deps) {
  const directory = organisationDirectory()
  const actorId = (by: AdminActor) => ('system' in by ? null : by.id)

  /** The system itself, or a system administrator (anyone else refused, audited), in the partnership's transaction. */
  function inPartnership<T>(by: AdminActor, fn: (trx: Trx, act: Act | null) => Promise<T>, requestId: string | null = null): Promise<T> {
    if ('system' in by) return transaction(db, { partnershipId: by.partnershipId }, (trx) => fn(trx, null))
    return access.run(by, requestId ?? '', (act) => {
      act.authorise('admin:manage-users', { action: 'admin:manage-users', recordType: 'user', recordId: null })
      return fn(act.trx, act)
    })
  }

  /**
   * Separation of duties: of the roles asked for, those a person does not hold yet and that open
   * children's records are held for a second person's approval (the system itself, in the CLI and
   * the demo seed, grants them at once). The rest apply now.
   */
  function splitRoles(by: AdminActor, held: readonly Role[], asked: readonly Role[]) {
    const needApproval = 'system' in by ? [] : asked.filter((r) => !held.includes(r) && needsSecondPerson(r))
    return { now: asked.filter((r) => !needApproval.includes(r)), needApproval }
  }

  /** A new invitation for the person (the older link stops working), recorded in their history and audited. */
  async function invite(trx: Trx, by: CurrentUser, userId: string, requestId: string | null) {
    await auth.invitations.issue(trx, { partnershipId: by.partnershipId, userId, createdBy: by.id })
    await record(trx, by, userId, 'user:invite', { kind: 'INVITED', detail: {} }, requestId)
  }

  /** Opens (or keeps) the request for roles that need approval, tells the approvers and the privacy officer, and records it. */
  async function requestApproval(trx: Trx, by: AdminActor, userId: string, roles: readonly Role[], requestId: string | null) {
    const [open] = await repo.roleGrants(trx, by.partnershipId, { state: 'PENDING', userId })
    const same = open && [...open.roles].sort().join() === [...roles].sort().join()
    if ('system' in by || same) return
    // Roles no longer asked for: the open request goes (it could otherwise be approved later).
    if (roles.length === 0) return open ? repo.withdrawRoleGrants(trx, userId) : undefined
    const id = await repo.requestRoles(trx, { partnershipId: by.partnershipId, userId, roles, requestedBy: by.id })
    const approvers = (await directory.holdersOf(trx, by.partnershipId, APPROVERS)).filter((p) => p !== by.id && p !== userId)
    const privacy = await directory.holdersOf(trx, by.partnershipId, PRIVACY)
    const notice = { partnershipId: by.partnershipId, kind: 'ROLE_GRANT_REQUESTED' as const, dedupeKey: `role-grant:${id}` }
    await notifications.raiseToEach(trx, [...approvers, ...privacy], notice)
    await record(trx, by, userId, 'user:request-roles', { kind: 'ROLES_REQUESTED', detail: { roles, requestId: id } }, requestId)
  }

  /** The person, in the acting partnership, or a 404. */
  async function userOf(trx: Trx, by: AdminActor, userId: string): Promise<UserDetail> {
    const user = await repo.findUser(trx, by.partnershipId, userId)
    if (!user) throw new NotFoundError()
    return user
  }

  /** What was done to a person: the event in their history, and its audit entry (`action`). */
  async function record(
    trx: Trx,
    by: AdminActor,
    userId: string,
    action: string,
    event: { kind: string; detail: Record<string, unknown> },
    requestId: string | null,
  ): Promise<void> {
    await repo.insertEvent(trx, { partnershipId: by.partnershipId, userId, actorId: actorId(by), ...event })
    await audit.allowed(
      trx,
      { id: actorId(by), partnershipId: by.partnershipId },
      { action, recordType: 'user', recordId: userId },
      requestId,
    )
  }

  /** `held`: the person's teams now (null for a new person). Retired agencies and teams are not given to anyone new. */
  async function validateTeams(
    trx: Trx,
    partnershipId: string,
    agencyId: string,
    teamIds: string[],
    held: readonly string[] | null,
  ): Promise<FieldError[]> {
    const agencies = await repo.listAgencies(trx, partnershipId)
    const agency = agencies.find((a) => a.id === agencyId)
    if (!agency || (held === null && agency.retired)) return [fieldError('agency', 'Select the person’s organisation')]
    const known = new Set(agencies.flatMap((a) => a.teams.filter((t) => !t.retired || held?.includes(t.id)).map((t) => t.id)))
    if (teamIds.some((t) => !known.has(t))) return [fieldError('teams', 'Select teams from the list')]
    return []
  }

  return {
    PAGE_SIZE,

    async listUsers(by: AdminActor, options: { search?: string; page: number }) {
      return inPartnership(by, async (trx) => {
        const page = Math.max(1, options.page)
        const result = await repo.listUsers(trx, by.partnershipId, {
          ...(options.search ? { search: options.search } : {}),
          offset: (page - 1) * PAGE_SIZE,
          limit: PAGE_SIZE,
        })
        return { ...result, page, pageSize: PAGE_SIZE }
      })
    },

    async listAgencies(by: AdminActor) {
      return inPartnership(by, (trx) => repo.listAgencies(trx, by.partnershipId))
    },

    async viewUser(by: AdminActor, userId: string) {
      return inPartnership(by, async (trx) => {
        const user = await userOf(trx, by, userId)
        const training = await repo.listTraining(trx, userId)
        const events = await repo.listEvents(trx, userId)
        /** The partnership's organisations and teams: for the roles form and to name teams in the history. */
        const agencies = await repo.listAgencies(trx, by.partnershipId)
        const [awaitingApproval] = await repo.roleGrants(trx, by.partnershipId, { state: 'PENDING', userId })
        const invitation = await auth.invitations.statusOf(trx, userId)
        return { user, training, events, agencies, awaitingApproval: awaitingApproval ?? null, invitation }
      }).then(async (view) => ({ ...view, securityCodes: await auth.securityCodeStatus(by.partnershipId, userId) }))
    },

    async createUser(by: AdminActor, command: CreateUserCommand, requestId: string | null): Promise<Result<string>> {
      const errors: FieldError[] = []
      if (command.roles.some((r) => !isRole(r))) errors.push(fieldError('roles', 'Select roles from the list'))
      if (mixesAdminAndChildRoles(command.roles)) errors.push(fieldError('roles', ADMIN_AND_CHILD_ROLES))
      // Only the system itself (the CLI, the demo seed) sets a password; a person is invited to set their own.
      const password = 'system' in by ? command.password : null
      if (password !== null) {
        const problem = checkPassword(password, { email: command.email, displayName: command.displayName })
        if (problem) errors.push(fieldError('password', problem))
      }
      const passwordHash = password !== null && errors.length === 0 ? await hashPassword(password) : null
      return inPartnership(
        by,
        async (trx) => {
          if (await repo.emailInUse(trx, command.email)) {
            errors.unshift(fieldError('email', 'Another account already uses this email address'))
          }
          errors.push(...(await validateTeams(trx, by.partnershipId, command.agencyId, command.teamIds, null)))
          if (errors.length) return { ok: false as const, errors }
          const id = await repo.insertUser(trx, {
            partnershipId: by.partnershipId,
            agencyId: command.agencyId,
            email: command.email.trim(),
            displayName: command.displayName.trim(),
            passwordHash,
            totpSecret: command.totpSecret ? secrets.seal(command.totpSecret) : null,
          })
          const roles = splitRoles(by, [], command.roles)
          await repo.replaceRolesAndTeams(trx, id, roles.now, command.teamIds)
          await record(trx, by, id, 'user:create', { kind: 'CREATED', detail: { roles: roles.now, teamIds: command.teamIds } }, requestId)
          await requestApproval(trx, by, id, roles.needApproval, requestId)
          // An administrator never knows another person's password: the person sets it from an emailed link.
          if (!('system' in by)) await invite(trx, by, id, requestId)
          return { ok: true as const, value: id }
        },
        requestId,
      )
    },

    /** Replaces roles and teams. `version` is the one the form showed: a stale form is refused. */
    async setRolesAndTeams(
      by: AdminActor,
      userId: string,
      command: { roles: Role[]; teamIds: string[]; version: number },
      requestId: string | null,
    ): Promise<Result<{ awaitingApproval: Role[] }>> {
      return inPartnership(
        by,
        async (trx, act) => {
          const subject = { action: 'user:set-roles', recordType: 'user', recordId: userId }
          if (act && act.user.id === userId) act.refuse(new ForbiddenError(OWN_ROLES_REFUSED), subject)
          const user = await userOf(trx, by, userId)
          const held = user.teams.map((t) => t.id)
          const errors = await validateTeams(trx, by.partnershipId, user.agencyId, command.teamIds, held)
          if (command.roles.some((r) => !isRole(r))) errors.push(fieldError('roles', 'Select roles from the list'))
          if (mixesAdminAndChildRoles(command.roles)) errors.push(fieldError('roles', ADMIN_AND_CHILD_ROLES))
          const sameRoles = [...command.roles].sort().join() === [...user.roles].sort().join()
          if (rolesFromIdp && user.oidcLinked && !sameRoles) errors.push(fieldError('roles', ROLES_FROM_IDP))
          if (errors.length) return { ok: false as const, errors }
          if (!(await repo.bumpVersion(trx, userId, command.version))) {
            throw new ConflictError(
              'Someone else changed this person’s roles or teams while you were editing. Check their details and try again.',
            )
          }
          const roles = splitRoles(by, user.roles, command.roles)
          await repo.replaceRolesAndTeams(trx, userId, roles.now, command.teamIds)
          const from = { roles: user.roles, teamIds: user.teams.map((t) => t.id) }
          const to = { roles: roles.now, teamIds: command.teamIds }
          const same = (a: readonly string[], b: readonly string[]) => [...a].sort().join() === [...b].sort().join()
          const changedNow = !same(from.roles, to.roles) || !same(from.teamIds, to.teamIds)
          // Only asking for roles that wait for approval is recorded as that request, not also as "saved with no change".
          if (changedNow || roles.needApproval.length === 0)
            await record(trx, by, userId, 'user:set-roles', { kind: 'ROLES_CHANGED', detail: { from, to } }, requestId)
          await requestApproval(trx, by, userId, roles.needApproval, requestId)
          return { ok: true as const, value: { awaitingApproval: roles.needApproval } }
        },
        requestId,
      )
    },

    /** Disabling ends every session the person has, at once. */
    async setDisabled(by: AdminActor, userId: string, disabled: boolean, requestId: string | null): Promise<UserDetail> {
      return inPartnership(
        by,
        async (trx) => {
          const user = await userOf(trx, by, userId)
          if (!('system' in by) && by.id === userId && disabled) {
            throw new ConflictError('You cannot disable your own account. Ask another system administrator.')
          }
          await repo.setDisabled(trx, userId, disabled)
          const endedSessions = disabled ? await repo.endSessions(trx, userId) : 0
          const event = disabled ? { kind: 'DISABLED', detail: { endedSessions } } : { kind: 'ENABLED', detail: {} }
          await record(trx, by, userId, disabled ? 'user:disable' : 'user:enable', event, requestId)
          return user
        },
        requestId,
      )
    },

    async recordTraining(by: AdminActor, userId: string, command: TrainingCommand, requestId: string | null): Promise<Result<string>> {
      return inPartnership(
        by,
        async (trx) => {
          await userOf(trx, by, userId) // a 404 for someone not in the partnership
          const id = await repo.insertTraining(trx, {
            partnershipId: by.partnershipId,
            userId,
            model: command.model,
            completedOn: command.completedOn,
            expiresOn: command.expiresOn,
            recordedBy: actorId(by),
          })
          const detail = { model: command.model, completedOn: command.completedOn, expiresOn: command.expiresOn }
          await record(trx, by, userId, 'user:record-training', { kind: 'TRAINING_RECORDED', detail }, requestId)
          return { ok: true as const, value: id }
        },
        requestId,
      )
    },

    /** Sends a person a new invitation to set their password (someone who lost the email, or whose link ran out). */
    async inviteAgain(by: CurrentUser, userId: string, requestId: string): Promise<void> {
      return inPartnership(
        by,
        async (trx, act) => {
          if (act && act.user.id === userId)
            act.refuse(new ForbiddenError('You cannot send yourself a link to set a password. Ask another system administrator.'), {
              action: 'user:invite',
              recordType: 'user',
              recordId: userId,
            })
          const user = await userOf(trx, by, userId)
          if (user.oidcLinked) throw new ConflictError('This person signs in through their organisation’s sign-in service.')
          await invite(trx, by, userId, requestId)
        },
        requestId,
      )
    },

    /** Unlocks a person's security codes after too many wrong ones (never one's own: refused and audited). */
    async unlockSecurityCodes(by: CurrentUser, userId: string, requestId: string): Promise<{ wasLocked: boolean }> {
      return auth.unlockSecurityCodes(by, userId, requestId)
    },

    /** The requests waiting for a second person, for a head of service or HSB lead. Reading them is audited. */
    async listRoleGrants(by: CurrentUser, requestId: string): Promise<RoleGrantRow[]> {
      return access.run(by, requestId, async (act) => {
        const subject = { action: 'user:list-role-requests', recordType: 'role-grant', recordId: null }
        act.authorise('admin:approve-roles', subject)
        await act.record(subject)
        return repo.roleGrants(act.trx, by.partnershipId, { state: 'PENDING' })
      })
    },

    /**
     * A second person decides: never the administrator who asked, nor the person themselves
     * (refused, audited). Approving adds the roles. The requester and the privacy officer are told.
     */
    async decideRoleGrant(by: CurrentUser, grantId: string, approve: boolean, requestId: string): Promise<RoleGrantRow> {
      return access.run(by, requestId, async (act) => {
        const subject = { action: approve ? 'user:approve-roles' : 'user:decline-roles', recordType: 'role-grant', recordId: grantId }
        act.authorise('admin:approve-roles', subject)
        const [grant] = await repo.roleGrants(act.trx, by.partnershipId, { id: grantId })
        const found = act.found(grant)
        if (found.requestedBy === by.id)
          act.refuse(new ForbiddenError('You asked for these roles, so another person must decide.'), subject)
        if (found.userId === by.id) act.refuse(new ForbiddenError('You cannot decide on roles for yourself.'), subject)
        if (found.state !== 'PENDING') throw new ConflictError('This request has already been decided or withdrawn.')
        if (act.user.roles.includes('SYSTEM_ADMINISTRATOR'))
          act.refuse(new ForbiddenError('A system administrator cannot decide roles: another head of service or HSB lead must.'), subject)
        if (approve) {
          const person = await userOf(act.trx, by, found.userId)
          if (person.disabledAt) throw new ConflictError('This person’s account is disabled: their roles cannot be approved.')
          if (mixesAdminAndChildRoles([...person.roles, ...found.roles])) throw new ConflictError(ADMIN_AND_CHILD_ROLES)
        }
        await repo.decideRoleGrant(act.trx, grantId, approve ? 'APPROVED' : 'DECLINED', by.id)
        if (approve) await repo.addRoles(act.trx, found.userId, found.roles)
        await repo.insertEvent(act.trx, {
          partnershipId: by.partnershipId,
          userId: found.userId,
          actorId: by.id,
          kind: approve ? 'ROLES_APPROVED' : 'ROLES_DECLINED',
          detail: { roles: found.roles, requestId: grantId },
        })
        await act.record(subject)
        const privacy = await directory.holdersOf(act.trx, by.partnershipId, PRIVACY)
        const told = [...(found.requestedBy ? [found.requestedBy] : []), ...privacy]
        await notifications.raiseToEach(act.trx, told, {
          partnershipId: by.partnershipId,
          kind: 'ROLE_GRANT_DECIDED',
          dedupeKey: `role-grant-decided:${grantId}`,
        })
        return found
      })
    },

    /** Set-up of the partnership's organisations (CLI and demo seed; no page yet). */
    async createPartnership(name: string): Promise<string> {
      return transaction(db, 'system', (trx) => repo.insertPartnership(trx, name))
    },
    async createAgency(by: AdminActor, agency: { name: string; kind: string }): Promise<string> {
      return inPartnership(by, (trx) => repo.insertAgency(trx, { ...agency, partnershipId: by.partnershipId }))
    },
    async createTeam(by: AdminActor, team: { agencyId: string; name: string }): Promise<string> {
      return inPartnership(by, (trx) => repo.insertTeam(trx, { ...team, partnershipId: by.partnershipId }))
    },
    async findPartnership(name: string): Promise<string | undefined> {
      return transaction(db, 'system', (trx) => repo.findPartnershipByName(trx, name))
    },
  }
}
export type AdminService = ReturnType<typeof adminService>
