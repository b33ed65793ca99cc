-- Children (issue 14): searches for a child are limited per person (features/children,
-- SEARCHES_PER_WINDOW in matches.rules.ts), counted from each person's allowed `child:search`
-- audit entries in the last few minutes, so every process counts the same searches.
CREATE INDEX audit_log_child_search_idx ON audit_log (user_id, occurred_at)
  WHERE action = 'child:search' AND outcome = 'ALLOWED';
