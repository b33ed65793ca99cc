-- Retention erasure guards (issue 18, part 7; replaces migration 036's hsb_retention_erase, which
-- is otherwise unchanged). docs/adr/0012-retention.md.
--
-- 1. Another child's record stays whole. Interview material (ABE) is filed on the case of the child
--    who harmed; it names the harmed child. 036 deleted such material (and its access requests)
--    when erasing the harmed child, cutting into the other child's record and ignoring that
--    child's legal hold. Now only the material on this child's own cases goes; while material on
--    another child's case names this child as harmed, the erasure is refused (SQLSTATE HR004).
--    abe_material.harmed_child_id is not nullable and the material means nothing without whose
--    interview it was, so it is not cleared: the other child's record decides when it goes.
-- 2. An approved erasure is checked again when it runs: a child with a case that is not closed
--    (CLOSED or EARLY_HELP, as pathway.rules.ts's isOpen says) is refused (SQLSTATE HR005), e.g.
--    when the child was referred again after the approval.
CREATE OR REPLACE FUNCTION hsb_retention_erase(p_deletion_id uuid) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  d retention_deletion%ROWTYPE;
  v_child uuid;
  v_cases uuid[];
  v_meetings uuid[];
  v_assessments uuid[];
  v_materials uuid[];
  v_samples uuid[];
  v_involvements uuid[];
  v_requests uuid[];
  v_plans uuid[];
  v_persons text[];
  v_episodes text[];
  v_notifications uuid[];
  v_counts jsonb := '{}';
  v_n integer;
  v_tombstone uuid;
BEGIN
  SELECT * INTO d FROM retention_deletion WHERE id = p_deletion_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'retention: no such deletion' USING ERRCODE = 'HR002';
  END IF;
  -- The caller's partnership only (its transaction's row-level-security scope).
  IF NOT hsb_partnership_visible(d.partnership_id) THEN
    RAISE EXCEPTION 'retention: not this partnership''s deletion' USING ERRCODE = 'HR002';
  END IF;
  IF d.status <> 'APPROVED' OR d.decided_by IS NULL OR d.decided_by = d.proposed_by THEN
    RAISE EXCEPTION 'retention: the deletion is not approved by a second person' USING ERRCODE = 'HR003';
  END IF;
  SELECT id INTO v_child FROM child WHERE id = d.child_id AND partnership_id = d.partnership_id FOR UPDATE;
  IF v_child IS NULL THEN
    RAISE EXCEPTION 'retention: the child''s record is not there' USING ERRCODE = 'HR002';
  END IF;
  IF EXISTS (SELECT 1 FROM legal_hold WHERE child_id = v_child AND lifted_at IS NULL) THEN
    RAISE EXCEPTION 'retention: the child''s record is under a legal hold' USING ERRCODE = 'HR001';
  END IF;

  -- A case not closed (referred again after the approval, say): the record is not due.
  IF EXISTS (SELECT 1 FROM hsb_case WHERE child_id = v_child AND status NOT IN ('CLOSED', 'EARLY_HELP')) THEN
    RAISE EXCEPTION 'retention: the child has a case that is not closed' USING ERRCODE = 'HR005';
  END IF;

  SELECT coalesce(array_agg(id), '{}') INTO v_cases FROM hsb_case WHERE child_id = v_child;
  -- Interview material on another child's case naming this child as harmed is that child's record.
  IF EXISTS (SELECT 1 FROM abe_material WHERE harmed_child_id = v_child AND NOT (case_id = ANY (v_cases))) THEN
    RAISE EXCEPTION 'retention: the child is named as the harmed child in interview material on another child''s case'
      USING ERRCODE = 'HR004';
  END IF;
  SELECT coalesce(array_agg(id), '{}') INTO v_meetings FROM meeting WHERE case_id = ANY (v_cases);
  SELECT coalesce(array_agg(id), '{}') INTO v_assessments FROM aim_assessment WHERE case_id = ANY (v_cases) OR child_id = v_child;
  SELECT coalesce(array_agg(id), '{}') INTO v_materials FROM abe_material WHERE case_id = ANY (v_cases);
  SELECT coalesce(array_agg(id), '{}') INTO v_samples FROM case_audit_sample WHERE case_id = ANY (v_cases);
  SELECT coalesce(array_agg(id), '{}') INTO v_involvements FROM child_involvement WHERE child_id = v_child;
  SELECT coalesce(array_agg(id), '{}') INTO v_requests FROM request_for_support WHERE case_id = ANY (v_cases);
  SELECT coalesce(array_agg(id), '{}') INTO v_plans FROM intervention_plan WHERE case_id = ANY (v_cases);
  SELECT coalesce(array_agg(id), '{}') INTO v_notifications FROM notification
    WHERE case_id = ANY (v_cases) OR meeting_id = ANY (v_meetings);
  SELECT coalesce(array_agg(source_key), '{}') INTO v_persons FROM ssd_record
    WHERE partnership_id = d.partnership_id AND table_name = 'ssd_person' AND target_id = v_child;
  SELECT coalesce(array_agg(source_key), '{}') INTO v_episodes FROM ssd_record
    WHERE partnership_id = d.partnership_id AND table_name <> 'ssd_person' AND target_id = ANY (v_cases);

  -- Restricted interview material (ABE) on this child's own cases (another child's is refused above).
  DELETE FROM abe_access_request WHERE material_id = ANY (v_materials) OR case_id = ANY (v_cases);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('abe_access_request', v_n);
  DELETE FROM abe_material WHERE id = ANY (v_materials);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('abe_material', v_n);

  -- The AIM assessment and its co-assessors, information, interviews and extensions.
  DELETE FROM aim_co_assessor WHERE assessment_id = ANY (v_assessments) OR involvement_id = ANY (v_involvements);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('aim_co_assessor', v_n);
  DELETE FROM aim_extension WHERE assessment_id = ANY (v_assessments);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('aim_extension', v_n);
  DELETE FROM aim_information WHERE assessment_id = ANY (v_assessments);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('aim_information', v_n);
  DELETE FROM aim_interview WHERE assessment_id = ANY (v_assessments);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('aim_interview', v_n);
  DELETE FROM aim_assessment WHERE id = ANY (v_assessments);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('aim_assessment', v_n);

  -- Closure, intervention plans (every version), the HSB panel.
  DELETE FROM case_closure WHERE case_id = ANY (v_cases) OR end_meeting_id = ANY (v_meetings);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('case_closure', v_n);
  DELETE FROM intervention_plan_version WHERE plan_id = ANY (v_plans);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('intervention_plan_version', v_n);
  DELETE FROM intervention_plan WHERE id = ANY (v_plans) OR review_meeting_id = ANY (v_meetings);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('intervention_plan', v_n);
  DELETE FROM hsb_panel WHERE case_id = ANY (v_cases);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('hsb_panel', v_n);

  -- Notifications about the child's cases and meetings (their emails go with them: ON DELETE CASCADE).
  DELETE FROM email_outbox WHERE notification_id = ANY (v_notifications);
  DELETE FROM notification WHERE id = ANY (v_notifications);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('notification', v_n);

  -- Meetings: actions (and their completion), addenda, invitations, the meeting.
  DELETE FROM meeting_action_done WHERE case_id = ANY (v_cases)
    OR meeting_action_id IN (SELECT id FROM meeting_action WHERE meeting_id = ANY (v_meetings));
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('meeting_action_done', v_n);
  DELETE FROM meeting_action WHERE meeting_id = ANY (v_meetings);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('meeting_action', v_n);
  DELETE FROM meeting_addendum WHERE meeting_id = ANY (v_meetings);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('meeting_addendum', v_n);
  DELETE FROM meeting_invitation WHERE meeting_id = ANY (v_meetings);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('meeting_invitation', v_n);
  DELETE FROM meeting WHERE id = ANY (v_meetings);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('meeting', v_n);

  -- Requests for support, what was shared back, screening, who screened.
  DELETE FROM request_update WHERE case_id = ANY (v_cases) OR request_id = ANY (v_requests);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('request_update', v_n);
  DELETE FROM request_for_support WHERE id = ANY (v_requests);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('request_for_support', v_n);
  DELETE FROM screening_involvement WHERE case_id = ANY (v_cases) OR involvement_id = ANY (v_involvements);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('screening_involvement', v_n);
  DELETE FROM screening WHERE case_id = ANY (v_cases);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('screening', v_n);

  -- The case's history, clocks, factors, chronology and criminal process.
  DELETE FROM case_event WHERE case_id = ANY (v_cases);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('case_event', v_n);
  DELETE FROM case_clock WHERE case_id = ANY (v_cases);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('case_clock', v_n);
  DELETE FROM case_factor WHERE case_id = ANY (v_cases);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('case_factor', v_n);
  DELETE FROM chronology_entry WHERE case_id = ANY (v_cases);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('chronology_entry', v_n);
  DELETE FROM criminal_process_entry WHERE case_id = ANY (v_cases);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('criminal_process_entry', v_n);

  -- Multi-agency case audits: the child's case leaves the sample and the cohort (the audit's
  -- findings and recommendations are the partnership's learning, written without the child).
  UPDATE case_audit_sample SET replaces_sample_id = NULL
    WHERE replaces_sample_id = ANY (v_samples) AND NOT (id = ANY (v_samples));
  DELETE FROM case_audit_summary WHERE sample_id = ANY (v_samples);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('case_audit_summary', v_n);
  DELETE FROM case_audit_sample WHERE id = ANY (v_samples);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('case_audit_sample', v_n);
  UPDATE case_audit SET cohort_case_ids = ARRAY(SELECT x FROM unnest(cohort_case_ids) AS x WHERE NOT (x = ANY (v_cases)))
    WHERE cohort_case_ids && v_cases;

  -- What came in from the council's case system (SSD): what each source row became, every
  -- version received, and rows still waiting in staging for this person.
  DELETE FROM ssd_record_version WHERE partnership_id = d.partnership_id
    AND ((table_name = 'ssd_person' AND source_key = ANY (v_persons))
      OR (table_name <> 'ssd_person' AND (table_name, source_key) IN (
        SELECT table_name, source_key FROM ssd_record
        WHERE partnership_id = d.partnership_id AND table_name <> 'ssd_person' AND target_id = ANY (v_cases))));
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('ssd_record_version', v_n);
  DELETE FROM ssd_record WHERE partnership_id = d.partnership_id
    AND ((table_name = 'ssd_person' AND target_id = v_child) OR (table_name <> 'ssd_person' AND target_id = ANY (v_cases)));
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('ssd_record', v_n);
  DELETE FROM ssd_staged_row WHERE partnership_id = d.partnership_id AND person_id = ANY (v_persons);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('ssd_staged_row', v_n);

  -- The cases, then everything on the child: involvements, links, restrictions, break-glass,
  -- legal holds (lifted ones: one in force refused above); privacy alerts keep their ids only.
  DELETE FROM hsb_case WHERE id = ANY (v_cases);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('hsb_case', v_n);
  DELETE FROM child_involvement WHERE id = ANY (v_involvements);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('child_involvement', v_n);
  DELETE FROM child_link WHERE child_id = v_child OR linked_child_id = v_child;
  GET DIAGNOSTICS v_n = ROW_COUNT; v_counts := v_counts || jsonb_build_object('child_link', v_n);
  DELETE FROM child_restricted_access WHERE child_id = v_child;
  DELETE FROM child_restriction_change WHERE child_id = v_child;
  DELETE FROM break_glass_access WHERE child_id = v_child;
  UPDATE privacy_alert SET child_id = NULL WHERE child_id = v_child;
  DELETE FROM legal_hold WHERE child_id = v_child;
  DELETE FROM child WHERE id = v_child;

  INSERT INTO retention_tombstone (partnership_id, child_id, kind, deletion_id, schedule_id, proposed_by, approved_by, erased_rows)
  VALUES (d.partnership_id, v_child, d.kind, d.id, d.schedule_id, d.proposed_by, d.decided_by, v_counts)
  RETURNING id INTO v_tombstone;
  UPDATE retention_deletion SET status = 'EXECUTED', executed_at = now() WHERE id = d.id;
  RETURN v_tombstone;
END
$$;
REVOKE ALL ON FUNCTION hsb_retention_erase(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hsb_retention_erase(uuid) TO {{app_role}};
