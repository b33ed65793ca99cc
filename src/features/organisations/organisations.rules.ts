import { fieldError, resultOf, type FieldError, type FormResult } from '../../platform/forms/forms.js'

/**
 * The partnership's organisations, pure: the kinds of agency, what a name must be, what changed
 * between two versions of an agency or a team (the history), and when retiring is refused (with
 * what to do instead). The service supplies the facts from the database.
 */

/** The kinds of agency, in the order forms offer them. The codes are those agency.kind has always held (migration 001, 030). */
export const AGENCY_KINDS = [
  { value: 'CHILDRENS_SERVICES', label: 'Local authority children’s social care' },
  { value: 'POLICE', label: 'Police' },
  { value: 'HEALTH', label: 'Health' },
  { value: 'EDUCATION', label: 'Education' },
  { value: 'YOUTH_OFFENDING', label: 'Youth offending service' },
  { value: 'PROBATION', label: 'Probation' },
  { value: 'VOLUNTARY', label: 'Voluntary sector' },
  { value: 'CAFCASS', label: 'Cafcass' },
  { value: 'PARTNERSHIP', label: 'Safeguarding partnership' },
  { value: 'OTHER', label: 'Other' },
] as const
export type AgencyKind = (typeof AGENCY_KINDS)[number]['value']
export const isAgencyKind = (value: string): value is AgencyKind => AGENCY_KINDS.some((k) => k.value === value)
export const kindLabel = (kind: string): string => AGENCY_KINDS.find((k) => k.value === kind)?.label ?? kind

export const NAME_MAX = 120

export type OrganisationChangeKind = 'ADDED' | 'RENAMED' | 'KIND_CHANGED' | 'FRONT_DOOR_CHANGED' | 'RETIRED'

/** A name as kept: trimmed, runs of spaces made one. */
export const normaliseName = (name: string): string => name.trim().replace(/\s+/g, ' ')
const sameName = (a: string, b: string) => normaliseName(a).toLowerCase() === normaliseName(b).toLowerCase()

/** An agency or team already in the partnership, retired ones too: a name stays with its history. */
export type Named = { id: string; name: string; retired: boolean; agencyName?: string }

/** Why a name cannot be used, or null. `selfId`: the record being renamed (its own name is fine). */
export function nameProblem(name: string, what: 'agency' | 'team', taken: readonly Named[], selfId?: string): string | null {
  const value = normaliseName(name)
  if (!value) return `Enter the ${what}’s name`
  if (value.length > NAME_MAX) return `The name must be ${NAME_MAX} characters or fewer`
  const clash = taken.find((t) => t.id !== selfId && sameName(t.name, value))
  if (!clash) return null
  const where = what === 'team' && clash.agencyName ? ` in ${clash.agencyName}` : ''
  if (clash.retired)
    return `A retired ${what}${where} is already called “${clash.name}”: its name stays with its history. Use a different name`
  return `There is already ${what === 'agency' ? 'an agency' : 'a team'}${where} called “${clash.name}”. Use a different name`
}

export type AgencyInput = { name: string; kind: string }
export type AgencyFacts = { taken: readonly Named[]; selfId?: string }

/** An agency's name and kind as they will be kept, or the errors beside the fields. */
export function checkAgency(input: AgencyInput, facts: AgencyFacts): FormResult<{ name: string; kind: AgencyKind }> {
  const errors: FieldError[] = []
  const problem = nameProblem(input.name, 'agency', facts.taken, facts.selfId)
  if (problem) errors.push(fieldError('name', problem))
  if (!isAgencyKind(input.kind)) errors.push(fieldError('kind', 'Select the kind of agency'))
  return resultOf(errors, { name: normaliseName(input.name), kind: input.kind as AgencyKind })
}

export type TeamInput = { name: string; agencyId: string; frontDoor: string }
export type TeamFacts = {
  taken: readonly Named[]
  /** The agencies a new team may join: not retired. */
  agencies: readonly { id: string }[]
  selfId?: string
  /** Editing: the team is the front door now, and how many other teams are. */
  frontDoorNow?: { isFrontDoor: boolean; others: number }
}

