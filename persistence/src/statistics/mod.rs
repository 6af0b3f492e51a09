//! The records the statistical forms count, read from what the units keep: cases and the
//! persons aided in them, requests for review, the people of the centres, and the
//! participating organizations. Each function reads the records of a list of organizations
//! that may count in a period; the forms decide, in `tgpl_domain::statistics`, what counts.

mod cases;
pub mod litigation;
mod participants;
mod people;
pub mod quality;
pub mod releases;
pub mod reports;
mod reviews;
pub mod tally;

pub use cases::{cases_in_hand, person_times};
pub use participants::participants;
pub use people::people;
pub use reviews::reviews_sent_or_answered;
