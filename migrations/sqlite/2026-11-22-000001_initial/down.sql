DROP TABLE audit_log;
DROP TABLE login_attempts;
DROP TABLE accounts;
DROP TABLE organization_links;
DROP TABLE organizations;
DROP TABLE provinces;
