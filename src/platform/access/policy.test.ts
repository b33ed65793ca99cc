import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  ALL_RELATIONSHIPS,
  can,
  canInPartnership,
  opensChildRecords,
  readsOnlyThroughBreakGlass,
  type Actor,
  type ChildResource,
  type Relationship,
} from './policy.js'
import { ALL_ROLES, type Role } from './roles.js'

const P = 'p-1'
const actor = (roles: Role[], partnershipId = P): Actor => ({ id: 'u', partnershipId, agencyId: 'a', teamIds: ['t'], roles })
const child = (relationship: Relationship, extra: Partial<ChildResource> = {}): ChildResource => ({
  kind: 'child',
  partnershipId: P,
  relationship,
  isRestricted: false,
  isNamedOnRestriction: false,
  breakGlass: false,
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

  it('lets only the HSB lead and heads of service change local timescales, which opens no child’s record', () => {
    expect(ALL_ROLES.filter((r) => canInPartnership(actor([r]), 'timescales:manage'))).toEqual(['HSB_LEAD', 'HEAD_OF_SERVICE'])
    expect(can(actor(['HSB_LEAD']), 'timescales:manage', { kind: 'partnership', partnershipId: 'elsewhere' })).toBe(false)
  })
})

describe('can: subject access requests', () => {
  it('lets the privacy officer manage requests, and a privacy officer or head of service approve a release', () => {
    expect(ALL_ROLES.filter((r) => canInPartnership(actor([r]), 'subject-access:manage'))).toEqual(['PRIVACY_OFFICER'])
    expect(ALL_ROLES.filter((r) => canInPartnership(actor([r]), 'subject-access:approve'))).toEqual(['HEAD_OF_SERVICE', 'PRIVACY_OFFICER'])
  })

  it('lets everyone who manages requests also read them as an approver does (the bundle pages are the approvers’)', () => {
    for (const role of ALL_ROLES)
      if (canInPartnership(actor([role]), 'subject-access:manage'))
        expect(canInPartnership(actor([role]), 'subject-access:approve')).toBe(true)
  })

  it('counts both as opening children’s records (a bundle shows everything held about a child)', () => {
    expect(opensChildRecords('PRIVACY_OFFICER')).toBe(true)
    expect(opensChildRecords('HEAD_OF_SERVICE')).toBe(true)
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

describe('can: the privacy officer', () => {
  it('sees who has opened a restricted record, and nobody else not named on it does', () => {
    for (const role of ALL_ROLES) {
      for (const relationship of ALL_RELATIONSHIPS) {
        const restricted = child(relationship, { isRestricted: true })
        expect(can(actor([role]), 'child:view-record-history', restricted), `${role} ${relationship}`).toBe(role === 'PRIVACY_OFFICER')
        // The history only: never the record itself.
        expect(can(actor([role]), 'child:read', restricted), `${role} ${relationship}`).toBe(false)
      }
    }
  })

  it('is the only role that reviews privacy alerts and runs access reports', () => {
    for (const role of ALL_ROLES) expect(canInPartnership(actor([role]), 'privacy:review'), role).toBe(role === 'PRIVACY_OFFICER')
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

  it('never opens a restricted record to someone not named on it, whatever their role (only its access history, to the privacy officer)', () => {
    fc.assert(
      fc.property(anyRoles, anyRelationship, anyAction, (roles, relationship, action) => {
        const historyForPrivacyOfficer = action === 'child:view-record-history' && roles.includes('PRIVACY_OFFICER')
        expect(can(actor(roles), action, child(relationship, { isRestricted: true }))).toBe(historyForPrivacyOfficer)
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

  it('lets a system administrator and the business manager keep the partnership’s agencies and teams, and nobody else', () => {
    expect(ALL_ROLES.filter((r) => canInPartnership(actor([r]), 'organisations:manage'))).toEqual([
      'PARTNERSHIP_BUSINESS_MANAGER',
      'SYSTEM_ADMINISTRATOR',
    ])
    // Keeping the lists opens no child's record, so the business manager's role needs no second person.
    expect(opensChildRecords('PARTNERSHIP_BUSINESS_MANAGER')).toBe(false)
  })

  it('refuses a partnership action asked against a child, and a child action against the partnership', () => {
    expect(can(actor(['SYSTEM_ADMINISTRATOR']), 'admin:manage-users', child('INVOLVED'))).toBe(false)
    expect(can(actor(['HSB_LEAD']), 'child:read', { kind: 'partnership', partnershipId: P })).toBe(false)
  })
})

describe('can: restricting a record and break-glass (issue 18)', () => {
  const BREAK_GLASS_ROLES: Role[] = [
    'SOCIAL_WORKER',
    'TEAM_MANAGER',
    'AIM_PRACTITIONER',
    'POLICE_OFFICER',
    'YOS_OFFICER',
    'HEAD_OF_SERVICE',
  ]

  it('lets the HSB lead and the head of service restrict a record at any relationship, and nobody else', () => {
    for (const role of ALL_ROLES)
      for (const relationship of ALL_RELATIONSHIPS)
        expect(can(actor([role]), 'child:restrict', child(relationship)), `${role} ${relationship}`).toBe(
          role === 'HSB_LEAD' || role === 'HEAD_OF_SERVICE',
        )
  })

  it('lets them change or lift a restriction only while named on it', () => {
    for (const role of ['HSB_LEAD', 'HEAD_OF_SERVICE'] as const) {
      expect(can(actor([role]), 'child:restrict', child('NONE', { isRestricted: true }))).toBe(false)
      expect(can(actor([role]), 'child:restrict', child('NONE', { isRestricted: true, isNamedOnRestriction: true }))).toBe(true)
    }
  })

  it('offers break-glass to the roles that read children at some relationship, at any relationship', () => {
    for (const role of ALL_ROLES)
      for (const relationship of ALL_RELATIONSHIPS)
        expect(can(actor([role]), 'child:break-glass', child(relationship)), `${role} ${relationship}`).toBe(
          BREAK_GLASS_ROLES.includes(role),
        )
  })

  it('opens a record through break-glass to read only: not its history, not a referral, not a restriction', () => {
    for (const role of BREAK_GLASS_ROLES) {
      const opened = child('NONE', { breakGlass: true })
      expect(can(actor([role]), 'child:read', opened), role).toBe(true)
      expect(readsOnlyThroughBreakGlass(actor([role]), opened), role).toBe(true)
      expect(can(actor([role]), 'child:view-record-history', opened), role).toBe(false)
      expect(can(actor([role]), 'child:view-own-request', opened), role).toBe(false)
      expect(can(actor([role]), 'child:read', child('NONE')), role).toBe(false)
    }
  })

  it('never opens a record through break-glass to a role that may not break glass', () => {
    for (const role of ALL_ROLES.filter((r) => !BREAK_GLASS_ROLES.includes(r) && r !== 'HSB_LEAD'))
      for (const relationship of ALL_RELATIONSHIPS)
        expect(can(actor([role]), 'child:read', child(relationship, { breakGlass: true })), `${role} ${relationship}`).toBe(false)
  })

  it('never opens a restricted record through break-glass, even to someone named on it', () => {
    fc.assert(
      fc.property(
        fc.subarray([...ALL_ROLES], { minLength: 1 }),
        fc.constantFrom(...ALL_RELATIONSHIPS),
        fc.boolean(),
        (roles, relationship, named) => {
          const withGlass = child(relationship, { isRestricted: true, isNamedOnRestriction: named, breakGlass: true })
          const without = { ...withGlass, breakGlass: false }
          expect(can(actor(roles), 'child:read', withGlass)).toBe(can(actor(roles), 'child:read', without))
          expect(readsOnlyThroughBreakGlass(actor(roles), withGlass)).toBe(false)
        },
      ),
    )
  })

  it('does not count a read as through break-glass when the person could read the record anyway', () => {
    expect(readsOnlyThroughBreakGlass(actor(['SOCIAL_WORKER']), child('INVOLVED', { breakGlass: true }))).toBe(false)
    expect(readsOnlyThroughBreakGlass(actor(['SOCIAL_WORKER']), child('OTHER_AGENCY', { breakGlass: false }))).toBe(false)
  })
})

describe('can: retention', () => {
  it('lets the HSB lead, heads of service and the privacy officer manage retention, and only a head of service or privacy officer approve an erasure', () => {
    expect(ALL_ROLES.filter((r) => canInPartnership(actor([r]), 'retention:manage'))).toEqual([
      'HSB_LEAD',
      'HEAD_OF_SERVICE',
      'PRIVACY_OFFICER',
    ])
    expect(ALL_ROLES.filter((r) => canInPartnership(actor([r]), 'retention:approve'))).toEqual(['HEAD_OF_SERVICE', 'PRIVACY_OFFICER'])
    expect(can(actor(['PRIVACY_OFFICER']), 'retention:approve', { kind: 'partnership', partnershipId: 'elsewhere' })).toBe(false)
  })

  it('counts managing retention as opening children’s records (the review list names children)', () => {
    for (const role of ALL_ROLES) if (canInPartnership(actor([role]), 'retention:manage')) expect(opensChildRecords(role), role).toBe(true)
  })
})
