-- When it happened (issue 15): every fact on a case carries when it happened (occurred_at, which
-- the person may set: a step entered after the event) and when it was recorded (recorded_at,
-- always the time of entry, never editable). Until now occurred_at was the time of entry, so
-- existing rows get recorded_at = occurred_at.
ALTER TABLE case_event ADD COLUMN recorded_at timestamptz NOT NULL DEFAULT now();
UPDATE case_event SET recorded_at = occurred_at;
-- Why a step was entered long after it happened ("entered late because…"), when it was.
ALTER TABLE case_event ADD COLUMN late_reason text CHECK (late_reason IS NULL OR length(trim(late_reason)) > 0);
CREATE INDEX case_event_case_occurred_idx ON case_event (case_id, occurred_at);

-- Every clock can stop: met by its step (stop_reason NULL), or stopped because the case closed.
ALTER TABLE case_clock ADD COLUMN stop_reason text CHECK (stop_reason IS NULL OR stop_reason IN ('CASE_CLOSED'));

-- A case opens when its request for support was received, not when it was typed in.
UPDATE hsb_case SET opened_at = referral_received_at WHERE referral_received_at < opened_at;

-- Clocks still running on a case already closed stop, as the case closed.
UPDATE case_clock k
   SET met_at = c.closed_at, stop_reason = 'CASE_CLOSED'
  FROM hsb_case c
 WHERE c.id = k.case_id AND k.met_at IS NULL AND c.closed_at IS NOT NULL;
