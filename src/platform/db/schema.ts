import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'
import type { NotificationKind } from '../notifications/notifications.js'
import type { CreatedAt, DateOnly, Json, Optional, Timestamp } from './columns.js'

/** The platform's tables, in camelCase (Kysely's CamelCasePlugin maps them to the snake_case SQL). */

export interface PartnershipTable {
  id: Generated<string>
  name: string
  createdAt: CreatedAt
  /** Migration 029: the council's local authority code(s); an SSD extract from another authority is refused. */
  laCodes: ColumnType<string[], string[] | undefined, string[]>
}

export interface AgencyTable {
  id: Generated<string>
  partnershipId: string
  name: string
  kind: string
  createdAt: CreatedAt
  /** Migration 030: a retired agency is kept with its history and no longer offered for new records. */
  retiredAt: ColumnType<Date | null, Date | null | undefined, Date | null>
  /** Migration 030: for stale edits (features/organisations). */
  version: ColumnType<number, number | undefined, number>
}

export interface TeamTable {
  id: Generated<string>
  partnershipId: string
  agencyId: string
  name: string
  createdAt: CreatedAt
  /** Migration 005: the front door (MASH) screens new requests for support. */
  isFrontDoor: ColumnType<boolean, boolean | undefined, boolean>
  /** Migration 030: a retired team is kept with its history and no longer offered for new records. */
  retiredAt: ColumnType<Date | null, Date | null | undefined, Date | null>
  /** Migration 030: for stale edits (features/organisations). */
  version: ColumnType<number, number | undefined, number>
}

export interface AppUserTable {
  id: Generated<string>
  partnershipId: string
  agencyId: string
  email: string
  displayName: string
  passwordHash: string | null
  totpSecret: string | null
  totpLastStep: ColumnType<string | null, number | null | undefined, number | null>
  oidcSubject: string | null
  disabledAt: Timestamp | null
  createdAt: CreatedAt
  updatedAt: Timestamp
  version: ColumnType<number, number | undefined, number>
}

export interface UserRoleTable {
  userId: string
  role: string
}

export interface TeamMemberTable {
  teamId: string
  userId: string
}

export interface TrainingRecordTable {
  id: Generated<string>
  partnershipId: string
  userId: string
  model: string
  completedOn: DateOnly
  expiresOn: ColumnType<Date | null, string | null | undefined, string | null>
  recordedBy: string | null
  createdAt: CreatedAt
}

export interface UserEventTable {
  id: Generated<string>
  partnershipId: string
  userId: string
  actorId: string | null
  kind: string
  detail: Json
  occurredAt: CreatedAt
}

export interface HttpSessionTable {
  sid: string
  userId: string | null
  data: Json
  createdAt: CreatedAt
  expiresAt: Timestamp
}

export interface SignInFailureTable {
  id: Generated<string>
  emailHash: string
  clientKey: string
  occurredAt: CreatedAt
}

export interface AuditLogTable {
  id: Generated<string>
  partnershipId: string | null
  occurredAt: CreatedAt
  userId: string | null
  action: string
  recordType: string
  recordId: string | null
  outcome: 'ALLOWED' | 'DENIED'
  requestId: string | null
  detail: Json
}

export interface AuditSealTable {
  seq: Generated<string>
  auditId: string
  prevHash: string
  hash: string
  sealedAt: CreatedAt
}

/** Every restriction and unrestriction of a child's record (append-only; migration 032). */
export interface ChildRestrictionChangeTable {
  id: Generated<string>
  partnershipId: string
  childId: string
  restricted: boolean
  reason: string
  namedUserIds: ColumnType<string[], string[] | undefined, never>
  changedBy: string
  changedAt: CreatedAt
}

/** One person's time-limited break-glass access to one child's record (migration 032). */
export interface BreakGlassAccessTable {
  id: Generated<string>
  partnershipId: string
  childId: string
  userId: string
  reasonCode: string
  reasonText: string
  openedAt: CreatedAt
  expiresAt: Timestamp
}

export type PrivacyAlertKind = 'BREAK_GLASS' | 'RESTRICTED_READ' | 'UNUSUAL_VOLUME'
export type PrivacyAlertOutcome = 'APPROPRIATE' | 'FOLLOW_UP' | 'BREACH'

/** The privacy officer's alert queue (migration 032): raised once per dedupe key, reviewed with an outcome. */
export interface PrivacyAlertTable {
  id: Generated<string>
  partnershipId: string
  kind: PrivacyAlertKind
  userId: string
  childId: Optional<string>
  requestId: Optional<string>
  raisedAt: CreatedAt
  detail: Json
  dedupeKey: string
  reviewedBy: Optional<string>
  reviewedAt: Optional<Date>
  outcome: Optional<PrivacyAlertOutcome>
  outcomeNote: Optional<string>
}

export interface NotificationTable {
  id: Generated<string>
  partnershipId: string
  userId: string
  kind: NotificationKind
  caseId: Optional<string>
  meetingId: Optional<string>
  createdAt: CreatedAt
  readAt: Optional<Date>
  dedupeKey: string
}

/**
 * The platform's own tables. Each feature adds its tables (declared in its `<feature>.tables.ts`)
 * by declaration merging, so the platform names no feature:
 * `declare module '../../platform/db/schema.js' { interface Database extends XTables {} }`.
 */
export interface Database {
  partnership: PartnershipTable
  agency: AgencyTable
  team: TeamTable
  appUser: AppUserTable
  userRole: UserRoleTable
  teamMember: TeamMemberTable
  trainingRecord: TrainingRecordTable
  userEvent: UserEventTable
  httpSession: HttpSessionTable
  signInFailure: SignInFailureTable
  auditLog: AuditLogTable
  auditSeal: AuditSealTable
  notification: NotificationTable
  childRestrictionChange: ChildRestrictionChangeTable
  breakGlassAccess: BreakGlassAccessTable
  privacyAlert: PrivacyAlertTable
}

export type AuditLogRow = Selectable<AuditLogTable>
export type NewAuditLogRow = Insertable<AuditLogTable>
