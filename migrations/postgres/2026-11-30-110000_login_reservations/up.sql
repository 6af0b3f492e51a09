-- A login attempt admitted and not yet decided holds a reservation (see
-- `login_attempts::admit`): it counts against the limit while its password is checked, and
-- is removed when the outcome is known. One left by a server that stopped mid-check stops
-- counting once it is older than the policy's reservation time.
CREATE TABLE login_reservations (
    id           TEXT PRIMARY KEY NOT NULL,
    subject      TEXT NOT NULL,
    reserved_at  TIMESTAMP NOT NULL
);
CREATE INDEX login_reservations_subject ON login_reservations (subject, reserved_at);
