-- Children: finding a child before creating one, and creating the record once.

-- A double-clicked "Create record" carries the same key (a hidden field): the second submit
-- finds the first child instead of creating another.
ALTER TABLE child ADD COLUMN idempotency_key text UNIQUE;

-- One record per NHS number and per UPN in a partnership: the service refuses a duplicate with a
-- field error; these make two people creating the same child at the same moment safe too.
DROP INDEX IF EXISTS child_nhs_number_idx;
DROP INDEX IF EXISTS child_upn_idx;
CREATE UNIQUE INDEX child_nhs_number_key ON child (partnership_id, nhs_number) WHERE nhs_number IS NOT NULL;
CREATE UNIQUE INDEX child_upn_key ON child (partnership_id, upn) WHERE upn IS NOT NULL;
