//! Storage of the portal's online applications: the procedures, calendar and status codes
//! the Agency keeps ([`reference`]), the dossiers with their documents ([`dossiers`]), their
//! progress entries and the feed that numbers them ([`feed`]), the answers kept for retried
//! requests ([`idempotency`]) and the outbox of callbacks to the portal ([`webhooks`]).

pub mod dossiers;
pub mod feed;
pub mod idempotency;
pub mod reference;
pub mod webhooks;
