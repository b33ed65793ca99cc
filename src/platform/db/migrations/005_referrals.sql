-- Referrals: which teams are the partnership's front door (advice and support hub, MASH). A new
-- request for support involves the front-door team(s), so their social workers can screen it.
-- Within PostgreSQL 15.

ALTER TABLE team ADD COLUMN is_front_door boolean NOT NULL DEFAULT false;
CREATE INDEX team_front_door_idx ON team (partnership_id) WHERE is_front_door;

-- Management oversight either confirms a screening or returns it to the worker with a note.
ALTER TABLE screening
  ADD COLUMN oversight_outcome text CHECK (oversight_outcome IN ('CONFIRMED', 'RETURNED')),
  ADD CONSTRAINT screening_oversight_complete CHECK ((oversight_outcome IS NULL) = (oversight_at IS NULL) AND (oversight_at IS NULL) = (oversight_by IS NULL));
