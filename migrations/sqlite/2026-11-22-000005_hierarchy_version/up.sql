-- The organization tree is read by every authorization and changes a few times a year.
-- Servers keep it in memory and reload it when this number has moved; the triggers move it
-- on every change to the parent links, whoever makes it (the API, the command line, another
-- server sharing the database).
CREATE TABLE hierarchy_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO hierarchy_version (id, version) VALUES (1, 1);

CREATE TRIGGER organization_links_moved_on_insert AFTER INSERT ON organization_links
BEGIN
    UPDATE hierarchy_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER organization_links_moved_on_update AFTER UPDATE ON organization_links
BEGIN
    UPDATE hierarchy_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER organization_links_moved_on_delete AFTER DELETE ON organization_links
BEGIN
    UPDATE hierarchy_version SET version = version + 1 WHERE id = 1;
END;
