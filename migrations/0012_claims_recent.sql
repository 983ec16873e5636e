-- The group's claim list (finance, managers) is the newest 100 by (created_at, id) with no
-- other filter: walked from the end of this index and stopped at 100, instead of sorting
-- every claim of the group on every request (issue 12).
CREATE INDEX claims_recent ON claims(created_at, id);
