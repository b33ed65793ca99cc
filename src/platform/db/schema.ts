import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'
import type { NotificationKind } from '../../features/queues/queues.rules.js'
import type { AssessmentsTables } from '../../features/assessments/assessments.tables.js'
import type { InterventionsTables } from '../../features/interventions/interventions.tables.js'
import type { RestrictedMaterialTables } from '../../features/restricted-material/restricted-material.tables.js'
import type { CriminalProcessTables } from '../../features/criminal-process/criminal-process.tables.js'
import type { ChronologyTables } from '../../features/chronology/chronology.tables.js'
import type { ReviewsTables } from '../../features/reviews/reviews.tables.js'
import type { PlanImportTables } from '../../features/plan-import/plan-import.tables.js'
import type { BoardTables } from '../../features/board/board.tables.js'
import type { InsightTables } from '../../features/insight/insight.tables.js'
import type { CaseAuditsTables } from '../../features/case-audits/case-audits.tables.js'

/** Table types, in camelCase (Kysely's CamelCasePlugin maps them to the snake_case SQL). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type CreatedAt = ColumnType<Date, Date | string | undefined, never>
/** `date` columns come back as Date at midnight UTC from both pg and PGlite. */
type DateOnly = ColumnType<Date, string, string>
type Json = ColumnType<Record<string, unknown>, string | undefined, string>

export interface PartnershipTable {
  id: Generated<string>
  name: string
  createdAt: CreatedAt
}

export interface AgencyTable {
  id: Generated<string>
  partnershipId: string
  name: string
  kind: string
  createdAt: CreatedAt
}

