import { randomUUID } from 'node:crypto'
import { formatDate, formatDateTime } from '../../platform/http/format.js'
import type { FieldError } from '../../platform/forms/forms.js'
import type { AgencyDetail, AgencySummary, ChangeRow, TeamDetail, TeamSummary } from './organisations.repository.js'
import { AGENCY_KINDS, describeChange, kindLabel } from './organisations.rules.js'

/** The organisation pages' data (templates make the HTML). */

type Values = Record<string, string | string[]>
const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''))

export const ORGANISATIONS_PATH = '/admin/organisations'
export const agencyPath = (id: string) => `${ORGANISATIONS_PATH}/agencies/${id}`
export const teamPath = (id: string) => `${ORGANISATIONS_PATH}/teams/${id}`

const status = (retired: boolean) =>
  retired ? { text: 'Retired', classes: 'govuk-tag--grey' } : { text: 'In use', classes: 'govuk-tag--green' }
const count = (n: number, one: string, many: string) => (n === 1 ? `1 ${one}` : `${n} ${many}`)

function teamRow(t: TeamSummary) {
  return {
    href: teamPath(t.id),
    name: t.name,
    frontDoor: t.isFrontDoor ? 'Yes' : 'No',
    members: count(t.members, 'person', 'people'),
    status: status(t.retired),
  }
}

export function presentOverview(agencies: AgencySummary[]) {
  return {
    pageTitle: 'Organisations',
    agencies: agencies.map((a) => ({
      id: a.id,
      href: agencyPath(a.id),
      name: a.name,
      kind: kindLabel(a.kind),
      people: count(a.activePeople, 'person', 'people'),
      status: status(a.retiredAt !== null),
      teams: a.teams.map(teamRow),
    })),
    addAgencyHref: `${ORGANISATIONS_PATH}/agencies/new`,
    addTeamHref: `${ORGANISATIONS_PATH}/teams/new`,
  }
}

function historyRows(history: ChangeRow[], what: 'agency' | 'team') {
  return history.map((h) => ({
    what: describeChange(h.change, h.before, h.after, what),
    who: h.changedByName ?? 'The system (set-up)',
    when: formatDateTime(h.changedAt),
  }))
}

export function presentAgency({ agency, history }: { agency: AgencyDetail; history: ChangeRow[] }) {
  const retired = agency.retiredAt !== null
  return {
    pageTitle: agency.name,
    name: agency.name,
    retired,
    details: {
      kind: kindLabel(agency.kind),
      status: status(retired),
      retired: retired ? formatDate(agency.retiredAt) : null,
      people: count(agency.activePeople, 'person has an account', 'people have accounts'),
      added: formatDate(agency.createdAt),
    },
    teams: agency.teams.map(teamRow),
    history: historyRows(history, 'agency'),
    changeHref: `${agencyPath(agency.id)}/edit`,
    retireHref: `${agencyPath(agency.id)}/retire`,
    addTeamHref: `${ORGANISATIONS_PATH}/teams/new?agency=${agency.id}`,
  }
}

export function presentTeam({ team, history }: { team: TeamDetail; history: ChangeRow[] }) {
  const retired = team.retiredAt !== null
  return {
    pageTitle: team.name,
    name: team.name,
    retired,
    agency: { name: team.agencyName, href: agencyPath(team.agencyId) },
    details: {
      frontDoor: team.isFrontDoor ? 'Yes: it screens new requests for support' : 'No',
      status: status(retired),
      retired: retired ? formatDate(team.retiredAt) : null,
      added: formatDate(team.createdAt),
    },
    members: team.members,
    history: historyRows(history, 'team'),
    changeHref: `${teamPath(team.id)}/edit`,
    retireHref: `${teamPath(team.id)}/retire`,
  }
}

type FormState = { values?: Values; errors?: FieldError[] | undefined; conflict?: boolean }

/** The agency form: adding (a fresh form key) or changing (the version it started from). */
export function presentAgencyForm(agency: AgencyDetail | null, state: FormState = {}) {
  const values = state.values ?? (agency ? { name: agency.name, kind: agency.kind } : {})
  const kind = one(values.kind)
  return {
    pageTitle: agency ? `Change ${agency.name}` : 'Add an agency',
    heading: agency ? 'Change the agency' : 'Add an agency',
    action: agency ? `${agencyPath(agency.id)}/edit` : `${ORGANISATIONS_PATH}/agencies/new`,
    backHref: agency ? agencyPath(agency.id) : ORGANISATIONS_PATH,
    backText: agency ? `Back to ${agency.name}` : 'Back to organisations',
    submit: agency ? 'Save changes' : 'Add agency',
    errors: state.errors,
    name: one(values.name),
    kindItems: AGENCY_KINDS.map((k) => ({ value: k.value, text: k.label, checked: k.value === kind })),
    version: agency?.version ?? null,
    formKey: agency ? null : one(values['form-key']) || randomUUID(),
    conflict: state.conflict && agency ? { name: agency.name, kind: kindLabel(agency.kind) } : null,
  }
}

/** The team form: adding (choose its agency) or changing (its name and whether it is the front door). */
export function presentTeamForm(
  team: TeamDetail | null,
  agencies: { id: string; name: string }[],
  state: FormState & { agencyId?: string } = {},
) {
  const values = state.values ?? (team ? { name: team.name, frontDoor: team.isFrontDoor ? 'yes' : 'no' } : { agency: state.agencyId ?? '' })
  const frontDoor = one(values.frontDoor)
  const agency = one(values.agency)
  return {
    pageTitle: team ? `Change ${team.name}` : 'Add a team',
    heading: team ? 'Change the team' : 'Add a team',
    action: team ? `${teamPath(team.id)}/edit` : `${ORGANISATIONS_PATH}/teams/new`,
    backHref: team ? teamPath(team.id) : ORGANISATIONS_PATH,
    backText: team ? `Back to ${team.name}` : 'Back to organisations',
    submit: team ? 'Save changes' : 'Add team',
    errors: state.errors,
    name: one(values.name),
    agencyName: team?.agencyName ?? null,
    agencyItems: team
      ? []
      : [{ value: '', text: 'Select an agency' }, ...agencies.map((a) => ({ value: a.id, text: a.name, selected: a.id === agency }))],
    frontDoorItems: [
      { value: 'yes', text: 'Yes', checked: frontDoor === 'yes' },
      { value: 'no', text: 'No', checked: frontDoor === 'no' },
    ],
    version: team?.version ?? null,
    formKey: team ? null : one(values['form-key']) || randomUUID(),
    conflict: state.conflict && team ? { name: team.name, frontDoor: team.isFrontDoor ? 'Yes' : 'No' } : null,
  }
}

/** The confirmation before retiring, and the refusal (what to do instead) when it cannot be. */
export function presentRetire(
  what: 'agency' | 'team',
  record: { id: string; name: string; version: number; retiredAt: Date | null },
  errors?: FieldError[],
) {
  const path = what === 'agency' ? agencyPath(record.id) : teamPath(record.id)
  return {
    pageTitle: `Retire ${record.name}`,
    what,
    name: record.name,
    action: `${path}/retire`,
    backHref: path,
    version: record.version,
    alreadyRetired: record.retiredAt !== null,
    errors,
  }
}
