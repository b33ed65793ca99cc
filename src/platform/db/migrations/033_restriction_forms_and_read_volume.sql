-- Issue 18 (features/restriction, platform/access/privacy-alerts.ts).

-- A restriction form is sent once: its key (a hidden field) is kept on the change it made, so
-- the same form sent again adds nothing to the record's restriction history.
ALTER TABLE child_restriction_change ADD COLUMN form_key uuid;
CREATE UNIQUE INDEX child_restriction_change_form_key_idx ON child_restriction_change (child_id, form_key)
  WHERE form_key IS NOT NULL;

-- The privacy officer's "unusual volume" alert counts the distinct children one person opened in
-- the last hour from their allowed reads in the audit log (a child's record or a case): this index
-- keeps that count to the person's own reads of the hour.
CREATE INDEX audit_log_child_read_idx ON audit_log (user_id, occurred_at)
  WHERE outcome = 'ALLOWED' AND action IN ('child:read', 'case:read');
