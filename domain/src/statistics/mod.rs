//! Legal aid statistics (Circular 02/2011/TT-BTP and its successors): reporting periods and
//! the deadlines of each level.

pub mod deadline;
pub mod period;

pub use deadline::ReportingLevel;
pub use period::{Period, PeriodError};
