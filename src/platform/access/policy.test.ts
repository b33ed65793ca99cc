import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ALL_RELATIONSHIPS, can, canInPartnership, opensChildRecords, type Actor, type ChildResource, type Relationship } from './policy.js'
import { ALL_ROLES, type Role } from './roles.js'

const P = 'p-1'
const actor = (roles: Role[], partnershipId = P): Actor => ({ id: 'u', partnershipId, agencyId: 'a', teamIds: ['t'], roles })
const child = (relationship: Relationship, extra: Partial<ChildResource> = {}): ChildResource => ({
  kind: 'child',
  partnershipId: P,
  relationship,
  isRestricted: false,
  isNamedOnRestriction: false,
  ...extra,
})

// role → the relationships that open a child's record; every other relationship is refused.
const readingTable: [Role, Relationship[]][] = [
  // A referrer sees their own requests (below), never a child's record.
  ['REFERRER', []],
  ['SOCIAL_WORKER', ['INVOLVED', 'SAME_TEAM']],
  ['TEAM_MANAGER', ['INVOLVED', 'SAME_TEAM', 'SAME_AGENCY']],
  ['HSB_LEAD', ['INVOLVED', 'SAME_TEAM', 'SAME_AGENCY', 'OTHER_AGENCY', 'NONE']],
  ['AIM_PRACTITIONER', ['INVOLVED']],
  ['POLICE_OFFICER', ['INVOLVED']],
  ['YOS_OFFICER', ['INVOLVED', 'SAME_TEAM']],
  ['HEAD_OF_SERVICE', ['INVOLVED', 'SAME_TEAM', 'SAME_AGENCY']],
  ['PARTNERSHIP_BUSINESS_MANAGER', []],
  ['AGENCY_LEAD', []],
  ['LEAD_AUDITOR', []],
  ['BOARD_MEMBER', []],
  ['ANALYST', []],
  ['PRIVACY_OFFICER', []],
  ['SYSTEM_ADMINISTRATOR', []],
]

describe('can: reading a child’s record', () => {
  it('covers every role', () => {
    expect(readingTable.map(([r]) => r).sort()).toEqual([...ALL_ROLES].sort())
  })
  for (const [role, allowed] of readingTable) {
    for (const relationship of ALL_RELATIONSHIPS) {
      const expected = allowed.includes(relationship)
      it(`${role} ${expected ? 'may' : 'may not'} read a child when ${relationship}`, () => {
        expect(can(actor([role]), 'child:read', child(relationship))).toBe(expected)
      })
    }
  }
})

describe('can: raising a request for support', () => {
  it('is open to every practitioner role whatever their relationship, and to nobody else', () => {
    // The practitioners: the roles the table above lets read some child's record, and referrers.
    const practitioners = [...readingTable.filter(([, allowed]) => allowed.length > 0).map(([role]) => role), 'REFERRER']
    for (const role of ALL_ROLES) {
      for (const relationship of ALL_RELATIONSHIPS) {
        expect(can(actor([role]), 'child:refer', child(relationship)), `${role} ${relationship}`).toBe(practitioners.includes(role))
      }
      expect(canInPartnership(actor([role]), 'child:find-or-create')).toBe(practitioners.includes(role))
    }
  })
})

describe('can: following one’s own requests for support', () => {
  it('is open to every role that may refer, while the person is named on the child, and to nobody else', () => {
    for (const role of ALL_ROLES) {
      const refers = can(actor([role]), 'child:refer', child('NONE'))
      for (const relationship of ALL_RELATIONSHIPS) {
        const expected = refers && relationship === 'INVOLVED'
        expect(can(actor([role]), 'child:view-own-request', child(relationship)), `${role} ${relationship}`).toBe(expected)
      }
      expect(can(actor([role]), 'child:view-own-request', child('INVOLVED', { isRestricted: true })), `${role} restricted`).toBe(false)
    }
  })

  it('does not make the referrer role one that opens children’s records (granting it needs no second person)', () => {
    expect(opensChildRecords('REFERRER')).toBe(false)
    expect(ALL_ROLES.filter(opensChildRecords)).toEqual(
      readingTable
        .filter(([, allowed]) => allowed.length > 0)
        .map(([role]) => role)
        .concat('PRIVACY_OFFICER')
        // An analyst downloads the partnership's episodes, child by child, for the council (ssd:export).
        .concat('ANALYST')
        .filter((r) => ALL_ROLES.includes(r))
        .sort((a, b) => ALL_ROLES.indexOf(a) - ALL_ROLES.indexOf(b)),
    )
  })
})

