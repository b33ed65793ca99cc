import { ALL_ROLES, isRole, ROLE_LABELS } from '../../platform/access/roles.js'
import { formatDate, formatDateTime } from '../../platform/http/format.js'
import type { FieldError } from '../../platform/forms/forms.js'
import { paginationFor, summaryFor } from '../queues/index.js'
import { TRAINING_MODELS, todayInUk } from './admin.form.js'
import type { AgencyRow, RoleGrantRow, TrainingRow, UserDetail, UserEventRow, UserSummary } from './admin.repository.js'
import type { AdminService } from './admin.service.js'

type Values = Record<string, string | string[]>
type UserView = Awaited<ReturnType<AdminService['viewUser']>>
type UserList = Awaited<ReturnType<AdminService['listUsers']>>

const list = (items: string[]) => (items.length ? items.join(', ') : 'None')
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [])
const selected = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value])
const roleLabel = (role: string) => (isRole(role) ? ROLE_LABELS[role] : role)
const modelLabel = (model: string) => TRAINING_MODELS.find((m) => m.value === model)?.label ?? model
const userPath = (id: string) => `/admin/users/${id}`

/** An account's status, as a GOV.UK tag's words and colour (admin/views/_macros.njk). */
function statusTag(disabledAt: Date | null) {
  return disabledAt ? { text: 'Disabled', classes: 'govuk-tag--grey' } : { text: 'Active', classes: 'govuk-tag--green' }
}

export function presentUserList({ users, total, page, pageSize }: UserList, search: string) {
  const totalPages = Math.ceil(total / pageSize)
  const href = (n: number) => `/admin/users?${new URLSearchParams({ ...(search ? { q: search } : {}), page: String(n) })}`
  const none = search ? `No people match “${search}”.` : 'There are no people yet.'
  return {
    pageTitle: search ? `Users matching “${search}”` : 'Users',
    search,
    summary: summaryFor(total, page, pageSize, users.length, ['person', 'people'], none),
    users: users.map((u: UserSummary) => ({
      href: userPath(u.id),
      name: u.displayName,
      email: u.email,
      organisation: u.agencyName,
      roles: list(u.roles.map(roleLabel)),
      status: statusTag(u.disabledAt),
    })),
    pagination: paginationFor(page, totalPages, href),
  }
}

function roleItems(ticked: string[]) {
  return ALL_ROLES.map((role) => ({ value: role, text: ROLE_LABELS[role], checked: ticked.includes(role) }))
}

/** One group of team checkboxes per organisation. The first is the one the error summary links to. */
function teamGroups(agencies: AgencyRow[], ticked: string[]) {
  // Retired teams are not offered (features/organisations), unless already ticked.
  const offered = (a: AgencyRow) => a.teams.filter((t) => !t.retired || ticked.includes(t.id))
  return agencies
    .filter((a) => offered(a).length)
    .map((a, i) => ({
      idPrefix: i === 0 ? 'teams' : `teams-${a.id}`,
      legend: `Teams in ${a.name}`,
      items: offered(a).map((t) => ({ value: t.id, text: t.name, checked: ticked.includes(t.id) })),
    }))
}

export function presentNewUserForm(agencies: AgencyRow[], values: Values = {}, errors?: FieldError[]) {
  const { password: _password, ...kept } = values
  return {
    pageTitle: 'Create a user',
    values: kept,
    errors,
    agencyItems: agencies.filter((a) => !a.retired).map((a) => ({ value: a.id, text: a.name, checked: values.agency === a.id })),
    roleItems: roleItems(selected(values.roles)),
    teamGroups: teamGroups(agencies, selected(values.teams)),
  }
}

