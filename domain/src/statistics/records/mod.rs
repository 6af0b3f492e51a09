//! The records the forms count, as the statistics read them: each kind says, for a period,
//! under which measures it counts and what its value of each dimension is.

mod cases;
mod participants;
mod person_times;
mod reviews;
mod staff;

pub use cases::CaseRecord;
pub use participants::ParticipantRecord;
pub use person_times::PersonTimeRecord;
pub use reviews::ReviewRecord;
pub use staff::{Post, StaffRecord};