describe('can: work queues', () => {
  it('gives the front door to social workers, team managers and the HSB lead; the overview to the HSB lead and heads of service', () => {
    const allowed = (action: 'work:front-door' | 'work:team' | 'work:hsb-overview') =>
      ALL_ROLES.filter((r) => canInPartnership(actor([r]), action))
    expect(allowed('work:front-door')).toEqual(['SOCIAL_WORKER', 'TEAM_MANAGER', 'HSB_LEAD'])
    expect(allowed('work:team')).toEqual(['TEAM_MANAGER', 'HEAD_OF_SERVICE'])
    expect(allowed('work:hsb-overview')).toEqual(['HSB_LEAD', 'HEAD_OF_SERVICE'])
    expect(ALL_ROLES.filter((r) => canInPartnership(actor([r]), 'screening:manage-catalogue'))).toEqual(['HSB_LEAD'])
  })

  it('lets the HSB lead and heads of service import from the council’s case system, and analysts too export to it', () => {
    expect(ALL_ROLES.filter((r) => canInPartnership(actor([r]), 'ssd:import'))).toEqual(['HSB_LEAD', 'HEAD_OF_SERVICE'])
    expect(ALL_ROLES.filter((r) => canInPartnership(actor([r]), 'ssd:export'))).toEqual(['HSB_LEAD', 'HEAD_OF_SERVICE', 'ANALYST'])
    expect(opensChildRecords('ANALYST')).toBe(true)
  })
})

describe('can: who has seen a record', () => {
  it('is open to the HSB lead and the privacy officer only', () => {
    for (const role of ALL_ROLES) {
      const expected = role === 'HSB_LEAD' || role === 'PRIVACY_OFFICER'
      expect(can(actor([role]), 'child:view-record-history', child('OTHER_AGENCY'))).toBe(expected)
    }
  })
})

describe('can: invariants', () => {
  const anyRoles = fc.subarray([...ALL_ROLES], { minLength: 1 })
  const anyRelationship = fc.constantFrom(...ALL_RELATIONSHIPS)
  const anyAction = fc.constantFrom('child:read' as const, 'child:view-record-history' as const, 'child:refer' as const)

  it('never opens a child in another partnership', () => {
    fc.assert(
      fc.property(anyRoles, anyRelationship, anyAction, (roles, relationship, action) => {
        expect(can(actor(roles, 'elsewhere'), action, child(relationship))).toBe(false)
      }),
    )
  })

  it('never opens a restricted record to someone not named on it, whatever their role', () => {
    fc.assert(
      fc.property(anyRoles, anyRelationship, anyAction, (roles, relationship, action) => {
        expect(can(actor(roles), action, child(relationship, { isRestricted: true }))).toBe(false)
      }),
    )
  })

  it('opens a restricted record to a named person only as far as their role allows', () => {
    fc.assert(
      fc.property(anyRoles, anyRelationship, anyAction, (roles, relationship, action) => {
        const open = can(actor(roles), action, child(relationship))
        expect(can(actor(roles), action, child(relationship, { isRestricted: true, isNamedOnRestriction: true }))).toBe(open)
      }),
    )
  })

  it('gives system administrators, board members and analysts no child’s record at all', () => {
    fc.assert(
      fc.property(anyRelationship, anyAction, (relationship, action) => {
        for (const role of ['SYSTEM_ADMINISTRATOR', 'BOARD_MEMBER', 'ANALYST'] as const) {
          expect(can(actor([role]), action, child(relationship))).toBe(false)
        }
      }),
    )
  })

  it('lets only a system administrator manage users', () => {
    for (const role of ALL_ROLES) {
      expect(canInPartnership(actor([role]), 'admin:manage-users')).toBe(role === 'SYSTEM_ADMINISTRATOR')
    }
  })

  it('refuses a partnership action asked against a child, and a child action against the partnership', () => {
    expect(can(actor(['SYSTEM_ADMINISTRATOR']), 'admin:manage-users', child('INVOLVED'))).toBe(false)
    expect(can(actor(['HSB_LEAD']), 'child:read', { kind: 'partnership', partnershipId: P })).toBe(false)
  })
})
