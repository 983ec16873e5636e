-- Sessions and input hardening: sign-in throttling per login and client address, counted
-- before the password is checked; idempotency answers bound to the request they answered.

-- Two counters per attempt: its login from its client address, and the address alone
-- (login = ''). A counter at its limit refuses attempts from that address until
-- locked_until; the delay grows with the failures, up to a bound (see auth::service).
-- `attempt`: the random id of the attempt counted last, so that an attempt tells the lock
-- it has just set itself from one already in force. The old counters (per login only) are
-- dropped: they could lock a login for everyone.
DROP TABLE login_throttle;
CREATE TABLE login_throttle (
    login        TEXT NOT NULL,
    address      TEXT NOT NULL,
    failures     INTEGER NOT NULL,
    last_failure INTEGER NOT NULL,
    locked_until INTEGER NOT NULL DEFAULT 0,
    attempt      TEXT NOT NULL,
    PRIMARY KEY (login, address)
);

-- SHA-256 of method, path and body: the same key with another request is refused. Rows
-- from before have none and no longer replay (a retry across the upgrade gets 422, never
-- a second change); the cron drops them within a day.
ALTER TABLE idempotency ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';

-- reveal-id answers held full ID numbers; reveal-id is no longer answered from here.
DELETE FROM idempotency WHERE body LIKE '{"resident_id":%';
