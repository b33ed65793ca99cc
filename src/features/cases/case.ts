import type { Relationship } from '../../platform/access/policy.js'
import type { ClockStopReason } from '../../platform/clocks/clocks.rules.js'
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
  /** The person has an unexpired break-glass access to the child (issue 18): what the access policy decides with. */
  breakGlass: boolean
  /** When that break-glass access ends, or null. */
  breakGlassUntil: Date | null
}

export type CaseEventRow = {
  id: string
  action: string
  fromStatus: string | null
  toStatus: string
  actorName: string | null
  /** The agency of whoever recorded it. */
  actorAgency: string | null
  /** When it happened (the person may have entered it later). */
  occurredAt: Date
  /** When it was recorded: always the time of entry. */
  recordedAt: Date
  /** Why it was entered long after it happened, when it was. */
  lateReason: string | null
  detail: Record<string, unknown>
}

export type CaseClockRow = {
  kind: string
  startedAt: Date
  dueAt: Date
  /** When it stopped: met by its step, or stopped for `stopReason`. */
  metAt: Date | null
  missedReason: string | null
  /** Why it stopped without its step (the case closed); null when met or running. */
  stopReason: ClockStopReason | null
}
