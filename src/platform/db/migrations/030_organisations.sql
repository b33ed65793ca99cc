-- Issue 18, part 1: the partnership's agencies and teams kept on pages (organisations feature):
-- an agency's kind may be "other", agencies and teams are retired rather than deleted (kept with
-- their history, no longer offered for new records), a version for stale edits, names unique in
-- the partnership whatever their case, and every change kept in an append-only history.

ALTER TABLE agency DROP CONSTRAINT agency_kind_check;
ALTER TABLE agency ADD CONSTRAINT agency_kind_check CHECK (kind IN ('CHILDRENS_SERVICES', 'POLICE', 'YOUTH_OFFENDING', 'HEALTH',
  'EDUCATION', 'PROBATION', 'CAFCASS', 'VOLUNTARY', 'PARTNERSHIP', 'OTHER'));

ALTER TABLE agency ADD COLUMN retired_at timestamptz;
ALTER TABLE agency ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE team ADD COLUMN retired_at timestamptz;
ALTER TABLE team ADD COLUMN version integer NOT NULL DEFAULT 1;
-- A retired team is never the front door (retiring one is refused while it is).
ALTER TABLE team ADD CONSTRAINT team_retired_not_front_door CHECK (retired_at IS NULL OR NOT is_front_door);

-- One name, one organisation: "Police" and "police" are the same agency; a team's name is unique
-- in the partnership, as pages name a team without its agency.
CREATE UNIQUE INDEX agency_partnership_lower_name_key ON agency (partnership_id, lower(name));
CREATE UNIQUE INDEX team_partnership_lower_name_key ON team (partnership_id, lower(name));

-- Every add, rename, change and retirement of an agency or a team (append-only: grants.sql).
CREATE TABLE organisation_change (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  agency_id uuid REFERENCES agency(id),
  team_id uuid REFERENCES team(id),
  change text NOT NULL CHECK (change IN ('ADDED', 'RENAMED', 'KIND_CHANGED', 'FRONT_DOOR_CHANGED', 'RETIRED')),
  before jsonb,
  after jsonb,
  -- Null when the system itself made the change (the command line, the demo seed).
  changed_by uuid REFERENCES app_user(id),
  changed_at timestamptz NOT NULL DEFAULT now(),
  -- The form's own key on an addition: the same form sent twice adds one organisation.
  form_key uuid,
  CHECK ((agency_id IS NULL) <> (team_id IS NULL))
);
CREATE INDEX organisation_change_agency_idx ON organisation_change (agency_id, changed_at) WHERE agency_id IS NOT NULL;
CREATE INDEX organisation_change_team_idx ON organisation_change (team_id, changed_at) WHERE team_id IS NOT NULL;
CREATE UNIQUE INDEX organisation_change_form_key ON organisation_change (partnership_id, form_key) WHERE form_key IS NOT NULL;
