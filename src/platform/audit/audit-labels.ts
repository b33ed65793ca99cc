/**
 * Plain words for every audit action, for the pages that show the audit log to people (who has
 * seen a child's record, the privacy officer's access reports and alerts). One table: a new
 * action gets its words here (audit-labels.test.ts finds every action used in src/ and fails on
 * one without). A case step (`case:<STEP>`, and an assessment's `assessment:<STEP>`) takes the
 * pathway's own words, which the platform does not know: the caller passes `stepLabel`
 * (features/privacy's `describeAuditAction` does, with the cases feature's labels).
 */

/** The step's words ("Screening recorded"), or undefined when `step` is not a pathway step. */
export type StepLabel = (step: string) => string | undefined

export const AUDIT_ACTION_LABELS: Readonly<Record<string, string>> = {
  // A child's record
  'child:read': 'Opened the record',
  'child:view-record-history': 'Viewed who has seen the record',
  'child:create': 'Created the record',
  'child:search': 'Searched for a child',
  'child:find-or-create': 'Opened the search for a child',
  'child:match-shown': 'Shown as a possible match in a search',
  'child:match-withheld': 'Matched a search, not shown (the person cannot open the record)',
  'child:read-as-linked': 'Saw the child’s name as a linked child',
  'child:link': 'Linked the record to another child’s',
  'child:refer': 'Raised a request for support',
  'child:view-request-form': 'Opened the request for support form',
  'child:view-own-request': 'Followed a request for support they raised',
  'child:restrict': 'Restricted the child’s record',
  'child:change-restriction': 'Changed who can see the child’s restricted record',
  'child:unrestrict': 'Removed the restriction on the child’s record',
  'child:view-restriction': 'Opened the restriction of the child’s record',
  'child:break-glass': 'Opened the child’s record in an emergency (break-glass)',
  'child:view-break-glass': 'Opened the form to open the child’s record in an emergency',
  'child:import': 'Brought the child’s record in from the council’s case system',
  'child:export': 'Exported the child’s HSB episodes for the council',
  // A case
  'case:read': 'Opened a case',
  'case:OPEN': 'Opened a case at the front door',
  'case:import': 'Brought the case’s history in from the council’s case system',
  'case-factors:read': 'Opened the case factors',
  'case-factors:record': 'Recorded case factors',
  'case-factor-type:add': 'Added a case factor to the partnership’s list',
  'case-factor-type:retire': 'Retired a case factor from the partnership’s list',
  'chronology:read': 'Opened the chronology',
  'chronology:add': 'Added a chronology entry',
  'criminal-process:read': 'Opened the criminal process record',
  'request:list-own': 'Listed the requests for support they raised',
  'request:view-own': 'Followed a request for support they raised',
  'request:view-updates': 'Opened the updates shared with the referrer',
  'request:share-update': 'Shared an update with the referrer',
  'timescale:set': 'Changed a pathway timescale',
  'queue:view': 'Opened a work queue',
  'work:front-door': 'Opened the front door queue',
  'work:team': 'Opened the team’s work',
  'work:hsb-overview': 'Opened the HSB overview',
  'screening:manage-catalogue': 'Opened the screening catalogue',
  'screening-catalogue:load': 'Loaded the partnership’s screening catalogue',
  'screening-catalogue:view': 'Opened the screening catalogue',
  // Meetings
  'meeting:read': 'Opened a strategy meeting record',
  'meeting:arrange': 'Arranged a meeting',
  'meeting:save-minutes': 'Saved a meeting’s draft minutes',
  'meeting:finalise': 'Finalised a meeting’s minutes',
  'meeting:addendum': 'Added an addendum to a meeting’s minutes',
  'meeting:view-invitation': 'Opened an invitation to a meeting',
  'meeting:accept-invitation': 'Accepted an invitation to a meeting',
  // The AIM assessment
  'assessment:read': 'Opened the AIM assessment',
  'assessment:read-report': 'Opened the AIM assessment’s report',
  'assessment:decide': 'Decided on an AIM assessment',
  'assessment:discussion': 'Recorded the AIM strategy discussion',
  'assessment:extend': 'Extended the AIM assessment for court directions',
  'assessment:sign-off': 'Signed off the AIM assessment',
  'assessment:co-assessors': 'Named the co-assessors',
  'assessment:name-co-assessors': 'Named the co-assessors',
  'assessment:name-co-assessors-refused': 'Tried to name co-assessors who may not assess',
  'assessment:replace-co-assessor': 'Replaced a co-assessor',
  'assessment:information': 'Recorded information gathered for the AIM assessment',
  'assessment:interview': 'Recorded an AIM assessment interview',
  'assessment:record': 'Saved the AIM assessment’s record',
  // Restricted interview material (ABE)
  'abe:list': 'Opened the restricted interview material (ABE) page',
  'abe:record': 'Recorded restricted interview material (ABE)',
  'abe:request': 'Asked to read restricted interview material (ABE)',
  'abe:approve': 'Approved access to restricted interview material (ABE)',
  'abe:refuse': 'Refused access to restricted interview material (ABE)',
  'abe:decide': 'Opened a request to read restricted interview material (ABE)',
  'abe:revoke': 'Revoked access to restricted interview material (ABE)',
  'abe:read': 'Read restricted interview material (ABE)',
  // Reviews and action plans
  'reviews:read': 'Opened a review',
  'reviews:list': 'Listed the reviews',
  'reviews:manage': 'Managed reviews and action plans',
  'reviews:update-agency-actions': 'Updated their agency’s actions',
  'reviews:create': 'Created a review',
  'reviews:add-action': 'Added an action to a plan',
  'reviews:edit-action': 'Changed an action in a plan',
  'reviews:read-action': 'Opened an action in a plan',
  'reviews:progress': 'Recorded progress on an action',
  'reviews:rag-key': 'Changed the RAG key',
  'reviews:upload-evidence': 'Uploaded evidence for an action',
  'reviews:download-evidence': 'Downloaded evidence for an action',
  'reviews:add-finding': 'Added a finding to a review',
  'reviews:edit-finding': 'Changed a finding in a review',
  'reviews:add-question': 'Added a question to a review',
  'reviews:edit-question': 'Changed a question in a review',
  'reviews:add-response': 'Added a response to a review',
  'reviews:edit-response': 'Changed a response in a review',
  'reviews:report-html': 'Opened a review’s progress report',
  'reviews:report-docx': 'Downloaded a review’s progress report (Word)',
  'reviews:report-xlsx': 'Downloaded a review’s progress report (Excel)',
  'plan-import:upload': 'Uploaded an action plan to import',
  'plan-import:upload-refused': 'Uploaded an action plan that could not be imported',
  'plan-import:confirm': 'Imported an action plan',
  'plan-import:cli': 'Imported an action plan from the command line',
  // Case audits
  'case-audit:list': 'Listed the case audits',
  'case-audit:view': 'Opened a case audit',
  'case-audit:report': 'Opened a case audit’s report',
  'case-audit:read': 'Read a sampled case for a case audit',
  'case-audit:create': 'Started a case audit',
  'case-audit:create-deep-dive': 'Started a deep dive',
  'case-audit:create-tool': 'Created an audit tool',
  'case-audit:sample': 'Drew a case audit’s sample',
  'case-audit:consent': 'Recorded consent for a case audit',
  'case-audit:finding': 'Recorded a case audit finding',
  'case-audit:themes': 'Recorded a case audit’s themes',
  'case-audit:recommendation': 'Recorded a case audit recommendation',
  'case-audit:send-to-plan': 'Sent a recommendation to an action plan',
  'case-audit:panel': 'Recorded the case audit panel',
  'case-audit:close': 'Closed a case audit',
  // The board
  'board:read': 'Opened the board’s records',
  'board:manage': 'Managed the board’s records',
  'board:create-meeting': 'Created a board meeting',
  'board:add-agenda-item': 'Added a board agenda item',
  'board:save-minutes': 'Saved a board meeting’s minutes',
  'board:add-action': 'Added a board action',
  'board:progress': 'Recorded progress on a board action',
  // Insight
  'insight:read': 'Opened the partnership’s figures',
  'insight:dashboard': 'Opened the service dashboard',
  'insight:case-list': 'Listed the cases behind a figure',
  'insight:unsuppressed': 'Opened figures with small numbers shown',
  'insight:manage': 'Managed the partnership’s figures',
  'insight:set-threshold': 'Changed the suppression threshold',
  'insight:publication-figures': 'Opened the figures for publication',
  'insight:write-report': 'Wrote the board’s annual report',
  'insight:create-report': 'Started the board’s annual report',
  'insight:save-report-section': 'Saved a section of the board’s annual report',
  'insight:download-jsna': 'Downloaded the JSNA extract',
  'provision:create': 'Added a service to the provision register',
  'provision:update': 'Changed a service in the provision register',
  // The council's case system
  'ssd:import': 'Brought records in from the council’s case system',
  'ssd:export': 'Exported the HSB episodes for the council',
  // People and sign-in
  'admin:manage-users': 'Managed people’s accounts',
  'admin:approve-roles': 'Decided on roles that open children’s records',
  'user:create': 'Created a person’s account',
  'user:invite': 'Invited a person to set up their account',
  'user:disable': 'Disabled a person’s account',
  'user:enable': 'Enabled a person’s account',
  'user:set-roles': 'Changed a person’s roles and teams',
  'user:request-roles': 'Asked for roles that open children’s records',
  'user:approve-roles': 'Approved roles that open children’s records',
  'user:decline-roles': 'Declined roles that open children’s records',
  'user:list-role-requests': 'Listed the roles waiting for approval',
  'user:record-training': 'Recorded a person’s training',
  'account:set-password': 'Set their password',
  'mfa:set-up': 'Set up their authenticator app',
  'sign-in:password': 'Signed in with a password',
  'sign-in:mfa': 'Entered a security code',
  'sign-in:oidc': 'Signed in through the organisation’s sign-in',
  'sign-in:throttled': 'Was stopped from signing in after too many tries',
  'security-codes:lock': 'Had their security codes locked after too many wrong codes',
  'security-codes:unlock': 'Unlocked a person’s security codes',
  // The partnership's organisations and timescales
  'organisations:manage': 'Managed the partnership’s agencies and teams',
  'organisation:list': 'Listed the partnership’s agencies and teams',
  'organisation:view': 'Opened an agency or team',
  'organisation:add': 'Added an agency or team',
  'organisation:change': 'Changed an agency or team',
  'organisation:retire': 'Retired an agency or team',
  'organisation:added': 'Added an agency or team',
  'organisation:renamed': 'Renamed an agency or team',
  'organisation:kind_changed': 'Changed the kind of an agency',
  'organisation:front_door_changed': 'Changed the front door teams',
  'organisation:retired': 'Retired an agency or team',
  'timescales:manage': 'Managed the pathway’s timescales',
  'timescale:change': 'Changed a pathway timescale',
  // Subject access requests (UK GDPR Article 15)
  'subject-access:manage': 'Managed subject access requests',
  'subject-access:approve': 'Decided on releasing a subject access bundle',
  'subject-access:list': 'Listed the subject access requests',
  'subject-access:create': 'Recorded a subject access request',
  'subject-access:find-child': 'Searched for the child of a subject access request',
  'subject-access:view': 'Opened a subject access request',
  'subject-access:view-item': 'Opened an item of a subject access bundle',
  'subject-access:gather': 'Gathered what is held for a subject access request',
  'subject-access:redact': 'Redacted a subject access bundle',
  'subject-access:submit': 'Submitted a subject access bundle for approval',
  'subject-access:download': 'Downloaded a subject access bundle',
  'subject-access:review': 'Decided on releasing a subject access bundle',
  // Keeping and deleting records
  'retention:manage': 'Managed keeping and deleting records',
  'retention:approve': 'Decided on deleting records at the end of their retention',
  'retention:schedule': 'Opened the retention schedule',
  'retention:list': 'Listed the records due for deletion',
  'retention:propose': 'Proposed deleting a record at the end of its retention',
  'retention:review': 'Decided on deleting a record at the end of its retention',
  'retention:erase': 'Deleted a record at the end of its retention',
  'retention:hold': 'Put a hold on deleting a record',
  'retention:hold-form': 'Opened the form to hold a record from deletion',
  'retention:lift-hold': 'Lifted a hold on deleting a record',
  'retention:lift-hold-form': 'Opened the form to lift a hold on deleting a record',
  // The privacy officer
  'privacy:review': 'Opened the privacy officer’s pages',
  'privacy:list-alerts': 'Listed the privacy alerts',
  'privacy:read-alert': 'Opened a privacy alert',
  'privacy:review-alert': 'Reviewed a privacy alert',
  'privacy:list-people': 'Opened the access reports',
  'privacy:access-report-person': 'Ran an access report on a person',
}

