-- Roster imports (花名册导入): a file of new hires, read and checked in the browser, sent in
-- chunks that the server checks again, and committed at once as employees.

-- `next_seq` is the chunk expected next, so a chunk is taken once and in order (a resent
-- one is answered, not written again). `change_token` is stamped by each chunk's and by
-- the commit's guarded UPDATE: the statements after it in the batch write only when it
-- carries their token.
CREATE TABLE imports (
    id            TEXT PRIMARY KEY,
    branch_id     TEXT NOT NULL REFERENCES branches(id),
    file_name     TEXT NOT NULL,
    rows_total    INTEGER NOT NULL CHECK (rows_total BETWEEN 1 AND 100000),
    rows_received INTEGER NOT NULL DEFAULT 0,
    next_seq      INTEGER NOT NULL DEFAULT 0,
    rejected      INTEGER NOT NULL DEFAULT 0,
    imported      INTEGER NOT NULL DEFAULT 0,
    state         TEXT NOT NULL DEFAULT 'uploading' CHECK (state IN ('uploading', 'imported')),
    change_token  TEXT,
    created_by    TEXT NOT NULL REFERENCES users(id),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX imports_creator ON imports(created_by, state, created_at);

-- One row of a file as received. `resident_id` is the number normalized (valid or not), to
-- find repeats across chunks; `employee_id` is assigned on arrival so the commit is one
-- INSERT … SELECT. The employee's columns hold the validated values of a valid row (NULL
-- for a rejected one); `form` is the row as sent (JSON), `errors` its problems (JSON list,
-- NULL when valid).
CREATE TABLE import_rows (
    import_id   TEXT NOT NULL REFERENCES imports(id),
    row_no      INTEGER NOT NULL,
    resident_id TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    name        TEXT,
    department  TEXT,
    phone       TEXT,
    email       TEXT,
    hire_date   TEXT,
    salary_fen  INTEGER,
    hukou       TEXT,
    form        TEXT NOT NULL,
    errors      TEXT,
    PRIMARY KEY (import_id, row_no)
) WITHOUT ROWID;
CREATE INDEX import_rows_resident ON import_rows(import_id, resident_id);
