-- Referrals (issue 14): who screens a request for support (the front door, or on the open-case
-- route the team allocated to the child) is involved with the child only until the case is
-- allocated. Each case's screeners have involvements of their own (child_involvement rows), listed
-- here, and the allocation ends them (kept, with their end), through the case kernel.
CREATE TABLE screening_involvement (
  partnership_id uuid NOT NULL REFERENCES partnership(id),
  case_id uuid NOT NULL REFERENCES hsb_case(id),
  involvement_id uuid NOT NULL REFERENCES child_involvement(id),
  PRIMARY KEY (case_id, involvement_id)
);
CREATE INDEX screening_involvement_involvement_idx ON screening_involvement (involvement_id);

ALTER TABLE screening_involvement ENABLE ROW LEVEL SECURITY;
CREATE POLICY screening_involvement_partnership ON screening_involvement
  USING (hsb_partnership_visible(partnership_id)) WITH CHECK (hsb_partnership_visible(partnership_id));

-- Before this, a front-door team stayed involved after allocation. A front-door team's open
-- involvement (the team, no named person) with a child who has an allocated case and no case still
-- waiting at the front door ends when the child's case was last allocated.
UPDATE child_involvement i
   SET ended_at = greatest(i.started_at, coalesce(
         (SELECT max(e.occurred_at) FROM case_event e JOIN hsb_case k ON k.id = e.case_id
           WHERE k.child_id = i.child_id AND e.action = 'ALLOCATE'),
         now()))
 WHERE i.ended_at IS NULL
   AND i.kind = 'INVOLVED'
   AND i.user_id IS NULL
   AND i.team_id IN (SELECT t.id FROM team t WHERE t.is_front_door)
   AND EXISTS (SELECT 1 FROM hsb_case k WHERE k.child_id = i.child_id AND k.allocated_team_id IS NOT NULL)
   AND NOT EXISTS (SELECT 1 FROM hsb_case k WHERE k.child_id = i.child_id AND k.allocated_team_id IS NULL AND k.closed_at IS NULL);

-- The front-door involvements still open with a case waiting at the front door end when it is allocated.
INSERT INTO screening_involvement (partnership_id, case_id, involvement_id)
SELECT k.partnership_id, k.id, i.id
  FROM hsb_case k
  JOIN child_involvement i ON i.child_id = k.child_id
 WHERE k.allocated_team_id IS NULL
   AND k.closed_at IS NULL
   AND i.ended_at IS NULL
   AND i.kind = 'INVOLVED'
   AND i.user_id IS NULL
   AND i.team_id IN (SELECT t.id FROM team t WHERE t.is_front_door);
