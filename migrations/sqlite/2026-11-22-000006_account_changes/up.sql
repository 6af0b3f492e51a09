-- Nothing to do on SQLite: servers on PostgreSQL cache account checks and are told of account
-- changes through a notification channel that this migration creates there; on SQLite the
-- check reads the file in the server's own process, and nothing is cached.
SELECT 1;
