-- The employee list pages by keyset on (name, id) (issue 12): one index per scope, in the
-- list's order and holding every column the list and its export read from employees
-- (employees/repo.rs, SELECT_LIST_ROW), so a page is one range of an index: no table
-- lookups, no sort, whatever the size of the group or the depth of the page.
CREATE INDEX employees_list ON employees(name, id, branch_id, resident_id, department, hire_date, status);
CREATE INDEX employees_branch_list ON employees(branch_id, name, id, resident_id, department, hire_date, status);

-- Its prefix is the branch index's: every lookup by branch goes there now.
DROP INDEX employees_branch_name;
