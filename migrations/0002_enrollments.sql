-- Enrollment requests (增员 / 补缴 / 减员 / 基数调整) with maker-checker, the outbox that
-- carries approved items to the bureau, company settings, and the bureau simulator's own
-- records (it stands in for a party outside the system).

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- Minutes an approved item waits before it is sent, so a reviewer can still catch a mistake.
INSERT INTO settings (key, value) VALUES ('execution_hold_minutes', '120');

CREATE TABLE enrollment_requests (
    id                TEXT PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN ('enrollment', 'back_payment', 'removal', 'base_adjustment')),
    state             TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'rejected', 'executed',
                                                     'revocation_requested', 'revoked_at_bureau', 'revocation_refused')),
    employee_id       TEXT NOT NULL REFERENCES employees(id),
    branch_id         TEXT NOT NULL REFERENCES branches(id),
    insurance_types   TEXT NOT NULL, -- JSON array of insurance type codes
    base_fen          INTEGER NOT NULL,
    from_month        TEXT NOT NULL,
    to_month          TEXT NOT NULL,
    reason            TEXT,
    price             TEXT NOT NULL, -- JSON pricing::Price, recomputed by the server on every save
    total_fen         INTEGER NOT NULL,
    created_by        TEXT NOT NULL,
    submitted_by      TEXT,
    reject_reason     TEXT,
    execute_after     INTEGER,       -- ms since the epoch; set on approval
    executed_at       INTEGER,
    receipt_no        TEXT,
    revocation_reason TEXT,
    bureau_answer     TEXT,
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX enrollment_requests_branch_state ON enrollment_requests(branch_id, state);
CREATE INDEX enrollment_requests_employee ON enrollment_requests(employee_id);

-- Work for outside parties, written in the same batch as the change that causes it, so
-- none is lost when a party is down; retried with backoff until done.
CREATE TABLE outbox (
    id         TEXT PRIMARY KEY,
    topic      TEXT NOT NULL CHECK (topic IN ('bureau.file', 'bureau.revoke')),
    request_id TEXT NOT NULL REFERENCES enrollment_requests(id),
    status     TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'done', 'cancelled', 'failed')),
    not_before INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox(status, not_before);

-- The bureau simulator's side. Filings are keyed by our request id, so a repeated call
-- after a lost answer files nothing twice.
CREATE TABLE bureau_sim_filings (
    request_id  TEXT PRIMARY KEY,
    receipt_no  TEXT NOT NULL UNIQUE,
    resident_id TEXT NOT NULL,
    kind        TEXT NOT NULL,
    filed_at    INTEGER NOT NULL,
    revoked_at  INTEGER
);
-- People the bureau sees as still insured by another employer.
CREATE TABLE bureau_sim_elsewhere (
    resident_id TEXT PRIMARY KEY,
    employer    TEXT NOT NULL
);
-- fail_next: fail that many calls; fail_percent: fail that share of calls (0-100).
CREATE TABLE bureau_sim_config (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO bureau_sim_config (key, value) VALUES ('fail_next', 0), ('fail_percent', 0), ('calls', 0);
