-- Spent login attempts are removed by the time their window started (see
-- `login_attempts::admit`).
CREATE INDEX login_attempts_window ON login_attempts (window_started_at);
