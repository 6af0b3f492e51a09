//! The forms of Circular 02/2011/TT-BTP (in force 1 March 2011 to 15 January 2014), as data.
//!
//! The circular's appendix II (the printed layouts) is not in any public copy; the columns and
//! rules below are those its explanations give, and the rows are inferred from the
//! dimensions the explanations name. `docs/statistics.md` says what each cell counts.

use super::define::*;
use super::form::{Column, CountUnit, Dimension, Filter, Form, Measure, Section, Subject};
use super::regime::CIRCULAR_02_2011;

mod cases;
mod participants;
mod person_times;
mod reviews;
mod staff;

pub use cases::FORM_1;
pub use participants::FORM_6;
pub use person_times::FORM_3;
pub use reviews::FORM_2;
pub use staff::{FORM_4, FORM_5};

/// The forms of the circular, in their order.
pub static FORMS: [&Form; 6] = [&FORM_1, &FORM_2, &FORM_3, &FORM_4, &FORM_5, &FORM_6];
