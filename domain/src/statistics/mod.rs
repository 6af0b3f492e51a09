//! Legal aid statistics (Circular 02/2011/TT-BTP and its successors): reporting periods and
//! the deadlines of each level, the forms as data, and the one engine that fills them from the
//! records.

pub mod circular_02_2011;
pub mod deadline;
pub mod dimension;
pub mod form;
pub mod period;
pub mod records;

pub use deadline::ReportingLevel;
pub use form::{Form, Table};
pub use period::{Period, PeriodError};
pub use records::{CaseRecord, ParticipantRecord, PersonTimeRecord, ReviewRecord, StaffRecord};
