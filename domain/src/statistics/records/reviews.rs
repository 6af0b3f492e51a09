//! Requests for review, as form 2 counts them.

use chrono::NaiveDate;

use crate::case::ReviewKind;
use crate::label::Vocabulary;
use crate::statistics::form::{Countable, Dimension, Measure};
use crate::statistics::period::Period;

/// A request for review (kiến nghị) as form 2 counts it: by the day it was sent and the day
/// it was answered. A draft is never counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRecord {
    pub kind: ReviewKind,
    pub sent_on: Option<NaiveDate>,
    pub answered_on: Option<NaiveDate>,
}

impl Countable for ReviewRecord {
    fn counts(&self, measure: Measure, period: &Period) -> bool {
        let within = |day: Option<NaiveDate>| day.is_some_and(|d| period.contains(d));
        match measure {
            Measure::ReviewsSent => within(self.sent_on),
            Measure::ReviewsAnswered => within(self.answered_on),
            _ => false,
        }
    }

    fn value(&self, dimension: Dimension, _: &Period) -> Option<&'static str> {
        match dimension {
            Dimension::ReviewKind => Some(self.kind.code()),
            _ => None,
        }
    }
}
