-- The HSB pathway, part 1: children's identifiers and links, the case with its append-only
-- history and clocks, requests for support, screenings. Within PostgreSQL 15.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE child
  ADD COLUMN gender text,
  ADD COLUMN ethnicity text,
  ADD COLUMN nhs_number text CHECK (nhs_number ~ '^[0-9]{10}$'),
  ADD COLUMN upn text CHECK (upn ~ '^[A-Z][0-9]{11}[0-9A-Z]$'),
  ADD COLUMN local_case_id text,
  ADD COLUMN send_needs text,
  ADD COLUMN created_by uuid REFERENCES app_user(id);
CREATE INDEX child_nhs_number_idx ON child (partnership_id, nhs_number) WHERE nhs_number IS NOT NULL;
CREATE INDEX child_upn_idx ON child (partnership_id, upn) WHERE upn IS NOT NULL;
CREATE INDEX child_local_case_id_idx ON child (partnership_id, local_case_id) WHERE local_case_id IS NOT NULL;
CREATE INDEX child_family_name_trgm_idx ON child USING gin (lower(family_name) gin_trgm_ops);
CREATE INDEX child_given_names_trgm_idx ON child USING gin (lower(given_names) gin_trgm_ops);
CREATE INDEX child_date_of_birth_idx ON child (partnership_id, date_of_birth);

-- Children linked to one another (the harmed child, a sibling, a peer). A link never opens one
-- child's record to someone working only with the other.
CREATE TABLE child_link (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  child_id uuid NOT NULL REFERENCES child(id),
  linked_child_id uuid NOT NULL REFERENCES child(id),
  kind text NOT NULL CHECK (kind IN ('HARMED_CHILD', 'SIBLING', 'PEER', 'OTHER')),
  created_by uuid REFERENCES app_user(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (child_id <> linked_child_id),
  UNIQUE (child_id, linked_child_id, kind)
);
CREATE INDEX child_link_linked_idx ON child_link (linked_child_id);

-- One child's journey along the pathway. Status is derived from case_event and kept here, in the
-- same transaction, for queues.
CREATE TABLE hsb_case (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  child_id uuid NOT NULL REFERENCES child(id),
  route text NOT NULL CHECK (route IN ('NEW', 'OPEN_CASE')),
  status text NOT NULL CHECK (status IN ('REFERRED', 'AWAITING_OVERSIGHT', 'GREEN_DECISION', 'STRATEGY_MEETING_DUE',
    'STRATEGY_MEETING_HELD', 'EARLY_HELP', 'CLOSED')),
  rating text CHECK (rating IN ('GREEN', 'AMBER', 'RED')),
  allocated_team_id uuid REFERENCES team(id),
  allocated_user_id uuid REFERENCES app_user(id),
  referral_received_at timestamptz NOT NULL,
  opened_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX hsb_case_child_idx ON hsb_case (child_id);
CREATE INDEX hsb_case_queue_idx ON hsb_case (partnership_id, status, referral_received_at);
CREATE INDEX hsb_case_allocated_user_idx ON hsb_case (allocated_user_id) WHERE allocated_user_id IS NOT NULL;
CREATE INDEX hsb_case_allocated_team_idx ON hsb_case (allocated_team_id) WHERE allocated_team_id IS NOT NULL;

-- The case's history: every action, who, when, from and to, and what was decided. Append-only.
CREATE TABLE case_event (
  id bigserial PRIMARY KEY,
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  case_id uuid NOT NULL REFERENCES hsb_case(id),
  action text NOT NULL,
  from_status text,
  to_status text NOT NULL,
  actor_id uuid REFERENCES app_user(id),
  occurred_at timestamptz NOT NULL DEFAULT now(),
  detail jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX case_event_case_idx ON case_event (case_id, id);

CREATE TABLE request_for_support (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  case_id uuid NOT NULL UNIQUE REFERENCES hsb_case(id),
  referrer_id uuid REFERENCES app_user(id),
  referrer_agency_id uuid NOT NULL REFERENCES agency(id),
  received_at timestamptz NOT NULL,
  what_happened text NOT NULL,
  contexts text[] NOT NULL DEFAULT '{}',
  other_children text,
  sharing_basis text NOT NULL CHECK (sharing_basis IN ('CONSENT', 'PUBLIC_TASK_WITHOUT_CONSENT', 'SAFEGUARDING_WITHOUT_CONSENT')),
  consent_sought boolean NOT NULL,
  sharing_note text,
  -- A double-clicked submit carries the same key: one request, not two.
  idempotency_key text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE screening (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  case_id uuid NOT NULL REFERENCES hsb_case(id),
  tool text NOT NULL,
  tool_version text NOT NULL,
  age_band text NOT NULL,
  behaviours jsonb NOT NULL,
  overall_rating text NOT NULL CHECK (overall_rating IN ('GREEN', 'AMBER', 'RED')),
  rationale text NOT NULL CHECK (length(trim(rationale)) > 0),
  screened_by uuid NOT NULL REFERENCES app_user(id),
  screened_at timestamptz NOT NULL DEFAULT now(),
  oversight_by uuid REFERENCES app_user(id),
  oversight_at timestamptz,
  oversight_note text
);
CREATE INDEX screening_case_idx ON screening (case_id, screened_at);

-- Statutory and pathway timescales. Due dates are computed by the clock rules when a clock starts.
CREATE TABLE case_clock (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  case_id uuid NOT NULL REFERENCES hsb_case(id),
  kind text NOT NULL,
  started_at timestamptz NOT NULL,
  due_at timestamptz NOT NULL,
  met_at timestamptz,
  missed_reason text,
  reason_by uuid REFERENCES app_user(id),
  reason_at timestamptz,
  UNIQUE (case_id, kind)
);
CREATE INDEX case_clock_open_idx ON case_clock (partnership_id, due_at) WHERE met_at IS NULL;

-- A partnership's own lengths for the clocks (otherwise the defaults in clocks.rules.ts).
CREATE TABLE partnership_timescale (
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  clock_kind text NOT NULL,
  unit text NOT NULL CHECK (unit IN ('hours', 'working-days', 'weeks')),
  length integer NOT NULL CHECK (length > 0),
  PRIMARY KEY (partnership_id, clock_kind)
);

ALTER TABLE child_link ENABLE ROW LEVEL SECURITY;
ALTER TABLE hsb_case ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE request_for_support ENABLE ROW LEVEL SECURITY;
ALTER TABLE screening ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_clock ENABLE ROW LEVEL SECURITY;
ALTER TABLE partnership_timescale ENABLE ROW LEVEL SECURITY;
CREATE POLICY child_link_partnership ON child_link
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY hsb_case_partnership ON hsb_case
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY case_event_partnership ON case_event
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY request_for_support_partnership ON request_for_support
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY screening_partnership ON screening
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY case_clock_partnership ON case_clock
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY partnership_timescale_partnership ON partnership_timescale
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
