-- When it happened (issue 15, ADR 0008) in a multi-agency case audit. Consent already kept the
-- date it was sought or answered (consent_on, as entered) apart from when it was recorded
-- (consent_recorded_at). A finding and the panel were stamped with the time they were typed in:
-- now they keep when they happened (the business manager may give it, default now) beside when
-- they were recorded, with the reason when entered long after. Until now the time of entry was
-- all there was, so existing rows get occurred = recorded.

-- A finding: when it was agreed (occurred_at) and when it was recorded (created_at, as before).
ALTER TABLE case_audit_finding ADD COLUMN occurred_at timestamptz;
UPDATE case_audit_finding SET occurred_at = created_at;
ALTER TABLE case_audit_finding ALTER COLUMN occurred_at SET NOT NULL, ALTER COLUMN occurred_at SET DEFAULT now();
ALTER TABLE case_audit_finding ADD COLUMN late_reason text CHECK (late_reason IS NULL OR length(trim(late_reason)) > 0);
DROP INDEX case_audit_finding_audit_idx;
CREATE INDEX case_audit_finding_audit_idx ON case_audit_finding (audit_id, occurred_at);

-- The panel: when it met (panel_held_at; panel_date stays the date it was planned for at set-up)
-- and when its record was saved (panel_recorded_at, as before).
ALTER TABLE case_audit ADD COLUMN panel_held_at timestamptz;
ALTER TABLE case_audit ADD COLUMN panel_late_reason text CHECK (panel_late_reason IS NULL OR length(trim(panel_late_reason)) > 0);
UPDATE case_audit SET panel_held_at = panel_recorded_at WHERE panel_recorded_at IS NOT NULL;
ALTER TABLE case_audit ADD CONSTRAINT case_audit_panel_held_recorded CHECK ((panel_held_at IS NULL) = (panel_recorded_at IS NULL));
