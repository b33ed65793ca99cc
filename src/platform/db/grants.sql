-- Re-applied after every migration run, so a new table is never left without its grants.
-- The application's role reads and writes state tables, and only appends to history tables.
GRANT USAGE ON SCHEMA public TO {{app_role}};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {{app_role}};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {{app_role}};
REVOKE ALL ON schema_migrations FROM {{app_role}};
-- History is append-only: add every new history table to this list.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, audit_seal, user_event, case_event, meeting_addendum FROM {{app_role}};
REVOKE UPDATE, DELETE, TRUNCATE ON chronology_entry FROM {{app_role}};
REVOKE UPDATE, DELETE, TRUNCATE ON review_item_version, review_action_version, review_evidence_document FROM {{app_role}};
REVOKE UPDATE, DELETE, TRUNCATE ON intervention_plan_version, case_closure FROM {{app_role}};
REVOKE UPDATE, DELETE, TRUNCATE ON aim_extension FROM {{app_role}};
REVOKE UPDATE, DELETE, TRUNCATE ON board_action_update FROM {{app_role}};
REVOKE UPDATE, DELETE, TRUNCATE ON provision_version, board_report_section FROM {{app_role}};
REVOKE UPDATE, DELETE, TRUNCATE ON ssd_record_version FROM {{app_role}};
REVOKE UPDATE, DELETE, TRUNCATE ON child_restriction_change, break_glass_access FROM {{app_role}};
-- Local timescales keep every change (issue 18): a change is a new row with its effective date.
REVOKE UPDATE, DELETE, TRUNCATE ON partnership_timescale FROM {{app_role}};
REVOKE UPDATE, DELETE, TRUNCATE ON retention_schedule, retention_tombstone FROM {{app_role}};
REVOKE UPDATE, DELETE, TRUNCATE ON organisation_change FROM {{app_role}};
REVOKE UPDATE, DELETE, TRUNCATE ON subject_access_item, subject_access_redaction, subject_access_decision FROM {{app_role}};
