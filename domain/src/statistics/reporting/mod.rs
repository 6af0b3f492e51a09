//! Reporting up the chain (Circular 02/2011/TT-BTP art. 5–9): who sends a form to whom and
//! by when (`chain`), the life of a report from its submission to its acceptance and its
//! corrections (`report`), the figures of units that keep no records here and the
//! differences between two sets of figures (`figures`), and how complete and timely a
//! level's reports are (`completeness`).

pub mod chain;
pub mod completeness;
pub mod figures;
pub mod report;

pub use chain::{due_on, expected_report, owes_report, receives_from, ExpectedReport};
pub use completeness::{Rates, Standing, Timeliness};
pub use figures::{CellChange, EnteredRow, FigureError};
pub use report::{standing_revision, FiguresSource, ReportStatus, ReportStep, SubmissionRefusal};
