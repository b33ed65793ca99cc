-- Referrals (issue 14): what the partnership shares back with the person who raised a request
-- for support (a school's safety plan, the outcome in its own words), kept as written. The referrer
-- reads these and their request's status on their own page, never the case itself.
CREATE TABLE request_update (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  case_id uuid NOT NULL REFERENCES hsb_case(id),
  request_id uuid NOT NULL REFERENCES request_for_support(id),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
  shared_by uuid NOT NULL REFERENCES app_user(id),
  shared_at timestamptz NOT NULL DEFAULT now(),
  -- The form's own key: the same form sent twice (Back and send again) is shared once.
  idempotency_key uuid NOT NULL,
  UNIQUE (case_id, idempotency_key)
);
CREATE INDEX request_update_request_idx ON request_update (request_id, shared_at);

ALTER TABLE request_update ENABLE ROW LEVEL SECURITY;
CREATE POLICY request_update_partnership ON request_update
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));

-- A referrer finds their own requests by who raised them.
CREATE INDEX request_for_support_referrer_idx ON request_for_support (referrer_id, received_at);

ALTER TABLE notification DROP CONSTRAINT notification_kind_check;
ALTER TABLE notification ADD CONSTRAINT notification_kind_check CHECK (kind IN ('STRATEGY_MEETING_DUE',
  'STRATEGY_MEETING_OVERDUE', 'MEETING_INVITATION', 'ASSESSMENT_DECISION', 'CO_ASSESSOR_ALLOCATED',
  'AIM_ASSESSMENT_DUE', 'AIM_ASSESSMENT_OVERDUE', 'HSB_PANEL_REQUESTED', 'ABE_ACCESS_REQUESTED', 'ABE_ACCESS_DECIDED',
  'ROLE_GRANT_REQUESTED', 'ROLE_GRANT_DECIDED', 'ACCOUNT_LOCKED', 'ACCOUNT_INVITATION', 'REQUEST_UPDATE',
  'REQUEST_DECIDED'));
