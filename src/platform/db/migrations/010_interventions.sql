-- The HSB pathway, part 2: the review meeting's intervention plan (versioned: every change is a
-- new version row, never an overwrite), the HSB panel (request and decision), actions marked
-- done, and how a case was closed. The review and end meetings themselves are rows in `meeting`
-- (kinds REVIEW_STRATEGY_MEETING and END_MEETING) with their invitations. Within PostgreSQL 15.

-- One plan per case; `version` is the optimistic lock and points at the newest version row.
CREATE TABLE intervention_plan (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  case_id uuid NOT NULL UNIQUE REFERENCES hsb_case(id),
  review_meeting_id uuid REFERENCES meeting(id),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Append-only: every version of the plan as it was agreed or changed. Goals' shape: interventions.rules.ts.
CREATE TABLE intervention_plan_version (
  id bigserial PRIMARY KEY,
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  plan_id uuid NOT NULL REFERENCES intervention_plan(id),
  version integer NOT NULL,
  goals jsonb NOT NULL,
  change_note text,
  created_by uuid NOT NULL REFERENCES app_user(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (plan_id, version)
);

-- A request to the head of service to convene the HSB panel, and the panel's decision.
CREATE TABLE hsb_panel (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  case_id uuid NOT NULL REFERENCES hsb_case(id),
  reason text NOT NULL CHECK (length(trim(reason)) > 0),
  requested_by uuid NOT NULL REFERENCES app_user(id),
  requested_at timestamptz NOT NULL DEFAULT now(),
  service_commissioned text,
  provider text,
  level text CHECK (level IN ('TARGETED', 'SPECIALIST', 'INTENSIVE')),
  panel_date date,
  decision_notes text,
  decided_by uuid REFERENCES app_user(id),
  decided_at timestamptz,
  CHECK ((decided_at IS NULL) = (decided_by IS NULL)),
  CHECK (decided_at IS NULL OR (service_commissioned IS NOT NULL AND level IS NOT NULL AND panel_date IS NOT NULL))
);
CREATE INDEX hsb_panel_case_idx ON hsb_panel (case_id, requested_at);
-- At most one request waiting for its decision per case.
CREATE UNIQUE INDEX hsb_panel_open_idx ON hsb_panel (case_id) WHERE decided_at IS NULL;

-- An action from a finalised meeting, marked done (the meeting's minutes stay locked).
CREATE TABLE meeting_action_done (
  meeting_action_id uuid PRIMARY KEY REFERENCES meeting_action(id),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  case_id uuid NOT NULL REFERENCES hsb_case(id),
  done_by uuid NOT NULL REFERENCES app_user(id),
  done_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX meeting_action_done_case_idx ON meeting_action_done (case_id);

-- How and why a case was closed: at its end meeting, or with no AIM assessment. Append-only.
CREATE TABLE case_closure (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  case_id uuid NOT NULL UNIQUE REFERENCES hsb_case(id),
  end_meeting_id uuid REFERENCES meeting(id),
  route text NOT NULL CHECK (route IN ('END_MEETING', 'NO_AIM_ASSESSMENT')),
  level_of_concern text CHECK (level_of_concern IN ('LOW', 'MEDIUM', 'HIGH')),
  reason text NOT NULL CHECK (length(trim(reason)) > 0),
  -- What was still open when it closed (clocks, actions, goals), and why it closed anyway.
  open_work jsonb NOT NULL DEFAULT '[]'::jsonb,
  open_work_reason text,
  closed_by uuid NOT NULL REFERENCES app_user(id),
  closed_at timestamptz NOT NULL DEFAULT now(),
  CHECK (jsonb_array_length(open_work) = 0 OR length(trim(coalesce(open_work_reason, ''))) > 0)
);

CREATE INDEX meeting_case_kind_idx ON meeting (case_id, kind, created_at);

ALTER TABLE intervention_plan ENABLE ROW LEVEL SECURITY;
ALTER TABLE intervention_plan_version ENABLE ROW LEVEL SECURITY;
ALTER TABLE hsb_panel ENABLE ROW LEVEL SECURITY;
ALTER TABLE meeting_action_done ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_closure ENABLE ROW LEVEL SECURITY;
CREATE POLICY intervention_plan_partnership ON intervention_plan
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY intervention_plan_version_partnership ON intervention_plan_version
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY hsb_panel_partnership ON hsb_panel
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY meeting_action_done_partnership ON meeting_action_done
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY case_closure_partnership ON case_closure
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
