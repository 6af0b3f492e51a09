DROP INDEX cases_transferred_from;
