-- Employee self-service: what an employee asks to change about themselves (contact details,
-- the bank card claims are paid to, a review of their base), decided by HR; it takes effect
-- only when approved.

-- The card claims are paid to: the approved record, the one place it is kept unmasked.
ALTER TABLE employees ADD COLUMN bank_card TEXT;

-- `payload` is what takes effect on approval (JSON; a new card in full, so never shown);
-- `summary` is what people see (the card masked).
CREATE TABLE employee_changes (
    id              TEXT PRIMARY KEY,
    employee_id     TEXT NOT NULL REFERENCES employees(id),
    branch_id       TEXT NOT NULL REFERENCES branches(id),
    kind            TEXT NOT NULL CHECK (kind IN ('contact', 'bank_card', 'base_review')),
    payload         TEXT NOT NULL,
    summary         TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
    decided_by      TEXT REFERENCES users(id),
    decided_at      TEXT,
    decision_reason TEXT,
    change_token    TEXT NOT NULL,
    created_by      TEXT NOT NULL REFERENCES users(id),
    created_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX employee_changes_employee ON employee_changes(employee_id, created_at);
CREATE INDEX employee_changes_branch ON employee_changes(branch_id, state, created_at);

-- A proof of contributions (缴费证明) as issued: a snapshot, verifiable by its random code
-- until it expires.
CREATE TABLE contribution_proofs (
    code        TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL REFERENCES employees(id),
    snapshot    TEXT NOT NULL,
    issued_at   TEXT NOT NULL,
    expires_on  TEXT NOT NULL
);
CREATE INDEX contribution_proofs_employee ON contribution_proofs(employee_id, issued_at);