/** What each kind of action is about, for an action of that kind missing from the table (never shown as a code). */
export const AUDIT_ACTION_FAMILIES: Readonly<Record<string, string>> = {
  child: 'The child’s record',
  case: 'The case',
  meeting: 'A meeting',
  assessment: 'The AIM assessment',
  abe: 'Restricted interview material (ABE)',
  reviews: 'Reviews and action plans',
  'plan-import': 'An action plan import',
  'case-audit': 'A case audit',
  board: 'The board’s records',
  insight: 'The partnership’s figures',
  provision: 'The provision register',
  privacy: 'The privacy officer’s pages',
  user: 'A person’s account',
  timescale: 'The pathway’s timescales',
  organisation: 'The partnership’s agencies and teams',
  retention: 'Keeping and deleting records',
  'subject-access': 'A subject access request',
  'sign-in': 'Signing in',
}

const humanise = (code: string) => code.replace(/[_-]+/g, ' ').toLowerCase()

/**
 * The explicit words for an action: the table, or a pathway step's own words for `case:<STEP>`
 * and `assessment:<STEP>`; undefined when there are none (the test's question).
 */
export function explicitAuditLabel(action: string, stepLabel?: StepLabel): string | undefined {
  const known = AUDIT_ACTION_LABELS[action]
  if (known) return known
  const [family = '', ...rest] = action.split(':')
  const suffix = rest.join(':')
  if ((family === 'case' || family === 'assessment') && /^[A-Z][A-Z0-9_]*$/.test(suffix)) {
    const step = stepLabel?.(suffix)
    if (step) return step
  }
  return undefined
}

/** Plain words for an audit action: never the code itself. */
export function auditActionLabel(action: string, stepLabel?: StepLabel): string {
  const explicit = explicitAuditLabel(action, stepLabel)
  if (explicit) return explicit
  const [family = '', ...rest] = action.split(':')
  const about = AUDIT_ACTION_FAMILIES[family]
  const what = humanise(rest.join(' ') || family)
  return about ? `${about}: ${what}` : `Other: ${humanise(action.replace(':', ' '))}`
}
