//! What several routes, the demonstration data and start-up share: the work between the
//! HTTP translation of a route and the domain's rules, over storage.

pub mod case_steps;
pub mod casework;
pub mod dossiers;
pub mod idempotency;
pub mod logins;
pub mod provinces;
pub mod recipient_access;
pub mod releases;
pub mod reporting;
pub mod staff_records;
pub mod statistical_tables;
