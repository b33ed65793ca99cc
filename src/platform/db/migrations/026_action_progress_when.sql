-- When it happened (issue 15), for action plans: every version of a review action carries when it
-- happened (occurred_at: a progress update may be dated to when the progress was made) besides when
-- it was recorded (recorded_at, always the time of entry), and why it was entered late when it was.
-- The plan as at a date reads occurred_at. Until now every version happened when it was recorded.
ALTER TABLE review_action_version ADD COLUMN occurred_at timestamptz;
UPDATE review_action_version SET occurred_at = recorded_at;
ALTER TABLE review_action_version ALTER COLUMN occurred_at SET NOT NULL;
ALTER TABLE review_action_version ALTER COLUMN occurred_at SET DEFAULT now();
ALTER TABLE review_action_version ADD COLUMN late_reason text CHECK (late_reason IS NULL OR length(trim(late_reason)) > 0);

-- The as-at report: the latest version per action that happened by the end of the day.
DROP INDEX review_action_version_asat_idx;
CREATE INDEX review_action_version_asat_idx ON review_action_version (review_id, action_id, occurred_at DESC, version DESC);
