-- Medical reimbursement claims, their documents in R2, the bank simulator's payments, and
-- escalation alerts that point at any page (a run's, a claim's).

-- A claim of an employee, in their branch. `months` is the last check of the three
-- months before submission (JSON: [{period, status}]); `held_ms` when it was held (the
-- escalation clock). `change_token` is renewed at every transition, so the statements
-- that depend on it (notifications, messages) run only for the winner of a race.
CREATE TABLE claims (
    id            TEXT PRIMARY KEY,
    employee_id   TEXT NOT NULL REFERENCES employees(id),
    branch_id     TEXT NOT NULL REFERENCES branches(id),
    kind          TEXT NOT NULL CHECK (kind IN ('inpatient', 'outpatient')),
    amount_fen    INTEGER NOT NULL CHECK (amount_fen > 0),
    start_date    TEXT NOT NULL,
    end_date      TEXT NOT NULL,
    hospital      TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('draft', 'held', 'hr_review', 'finance_review', 'approved',
                                                 'paid', 'rejected')),
    months        TEXT,
    held_ms       INTEGER,
    submitted_at  TEXT,
    reject_reason TEXT,
    receipt_no    TEXT,
    paid_on       TEXT,
    change_token  TEXT NOT NULL,
    created_by    TEXT NOT NULL REFERENCES users(id),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX claims_employee ON claims(employee_id, created_at);
CREATE INDEX claims_branch_state ON claims(branch_id, state, created_at);
CREATE INDEX claims_state ON claims(state, created_at);

-- A document's content is the R2 object `object_key`; its id is random (128 bits), and it
-- is served only through the claim's route, to the claimant and the claim's reviewers.
CREATE TABLE claim_documents (
    id           TEXT PRIMARY KEY,
    claim_id     TEXT NOT NULL REFERENCES claims(id),
    kind         TEXT NOT NULL CHECK (kind IN ('certificate', 'expense_list', 'id_copy')),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size         INTEGER NOT NULL,
    object_key   TEXT NOT NULL,
    uploaded_by  TEXT NOT NULL REFERENCES users(id),
    uploaded_at  TEXT NOT NULL
);
CREATE INDEX claim_documents_claim ON claim_documents(claim_id, uploaded_at);

-- 模拟银行: what the bank simulator paid, once per claim (a retried payment gets the same
-- receipt).
CREATE TABLE bank_sim_payments (
    claim_id   TEXT PRIMARY KEY,
    amount_fen INTEGER NOT NULL,
    receipt_no TEXT NOT NULL,
    paid_at_ms INTEGER NOT NULL
);

ALTER TABLE alerts ADD COLUMN link TEXT;
UPDATE alerts SET link = '/runs/' || run_id WHERE run_id IS NOT NULL;
