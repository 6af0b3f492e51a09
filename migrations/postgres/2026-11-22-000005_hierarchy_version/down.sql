DROP TRIGGER organization_links_moved ON organization_links;
DROP FUNCTION organization_links_moved();
DROP TABLE hierarchy_version;
