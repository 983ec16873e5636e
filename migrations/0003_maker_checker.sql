-- Maker-checker made whole and filing made exactly-once:
-- * requests carry their own copy of the employee's name and resident ID (what is approved
--   is what is filed), a change token that the statements depending on a guarded write
--   check (so the loser of a race writes nothing), and the new states 报送中 (filing),
--   社保局退回 (filing_refused), 报送失败 (filing_failed), and the two-person revocation
--   (revocation_requested → revocation_sent);
-- * every maker of a request is recorded, so none of them can check it;
-- * outbox rows are claimed with a token; a filing carries the approved version;
-- * alerts reach people in the app;
-- * the bureau simulator dedupes on request and version and can delay its answers.

-- SQLite cannot change a CHECK constraint: the table is rebuilt. D1 keeps foreign keys on,
-- and dropping a table that outbox rows point to would break them, so those rows step
-- aside while the table is replaced and come back when it has its name again.
CREATE TABLE outbox_during_rebuild AS SELECT * FROM outbox;
DELETE FROM outbox;

CREATE TABLE enrollment_requests_new (
    id                      TEXT PRIMARY KEY,
    kind                    TEXT NOT NULL CHECK (kind IN ('enrollment', 'back_payment', 'removal', 'base_adjustment')),
    state                   TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'rejected', 'filing',
                                                           'executed', 'filing_refused', 'filing_failed',
                                                           'revocation_requested', 'revocation_sent',
                                                           'revoked_at_bureau', 'revocation_refused')),
    employee_id             TEXT NOT NULL REFERENCES employees(id),
    branch_id               TEXT NOT NULL REFERENCES branches(id),
    -- The filing's copy of the employee, taken at every save and submission.
    employee_name           TEXT NOT NULL,
    resident_id             TEXT NOT NULL,
    insurance_types         TEXT NOT NULL, -- JSON array of insurance type codes
    base_fen                INTEGER NOT NULL,
    from_month              TEXT NOT NULL,
    to_month                TEXT NOT NULL,
    reason                  TEXT,
    price                   TEXT NOT NULL, -- JSON pricing::Price, recomputed by the server on every save
    total_fen               INTEGER NOT NULL,
    created_by              TEXT NOT NULL,
    submitted_by            TEXT,
    reject_reason           TEXT,
    execute_after           INTEGER,       -- ms since the epoch; set on approval
    approved_version        INTEGER,       -- the version filed: the bureau dedupes on (id, approved_version)
    executed_at             INTEGER,       -- the bureau's filing time
    receipt_no              TEXT,
    revocation_reason       TEXT,
    revocation_requested_at INTEGER,       -- the bureau judges the window by this time
    bureau_answer           TEXT,
    change_token            TEXT,          -- set by every guarded write; see repo::IF_CHANGED
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL
);

INSERT INTO enrollment_requests_new (
    id, kind, state, employee_id, branch_id, employee_name, resident_id, insurance_types, base_fen,
    from_month, to_month, reason, price, total_fen, created_by, submitted_by, reject_reason,
    execute_after, approved_version, executed_at, receipt_no, revocation_reason, revocation_requested_at, bureau_answer,
    version, created_at, updated_at)
SELECT r.id, r.kind,
       -- Before this migration a revocation request was sent at once, and a filing the
       -- bureau refused stayed approved with the bureau's answer.
       CASE
           WHEN r.state = 'revocation_requested' THEN 'revocation_sent'
           WHEN r.state = 'approved' AND r.bureau_answer IS NOT NULL THEN 'filing_refused'
           ELSE r.state
       END,
       r.employee_id, r.branch_id, e.name, e.resident_id, r.insurance_types, r.base_fen,
       r.from_month, r.to_month, r.reason, r.price, r.total_fen, r.created_by, r.submitted_by,
       r.reject_reason, r.execute_after, CASE WHEN r.state <> 'submitted' THEN r.version END, r.executed_at, r.receipt_no, r.revocation_reason,
       CASE WHEN r.revocation_reason IS NOT NULL THEN r.executed_at END, r.bureau_answer,
       r.version, r.created_at, r.updated_at
FROM enrollment_requests r JOIN employees e ON e.id = r.employee_id;

DROP TABLE enrollment_requests;
ALTER TABLE enrollment_requests_new RENAME TO enrollment_requests;
CREATE INDEX enrollment_requests_branch_state ON enrollment_requests(branch_id, state);
CREATE INDEX enrollment_requests_employee ON enrollment_requests(employee_id, state);
INSERT INTO outbox (id, topic, request_id, status, not_before, attempts, last_error, created_at, updated_at)
    SELECT id, topic, request_id, status, not_before, attempts, last_error, created_at, updated_at
    FROM outbox_during_rebuild;
DROP TABLE outbox_during_rebuild;

-- Everyone who created, edited, submitted or asked to revoke a request: none of them
-- may approve, reject, revoke an approval of, or send it.
CREATE TABLE enrollment_makers (
    request_id TEXT NOT NULL REFERENCES enrollment_requests(id),
    user_id    TEXT NOT NULL,
    PRIMARY KEY (request_id, user_id)
);
INSERT OR IGNORE INTO enrollment_makers (request_id, user_id) SELECT id, created_by FROM enrollment_requests;
INSERT OR IGNORE INTO enrollment_makers (request_id, user_id)
    SELECT id, submitted_by FROM enrollment_requests WHERE submitted_by IS NOT NULL;
-- Whoever corrected a request before this migration is one of its makers too.
INSERT OR IGNORE INTO enrollment_makers (request_id, user_id)
    SELECT a.entity_id, a.actor_id FROM audit_log a JOIN enrollment_requests r ON r.id = a.entity_id
    WHERE a.entity = 'enrollment' AND a.actor_id IS NOT NULL
      AND a.action IN ('enrollment.create', 'enrollment.update', 'enrollment.submit', 'enrollment.request_revocation');

ALTER TABLE outbox ADD COLUMN claim_token TEXT;

CREATE TABLE alerts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    TEXT NOT NULL,
    request_id TEXT REFERENCES enrollment_requests(id),
    message    TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX alerts_user ON alerts(user_id, id);

CREATE TABLE bureau_sim_filings_new (
    request_id      TEXT NOT NULL,
    request_version INTEGER NOT NULL,
    receipt_no      TEXT NOT NULL UNIQUE,
    resident_id     TEXT NOT NULL,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    base_fen        INTEGER NOT NULL,
    from_month      TEXT NOT NULL,
    to_month        TEXT NOT NULL,
    filed_at        INTEGER NOT NULL,
    revoked_at      INTEGER,
    PRIMARY KEY (request_id, request_version)
);
INSERT INTO bureau_sim_filings_new
SELECT f.request_id, r.version, f.receipt_no, f.resident_id, r.employee_name, f.kind, r.base_fen,
       r.from_month, r.to_month, f.filed_at, f.revoked_at
FROM bureau_sim_filings f JOIN enrollment_requests r ON r.id = f.request_id;
DROP TABLE bureau_sim_filings;
ALTER TABLE bureau_sim_filings_new RENAME TO bureau_sim_filings;
-- delay_ms: the simulator holds each filing's answer this long after recording it;
-- refuse_next: it refuses that many filings outright.
INSERT INTO bureau_sim_config (key, value) VALUES ('delay_ms', 0), ('refuse_next', 0);
