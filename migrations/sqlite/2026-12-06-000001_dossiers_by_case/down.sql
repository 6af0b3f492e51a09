DROP INDEX dossiers_case;
