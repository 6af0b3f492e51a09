-- Indexes shaped like the two busiest lists. Each replaces a narrower index whose columns
-- are its prefix, so every query the old one served, the new one serves too.

-- Cases: filtered by organization and state, often by field and form, ordered by the date
-- received. The count is answered from the index alone and the page finds its rows grouped.
CREATE INDEX cases_list ON cases (organization_id, state, field, form, received_on);
DROP INDEX cases_organization_state;

-- Recipients: a centre's people searched by folded name and ordered by it. The
-- `LIKE '%…%'` match runs over the index entries instead of the whole rows.
CREATE INDEX recipients_organization_name ON recipients (organization_id, name_key);
DROP INDEX recipients_organization;
