-- The organization tree is read by every authorization and changes a few times a year.
-- Servers keep it in memory and reload it when this number has moved; the trigger moves it
-- on every change to the parent links, whoever makes it (the API, the command line, another
-- server sharing the database).
CREATE TABLE hierarchy_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO hierarchy_version (id, version) VALUES (1, 1);

CREATE FUNCTION organization_links_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE hierarchy_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER organization_links_moved
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organization_links
    FOR EACH STATEMENT EXECUTE FUNCTION organization_links_moved();
