-- Multi-agency case audits: the audit tools (templates), the audit and its agencies (taking part with
-- a lead auditor, or unable to with a reason), the cohort and its seeded random sample (with every
-- draw numbered, replacements included), consent per sampled case, one summary sheet per agency per
-- consented case, the panel's record, findings and recommendations. A deep dive is an audit linked
-- to the first (parent_audit_id). Within PostgreSQL 15.

CREATE TABLE case_audit_tool (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  name text NOT NULL CHECK (length(trim(name)) > 0),
  -- BUILT_IN (shipped, our own wording), JSON, CSV or FORM (how the partnership loaded it).
  source text NOT NULL CHECK (source IN ('BUILT_IN', 'JSON', 'CSV', 'FORM')),
  -- { scale: [{ key, label }], sections: [{ title, questions: [{ code, text }] }], freeText: boolean }
  definition jsonb NOT NULL,
  created_by uuid REFERENCES app_user(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX case_audit_tool_name_key ON case_audit_tool (partnership_id, lower(name));

CREATE TABLE case_audit (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  theme text NOT NULL CHECK (length(trim(theme)) > 0),
  panel_date date NOT NULL,
  tool_id uuid NOT NULL REFERENCES case_audit_tool(id),
  purpose text,
  parent_audit_id uuid REFERENCES case_audit(id),
  status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'CLOSED')),
  -- The cohort as defined ({ openOn, ratings, statuses, agencyId }) and the case ids it held when the
  -- sample was drawn (sorted), so the draw can be recomputed from the seed.
  cohort_filter jsonb,
  cohort_case_ids uuid[],
  sample_size integer CHECK (sample_size > 0),
  seed bigint,
  sampled_at timestamptz,
  sampled_by uuid REFERENCES app_user(id),
  panel_notes text,
  panel_recorded_at timestamptz,
  review_id uuid,
  created_by uuid NOT NULL REFERENCES app_user(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  closed_by uuid REFERENCES app_user(id),
  closed_at timestamptz,
  CHECK ((status = 'CLOSED') = (closed_at IS NOT NULL))
);
CREATE INDEX case_audit_partnership_idx ON case_audit (partnership_id, panel_date DESC);
CREATE INDEX case_audit_parent_idx ON case_audit (parent_audit_id) WHERE parent_audit_id IS NOT NULL;

CREATE TABLE case_audit_agency (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  audit_id uuid NOT NULL REFERENCES case_audit(id),
  agency_id uuid NOT NULL REFERENCES agency(id),
  participation text NOT NULL CHECK (participation IN ('TAKING_PART', 'UNABLE')),
  lead_auditor_id uuid REFERENCES app_user(id),
  reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (audit_id, agency_id),
  CHECK ((participation = 'TAKING_PART') = (lead_auditor_id IS NOT NULL)),
  CHECK (participation = 'TAKING_PART' OR length(trim(coalesce(reason, ''))) > 0)
);
CREATE INDEX case_audit_agency_auditor_idx ON case_audit_agency (lead_auditor_id) WHERE lead_auditor_id IS NOT NULL;

-- One row per draw: draw_number is the case's place in the seeded order of the cohort.
CREATE TABLE case_audit_sample (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  audit_id uuid NOT NULL REFERENCES case_audit(id),
  case_id uuid NOT NULL REFERENCES hsb_case(id),
  draw_number integer NOT NULL CHECK (draw_number > 0),
  replaces_sample_id uuid REFERENCES case_audit_sample(id),
  consent text NOT NULL DEFAULT 'NOT_SOUGHT' CHECK (consent IN ('NOT_SOUGHT', 'SOUGHT', 'GIVEN', 'REFUSED')),
  consent_by text,
  consent_on date,
  consent_how text,
  consent_recorded_by uuid REFERENCES app_user(id),
  consent_recorded_at timestamptz,
  discussed_at_panel boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (audit_id, case_id),
  UNIQUE (audit_id, draw_number)
);
CREATE INDEX case_audit_sample_case_idx ON case_audit_sample (case_id);

-- One summary sheet per agency per sampled, consented case.
CREATE TABLE case_audit_summary (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  audit_id uuid NOT NULL REFERENCES case_audit(id),
  sample_id uuid NOT NULL REFERENCES case_audit_sample(id),
  agency_id uuid NOT NULL REFERENCES agency(id),
  auditor_id uuid NOT NULL REFERENCES app_user(id),
  -- { grades: { [questionCode]: scaleKey }, notes: { [sectionIndex]: text } }
  answers jsonb NOT NULL DEFAULT '{}'::jsonb,
  overall_grade text,
  summary text,
  feedback_given boolean NOT NULL DEFAULT false,
  feedback text,
  saved_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (sample_id, agency_id)
);
CREATE INDEX case_audit_summary_audit_idx ON case_audit_summary (audit_id);

CREATE TABLE case_audit_finding (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  audit_id uuid NOT NULL REFERENCES case_audit(id),
  kind text NOT NULL CHECK (kind IN ('GOOD_PRACTICE', 'LEARNING', 'CONCLUSION')),
  text text NOT NULL CHECK (length(trim(text)) > 0),
  -- Learning themes, lower-case, so they can be counted across audits.
  tags text[] NOT NULL DEFAULT '{}',
  created_by uuid REFERENCES app_user(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_audit_finding_audit_idx ON case_audit_finding (audit_id, kind, created_at);
CREATE INDEX case_audit_finding_tags_idx ON case_audit_finding USING gin (tags);

CREATE TABLE case_audit_recommendation (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  audit_id uuid NOT NULL REFERENCES case_audit(id),
  text text NOT NULL CHECK (length(trim(text)) > 0),
  -- Whom: one agency, or every agency taking part (owner_agency_id null and all_agencies true).
  owner_agency_id uuid REFERENCES agency(id),
  all_agencies boolean NOT NULL DEFAULT false,
  owner_text text,
  due_on date NOT NULL,
  created_by uuid REFERENCES app_user(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_to_plan_at timestamptz,
  CHECK (all_agencies OR owner_agency_id IS NOT NULL)
);
CREATE INDEX case_audit_recommendation_audit_idx ON case_audit_recommendation (audit_id, created_at);

ALTER TABLE case_audit_tool ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_audit ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_audit_agency ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_audit_sample ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_audit_summary ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_audit_finding ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_audit_recommendation ENABLE ROW LEVEL SECURITY;
CREATE POLICY case_audit_tool_partnership ON case_audit_tool
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY case_audit_partnership ON case_audit
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY case_audit_agency_partnership ON case_audit_agency
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY case_audit_sample_partnership ON case_audit_sample
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY case_audit_summary_partnership ON case_audit_summary
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY case_audit_finding_partnership ON case_audit_finding
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY case_audit_recommendation_partnership ON case_audit_recommendation
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
