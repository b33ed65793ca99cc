-- Separation of duties (issue 14): a role that opens children's records is granted only when a
-- second person (a head of service or HSB lead, neither the requester nor the person) approves it.
-- A request is history: it is decided once, and never deleted.
CREATE TABLE role_grant_request (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  user_id uuid NOT NULL REFERENCES app_user(id),
  roles text[] NOT NULL CHECK (cardinality(roles) > 0),
  requested_by uuid REFERENCES app_user(id),
  requested_at timestamptz NOT NULL DEFAULT now(),
  state text NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'APPROVED', 'DECLINED', 'WITHDRAWN')),
  decided_by uuid REFERENCES app_user(id),
  decided_at timestamptz,
  CHECK ((state = 'PENDING') = (decided_at IS NULL)),
  CHECK (decided_by IS NULL OR decided_by IS DISTINCT FROM requested_by),
  CHECK (decided_by IS NULL OR decided_by <> user_id),
  CHECK (requested_by IS NULL OR requested_by <> user_id)
);
-- At most one open request a person: a newer change of roles withdraws the older request.
CREATE UNIQUE INDEX role_grant_request_pending_idx ON role_grant_request (user_id) WHERE state = 'PENDING';
CREATE INDEX role_grant_request_partnership_idx ON role_grant_request (partnership_id, state, requested_at);

ALTER TABLE role_grant_request ENABLE ROW LEVEL SECURITY;
CREATE POLICY role_grant_request_partnership ON role_grant_request
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));

-- The privacy officer hears of every request and decision; the approvers hear of requests.
ALTER TABLE notification DROP CONSTRAINT notification_kind_check;
ALTER TABLE notification ADD CONSTRAINT notification_kind_check CHECK (kind IN ('STRATEGY_MEETING_DUE',
  'STRATEGY_MEETING_OVERDUE', 'MEETING_INVITATION', 'ASSESSMENT_DECISION', 'CO_ASSESSOR_ALLOCATED',
  'AIM_ASSESSMENT_DUE', 'AIM_ASSESSMENT_OVERDUE', 'HSB_PANEL_REQUESTED', 'ABE_ACCESS_REQUESTED', 'ABE_ACCESS_DECIDED',
  'ROLE_GRANT_REQUESTED', 'ROLE_GRANT_DECIDED', 'ACCOUNT_LOCKED'));
