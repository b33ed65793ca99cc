-- Local timescales (cases, issue 18): a partnership changes a clock's length from a date, on a page.
-- Each row is now one change, kept: the length a clock started at instant t gets is the row with
-- the latest effective_from on or before t's UK calendar date (the latest recorded, if a change for
-- that date was made again). Clocks already running keep the due moment they started with.
-- Rows from before this migration apply from the beginning (1970-01-01), as they did, recorded by
-- the command line (changed_by null), their previous length not known.
ALTER TABLE partnership_timescale ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE partnership_timescale ADD COLUMN effective_from date NOT NULL DEFAULT '1970-01-01';
-- The length in effect on effective_from before this change (null: the national length was not recorded).
ALTER TABLE partnership_timescale ADD COLUMN previous_length integer CHECK (previous_length > 0);
-- Who changed it (null: the command line, the system itself) and when it was recorded.
ALTER TABLE partnership_timescale ADD COLUMN changed_by uuid REFERENCES app_user(id);
ALTER TABLE partnership_timescale ADD COLUMN changed_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE partnership_timescale ADD COLUMN reason text CHECK (char_length(reason) <= 500);
-- The page's one-time key: the same form sent twice makes one change.
ALTER TABLE partnership_timescale ADD COLUMN form_key uuid;

ALTER TABLE partnership_timescale DROP CONSTRAINT partnership_timescale_pkey;
ALTER TABLE partnership_timescale ADD PRIMARY KEY (id);
ALTER TABLE partnership_timescale ADD CONSTRAINT partnership_timescale_form_key UNIQUE (partnership_id, form_key);
CREATE INDEX partnership_timescale_effective_idx ON partnership_timescale (partnership_id, clock_kind, effective_from, changed_at);
