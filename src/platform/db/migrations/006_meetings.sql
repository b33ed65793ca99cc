-- Meetings: one record per submitted form, whatever the number of clicks. Within PostgreSQL 15.
-- A double-clicked "arrange" or "add addendum" carries the same key from its hidden field;
-- the minutes remember the key of their last save, so a second click of the same save or
-- finalise is recognised instead of being refused as a stale version.

ALTER TABLE meeting ADD COLUMN idempotency_key text UNIQUE;
ALTER TABLE meeting ADD COLUMN last_save_key text;
ALTER TABLE meeting_addendum ADD COLUMN idempotency_key text UNIQUE;