export interface TeamTable {
  id: Generated<string>
  partnershipId: string
  agencyId: string
  name: string
  createdAt: CreatedAt
  /** Migration 005: the front door (MASH) screens new requests for support. */
  isFrontDoor: ColumnType<boolean, boolean | undefined, boolean>
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

type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>

export interface ChildTable {
  id: Generated<string>
  partnershipId: string
  givenNames: string
  familyName: string
  dateOfBirth: DateOnly
  isRestricted: ColumnType<boolean, boolean | undefined, boolean>
  createdAt: CreatedAt
  version: ColumnType<number, number | undefined, number>
  gender: Optional<string>
  ethnicity: Optional<string>
  nhsNumber: Optional<string>
  upn: Optional<string>
  localCaseId: Optional<string>
  sendNeeds: Optional<string>
  createdBy: Optional<string>
  idempotencyKey: Optional<string>
}

export interface ChildLinkTable {
  id: Generated<string>
  partnershipId: string
  childId: string
  linkedChildId: string
  kind: 'HARMED_CHILD' | 'SIBLING' | 'PEER' | 'OTHER'
  createdBy: string | null
  createdAt: CreatedAt
}

export interface HsbCaseTable {
  id: Generated<string>
  partnershipId: string
  childId: string
  route: 'NEW' | 'OPEN_CASE'
  status: string
  rating: Optional<'GREEN' | 'AMBER' | 'RED'>
  allocatedTeamId: Optional<string>
  allocatedUserId: Optional<string>
  referralReceivedAt: Timestamp
  openedAt: CreatedAt
  closedAt: Optional<Date>
  version: ColumnType<number, number | undefined, number>
}

export interface CaseEventTable {
  id: Generated<string>
  partnershipId: string
  caseId: string
  action: string
  fromStatus: string | null
  toStatus: string
  actorId: string | null
  occurredAt: CreatedAt
  detail: Json
}

export interface RequestForSupportTable {
  id: Generated<string>
  partnershipId: string
  caseId: string
  referrerId: string | null
  referrerAgencyId: string
  receivedAt: Timestamp
  whatHappened: string
  contexts: string[]
  otherChildren: string | null
  sharingBasis: string
  consentSought: boolean
  sharingNote: string | null
  idempotencyKey: string
  createdAt: CreatedAt
}

export interface ScreeningTable {
  id: Generated<string>
  partnershipId: string
  caseId: string
  tool: string
  toolVersion: string
  ageBand: string
  behaviours: ColumnType<unknown[], string, string>
  overallRating: 'GREEN' | 'AMBER' | 'RED'
  rationale: string
  screenedBy: string
  screenedAt: ColumnType<Date, Date | string | undefined, Date | string>
  oversightBy: Optional<string>
  oversightAt: Optional<Date>
  oversightNote: Optional<string>
  /** Migration 005. */
  oversightOutcome: Optional<'CONFIRMED' | 'RETURNED'>
}

export interface CaseClockTable {
  id: Generated<string>
  partnershipId: string
  caseId: string
  kind: string
  startedAt: Timestamp
  dueAt: Timestamp
  metAt: Optional<Date>
  missedReason: Optional<string>
  reasonBy: Optional<string>
  reasonAt: Optional<Date>
}

export interface PartnershipTimescaleTable {
  partnershipId: string
  clockKind: string
  unit: 'hours' | 'working-days' | 'weeks'
  length: number
}

export interface ChildInvolvementTable {
  id: Generated<string>
  partnershipId: string
  childId: string
  agencyId: string
  teamId: string | null
  userId: string | null
  kind: 'ALLOCATED' | 'INVOLVED'
  startedAt: ColumnType<Date, Date | string | undefined, Date | string>
  endedAt: Timestamp | null
}

export interface ChildRestrictedAccessTable {
  partnershipId: string
  childId: string
  userId: string
}

export interface MeetingTable {
  id: Generated<string>
  partnershipId: string
  caseId: string
  kind: 'STRATEGY_MEETING' | 'STRATEGY_DISCUSSION' | 'REVIEW_STRATEGY_MEETING' | 'HSB_PANEL' | 'END_MEETING'
  scheduledFor: Timestamp
  heldAt: Optional<Date>
  chairId: string
  status: ColumnType<'SCHEDULED' | 'FINALISED', 'SCHEDULED' | 'FINALISED' | undefined, 'SCHEDULED' | 'FINALISED'>
  minutes: ColumnType<Record<string, unknown>, string | undefined, string>
  outcomes: ColumnType<string[], string[] | undefined, string[]>
  version: ColumnType<number, number | undefined, number>
  createdBy: string
  createdAt: CreatedAt
  finalisedBy: Optional<string>
  finalisedAt: Optional<Date>
  /** Migration 006: the hidden key of the form that arranged it, and of the last save of the minutes. */
  idempotencyKey: Optional<string>
  lastSaveKey: Optional<string>
}

export interface MeetingInvitationTable {
  id: Generated<string>
  partnershipId: string
  meetingId: string
  agencyId: string
  userId: Optional<string>
  attendance: ColumnType<'INVITED' | 'PRESENT' | 'APOLOGIES' | 'ABSENT', 'INVITED' | 'PRESENT' | 'APOLOGIES' | 'ABSENT' | undefined, 'INVITED' | 'PRESENT' | 'APOLOGIES' | 'ABSENT'>
}

export interface MeetingActionTable {
  id: Generated<string>
  partnershipId: string
  meetingId: string
  text: string
  ownerUserId: Optional<string>
  ownerText: Optional<string>
  dueOn: ColumnType<Date | null, string | null | undefined, string | null>
  createdAt: CreatedAt
}

export interface MeetingAddendumTable {
  id: Generated<string>
  partnershipId: string
  meetingId: string
  text: string
  authorId: string
  createdAt: CreatedAt
  /** Migration 006: a double-clicked submit adds one addendum. */
  idempotencyKey: Optional<string>
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

/** Migration 007: a partnership's own behaviour catalogue for a screening tool, loaded from its file. */
export interface ScreeningCatalogueItemTable {
  id: Generated<string>
  partnershipId: string
  toolVersion: string
  ageBand: string
  rating: string
  behaviour: string
  loadedBy: string | null
  loadedAt: CreatedAt
}

/** The pathway's core tables, and each feature's own (declared in its `<feature>.tables.ts`). */
export interface Database
  extends AssessmentsTables, InterventionsTables, RestrictedMaterialTables, CriminalProcessTables, ChronologyTables, ReviewsTables, PlanImportTables, BoardTables, CaseAuditsTables, InsightTables {
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
  child: ChildTable
  childInvolvement: ChildInvolvementTable
  childRestrictedAccess: ChildRestrictedAccessTable
  childLink: ChildLinkTable
  hsbCase: HsbCaseTable
  caseEvent: CaseEventTable
  requestForSupport: RequestForSupportTable
  screening: ScreeningTable
  caseClock: CaseClockTable
  partnershipTimescale: PartnershipTimescaleTable
  meeting: MeetingTable
  meetingInvitation: MeetingInvitationTable
  meetingAction: MeetingActionTable
  meetingAddendum: MeetingAddendumTable
  notification: NotificationTable
  screeningCatalogueItem: ScreeningCatalogueItemTable
}

export type AuditLogRow = Selectable<AuditLogTable>
export type NewAuditLogRow = Insertable<AuditLogTable>
