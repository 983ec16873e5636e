-- The help assistant: the FAQ it answers from, maintained by HR, and the questions it
-- hands over to a person (转人工).

-- One entry of the FAQ. `keywords` is a JSON array of strings; a disabled entry stays for
-- its history but is never answered with. Edits are guarded by `version`.
CREATE TABLE faq (
    id         TEXT PRIMARY KEY,
    question   TEXT NOT NULL,
    answer     TEXT NOT NULL,
    keywords   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(keywords) AND json_type(keywords) = 'array'),
    category   TEXT NOT NULL CHECK (category IN ('enrollment', 'back_payment', 'reimbursement', 'late_payment',
                                                 'moving_cities', 'leaving_job', 'other')),
    enabled    INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- NULL: the starter FAQ, as seeded.
    updated_by TEXT REFERENCES users(id)
);

-- A question an employee handed over to their branch's HR. Its id is random; the branch is
-- the employee's at the time of asking. Answered once (`version` guards the answer).
CREATE TABLE help_tickets (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    employee_id TEXT NOT NULL REFERENCES employees(id),
    branch_id   TEXT NOT NULL REFERENCES branches(id),
    question    TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'answered')),
    answer      TEXT,
    answered_by TEXT REFERENCES users(id),
    answered_at TEXT,
    created_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    CHECK ((state = 'open') = (answer IS NULL))
);
-- HR's queue (a branch's open questions, oldest or newest first), and a user's own.
CREATE INDEX help_tickets_branch_state ON help_tickets(branch_id, state, created_at);
CREATE INDEX help_tickets_state ON help_tickets(state, created_at);
CREATE INDEX help_tickets_user ON help_tickets(user_id, created_at);
