-- The monthly contribution run, escalation alerts, the notification centre and the
-- message outbox (email and SMS through a provider interface).

-- The branch's monthly budget for contributions, in fen (NULL: none set).
ALTER TABLE branches ADD COLUMN monthly_budget_fen INTEGER;
-- Where alerts and notices by email go.
ALTER TABLE users ADD COLUMN email TEXT;

-- One run per branch and month. Generation works through the branch's employees in id
-- order, a chunk at a time: `cursor` is the last employee done, so a chunk delivered twice
-- or after a crash starts where the last committed one ended. `generation` counts
-- regenerations; lines of an older generation are removed when the newer one finishes.
CREATE TABLE runs (
    id              TEXT PRIMARY KEY,
    branch_id       TEXT NOT NULL REFERENCES branches(id),
    period          TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('generating', 'generated', 'confirmed', 'approved',
                                                   'submitted', 'paid', 'archived')),
    due_date        TEXT NOT NULL,
    generation      INTEGER NOT NULL DEFAULT 1,
    cursor          TEXT NOT NULL DEFAULT '',
    employees_total INTEGER NOT NULL DEFAULT 0,
    employees_done  INTEGER NOT NULL DEFAULT 0,
    employees       INTEGER NOT NULL DEFAULT 0,
    employer_fen    INTEGER NOT NULL DEFAULT 0,
    employee_fen    INTEGER NOT NULL DEFAULT 0,
    budget_fen      INTEGER,
    confirmed_by    TEXT REFERENCES users(id),
    approved_by     TEXT REFERENCES users(id),
    approval_reason TEXT,
    reject_reason   TEXT,
    receipt_no      TEXT,
    paid_on         TEXT,
    late_fee_fen    INTEGER,
    change_token    TEXT,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (branch_id, period)
);
CREATE INDEX runs_period ON runs(period, branch_id);
CREATE INDEX runs_state ON runs(state, updated_at);

-- One line per employee, month and insurance type: the base used and both shares.
CREATE TABLE run_lines (
    run_id         TEXT NOT NULL REFERENCES runs(id),
    employee_id    TEXT NOT NULL REFERENCES employees(id),
    insurance_type TEXT NOT NULL,
    base_fen       INTEGER NOT NULL,
    employer_fen   INTEGER NOT NULL,
    employee_fen   INTEGER NOT NULL,
    generation     INTEGER NOT NULL,
    PRIMARY KEY (run_id, employee_id, insurance_type)
) WITHOUT ROWID;
CREATE INDEX run_lines_employee ON run_lines(employee_id, run_id);

-- What the system tells a person (the table that was called alerts): read or not, with a
-- link to the page about it. `source` names what caused it, so it is told only once.
ALTER TABLE alerts RENAME TO notifications;
ALTER TABLE notifications ADD COLUMN link TEXT;
ALTER TABLE notifications ADD COLUMN source TEXT;
ALTER TABLE notifications ADD COLUMN read_at TEXT;
UPDATE notifications SET link = '/enrollments/' || request_id WHERE request_id IS NOT NULL;
CREATE UNIQUE INDEX notifications_source ON notifications(user_id, source) WHERE source IS NOT NULL;
CREATE INDEX notifications_unread ON notifications(user_id, read_at);

-- Escalations: an item that needs a person, at a level. Unique per item and level, so an
-- alert is never raised twice however often the cron runs.
CREATE TABLE alerts (
    id              TEXT PRIMARY KEY,
    item            TEXT NOT NULL,
    level           INTEGER NOT NULL CHECK (level IN (1, 2, 3)),
    branch_id       TEXT NOT NULL REFERENCES branches(id),
    run_id          TEXT REFERENCES runs(id),
    message         TEXT NOT NULL,
    raised_at       TEXT NOT NULL,
    acknowledged_by TEXT REFERENCES users(id),
    acknowledged_at TEXT,
    note            TEXT,
    resolved_at     TEXT,
    version         INTEGER NOT NULL DEFAULT 1,
    UNIQUE (item, level)
);
CREATE INDEX alerts_open ON alerts(resolved_at, branch_id);

-- Email and SMS to people, written in the batch of what causes them; sent by the cron
-- through the provider, retried with backoff. The id is the provider's dedupe key.
CREATE TABLE message_outbox (
    id         TEXT PRIMARY KEY,
    channel    TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient  TEXT NOT NULL,
    body       TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    not_before INTEGER NOT NULL,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at    TEXT
);
CREATE INDEX message_outbox_due ON message_outbox(status, not_before);

-- The local provider (a labelled stand-in for an email and SMS service): what would have
-- been sent. Keyed by our message id, as a real provider's idempotency key.
CREATE TABLE provider_sent (
    message_id TEXT PRIMARY KEY,
    channel    TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    body       TEXT NOT NULL,
    sent_at    TEXT NOT NULL
);
-- fail_next: fail that many sends, then behave (to test retries).
CREATE TABLE provider_config (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO provider_config (key, value) VALUES ('fail_next', 0);

-- The bureau simulator's side of a month's payment, keyed by our run.
CREATE TABLE bureau_sim_payments (
    run_id     TEXT PRIMARY KEY,
    receipt_no TEXT NOT NULL UNIQUE,
    amount_fen INTEGER NOT NULL,
    paid_at    INTEGER NOT NULL
);
