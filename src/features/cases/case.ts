import type { Relationship } from '../../platform/access/policy.js'
import type { CaseRoute, CaseStatus, Rating } from './pathway.rules.js'

/** A case as the kernel loads it for one person: the child's name, and that person's relationship to the child. */
export type CaseForAccess = {
  id: string
  partnershipId: string
  childId: string
  childName: string
  childDateOfBirth: Date
  route: CaseRoute
  status: CaseStatus
  rating: Rating | null
  allocatedTeamId: string | null
  allocatedTeamName: string | null
  allocatedUserId: string | null
  allocatedUserName: string | null
  referralReceivedAt: Date
  version: number
  isRestricted: boolean
  isNamedOnRestriction: boolean
  relationship: Relationship
}

export type CaseEventRow = {
  id: string
  action: string
  fromStatus: string | null
  toStatus: string
  actorName: string | null
  occurredAt: Date
  detail: Record<string, unknown>
}

export type CaseClockRow = { kind: string; startedAt: Date; dueAt: Date; metAt: Date | null; missedReason: string | null }
