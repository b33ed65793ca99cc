/**
 * The meetings feature's public face: its module; the meetings of a case for other features'
 * commands (arranging a meeting of any type, recording the review and end meetings, marking an
 * action done) and reads; the arrange page; the labels and types others show and use; and how a
 * case's pages and forms are routed (platform/http/case-pages.ts).
 * Only this feature reads or writes the meeting tables.
 */
export { meetingsModule, type MeetingsModule } from './meetings.module.js'
export { arrangeRoutes, meetingsRoutes } from './meetings.routes.js'
export { meetingsService, type MeetingsService } from './meetings.service.js'
export {
  caseMeetings,
  type ArrangeForm,
  type ArrangeOptions,
  type ArrangeResult,
  type CaseMeetings,
  type MeetingRecord,
} from './case-meetings.js'
export {
  caseMeetingActions,
  caseMeetingList,
  importStrategyDiscussions,
  latestMeeting,
  meetingInvitations,
  type ImportedStrategyDiscussion,
} from './meetings.queries.js'
export type { CaseActionRow, InvitationRow, MeetingListRow, MeetingRow } from './meetings.repository.js'
export { formKey, readAttendance, rowCount } from './meetings.form.js'
export {
  attendanceFields,
  freeTextRow,
  heldParts,
  invitationRows,
  meetingPath,
  paragraphsOf,
  textRow,
  type Paragraphs,
  type SummaryRow,
  type TextBlock,
} from './meetings.presenter.js'
export {
  ATTENDANCE,
  MEETING_KIND_LABELS,
  MEETING_TYPES,
  OUTCOMES,
  STRATEGY_MEETING_KINDS,
  isAttendance,
  isOutcome,
  meetingKindLabel,
  type ArrangementInput,
  type Attendance,
  type FollowUpType,
  type MeetingKind,
  type MeetingType,
  type MinutesTextField,
  type Outcome,
  type StrategyMeetingKind,
} from './meetings.rules.js'
