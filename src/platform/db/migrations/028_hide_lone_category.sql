-- Honest figures (issue 15): where a breakdown's only non-zero count is suppressed, its zeros are
-- suppressed too, or "[c] in one category, 0 in the rest" says which category those children are
-- in (docs/insight-figures.md). On by default; a partnership may turn it off on its disclosure
-- control page (insight:manage-settings), audited.
ALTER TABLE insight_setting ADD COLUMN hide_lone_category boolean NOT NULL DEFAULT true;
