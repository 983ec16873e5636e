-- The claim lists page by keyset on (created_at, id), newest first (issue 12). A branch's
-- list with no state filter walks this index from the end, a page at a time, as the group's
-- walks claims_recent; with a state, claims_branch_state and claims_state serve.
CREATE INDEX claims_branch_recent ON claims(branch_id, created_at, id);
