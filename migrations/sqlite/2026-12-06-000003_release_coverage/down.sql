ALTER TABLE statistical_releases DROP COLUMN provinces_expected;
