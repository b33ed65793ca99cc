-- Separation of duties (issue 14): an administrator never knows another person's password. A new
-- account gets an invitation: a one-time link, emailed to the person, with which they set their
-- own password. Only a hash of the link's secret is kept; the email's copy of it lives in the
-- outbox row until the email is sent or given up, then it is cleared.
CREATE TABLE account_invitation (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  created_by uuid REFERENCES app_user(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  -- Used (the password set), or replaced by a newer invitation.
  used_at timestamptz,
  withdrawn_at timestamptz,
  CHECK (expires_at > created_at)
);
CREATE INDEX account_invitation_user_idx ON account_invitation (user_id, created_at DESC);

ALTER TABLE account_invitation ENABLE ROW LEVEL SECURITY;
CREATE POLICY account_invitation_partnership ON account_invitation
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));

-- The secret part of a link an email carries (an invitation), until the email is sent.
ALTER TABLE email_outbox ADD COLUMN link_token text;

ALTER TABLE notification DROP CONSTRAINT notification_kind_check;
ALTER TABLE notification ADD CONSTRAINT notification_kind_check CHECK (kind IN ('STRATEGY_MEETING_DUE',
  'STRATEGY_MEETING_OVERDUE', 'MEETING_INVITATION', 'ASSESSMENT_DECISION', 'CO_ASSESSOR_ALLOCATED',
  'AIM_ASSESSMENT_DUE', 'AIM_ASSESSMENT_OVERDUE', 'HSB_PANEL_REQUESTED', 'ABE_ACCESS_REQUESTED', 'ABE_ACCESS_DECIDED',
  'ROLE_GRANT_REQUESTED', 'ROLE_GRANT_DECIDED', 'ACCOUNT_LOCKED', 'ACCOUNT_INVITATION'));
