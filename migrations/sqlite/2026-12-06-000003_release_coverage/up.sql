-- How many provinces a release was expected to cover (the Departments active when it was
-- published), so that a reader sees a national figure that is not the whole country's. NULL
-- for releases published before it was recorded.
ALTER TABLE statistical_releases ADD COLUMN provinces_expected INTEGER;
