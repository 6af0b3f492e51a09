DROP TABLE login_reservations;
