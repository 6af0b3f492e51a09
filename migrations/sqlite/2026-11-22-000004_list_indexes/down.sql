CREATE INDEX recipients_organization ON recipients (organization_id);
DROP INDEX recipients_organization_name;
CREATE INDEX cases_organization_state ON cases (organization_id, state);
DROP INDEX cases_list;
