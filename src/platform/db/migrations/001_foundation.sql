-- Foundation: partnerships, agencies, teams, people, sign-in, the audit log, and the minimal
-- child record that the access policy guards. SQL stays within PostgreSQL 15.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{{app_role}}') THEN
    CREATE ROLE {{app_role}} NOLOGIN;
  END IF;
END
$$;

-- Row-level security reads the partnership from a transaction-local setting. No setting, no rows.
-- '*' is used only by system jobs (the audit sealer, the CLI) that act across partnerships.
CREATE OR REPLACE FUNCTION hsb_partnership_visible(p uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('app.partnership_id', true), '') = '*'
      OR (p IS NOT NULL AND p::text = current_setting('app.partnership_id', true))
$$;

CREATE TABLE partnership (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE agency (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('CHILDRENS_SERVICES', 'POLICE', 'YOUTH_OFFENDING', 'HEALTH', 'EDUCATION', 'PROBATION', 'CAFCASS', 'VOLUNTARY', 'PARTNERSHIP')),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (partnership_id, name)
);

CREATE TABLE team (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  agency_id uuid NOT NULL REFERENCES agency(id),
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (agency_id, name)
);

CREATE TABLE app_user (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  agency_id uuid NOT NULL REFERENCES agency(id),
  email text NOT NULL,
  display_name text NOT NULL,
  password_hash text,
  totp_secret text,
  totp_last_step bigint,
  oidc_subject text UNIQUE,
  disabled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX app_user_email_key ON app_user (lower(email));
CREATE INDEX app_user_partnership_idx ON app_user (partnership_id, display_name);

CREATE TABLE user_role (
  user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('REFERRER', 'SOCIAL_WORKER', 'TEAM_MANAGER', 'HSB_LEAD', 'AIM_PRACTITIONER', 'POLICE_OFFICER', 'YOS_OFFICER', 'HEAD_OF_SERVICE', 'PARTNERSHIP_BUSINESS_MANAGER', 'AGENCY_LEAD', 'LEAD_AUDITOR', 'BOARD_MEMBER', 'ANALYST', 'PRIVACY_OFFICER', 'SYSTEM_ADMINISTRATOR')),
  PRIMARY KEY (user_id, role)
);

CREATE TABLE team_member (
  team_id uuid NOT NULL REFERENCES team(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_member_user_idx ON team_member (user_id);

CREATE TABLE training_record (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  model text NOT NULL CHECK (model IN ('AIM3', 'AIM_UNDER_12S', 'AIM2', 'BROOK_TRAFFIC_LIGHT', 'SIGNS_OF_SAFETY', 'GOOD_LIVES', 'OTHER')),
  completed_on date NOT NULL,
  expires_on date,
  recorded_by uuid REFERENCES app_user(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (expires_on IS NULL OR expires_on > completed_on)
);
CREATE INDEX training_record_user_idx ON training_record (user_id, completed_on DESC);

-- Changes to people and their roles are history too: who changed what, and when.
CREATE TABLE user_event (
  id bigserial PRIMARY KEY,
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  actor_id uuid REFERENCES app_user(id),
  kind text NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb,
  occurred_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX user_event_user_idx ON user_event (user_id, id);

CREATE TABLE http_session (
  sid text PRIMARY KEY,
  user_id uuid REFERENCES app_user(id) ON DELETE CASCADE,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX http_session_user_idx ON http_session (user_id);
CREATE INDEX http_session_expires_idx ON http_session (expires_at);

-- Failed sign-in attempts, keyed by a hash of the (normalised) email and by client address.
CREATE TABLE sign_in_failure (
  id bigserial PRIMARY KEY,
  email_hash text NOT NULL,
  client_key text NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failure_pair_idx ON sign_in_failure (email_hash, client_key, occurred_at);
CREATE INDEX sign_in_failure_client_idx ON sign_in_failure (client_key, occurred_at);

-- The audit log: append-only. The application's role may INSERT and SELECT, nothing else.
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  partnership_id uuid REFERENCES partnership(id),
  occurred_at timestamptz NOT NULL DEFAULT now(),
  user_id uuid REFERENCES app_user(id),
  action text NOT NULL,
  record_type text NOT NULL,
  record_id text,
  outcome text NOT NULL CHECK (outcome IN ('ALLOWED', 'DENIED')),
  request_id text,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_record_idx ON audit_log (record_type, record_id, id);
CREATE INDEX audit_log_user_idx ON audit_log (user_id, id);

-- Seals chain audit rows together. Rows are sealed in id order, batch by batch; a row whose
-- transaction commits after later ids were sealed joins the next batch (see ADR 0004).
CREATE TABLE audit_seal (
  seq bigserial PRIMARY KEY,
  audit_id bigint NOT NULL UNIQUE REFERENCES audit_log(id),
  prev_hash text NOT NULL,
  hash text NOT NULL,
  sealed_at timestamptz NOT NULL DEFAULT now()
);

-- The child record (grown by the pathway features). Here: enough to guard and audit.
CREATE TABLE child (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  given_names text NOT NULL,
  family_name text NOT NULL,
  date_of_birth date NOT NULL,
  is_restricted boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX child_partnership_idx ON child (partnership_id);

-- Who works with the child: a named person (allocated or involved), a team, or an agency.
CREATE TABLE child_involvement (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  child_id uuid NOT NULL REFERENCES child(id) ON DELETE CASCADE,
  agency_id uuid NOT NULL REFERENCES agency(id),
  team_id uuid REFERENCES team(id),
  user_id uuid REFERENCES app_user(id),
  kind text NOT NULL CHECK (kind IN ('ALLOCATED', 'INVOLVED')),
  started_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz
);
CREATE INDEX child_involvement_child_idx ON child_involvement (child_id);
CREATE INDEX child_involvement_user_idx ON child_involvement (user_id) WHERE user_id IS NOT NULL;

-- A restricted record is open only to the people named here, whatever their role.
CREATE TABLE child_restricted_access (
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  child_id uuid NOT NULL REFERENCES child(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  PRIMARY KEY (child_id, user_id)
);

ALTER TABLE child ENABLE ROW LEVEL SECURITY;
ALTER TABLE child_involvement ENABLE ROW LEVEL SECURITY;
ALTER TABLE child_restricted_access ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_seal ENABLE ROW LEVEL SECURITY;

CREATE POLICY child_partnership ON child
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY child_involvement_partnership ON child_involvement
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY child_restricted_access_partnership ON child_restricted_access
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
-- Audit rows before sign-in (a failed attempt) have no partnership; they are written, never read back by tenants.
CREATE POLICY audit_log_read ON audit_log FOR SELECT USING (hsb_partnership_visible(partnership_id));
CREATE POLICY audit_log_write ON audit_log FOR INSERT
  WITH CHECK (partnership_id IS NULL OR hsb_partnership_visible(partnership_id));
CREATE POLICY audit_seal_system ON audit_seal
  USING (coalesce(current_setting('app.partnership_id', true), '') = '*')
  WITH CHECK (coalesce(current_setting('app.partnership_id', true), '') = '*');
