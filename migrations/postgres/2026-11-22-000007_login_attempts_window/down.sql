DROP INDEX login_attempts_window;
