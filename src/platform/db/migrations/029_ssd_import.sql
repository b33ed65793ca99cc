-- SSD import (issue 16): a partnership brings its children and their history in from the council's
-- case management system as Standard Safeguarding Dataset (SSD) extracts, and sends its HSB
-- episodes back out. docs/ssd-import.md.

-- The council's local authority code(s) for the partnership: an extract from another authority is refused.
ALTER TABLE partnership ADD COLUMN la_codes text[] NOT NULL DEFAULT '{}';

-- Where a request for support came from as the council's system says (the CIN referral source code).
ALTER TABLE request_for_support ADD COLUMN referral_source text;

-- One run of the import: staged, previewed, then applied (or a dry run, which applies nothing).
CREATE TABLE ssd_import (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  run_by uuid REFERENCES app_user(id),
  source_name text NOT NULL,
  status text NOT NULL DEFAULT 'STAGED' CHECK (status IN ('STAGED', 'APPLIED', 'DISCARDED')),
  -- Which episodes to bring in, and the decisions on proposed matches.
  selection jsonb NOT NULL DEFAULT '{}',
  -- What reading the extract found: rejected rows, warnings, files (bounded lists, exact counts).
  reading jsonb NOT NULL DEFAULT '{}',
  summary jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  applied_at timestamptz
);
CREATE INDEX ssd_import_partnership_idx ON ssd_import (partnership_id, created_at);

-- The extract's rows as read (values normalised), until the run is applied or discarded.
CREATE TABLE ssd_staged_row (
  import_id uuid NOT NULL REFERENCES ssd_import(id) ON DELETE CASCADE,
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  table_name text NOT NULL,
  row_no integer NOT NULL,
  row_key text NOT NULL,
  person_id text,
  data jsonb NOT NULL,
  PRIMARY KEY (import_id, table_name, row_no)
);
CREATE INDEX ssd_staged_row_person_idx ON ssd_staged_row (import_id, person_id, table_name);
CREATE INDEX ssd_staged_row_key_idx ON ssd_staged_row (import_id, table_name, row_key);

-- What each source row became, so a second import of the same extract creates nothing and a
-- changed row updates its record. `row_hash` is of the row's normalised values.
CREATE TABLE ssd_record (
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  table_name text NOT NULL,
  source_key text NOT NULL,
  target_id uuid NOT NULL,
  row_hash text NOT NULL,
  import_id uuid NOT NULL REFERENCES ssd_import(id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partnership_id, table_name, source_key)
);
CREATE INDEX ssd_record_target_idx ON ssd_record (target_id);

-- Every version of a source row the service has received (history of changed rows; append-only).
CREATE TABLE ssd_record_version (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  table_name text NOT NULL,
  source_key text NOT NULL,
  import_id uuid NOT NULL REFERENCES ssd_import(id),
  row_hash text NOT NULL,
  data jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ssd_record_version_key_idx ON ssd_record_version (partnership_id, table_name, source_key);

ALTER TABLE ssd_import ENABLE ROW LEVEL SECURITY;
CREATE POLICY ssd_import_partnership ON ssd_import
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
ALTER TABLE ssd_staged_row ENABLE ROW LEVEL SECURITY;
CREATE POLICY ssd_staged_row_partnership ON ssd_staged_row
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
ALTER TABLE ssd_record ENABLE ROW LEVEL SECURITY;
CREATE POLICY ssd_record_partnership ON ssd_record
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
ALTER TABLE ssd_record_version ENABLE ROW LEVEL SECURITY;
CREATE POLICY ssd_record_version_partnership ON ssd_record_version
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
