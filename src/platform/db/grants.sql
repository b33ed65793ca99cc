-- Re-applied after every migration run, so a new table is never left without its grants.
-- The application's role reads and writes state tables, and only appends to history tables.
GRANT USAGE ON SCHEMA public TO {{app_role}};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {{app_role}};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {{app_role}};
REVOKE ALL ON schema_migrations FROM {{app_role}};
-- History is append-only: add every new history table to this list.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, audit_seal, user_event, case_event, meeting_addendum FROM {{app_role}};
