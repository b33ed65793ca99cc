/**
 * The roles in the domain guide, with their names on screen: the one list of roles. Mirrored by
 * the CHECK constraint on user_role.role.
 */
export const ROLE_LABELS = {
  REFERRER: 'Referrer',
  SOCIAL_WORKER: 'Social worker',
  TEAM_MANAGER: 'Team manager',
  HSB_LEAD: 'HSB lead (SQR chair)',
  AIM_PRACTITIONER: 'AIM-trained practitioner',
  POLICE_OFFICER: 'Police officer',
  YOS_OFFICER: 'Youth offending service officer',
  HEAD_OF_SERVICE: 'Head of service',
  PARTNERSHIP_BUSINESS_MANAGER: 'Partnership business manager',
  AGENCY_LEAD: 'Agency lead for action plans',
  LEAD_AUDITOR: 'Lead auditor',
  BOARD_MEMBER: 'Board member',
  ANALYST: 'Analyst',
  PRIVACY_OFFICER: 'Privacy officer',
  SYSTEM_ADMINISTRATOR: 'System administrator',
} as const

export type Role = keyof typeof ROLE_LABELS
export const ALL_ROLES = Object.keys(ROLE_LABELS) as Role[]

export function isRole(value: string): value is Role {
  return Object.hasOwn(ROLE_LABELS, value)
}

/**
 * The roles that work with children's cases. Only they can be invited to a meeting about a child
 * or see a child's identity through an invitation; board members, analysts and others see none.
 */
export const PRACTITIONER_ROLES: readonly Role[] = [
  'REFERRER',
  'SOCIAL_WORKER',
  'TEAM_MANAGER',
  'HSB_LEAD',
  'AIM_PRACTITIONER',
  'POLICE_OFFICER',
  'YOS_OFFICER',
  'HEAD_OF_SERVICE',
]
export const isPractitioner = (roles: readonly Role[]): boolean => roles.some((r) => PRACTITIONER_ROLES.includes(r))
