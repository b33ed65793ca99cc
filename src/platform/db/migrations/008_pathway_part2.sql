-- The HSB pathway, part 2: the statuses after the strategy meeting (AIM assessment, review
-- meeting, intervention, HSB panel) and the notifications they raise. Tables for each step are
-- added by the features' own migrations.
ALTER TABLE hsb_case DROP CONSTRAINT hsb_case_status_check;
ALTER TABLE hsb_case ADD CONSTRAINT hsb_case_status_check CHECK (status IN ('REFERRED', 'AWAITING_OVERSIGHT',
  'GREEN_DECISION', 'STRATEGY_MEETING_DUE', 'STRATEGY_MEETING_HELD', 'EARLY_HELP', 'AIM_STRATEGY_DISCUSSION_DUE',
  'AIM_ASSESSMENT', 'NO_AIM_ASSESSMENT', 'REVIEW_MEETING_DUE', 'INTERVENTION', 'PANEL_REQUESTED', 'CLOSED'));

ALTER TABLE notification DROP CONSTRAINT notification_kind_check;
ALTER TABLE notification ADD CONSTRAINT notification_kind_check CHECK (kind IN ('STRATEGY_MEETING_DUE',
  'STRATEGY_MEETING_OVERDUE', 'MEETING_INVITATION', 'ASSESSMENT_DECISION', 'CO_ASSESSOR_ALLOCATED',
  'AIM_ASSESSMENT_DUE', 'AIM_ASSESSMENT_OVERDUE', 'HSB_PANEL_REQUESTED', 'ABE_ACCESS_REQUESTED', 'ABE_ACCESS_DECIDED'));