function describeEvent(event: UserEventRow, teamName: (id: string) => string): string {
  const d = event.detail ?? {}
  const from = (d.from ?? {}) as Record<string, unknown>
  const to = (d.to ?? {}) as Record<string, unknown>
  const changes = (was: string[], now: string[], noun: string, label: (v: string) => string) => {
    const added = now.filter((v) => !was.includes(v)).map(label)
    const removed = was.filter((v) => !now.includes(v)).map(label)
    return [added.length ? `${noun} added: ${added.join(', ')}.` : '', removed.length ? `${noun} removed: ${removed.join(', ')}.` : '']
  }
  switch (event.kind) {
    case 'CREATED':
      return `Account created. Roles: ${list(strings(d.roles).map(roleLabel))}. Teams: ${list(strings(d.teamIds).map(teamName))}.`
    case 'ROLES_CHANGED':
    case 'ROLES_FROM_IDP': {
      const parts = [
        ...changes(strings(from.roles), strings(to.roles), 'Roles', roleLabel),
        ...(event.kind === 'ROLES_CHANGED' ? changes(strings(from.teamIds), strings(to.teamIds), 'Teams', teamName) : []),
      ].filter(Boolean)
      const prefix = event.kind === 'ROLES_FROM_IDP' ? 'Roles set by the organisation’s sign-in service. ' : ''
      return prefix + (parts.length ? parts.join(' ') : 'Roles and teams saved with no change.')
    }
    case 'DISABLED': {
      const ended = typeof d.endedSessions === 'number' ? d.endedSessions : 0
      return `Account disabled. ${ended === 1 ? '1 session' : `${ended} sessions`} ended.`
    }
    case 'ENABLED':
      return 'Account enabled.'
    case 'INVITED':
      return 'Invitation to set a password emailed.'
    case 'PASSWORD_SET':
      return 'Password set by the person, from their invitation.'
    case 'SECURITY_CODE_WRONG':
      return `Wrong security code entered (${typeof d.wrongCodes === 'number' ? d.wrongCodes : 1} in a row).`
    case 'SECURITY_CODES_LOCKED': {
      const until = typeof d.lockedUntil === 'string' ? `, until ${formatDateTime(new Date(d.lockedUntil))}` : ''
      return `Security codes locked after ${typeof d.wrongCodes === 'number' ? d.wrongCodes : 'too many'} wrong codes in a row${until}.`
    }
    case 'SECURITY_CODES_UNLOCKED':
      return 'Security codes unlocked.'
    case 'ROLES_REQUESTED':
      return `Roles that open children’s records asked for, waiting for a second person’s approval: ${list(strings(d.roles).map(roleLabel))}.`
    case 'ROLES_APPROVED':
      return `Roles approved by a second person: ${list(strings(d.roles).map(roleLabel))}.`
    case 'ROLES_DECLINED':
      return `Roles declined by a second person: ${list(strings(d.roles).map(roleLabel))}.`
    case 'TRAINING_RECORDED': {
      const model = typeof d.model === 'string' ? modelLabel(d.model) : 'Training'
      return `Training recorded: ${model}, completed ${formatDate(typeof d.completedOn === 'string' ? d.completedOn : null)}.`
    }
    default:
      return event.kind
  }
}

/** A training record; `expires` is null when it does not expire, `expired` once its expiry date has come. */
function trainingRecord(t: TrainingRow, today: string) {
  return {
    model: modelLabel(t.model),
    completed: formatDate(t.completedOn),
    expires: t.expiresOn ? formatDate(t.expiresOn) : null,
    expired: t.expiresOn !== null && t.expiresOn.toISOString().slice(0, 10) <= today,
  }
}

function teamNamer(agencies: AgencyRow[]) {
  const names = new Map(agencies.flatMap((a) => a.teams.map((t) => [t.id, t.name] as const)))
  return (id: string) => names.get(id) ?? 'A team that no longer exists'
}

