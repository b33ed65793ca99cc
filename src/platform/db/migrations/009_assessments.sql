-- The AIM assessment (part 2 of the pathway): the decision to assess or not, the route (welfare
-- or criminal) and who leads and administers, the co-assessors and their time-limited access,
-- information collated, interviews, the structured record and its sign-off, and extensions for
-- court directions. Within PostgreSQL 15.

CREATE TABLE aim_assessment (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  case_id uuid NOT NULL UNIQUE REFERENCES hsb_case(id),
  child_id uuid NOT NULL REFERENCES child(id),
  decision text NOT NULL CHECK (decision IN ('ASSESS', 'NO_ASSESSMENT')),
  decision_reasons text NOT NULL CHECK (length(trim(decision_reasons)) > 0),
  route text CHECK (route IN ('WELFARE', 'CRIMINAL')),
  decided_by uuid NOT NULL REFERENCES app_user(id),
  decided_at timestamptz NOT NULL DEFAULT now(),
  -- Criminal route: the police officer asked to arrange the AIM strategy discussion.
  police_contact_id uuid REFERENCES app_user(id),
  lead_agency_id uuid REFERENCES agency(id),
  administering_agency_id uuid REFERENCES agency(id),
  discussion_held_on date,
  discussion_agency_ids uuid[] NOT NULL DEFAULT '{}',
  discussion_notes text,
  discussion_recorded_by uuid REFERENCES app_user(id),
  -- When the assessment (and its clocks) started: the decision (welfare) or the strategy discussion (criminal).
  started_at timestamptz,
  model text CHECK (model IN ('AIM2', 'AIM3', 'AIM_UNDER_12S')),
  -- The structured record: domains (concerns, strengths), formulation, levels, recommendations, report summary.
  record jsonb NOT NULL DEFAULT '{}'::jsonb,
  record_version integer NOT NULL DEFAULT 0,
  completed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((decision = 'ASSESS') = (route IS NOT NULL))
);
CREATE INDEX aim_assessment_partnership_idx ON aim_assessment (partnership_id, decided_at);

CREATE TABLE aim_co_assessor (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  assessment_id uuid NOT NULL REFERENCES aim_assessment(id),
  user_id uuid NOT NULL REFERENCES app_user(id),
  model text NOT NULL CHECK (model IN ('AIM2', 'AIM3', 'AIM_UNDER_12S')),
  -- The child_involvement row that gives the co-assessor access for the assessment's duration.
  involvement_id uuid NOT NULL REFERENCES child_involvement(id),
  named_by uuid NOT NULL REFERENCES app_user(id),
  named_at timestamptz NOT NULL DEFAULT now(),
  signed_off_at timestamptz,
  signed_record_version integer,
  ended_at timestamptz,
  replaced_by uuid REFERENCES aim_co_assessor(id),
  replacement_reason text
);
CREATE UNIQUE INDEX aim_co_assessor_current_key ON aim_co_assessor (assessment_id, user_id) WHERE ended_at IS NULL;
CREATE INDEX aim_co_assessor_assessment_idx ON aim_co_assessor (assessment_id, named_at);
CREATE INDEX aim_co_assessor_user_idx ON aim_co_assessor (user_id) WHERE ended_at IS NULL;

CREATE TABLE aim_information (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  assessment_id uuid NOT NULL REFERENCES aim_assessment(id),
  source_agency_id uuid REFERENCES agency(id),
  source text NOT NULL,
  summary text NOT NULL,
  dated_on date NOT NULL,
  recorded_by uuid NOT NULL REFERENCES app_user(id),
  idempotency_key uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (assessment_id, idempotency_key)
);
CREATE INDEX aim_information_assessment_idx ON aim_information (assessment_id, dated_on);

CREATE TABLE aim_interview (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  assessment_id uuid NOT NULL REFERENCES aim_assessment(id),
  held_on date NOT NULL,
  interviewee text NOT NULL CHECK (interviewee IN ('CHILD', 'PARENT_CARER', 'OTHER')),
  interviewee_detail text,
  place text NOT NULL,
  notes text,
  recorded_by uuid NOT NULL REFERENCES app_user(id),
  idempotency_key uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (assessment_id, idempotency_key)
);
CREATE INDEX aim_interview_assessment_idx ON aim_interview (assessment_id, held_on);

-- Court directions extending the 8-week limit: history, append-only.
CREATE TABLE aim_extension (
  id bigserial PRIMARY KEY,
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  assessment_id uuid NOT NULL REFERENCES aim_assessment(id),
  previous_due_at timestamptz NOT NULL,
  new_due_at timestamptz NOT NULL CHECK (new_due_at > previous_due_at),
  reason text NOT NULL CHECK (length(trim(reason)) > 0),
  extended_by uuid NOT NULL REFERENCES app_user(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX aim_extension_assessment_idx ON aim_extension (assessment_id, id);

ALTER TABLE aim_assessment ENABLE ROW LEVEL SECURITY;
ALTER TABLE aim_co_assessor ENABLE ROW LEVEL SECURITY;
ALTER TABLE aim_information ENABLE ROW LEVEL SECURITY;
ALTER TABLE aim_interview ENABLE ROW LEVEL SECURITY;
ALTER TABLE aim_extension ENABLE ROW LEVEL SECURITY;
CREATE POLICY aim_assessment_partnership ON aim_assessment
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY aim_co_assessor_partnership ON aim_co_assessor
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY aim_information_partnership ON aim_information
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY aim_interview_partnership ON aim_interview
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY aim_extension_partnership ON aim_extension
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
