-- Issue 18, the privacy officer's workspace (features/privacy): the one-time key of the form that
-- reviewed an alert, so the same form sent again (Back, resend) finds its own review instead of
-- a conflict, and a second review of an alert is refused.
ALTER TABLE privacy_alert ADD COLUMN review_key uuid;
ALTER TABLE privacy_alert ADD CONSTRAINT privacy_alert_review_key_with_review CHECK (review_key IS NULL OR reviewed_at IS NOT NULL);
