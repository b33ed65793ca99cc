-- Referrals (issue 14): a request closed at the front door (no further action, early help) keeps
-- the front door involved with the child for the days the partnership sets
-- (FRONT_DOOR_ACCESS_DAYS_AFTER_CLOSURE, 30 by default), then their access ends on its own. An
-- involvement is open until its end, which may lie ahead (involvementOpen in
-- platform/access/relationship.sql.ts). Requests closed at the front door before this end 30 days
-- after their decision, unless the same involvement serves another case still at the front door.
UPDATE child_involvement i
   SET ended_at = d.decided_at + interval '30 days'
  FROM (SELECT s.involvement_id, max(e.occurred_at) AS decided_at
          FROM screening_involvement s
          JOIN case_event e ON e.case_id = s.case_id AND e.action IN ('CLOSE_NO_FURTHER_ACTION', 'REQUEST_EARLY_HELP')
         GROUP BY s.involvement_id) d
 WHERE i.id = d.involvement_id
   AND i.ended_at IS NULL
   AND NOT EXISTS (SELECT 1 FROM screening_involvement o JOIN hsb_case k ON k.id = o.case_id
                    WHERE o.involvement_id = i.id AND k.allocated_team_id IS NULL AND k.closed_at IS NULL);
