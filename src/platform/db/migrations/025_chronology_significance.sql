-- The child's chronology (issue 15): a practitioner marks their own entry significant when they add
-- it, so the chronology can show significant events only. Entries are kept as written (no UPDATE
-- is granted), so the flag is set once, on insert; entries written before now were not marked.
ALTER TABLE chronology_entry ADD COLUMN is_significant boolean NOT NULL DEFAULT false;
