-- Email notifications: an outbox written in the same transaction as each in-app notification,
-- drained by the sender (src/platform/email). A row holds only the notification's kind and the
-- person's work email address: the wording is worked out when it is sent and never names a child.
CREATE TABLE email_outbox (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  -- One email per notification: a notification raised again (same person, same dedupe key) is
  -- not inserted, so it queues nothing; this keeps it so whatever inserts the notification.
  notification_id uuid NOT NULL UNIQUE REFERENCES notification(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES app_user(id),
  kind text NOT NULL,
  to_address text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- When the sender may next try; moved on with backoff after a failure.
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  -- A sender that claimed the row holds it until then (a crashed sender's claim runs out).
  claimed_until timestamptz,
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- An error code and SMTP status only (no addresses, no message text).
  last_error text,
  sent_at timestamptz,
  gave_up_at timestamptz,
  CHECK (sent_at IS NULL OR gave_up_at IS NULL)
);
CREATE INDEX email_outbox_pending_idx ON email_outbox (next_attempt_at) WHERE sent_at IS NULL AND gave_up_at IS NULL;
CREATE INDEX email_outbox_user_idx ON email_outbox (user_id);

ALTER TABLE email_outbox ENABLE ROW LEVEL SECURITY;
CREATE POLICY email_outbox_partnership ON email_outbox
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));

-- Every path that inserts a notification (the queues' repository, the meetings feature, any
-- feature to come) queues its email in the same statement, so in the same transaction: a
-- rolled-back step leaves neither. ON CONFLICT DO NOTHING on notification fires no trigger.
-- A disabled account gets no email.
CREATE FUNCTION hsb_queue_notification_email() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO email_outbox (partnership_id, notification_id, user_id, kind, to_address)
  SELECT NEW.partnership_id, NEW.id, u.id, NEW.kind, u.email
  FROM app_user u
  WHERE u.id = NEW.user_id AND u.disabled_at IS NULL
  ON CONFLICT (notification_id) DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER notification_queues_email AFTER INSERT ON notification
  FOR EACH ROW EXECUTE FUNCTION hsb_queue_notification_email();
