DROP TRIGGER statistical_releases_no_truncate ON statistical_releases;
DROP TRIGGER statistical_releases_no_change ON statistical_releases;
DROP TRIGGER case_events_no_truncate ON case_events;
DROP TRIGGER case_events_no_change ON case_events;
DROP FUNCTION history_append_only();
