-- Insight (issue 7): the partnership's HSB figures, workforce, case factors, provision register,
-- disclosure control and the board's annual report. Aggregates are computed in SQL from the
-- records; this migration adds what the records lacked and the indexes the aggregates need.

-- The partnership's settings for published figures: counts from 1 to threshold - 1 are suppressed.
CREATE TABLE insight_setting (
  partnership_id uuid PRIMARY KEY REFERENCES partnership(id),
  suppression_threshold integer NOT NULL DEFAULT 5 CHECK (suppression_threshold BETWEEN 2 AND 20),
  updated_by uuid REFERENCES app_user(id),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The provision register: the services the partnership can call on, the levels of concern each
-- serves and how many children it can take at once.
CREATE TABLE provision (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  service text NOT NULL CHECK (length(trim(service)) > 0),
  provider text NOT NULL CHECK (length(trim(provider)) > 0),
  levels text[] NOT NULL CHECK (cardinality(levels) > 0 AND levels <@ ARRAY['LOW', 'MEDIUM', 'HIGH']::text[]),
  capacity integer CHECK (capacity IS NULL OR capacity >= 0),
  notes text,
  ended_on date,
  version integer NOT NULL DEFAULT 1,
  created_by uuid REFERENCES app_user(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES app_user(id),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX provision_partnership_idx ON provision (partnership_id, service);
-- Append-only: every version of a provision entry as it was saved.
CREATE TABLE provision_version (
  id bigserial PRIMARY KEY,
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  provision_id uuid NOT NULL REFERENCES provision(id),
  version integer NOT NULL,
  entry jsonb NOT NULL,
  created_by uuid REFERENCES app_user(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (provision_id, version)
);

-- Case factors: the partnership's own factors beyond the standard list (insight.rules.ts).
CREATE TABLE case_factor_type (
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  code text NOT NULL CHECK (code ~ '^[A-Z][A-Z0-9_]{1,39}$'),
  label text NOT NULL CHECK (length(trim(label)) > 0),
  created_by uuid REFERENCES app_user(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  retired_at timestamptz,
  PRIMARY KEY (partnership_id, code)
);
-- A factor recorded on a case; removing it keeps the row (removed_at), so the record's history stays.
CREATE TABLE case_factor (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  case_id uuid NOT NULL REFERENCES hsb_case(id),
  factor_code text NOT NULL,
  recorded_by uuid REFERENCES app_user(id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  removed_by uuid REFERENCES app_user(id),
  removed_at timestamptz
);
CREATE UNIQUE INDEX case_factor_current_key ON case_factor (case_id, factor_code) WHERE removed_at IS NULL;
CREATE INDEX case_factor_partnership_idx ON case_factor (partnership_id, factor_code) WHERE removed_at IS NULL;

-- The board's annual HSB report: a period, and its text sections, every version kept.
CREATE TABLE board_report (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  title text NOT NULL CHECK (length(trim(title)) > 0),
  period_from date NOT NULL,
  period_to date NOT NULL,
  created_by uuid REFERENCES app_user(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (period_to >= period_from)
);
CREATE INDEX board_report_partnership_idx ON board_report (partnership_id, period_from);
CREATE TABLE board_report_section (
  id bigserial PRIMARY KEY,
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  report_id uuid NOT NULL REFERENCES board_report(id),
  section text NOT NULL CHECK (section IN ('WHERE_WERE_WE', 'WHAT_HAVE_WE_DONE', 'WHAT_ELSE', 'WHAT_DIFFERENCE')),
  version integer NOT NULL,
  body text NOT NULL,
  created_by uuid REFERENCES app_user(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (report_id, section, version)
);

-- Indexes for the aggregates (all filtered by partnership and a date range).
CREATE INDEX hsb_case_received_idx ON hsb_case (partnership_id, referral_received_at);
CREATE INDEX meeting_partnership_kind_idx ON meeting (partnership_id, kind, held_at);
CREATE INDEX aim_assessment_started_idx ON aim_assessment (partnership_id, started_at) WHERE started_at IS NOT NULL;
CREATE INDEX case_event_partnership_idx ON case_event (partnership_id, occurred_at);
CREATE INDEX screening_partnership_idx ON screening (partnership_id, screened_at);
CREATE INDEX training_record_partnership_idx ON training_record (partnership_id, model, expires_on);

ALTER TABLE insight_setting ENABLE ROW LEVEL SECURITY;
ALTER TABLE provision ENABLE ROW LEVEL SECURITY;
ALTER TABLE provision_version ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_factor_type ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_factor ENABLE ROW LEVEL SECURITY;
ALTER TABLE board_report ENABLE ROW LEVEL SECURITY;
ALTER TABLE board_report_section ENABLE ROW LEVEL SECURITY;
CREATE POLICY insight_setting_partnership ON insight_setting
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY provision_partnership ON provision
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY provision_version_partnership ON provision_version
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY case_factor_type_partnership ON case_factor_type
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY case_factor_partnership ON case_factor
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY board_report_partnership ON board_report
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY board_report_section_partnership ON board_report_section
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
