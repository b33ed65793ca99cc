-- Issue 18, part 6: subject access requests (UK GDPR Article 15, DPA 2018). A request for
-- everything held about a person (a child, or a parent or carer connected to a child), the items
-- gathered from every feature as they were when gathered, the redactions made item by item with
-- a reason, and a second person's decision before release (ADR 0011).

CREATE TABLE subject_access_request (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  -- SAR-<year>-<number>: what the requester, the PDF and the audit talk about (no personal data).
  reference text NOT NULL,
  subject_kind text NOT NULL CHECK (subject_kind IN ('CHILD', 'PARENT_CARER')),
  -- The child, or the child the parent or carer is connected to. Deleting a child's record under
  -- the retention schedule deletes the copies gathered for a request about them.
  child_id uuid NOT NULL REFERENCES child(id) ON DELETE CASCADE,
  requester_name text,
  requester_relationship text,
  received_on date NOT NULL,
  due_on date NOT NULL,
  identity_checked boolean NOT NULL,
  identity_how text,
  status text NOT NULL DEFAULT 'RECORDED'
    CHECK (status IN ('RECORDED', 'GATHERED', 'SUBMITTED', 'DECLINED', 'APPROVED')),
  recorded_by uuid NOT NULL REFERENCES app_user(id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  gathered_by uuid REFERENCES app_user(id),
  gathered_at timestamptz,
  submitted_by uuid REFERENCES app_user(id),
  submitted_at timestamptz,
  decided_by uuid REFERENCES app_user(id),
  decided_at timestamptz,
  decline_reason text,
  released_by uuid REFERENCES app_user(id),
  released_at timestamptz,
  idempotency_key uuid NOT NULL,
  version integer NOT NULL DEFAULT 1,
  UNIQUE (partnership_id, reference),
  UNIQUE (partnership_id, idempotency_key),
  CHECK (subject_kind = 'CHILD' OR (requester_name IS NOT NULL AND requester_relationship IS NOT NULL)),
  CHECK (NOT identity_checked OR identity_how IS NOT NULL),
  CHECK (due_on > received_on),
  -- Never approved by the person who submitted it.
  CHECK (status <> 'APPROVED' OR decided_by IS DISTINCT FROM submitted_by)
);
CREATE INDEX subject_access_request_list_idx ON subject_access_request (partnership_id, status, due_on);

-- One row per item gathered: where it came from, what it said then (fields, in order), when it happened.
CREATE TABLE subject_access_item (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  request_id uuid NOT NULL REFERENCES subject_access_request(id) ON DELETE CASCADE,
  source text NOT NULL,
  source_id text NOT NULL,
  title text NOT NULL,
  occurred_at timestamptz,
  -- [{ "key": ..., "label": ..., "value": ... }]
  fields jsonb NOT NULL,
  gathered_by uuid NOT NULL REFERENCES app_user(id),
  gathered_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (request_id, source, source_id)
);
CREATE INDEX subject_access_item_request_idx ON subject_access_item (request_id, occurred_at);

-- A redaction: the whole item, one field, or some words of a field, with the reason.
CREATE TABLE subject_access_redaction (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  request_id uuid NOT NULL REFERENCES subject_access_request(id) ON DELETE CASCADE,
  item_id uuid NOT NULL REFERENCES subject_access_item(id) ON DELETE CASCADE,
  part text NOT NULL CHECK (part IN ('ITEM', 'FIELD', 'WORDS')),
  field_key text,
  words text,
  reason_code text NOT NULL
    CHECK (reason_code IN ('THIRD_PARTY_CHILD', 'THIRD_PARTY_PUBLIC', 'POLICE', 'HEALTH', 'OTHER_EXEMPTION')),
  reason_text text,
  -- Marked when the records were gathered (a linked child's name), not by a person's choice.
  pre_marked boolean NOT NULL DEFAULT false,
  redacted_by uuid NOT NULL REFERENCES app_user(id),
  redacted_at timestamptz NOT NULL DEFAULT now(),
  idempotency_key uuid,
  UNIQUE (request_id, idempotency_key),
  CHECK ((part = 'ITEM') = (field_key IS NULL)),
  CHECK ((part = 'WORDS') = (words IS NOT NULL)),
  CHECK (reason_code <> 'OTHER_EXEMPTION' OR length(btrim(coalesce(reason_text, ''))) > 0)
);
CREATE INDEX subject_access_redaction_item_idx ON subject_access_redaction (request_id, item_id);

-- Every decision on a submitted bundle (the request row holds the current one).
CREATE TABLE subject_access_decision (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  request_id uuid NOT NULL REFERENCES subject_access_request(id) ON DELETE CASCADE,
  submitted_by uuid NOT NULL REFERENCES app_user(id),
  submitted_at timestamptz NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('APPROVED', 'DECLINED')),
  reason text,
  decided_by uuid NOT NULL REFERENCES app_user(id),
  decided_at timestamptz NOT NULL DEFAULT now(),
  CHECK (decided_by <> submitted_by),
  CHECK (outcome = 'APPROVED' OR length(btrim(coalesce(reason, ''))) > 0)
);
CREATE INDEX subject_access_decision_request_idx ON subject_access_decision (request_id, decided_at);

ALTER TABLE subject_access_request ENABLE ROW LEVEL SECURITY;
ALTER TABLE subject_access_item ENABLE ROW LEVEL SECURITY;
ALTER TABLE subject_access_redaction ENABLE ROW LEVEL SECURITY;
ALTER TABLE subject_access_decision ENABLE ROW LEVEL SECURITY;
CREATE POLICY subject_access_request_partnership ON subject_access_request
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY subject_access_item_partnership ON subject_access_item
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY subject_access_redaction_partnership ON subject_access_redaction
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
CREATE POLICY subject_access_decision_partnership ON subject_access_decision
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
