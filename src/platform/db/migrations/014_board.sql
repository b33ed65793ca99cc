-- Uploaded action plans kept between the preview and the confirmation of an import (short-lived),
-- and the board's meetings: agenda items (optionally about a review), minutes, numbered actions
-- and their progress updates (append-only). Within PostgreSQL 15.

CREATE TABLE action_plan_upload (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  review_id uuid NOT NULL REFERENCES review(id),
  uploaded_by uuid NOT NULL REFERENCES app_user(id),
  file_kind text NOT NULL CHECK (file_kind IN ('CSV', 'XLSX')),
  size_bytes integer NOT NULL CHECK (size_bytes > 0),
  sha256 text NOT NULL,
  content bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX action_plan_upload_expiry_idx ON action_plan_upload (expires_at);
CREATE INDEX action_plan_upload_review_idx ON action_plan_upload (review_id);

CREATE TABLE board_meeting (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  meeting_date date NOT NULL,
  title text NOT NULL CHECK (length(trim(title)) > 0),
  created_by uuid REFERENCES app_user(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX board_meeting_date_idx ON board_meeting (partnership_id, meeting_date DESC);

CREATE TABLE board_agenda_item (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  meeting_id uuid NOT NULL REFERENCES board_meeting(id),
  position integer NOT NULL CHECK (position > 0),
  title text NOT NULL CHECK (length(trim(title)) > 0),
  review_id uuid REFERENCES review(id),
  minutes text,
  minutes_by uuid REFERENCES app_user(id),
  minutes_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (meeting_id, position)
);
CREATE INDEX board_agenda_item_review_idx ON board_agenda_item (review_id) WHERE review_id IS NOT NULL;

-- Numbered per partnership: BA-001, BA-002, ...
CREATE TABLE board_action (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  number integer NOT NULL CHECK (number > 0),
  meeting_id uuid NOT NULL REFERENCES board_meeting(id),
  agenda_item_id uuid REFERENCES board_agenda_item(id),
  text text NOT NULL CHECK (length(trim(text)) > 0),
  owner_user_id uuid REFERENCES app_user(id),
  owner_text text,
  due_on date,
  status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'IN_PROGRESS', 'DONE')),
  version integer NOT NULL DEFAULT 1,
  created_by uuid REFERENCES app_user(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (partnership_id, number),
  CHECK (owner_user_id IS NOT NULL OR owner_text IS NOT NULL)
);
CREATE INDEX board_action_meeting_idx ON board_action (meeting_id, number);
CREATE INDEX board_action_open_idx ON board_action (partnership_id, status, due_on);

-- Every progress update on a board action (status then, and what was said), append-only.
CREATE TABLE board_action_update (
  id bigserial PRIMARY KEY,
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  action_id uuid NOT NULL REFERENCES board_action(id),
  status text NOT NULL CHECK (status IN ('OPEN', 'IN_PROGRESS', 'DONE')),
  status_from text,
  note text NOT NULL,
  author_id uuid REFERENCES app_user(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX board_action_update_action_idx ON board_action_update (action_id, id);

ALTER TABLE action_plan_upload ENABLE ROW LEVEL SECURITY;
ALTER TABLE board_meeting ENABLE ROW LEVEL SECURITY;
ALTER TABLE board_agenda_item ENABLE ROW LEVEL SECURITY;
ALTER TABLE board_action ENABLE ROW LEVEL SECURITY;
ALTER TABLE board_action_update ENABLE ROW LEVEL SECURITY;
CREATE POLICY action_plan_upload_partnership ON action_plan_upload
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY board_meeting_partnership ON board_meeting
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY board_agenda_item_partnership ON board_agenda_item
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY board_action_partnership ON board_action
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY board_action_update_partnership ON board_action_update
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
