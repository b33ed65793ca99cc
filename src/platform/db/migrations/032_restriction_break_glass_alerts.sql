-- Issue 18: restricting a child's record (with its history), break-glass access for a person with
-- a legitimate reason but no relationship to the child, and the privacy officer's alert queue.

-- Every restriction and unrestriction of a child's record, with its reason and who keeps access
-- (append-only: the current state is child.is_restricted and child_restricted_access).
CREATE TABLE child_restriction_change (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  child_id uuid NOT NULL REFERENCES child(id) ON DELETE CASCADE,
  restricted boolean NOT NULL,
  reason text NOT NULL CHECK (length(btrim(reason)) > 0),
  named_user_ids uuid[] NOT NULL DEFAULT '{}',
  changed_by uuid NOT NULL REFERENCES app_user(id),
  changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX child_restriction_change_child_idx ON child_restriction_change (child_id, changed_at);

-- Break-glass: one person's time-limited access to one child's record, with the reason given.
CREATE TABLE break_glass_access (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  child_id uuid NOT NULL REFERENCES child(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES app_user(id),
  reason_code text NOT NULL,
  reason_text text NOT NULL CHECK (length(btrim(reason_text)) > 0),
  opened_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  CHECK (expires_at > opened_at)
);
CREATE INDEX break_glass_access_user_child_idx ON break_glass_access (user_id, child_id, expires_at);

-- The privacy officer's alert queue: a break-glass read, a read of a restricted record, or one
-- person opening an unusual number of records in an hour. dedupe_key makes each alert once
-- (one per read: 'read:<requestId>:<childId>'; one per person per hour for volume).
CREATE TABLE privacy_alert (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  kind text NOT NULL CHECK (kind IN ('BREAK_GLASS', 'RESTRICTED_READ', 'UNUSUAL_VOLUME')),
  user_id uuid NOT NULL REFERENCES app_user(id),
  child_id uuid REFERENCES child(id) ON DELETE SET NULL,
  request_id text,
  raised_at timestamptz NOT NULL DEFAULT now(),
  detail jsonb NOT NULL DEFAULT '{}',
  dedupe_key text NOT NULL UNIQUE,
  reviewed_by uuid REFERENCES app_user(id),
  reviewed_at timestamptz,
  outcome text CHECK (outcome IN ('APPROPRIATE', 'FOLLOW_UP', 'BREACH')),
  outcome_note text,
  CHECK ((reviewed_at IS NULL) = (outcome IS NULL))
);
CREATE INDEX privacy_alert_queue_idx ON privacy_alert (partnership_id, reviewed_at, raised_at);

ALTER TABLE child_restriction_change ENABLE ROW LEVEL SECURITY;
ALTER TABLE break_glass_access ENABLE ROW LEVEL SECURITY;
ALTER TABLE privacy_alert ENABLE ROW LEVEL SECURITY;
CREATE POLICY child_restriction_change_partnership ON child_restriction_change
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY break_glass_access_partnership ON break_glass_access
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY privacy_alert_partnership ON privacy_alert
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));

-- The notifications issue 18 raises: a break-glass opening (privacy officers and the child's team
-- manager), a privacy alert waiting, a subject access release or a retention deletion waiting for
-- a second person, and their decisions.
ALTER TABLE notification DROP CONSTRAINT notification_kind_check;
ALTER TABLE notification ADD CONSTRAINT notification_kind_check CHECK (kind IN ('STRATEGY_MEETING_DUE',
  'STRATEGY_MEETING_OVERDUE', 'MEETING_INVITATION', 'ASSESSMENT_DECISION', 'CO_ASSESSOR_ALLOCATED',
  'AIM_ASSESSMENT_DUE', 'AIM_ASSESSMENT_OVERDUE', 'HSB_PANEL_REQUESTED', 'ABE_ACCESS_REQUESTED', 'ABE_ACCESS_DECIDED',
  'ROLE_GRANT_REQUESTED', 'ROLE_GRANT_DECIDED', 'ACCOUNT_LOCKED', 'ACCOUNT_INVITATION', 'REQUEST_UPDATE',
  'REQUEST_DECIDED', 'BREAK_GLASS_ACCESS', 'PRIVACY_ALERT', 'SUBJECT_ACCESS_APPROVAL_REQUESTED',
  'SUBJECT_ACCESS_DECIDED', 'RETENTION_APPROVAL_REQUESTED', 'RETENTION_DECIDED'));
