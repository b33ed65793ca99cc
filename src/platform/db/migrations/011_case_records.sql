-- Case records alongside the pathway (part 2): the harmed child's restricted interview material
-- (ABE) and time-limited access to it, the criminal process, and curated chronology entries.
-- Within PostgreSQL 15.

-- That ABE interview material exists for a harmed child linked to the case: metadata, and a summary
-- that is itself restricted (read only under an approved, unexpired grant).
CREATE TABLE abe_material (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  case_id uuid NOT NULL REFERENCES hsb_case(id),
  harmed_child_id uuid NOT NULL REFERENCES child(id),
  reference text NOT NULL CHECK (length(trim(reference)) > 0),
  interviewed_on date NOT NULL,
  held_by_agency_id uuid NOT NULL REFERENCES agency(id),
  summary text,
  recorded_by uuid NOT NULL REFERENCES app_user(id),
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX abe_material_case_idx ON abe_material (case_id, recorded_at);
CREATE INDEX abe_material_harmed_child_idx ON abe_material (harmed_child_id);

-- A request to read the material, and its decision: approved with an expiry, refused, or revoked.
CREATE TABLE abe_access_request (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  material_id uuid NOT NULL REFERENCES abe_material(id),
  case_id uuid NOT NULL REFERENCES hsb_case(id),
  requested_by uuid NOT NULL REFERENCES app_user(id),
  reason text NOT NULL CHECK (length(trim(reason)) > 0),
  requested_at timestamptz NOT NULL DEFAULT now(),
  status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'APPROVED', 'REFUSED', 'REVOKED')),
  decided_by uuid REFERENCES app_user(id),
  decided_at timestamptz,
  decision_note text,
  expires_at timestamptz,
  revoked_by uuid REFERENCES app_user(id),
  revoked_at timestamptz,
  CHECK (status = 'PENDING' OR (decided_by IS NOT NULL AND decided_at IS NOT NULL)),
  CHECK (decided_by IS NULL OR decided_by <> requested_by),
  CHECK (status NOT IN ('APPROVED', 'REVOKED') OR expires_at IS NOT NULL),
  CHECK ((status = 'REVOKED') = (revoked_at IS NOT NULL))
);
CREATE INDEX abe_access_request_material_idx ON abe_access_request (material_id, requested_at);
CREATE INDEX abe_access_request_case_idx ON abe_access_request (case_id);
CREATE INDEX abe_access_request_grant_idx ON abe_access_request (requested_by, material_id) WHERE status = 'APPROVED';

-- The criminal process alongside the pathway: investigation, bail or released under
-- investigation, charge, court hearings, outcome. A bail entry's end date can be recorded later.
CREATE TABLE criminal_process_entry (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  case_id uuid NOT NULL REFERENCES hsb_case(id),
  kind text NOT NULL CHECK (kind IN ('INVESTIGATION', 'BAIL', 'RELEASED_UNDER_INVESTIGATION', 'CHARGE', 'COURT_HEARING', 'OUTCOME')),
  occurred_on date NOT NULL,
  ends_on date,
  police_reference text,
  conditions text,
  offence text,
  court text,
  hearing_type text,
  outcome text,
  holds_up_intervention boolean NOT NULL DEFAULT false,
  hold_up_note text,
  recorded_by uuid NOT NULL REFERENCES app_user(id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_on IS NULL OR ends_on >= occurred_on),
  CHECK (NOT holds_up_intervention OR kind = 'BAIL')
);
CREATE INDEX criminal_process_entry_case_idx ON criminal_process_entry (case_id, occurred_on);

-- Entries a practitioner adds to the case's chronology. Kept as written: a correction is a new
-- entry that names the one it corrects. Append-only.
CREATE TABLE chronology_entry (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  case_id uuid NOT NULL REFERENCES hsb_case(id),
  occurred_on date NOT NULL,
  title text NOT NULL CHECK (length(trim(title)) > 0),
  text text NOT NULL CHECK (length(trim(text)) > 0),
  corrects_entry_id uuid REFERENCES chronology_entry(id),
  author_id uuid NOT NULL REFERENCES app_user(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chronology_entry_case_idx ON chronology_entry (case_id, occurred_on);

ALTER TABLE abe_material ENABLE ROW LEVEL SECURITY;
ALTER TABLE abe_access_request ENABLE ROW LEVEL SECURITY;
ALTER TABLE criminal_process_entry ENABLE ROW LEVEL SECURITY;
ALTER TABLE chronology_entry ENABLE ROW LEVEL SECURITY;
CREATE POLICY abe_material_partnership ON abe_material
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY abe_access_request_partnership ON abe_access_request
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY criminal_process_entry_partnership ON criminal_process_entry
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY chronology_entry_partnership ON chronology_entry
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
