-- Servers keep the result of the account check of every request in memory (see
-- `tgpl_persistence::account_cache`) and drop it when this channel speaks: on any change to an
-- account other than its last login time, to an organization, or to the organization tree,
-- whoever makes it (the API, the command line, another server sharing the database).
CREATE FUNCTION announce_account_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('account_changes', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER account_changed
    AFTER UPDATE ON accounts
    FOR EACH ROW
    WHEN ((to_jsonb(OLD) - 'last_login_at') IS DISTINCT FROM (to_jsonb(NEW) - 'last_login_at'))
    EXECUTE FUNCTION announce_account_change();
CREATE TRIGGER account_removed
    AFTER DELETE OR TRUNCATE ON accounts
    FOR EACH STATEMENT EXECUTE FUNCTION announce_account_change();
CREATE TRIGGER organization_changed
    AFTER UPDATE OR DELETE OR TRUNCATE ON organizations
    FOR EACH STATEMENT EXECUTE FUNCTION announce_account_change();
CREATE TRIGGER hierarchy_moved
    AFTER UPDATE ON hierarchy_version
    FOR EACH STATEMENT EXECUTE FUNCTION announce_account_change();
