import { describe, expect, it } from 'vitest'
import {
  agencyChanges,
  agencyRetirementRefusal,
  checkAgency,
  checkTeam,
  describeChange,
  nameProblem,
  normaliseName,
  teamChanges,
  teamRetirementRefusal,
} from './organisations.rules.js'

const taken = [
  { id: 'a1', name: 'Northshire Police', retired: false },
  { id: 'a2', name: 'Old Charity', retired: true },
]

describe('a name', () => {
  it('is required, and kept trimmed with single spaces', () => {
    expect(nameProblem('   ', 'agency', [])).toBe('Enter the agency’s name')
    expect(nameProblem('', 'team', [])).toBe('Enter the team’s name')
    expect(normaliseName('  Youth   Offending  Team ')).toBe('Youth Offending Team')
  })

  it('is at most 120 characters', () => {
    expect(nameProblem('x'.repeat(121), 'agency', [])).toBe('The name must be 120 characters or fewer')
    expect(nameProblem('x'.repeat(120), 'agency', [])).toBeNull()
  })

  it('is unique in the partnership whatever its case and spacing, retired ones included', () => {
    expect(nameProblem('northshire  POLICE', 'agency', taken)).toBe(
      'There is already an agency called “Northshire Police”. Use a different name',
    )
    expect(nameProblem('old charity', 'agency', taken)).toMatch(/^A retired agency is already called “Old Charity”/)
    expect(nameProblem('Northshire Police Service', 'agency', taken)).toBeNull()
  })

  it('may stay the same, or change case, when the record itself is renamed', () => {
    expect(nameProblem('NORTHSHIRE POLICE', 'agency', taken, 'a1')).toBeNull()
  })

  it('names the agency of a team that has it already', () => {
    expect(nameProblem('duty team', 'team', [{ id: 't1', name: 'Duty Team', retired: false, agencyName: 'Northshire Police' }])).toBe(
      'There is already a team in Northshire Police called “Duty Team”. Use a different name',
    )
  })
})

describe('an agency', () => {
  it('needs a kind from the list', () => {
    expect(checkAgency({ name: 'New Agency', kind: 'CHURCH' }, { taken })).toEqual({
      ok: false,
      errors: [{ href: '#kind', text: 'Select the kind of agency' }],
    })
    expect(checkAgency({ name: ' New  Agency ', kind: 'OTHER' }, { taken })).toEqual({
      ok: true,
      value: { name: 'New Agency', kind: 'OTHER' },
    })
  })

  it('reports each thing changed, and nothing when nothing did', () => {
    expect(agencyChanges({ name: 'A', kind: 'POLICE' }, { name: 'B', kind: 'HEALTH' })).toEqual([
      { change: 'RENAMED', before: { name: 'A' }, after: { name: 'B' } },
      { change: 'KIND_CHANGED', before: { kind: 'POLICE' }, after: { kind: 'HEALTH' } },
    ])
    expect(agencyChanges({ name: 'A', kind: 'POLICE' }, { name: 'A', kind: 'POLICE' })).toEqual([])
  })

  it('is not retired while it has teams in use or people with accounts, and says what to do instead', () => {
    expect(agencyRetirementRefusal({ retired: false, activeTeams: [], activePeople: 0 })).toBeNull()
    expect(agencyRetirementRefusal({ retired: true, activeTeams: [], activePeople: 0 })).toBe('This agency is already retired.')
    const refusal = agencyRetirementRefusal({ retired: false, activeTeams: ['Duty Team'], activePeople: 2 })
    expect(refusal).toContain('It still has a team in use: “Duty Team”. Retire it first')
    expect(refusal).toContain(
      '2 people with an account that is not disabled belong to it. Ask a system administrator to disable those accounts',
    )
  })
})

describe('a team', () => {
  const agencies = [{ id: 'g1' }]
  it('needs an agency in use and an answer about the front door', () => {
    const result = checkTeam({ name: 'New Team', agencyId: 'g9', frontDoor: '' }, { taken: [], agencies })
    expect(result).toEqual({
      ok: false,
      errors: [
        { href: '#agency', text: 'Select the team’s agency' },
        { href: '#frontDoor', text: 'Select yes if the team is the front door' },
      ],
    })
    expect(checkTeam({ name: 'New Team', agencyId: 'g1', frontDoor: 'yes' }, { taken: [], agencies })).toEqual({
      ok: true,
      value: { name: 'New Team', agencyId: 'g1', frontDoor: true },
    })
  })

  it('keeps the partnership’s last front door', () => {
    const facts = { taken: [], agencies: [], selfId: 't1', frontDoorNow: { isFrontDoor: true, others: 0 } }
    const result = checkTeam({ name: 'Front Door', agencyId: 'g1', frontDoor: 'no' }, facts)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.errors[0]!.text).toMatch(/only front door team/)
    expect(
      checkTeam({ name: 'Front Door', agencyId: 'g1', frontDoor: 'no' }, { ...facts, frontDoorNow: { isFrontDoor: true, others: 1 } }).ok,
    ).toBe(true)
  })

  it('reports a rename and a front-door change', () => {
    expect(teamChanges({ name: 'A', frontDoor: false }, { name: 'B', frontDoor: true })).toEqual([
      { change: 'RENAMED', before: { name: 'A' }, after: { name: 'B' } },
      { change: 'FRONT_DOOR_CHANGED', before: { frontDoor: false }, after: { frontDoor: true } },
    ])
  })

  it('is not retired while people are in it or it is the front door', () => {
    expect(teamRetirementRefusal({ retired: false, members: 0, isFrontDoor: false })).toBeNull()
    expect(teamRetirementRefusal({ retired: false, members: 1, isFrontDoor: false })).toContain('1 person is still in it')
    expect(teamRetirementRefusal({ retired: false, members: 0, isFrontDoor: true })).toContain('make another team the front door first')
  })
})

describe('the history’s words', () => {
  it('say what changed', () => {
    expect(describeChange('ADDED', null, { name: 'Kestrel', kind: 'VOLUNTARY' }, 'agency')).toBe('Added as “Kestrel” (Voluntary sector)')
    expect(describeChange('RENAMED', { name: 'A' }, { name: 'B' }, 'team')).toBe('Renamed from “A” to “B”')
    expect(describeChange('KIND_CHANGED', { kind: 'POLICE' }, { kind: 'OTHER' }, 'agency')).toBe('Kind changed from Police to Other')
    expect(describeChange('FRONT_DOOR_CHANGED', null, { frontDoor: true }, 'team')).toBe('Made the front door')
    expect(describeChange('RETIRED', { name: 'A' }, null, 'team')).toBe('Retired: no longer offered for new records')
  })
})