/** A team's name, agency and front-door flag as they will be kept, or the errors beside the fields. */
export function checkTeam(input: TeamInput, facts: TeamFacts): FormResult<{ name: string; agencyId: string; frontDoor: boolean }> {
  const errors: FieldError[] = []
  const problem = nameProblem(input.name, 'team', facts.taken, facts.selfId)
  if (problem) errors.push(fieldError('name', problem))
  if (!facts.selfId && !facts.agencies.some((a) => a.id === input.agencyId)) errors.push(fieldError('agency', 'Select the team’s agency'))
  if (input.frontDoor !== 'yes' && input.frontDoor !== 'no')
    errors.push(fieldError('frontDoor', 'Select yes if the team is the front door'))
  else if (input.frontDoor === 'no' && facts.frontDoorNow?.isFrontDoor && facts.frontDoorNow.others === 0)
    errors.push(
      fieldError(
        'frontDoor',
        'This is the only front door team: requests for support would have nobody to screen them. Make another team the front door first',
      ),
    )
  return resultOf(errors, { name: normaliseName(input.name), agencyId: input.agencyId, frontDoor: input.frontDoor === 'yes' })
}

export type Change = { change: OrganisationChangeKind; before: Record<string, unknown> | null; after: Record<string, unknown> | null }

/** What an edit of an agency changed, one entry per thing changed (nothing when nothing did). */
export function agencyChanges(before: AgencyInput, after: AgencyInput): Change[] {
  const changes: Change[] = []
  if (before.name !== after.name) changes.push({ change: 'RENAMED', before: { name: before.name }, after: { name: after.name } })
  if (before.kind !== after.kind) changes.push({ change: 'KIND_CHANGED', before: { kind: before.kind }, after: { kind: after.kind } })
  return changes
}

/** What an edit of a team changed. */
export function teamChanges(before: { name: string; frontDoor: boolean }, after: { name: string; frontDoor: boolean }): Change[] {
  const changes: Change[] = []
  if (before.name !== after.name) changes.push({ change: 'RENAMED', before: { name: before.name }, after: { name: after.name } })
  if (before.frontDoor !== after.frontDoor)
    changes.push({ change: 'FRONT_DOOR_CHANGED', before: { frontDoor: before.frontDoor }, after: { frontDoor: after.frontDoor } })
  return changes
}

const people = (n: number) => (n === 1 ? '1 person' : `${n} people`)
const quoted = (names: readonly string[]) => names.map((n) => `“${n}”`).join(', ')

/** Why an agency cannot be retired now, with what to do instead; null when it can. */
export function agencyRetirementRefusal(facts: { retired: boolean; activeTeams: readonly string[]; activePeople: number }): string | null {
  if (facts.retired) return 'This agency is already retired.'
  const reasons: string[] = []
  if (facts.activeTeams.length)
    reasons.push(
      `It still has ${facts.activeTeams.length === 1 ? 'a team' : 'teams'} in use: ${quoted(facts.activeTeams)}. Retire ${facts.activeTeams.length === 1 ? 'it' : 'them'} first, from the team’s page.`,
    )
  if (facts.activePeople)
    reasons.push(
      `${people(facts.activePeople)} with an account that is not disabled ${facts.activePeople === 1 ? 'belongs' : 'belong'} to it. Ask a system administrator to disable ${facts.activePeople === 1 ? 'that account' : 'those accounts'} under Users first.`,
    )
  return reasons.length ? `This agency cannot be retired yet. ${reasons.join(' ')}` : null
}

/** Why a team cannot be retired now, with what to do instead; null when it can. */
export function teamRetirementRefusal(facts: { retired: boolean; members: number; isFrontDoor: boolean }): string | null {
  if (facts.retired) return 'This team is already retired.'
  const reasons: string[] = []
  if (facts.members)
    reasons.push(
      `${people(facts.members)} ${facts.members === 1 ? 'is' : 'are'} still in it. Ask a system administrator to take ${facts.members === 1 ? 'them' : 'each of them'} out of the team (Users, then Change roles and teams) first.`,
    )
  if (facts.isFrontDoor) reasons.push('It is the front door: make another team the front door first.')
  return reasons.length ? `This team cannot be retired yet. ${reasons.join(' ')}` : null
}

/** The history's words for one change. */
export function describeChange(
  change: OrganisationChangeKind,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  what: 'agency' | 'team',
): string {
  const str = (v: unknown) => (typeof v === 'string' ? v : '')
  switch (change) {
    case 'ADDED':
      if (what === 'agency') return `Added as “${str(after?.name)}” (${kindLabel(str(after?.kind))})`
      return `Added as “${str(after?.name)}”${after?.frontDoor ? ', the front door' : ''}`
    case 'RENAMED':
      return `Renamed from “${str(before?.name)}” to “${str(after?.name)}”`
    case 'KIND_CHANGED':
      return `Kind changed from ${kindLabel(str(before?.kind))} to ${kindLabel(str(after?.kind))}`
    case 'FRONT_DOOR_CHANGED':
      return after?.frontDoor ? 'Made the front door' : 'No longer the front door'
    case 'RETIRED':
      return 'Retired: no longer offered for new records'
  }
}
