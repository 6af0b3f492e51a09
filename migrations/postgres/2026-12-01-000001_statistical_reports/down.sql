DROP TABLE statistical_report_revisions;
DROP TABLE statistical_reports;
