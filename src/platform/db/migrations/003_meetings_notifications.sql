-- Meetings on the pathway (strategy meeting or discussion now; review, panel and end meetings in
-- part 2), their invitations and attendance, actions, addenda after the minutes are locked, and
-- in-app notifications. Within PostgreSQL 15.

CREATE TABLE meeting (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  case_id uuid NOT NULL REFERENCES hsb_case(id),
  kind text NOT NULL CHECK (kind IN ('STRATEGY_MEETING', 'STRATEGY_DISCUSSION', 'REVIEW_STRATEGY_MEETING', 'HSB_PANEL', 'END_MEETING')),
  scheduled_for timestamptz NOT NULL,
  held_at timestamptz,
  chair_id uuid NOT NULL REFERENCES app_user(id),
  status text NOT NULL DEFAULT 'SCHEDULED' CHECK (status IN ('SCHEDULED', 'FINALISED')),
  -- Information shared; risks, vulnerabilities, protective factors; the Signs of Safety map with each
  -- person's 0-10 score; decisions. Shape: see meetings.rules.ts.
  minutes jsonb NOT NULL DEFAULT '{}'::jsonb,
  outcomes text[] NOT NULL DEFAULT '{}',
  version integer NOT NULL DEFAULT 1,
  created_by uuid NOT NULL REFERENCES app_user(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  finalised_by uuid REFERENCES app_user(id),
  finalised_at timestamptz,
  CHECK ((status = 'FINALISED') = (finalised_at IS NOT NULL))
);
CREATE INDEX meeting_case_idx ON meeting (case_id, scheduled_for);
CREATE INDEX meeting_chair_idx ON meeting (chair_id, scheduled_for);

CREATE TABLE meeting_invitation (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  meeting_id uuid NOT NULL REFERENCES meeting(id),
  agency_id uuid NOT NULL REFERENCES agency(id),
  user_id uuid REFERENCES app_user(id),
  attendance text NOT NULL DEFAULT 'INVITED' CHECK (attendance IN ('INVITED', 'PRESENT', 'APOLOGIES', 'ABSENT')),
  UNIQUE (meeting_id, agency_id, user_id)
);
CREATE INDEX meeting_invitation_user_idx ON meeting_invitation (user_id) WHERE user_id IS NOT NULL;

CREATE TABLE meeting_action (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  meeting_id uuid NOT NULL REFERENCES meeting(id),
  text text NOT NULL,
  owner_user_id uuid REFERENCES app_user(id),
  owner_text text,
  due_on date,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX meeting_action_meeting_idx ON meeting_action (meeting_id);

-- After the minutes are finalised they are locked; corrections and additions are addenda. Append-only.
CREATE TABLE meeting_addendum (
  id bigserial PRIMARY KEY,
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  meeting_id uuid NOT NULL REFERENCES meeting(id),
  text text NOT NULL CHECK (length(trim(text)) > 0),
  author_id uuid NOT NULL REFERENCES app_user(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX meeting_addendum_meeting_idx ON meeting_addendum (meeting_id, id);

CREATE TABLE notification (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  user_id uuid NOT NULL REFERENCES app_user(id),
  kind text NOT NULL CHECK (kind IN ('STRATEGY_MEETING_DUE', 'STRATEGY_MEETING_OVERDUE', 'MEETING_INVITATION')),
  case_id uuid REFERENCES hsb_case(id),
  meeting_id uuid REFERENCES meeting(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz,
  -- One notification per person per event: re-running the job that raises them adds nothing.
  dedupe_key text NOT NULL,
  UNIQUE (user_id, dedupe_key)
);
CREATE INDEX notification_user_idx ON notification (user_id, created_at DESC);

ALTER TABLE meeting ENABLE ROW LEVEL SECURITY;
ALTER TABLE meeting_invitation ENABLE ROW LEVEL SECURITY;
ALTER TABLE meeting_action ENABLE ROW LEVEL SECURITY;
ALTER TABLE meeting_addendum ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification ENABLE ROW LEVEL SECURITY;
CREATE POLICY meeting_partnership ON meeting
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY meeting_invitation_partnership ON meeting_invitation
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY meeting_action_partnership ON meeting_action
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY meeting_addendum_partnership ON meeting_addendum
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY notification_partnership ON notification
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
