DROP TABLE statistics_tallies_state;
DROP TABLE statistics_tallies;
