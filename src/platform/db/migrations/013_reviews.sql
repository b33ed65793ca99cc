-- Reviews (serious case reviews, rapid reviews, audits, inspections) and their action plans:
-- findings → questions or recommendations → one response per agency → actions, and evidence.
-- The plan tables hold the current state (and the keys that keep it unique); every state ever
-- recorded is kept in the append-only *_version tables, so a report "as at" a past date is the
-- latest version of each item recorded by the end of that day. Within PostgreSQL 15.

CREATE TABLE review (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  kind text NOT NULL CHECK (kind IN ('SERIOUS_CASE_REVIEW', 'CHILD_SAFEGUARDING_PRACTICE_REVIEW', 'RAPID_REVIEW', 'THEMATIC_AUDIT', 'MULTI_AGENCY_CASE_AUDIT', 'INSPECTION', 'SINGLE_AGENCY_AUDIT', 'OTHER')),
  name text NOT NULL CHECK (length(trim(name)) > 0),
  review_date date,
  created_by uuid REFERENCES app_user(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX review_name_key ON review (partnership_id, lower(name));

-- The board's RAG key: four fixed keys whose labels, colours and meanings the partnership sets.
-- No rows means the default key (reviews.rules.ts).
CREATE TABLE review_rag_key (
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  key text NOT NULL CHECK (key IN ('RED', 'AMBER', 'GREEN', 'COMPLETED')),
  label text NOT NULL,
  colour text NOT NULL,
  meaning text NOT NULL,
  updated_by uuid REFERENCES app_user(id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partnership_id, key)
);

CREATE TABLE review_finding (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  review_id uuid NOT NULL REFERENCES review(id),
  number text NOT NULL,
  title text NOT NULL,
  narrative text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX review_finding_number_key ON review_finding (review_id, lower(number));

CREATE TABLE review_question (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  review_id uuid NOT NULL REFERENCES review(id),
  finding_id uuid NOT NULL REFERENCES review_finding(id),
  code text NOT NULL,
  text text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX review_question_code_key ON review_question (review_id, lower(code));
CREATE INDEX review_question_finding_idx ON review_question (finding_id);

CREATE TABLE review_response (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  review_id uuid NOT NULL REFERENCES review(id),
  question_id uuid NOT NULL REFERENCES review_question(id),
  agency_id uuid NOT NULL REFERENCES agency(id),
  response text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (question_id, agency_id)
);
CREATE INDEX review_response_review_idx ON review_response (review_id);

-- Every state of a finding, question or response (its text as it was), append-only.
CREATE TABLE review_item_version (
  id bigserial PRIMARY KEY,
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  review_id uuid NOT NULL REFERENCES review(id),
  item_type text NOT NULL CHECK (item_type IN ('FINDING', 'QUESTION', 'RESPONSE')),
  item_id uuid NOT NULL,
  parent_id uuid,
  data jsonb NOT NULL,
  recorded_by uuid REFERENCES app_user(id),
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX review_item_version_asat_idx ON review_item_version (review_id, item_id, recorded_at DESC, id DESC);

-- The action as it is now (kept alongside its history); `version` guards against lost updates.
CREATE TABLE review_action (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  review_id uuid NOT NULL REFERENCES review(id),
  response_id uuid NOT NULL REFERENCES review_response(id),
  agency_id uuid NOT NULL REFERENCES agency(id),
  position integer NOT NULL,
  text text NOT NULL CHECK (length(trim(text)) > 0),
  text_key text NOT NULL,
  rag text CHECK (rag IN ('RED', 'AMBER', 'GREEN', 'COMPLETED')),
  constraints text,
  target_date date,
  target_text text,
  evidence text,
  lead_user_id uuid REFERENCES app_user(id),
  lead_text text,
  desired_outcome text,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX review_action_response_idx ON review_action (response_id, position);
CREATE INDEX review_action_review_idx ON review_action (review_id);

-- Every state of every action, append-only: created, edited, or a dated progress update with its
-- RAG change from → to. As at a date = the latest row per action with recorded_at ≤ end of that day.
CREATE TABLE review_action_version (
  id bigserial PRIMARY KEY,
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  review_id uuid NOT NULL REFERENCES review(id),
  action_id uuid NOT NULL REFERENCES review_action(id),
  response_id uuid NOT NULL REFERENCES review_response(id),
  version integer NOT NULL,
  change text NOT NULL CHECK (change IN ('CREATED', 'EDITED', 'PROGRESS', 'IMPORTED')),
  progress_note text,
  rag_from text,
  text text NOT NULL,
  rag text,
  constraints text,
  target_date date,
  target_text text,
  evidence text,
  lead_user_id uuid REFERENCES app_user(id),
  lead_text text,
  desired_outcome text,
  position integer NOT NULL,
  recorded_by uuid REFERENCES app_user(id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (action_id, version)
);
CREATE INDEX review_action_version_asat_idx ON review_action_version (review_id, action_id, recorded_at DESC, id DESC);

-- Evidence documents: in the database (content) or in the configured folder (storage_path). Append-only.
CREATE TABLE review_evidence_document (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  review_id uuid NOT NULL REFERENCES review(id),
  action_id uuid NOT NULL REFERENCES review_action(id),
  file_name text NOT NULL,
  file_type text NOT NULL,
  content_type text NOT NULL,
  size_bytes integer NOT NULL CHECK (size_bytes > 0),
  sha256 text NOT NULL,
  content bytea,
  storage_path text,
  uploaded_by uuid REFERENCES app_user(id),
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((content IS NULL) <> (storage_path IS NULL))
);
CREATE INDEX review_evidence_document_action_idx ON review_evidence_document (action_id, uploaded_at);

ALTER TABLE review ENABLE ROW LEVEL SECURITY;
ALTER TABLE review_rag_key ENABLE ROW LEVEL SECURITY;
ALTER TABLE review_finding ENABLE ROW LEVEL SECURITY;
ALTER TABLE review_question ENABLE ROW LEVEL SECURITY;
ALTER TABLE review_response ENABLE ROW LEVEL SECURITY;
ALTER TABLE review_item_version ENABLE ROW LEVEL SECURITY;
ALTER TABLE review_action ENABLE ROW LEVEL SECURITY;
ALTER TABLE review_action_version ENABLE ROW LEVEL SECURITY;
ALTER TABLE review_evidence_document ENABLE ROW LEVEL SECURITY;
CREATE POLICY review_partnership ON review
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY review_rag_key_partnership ON review_rag_key
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY review_finding_partnership ON review_finding
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY review_question_partnership ON review_question
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY review_response_partnership ON review_response
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY review_item_version_partnership ON review_item_version
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY review_action_partnership ON review_action
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY review_action_version_partnership ON review_action_version
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY review_evidence_document_partnership ON review_evidence_document
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
