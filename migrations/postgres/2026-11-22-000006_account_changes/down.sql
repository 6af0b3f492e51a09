DROP TRIGGER hierarchy_moved ON hierarchy_version;
DROP TRIGGER organization_changed ON organizations;
DROP TRIGGER account_removed ON accounts;
DROP TRIGGER account_changed ON accounts;
DROP FUNCTION announce_account_change();