export function presentUser({ user, training, events, agencies, awaitingApproval, securityCodes, invitation }: UserView, actorId: string) {
  const password = user.hasPassword
    ? 'Set by the person'
    : user.oidcLinked
      ? 'None – they sign in through their organisation'
      : invitation && !invitation.usedAt
        ? `Not set yet – invitation emailed ${formatDateTime(invitation.sentAt)}, ${invitation.expiresAt.getTime() > Date.now() ? `works until ${formatDateTime(invitation.expiresAt)}` : 'no longer works'}`
        : 'Not set'
  const today = todayInUk()
  return {
    pageTitle: user.displayName,
    userId: user.id,
    name: user.displayName,
    isDisabled: user.disabledAt !== null,
    isSelf: user.id === actorId,
    awaitingApproval: awaitingApproval
      ? `${list(awaitingApproval.roles.map(roleLabel))}, asked for by ${awaitingApproval.requestedByName ?? 'the system'} on ${formatDateTime(awaitingApproval.requestedAt)}`
      : null,
    details: {
      email: user.email,
      organisation: user.agencyName,
      status: statusTag(user.disabledAt),
      roles: user.roles.map(roleLabel),
      teams: user.teams.map((t) => t.name),
      changeHref: `${userPath(user.id)}/roles`,
      authenticator: user.hasMfa ? 'Yes' : 'No – they set it up when they first sign in',
      password,
      securityCodes: securityCodes.lockedUntil
        ? `Locked until ${formatDateTime(securityCodes.lockedUntil)} after ${securityCodes.wrongCodes} wrong codes in a row`
        : securityCodes.wrongCodes
          ? `${securityCodes.wrongCodes} wrong in a row`
          : 'Not locked',
    },
    /** A new invitation for someone who has not set a password (or lost theirs): never for oneself or an organisation sign-in. */
    mayInvite: user.id !== actorId && !user.oidcLinked,
    /** Someone else unlocks a person's codes; never the person themselves. */
    mayUnlockCodes: securityCodes.lockedUntil !== null && user.id !== actorId,
    training: training.map((t) => trainingRecord(t, today)),
    historyRows: events.map((e) => [
      { text: describeEvent(e, teamNamer(agencies)) },
      { text: e.actorName ?? (e.kind === 'ROLES_FROM_IDP' ? 'Organisation sign-in service' : 'The system') },
      { text: formatDateTime(e.occurredAt) },
    ]),
  }
}

/**
 * The roles-and-teams form: ticks from what was sent when there is something to keep,
 * otherwise from the person's current roles and teams. After a conflict it shows what
 * they are now, and carries the new version so that sending again is a deliberate choice.
 */
export function presentRolesForm(
  { user, agencies, awaitingApproval }: { user: UserDetail; agencies: AgencyRow[]; awaitingApproval?: RoleGrantRow | null },
  sent?: { values: Values; errors: FieldError[]; conflict?: boolean },
) {
  // Roles waiting for a second person stay ticked: sending the form unchanged keeps the request.
  const roles = sent ? selected(sent.values.roles) : [...user.roles, ...(awaitingApproval?.roles ?? [])]
  const teams = sent ? selected(sent.values.teams) : user.teams.map((t) => t.id)
  return {
    pageTitle: 'Change roles and teams',
    userId: user.id,
    name: user.displayName,
    version: user.version,
    errors: sent?.errors,
    conflict: sent?.conflict ? { roles: list(user.roles.map(roleLabel)), teams: list(user.teams.map((t) => t.name)) } : undefined,
    roleItems: roleItems(roles),
    teamGroups: teamGroups(agencies, teams),
  }
}

export function presentTrainingForm(user: UserDetail, values: Values = {}, errors?: FieldError[]) {
  return {
    pageTitle: 'Record training',
    userId: user.id,
    name: user.displayName,
    values,
    errors,
    modelItems: TRAINING_MODELS.map((m) => ({ value: m.value, text: m.label, checked: values.model === m.value })),
  }
}

/** The requests waiting for a second person (head of service or HSB lead). */
export function presentRoleGrants(grants: RoleGrantRow[], actorId: string) {
  return {
    pageTitle: 'Roles waiting for approval',
    grants: grants.map((g) => ({
      id: g.id,
      person: g.userName,
      organisation: g.agencyName,
      roles: g.roles.map(roleLabel),
      requestedBy: g.requestedByName ?? 'The system',
      requestedAt: formatDateTime(g.requestedAt),
      /** Never the administrator who asked, nor the person themselves. */
      mayDecide: g.requestedBy !== actorId && g.userId !== actorId,
    })),
  }
}
