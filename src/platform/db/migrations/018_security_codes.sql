-- Security codes (issue 14): wrong codes are counted per account, across sessions, sign-ins and
-- processes. After SECURITY_CODE_LIMIT wrong codes in a row (platform/auth/auth.service.ts) the
-- account's code step is locked until locked_until; a correct code, or another person unlocking
-- it, resets the count. One row per account that has entered a wrong code: state, not history
-- (each wrong code, each lock and each unlock is in user_event and the audit log).
CREATE TABLE security_code_lock (
  user_id uuid PRIMARY KEY REFERENCES app_user(id) ON DELETE CASCADE,
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  wrong_codes integer NOT NULL DEFAULT 0 CHECK (wrong_codes >= 0),
  last_wrong_at timestamptz,
  locked_at timestamptz,
  locked_until timestamptz,
  CHECK ((locked_at IS NULL) = (locked_until IS NULL))
);

ALTER TABLE security_code_lock ENABLE ROW LEVEL SECURITY;
CREATE POLICY security_code_lock_partnership ON security_code_lock
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));

