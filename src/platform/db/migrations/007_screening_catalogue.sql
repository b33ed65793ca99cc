-- A partnership's own behaviour catalogue for a screening tool, loaded from a file by the HSB
-- lead. No licensed behaviour list is shipped: the rows come only from a partnership's file.
-- Loading replaces the partnership's catalogue for each tool version in the file.

CREATE TABLE screening_catalogue_item (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  tool_version text NOT NULL,
  age_band text NOT NULL,
  rating text NOT NULL CHECK (rating IN ('GREEN', 'AMBER', 'RED')),
  behaviour text NOT NULL CHECK (length(behaviour) BETWEEN 1 AND 300),
  loaded_by uuid REFERENCES app_user(id),
  loaded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX screening_catalogue_item_band ON screening_catalogue_item (partnership_id, tool_version, age_band);

ALTER TABLE screening_catalogue_item ENABLE ROW LEVEL SECURITY;
CREATE POLICY screening_catalogue_item_partnership ON screening_catalogue_item
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));
