-- Foundation: branches, users and sessions, employees, the append-only audit log,
-- idempotency records and login throttling.

CREATE TABLE branches (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    city        TEXT NOT NULL,
    credit_code TEXT NOT NULL UNIQUE,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL
);

CREATE TABLE employees (
    id          TEXT PRIMARY KEY,
    branch_id   TEXT NOT NULL REFERENCES branches(id),
    name        TEXT NOT NULL,
    resident_id TEXT NOT NULL UNIQUE,
    department  TEXT,
    phone       TEXT,
    email       TEXT,
    hire_date   TEXT NOT NULL,
    salary_fen  INTEGER NOT NULL CHECK (salary_fen > 0),
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'left')),
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX employees_branch_name ON employees(branch_id, name);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('employee', 'hr_specialist', 'hr_supervisor',
                                                'finance', 'hr_manager', 'director', 'admin')),
    branch_id     TEXT REFERENCES branches(id),
    employee_id   TEXT REFERENCES employees(id),
    password_hash TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL
);

-- Only the SHA-256 of a session token is stored: a leaked table opens no session.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Keyed by the login typed, known or not, so throttling does not reveal which logins exist.
CREATE TABLE login_throttle (
    login        TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    last_failure INTEGER NOT NULL,
    locked_until INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    actor_id   TEXT,
    actor_name TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    changes    TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- A replayed POST with the same Idempotency-Key gets the first answer back.
CREATE TABLE idempotency (
    user_id    TEXT NOT NULL,
    key        TEXT NOT NULL,
    status     INTEGER NOT NULL,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
);
