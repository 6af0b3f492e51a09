DROP TABLE statistical_releases;
