//! The records the forms count, as the statistics read them.

use chrono::NaiveDate;

use super::form::{Countable, Dimension, Measure};
use super::period::Period;
use crate::case::ReviewKind;
use crate::label::Vocabulary;
use crate::reference::{AidForm, AidPlace, Field, ProviderKind};

/// A case as form 1 counts it (Circular 02/2011, explanation of form 1).
///
/// A request becomes a case when it is accepted (thụ lý): a request refused, or withdrawn or
/// transferred before acceptance, is never counted. A case is in hand from its acceptance until
/// it ends: completed, discontinued, withdrawn, or transferred to another province's centre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRecord {
    /// The day it was accepted; `None` for a request not accepted.
    pub accepted_on: Option<NaiveDate>,
    /// Received by transfer from another province's centre (Law on Legal Aid art. 26(1), 37).
    pub transferred_in: bool,
    /// The day it was closed (completed, discontinued, withdrawn, transferred out), if it
    /// was; a request closed before acceptance never counts.
    pub closed_on: Option<NaiveDate>,
    /// Whether it ended by transfer to another province's centre.
    pub transferred_out: bool,
    pub field: Field,
    pub form: AidForm,
    pub place: AidPlace,
    /// `None` while no provider is assigned.
    pub provider_kind: Option<ProviderKind>,
}

impl CaseRecord {
    /// The day the case ended, for a case that was accepted.
    pub fn ended_on(&self) -> Option<NaiveDate> {
        self.accepted_on.and(self.closed_on)
    }

    fn in_hand(&self, period: &Period) -> bool {
        self.accepted_on.is_some_and(|a| a <= period.to())
            && self.ended_on().is_none_or(|e| e >= period.from())
    }

    fn ended_in(&self, period: &Period) -> bool {
        self.ended_on().is_some_and(|e| period.contains(e))
    }
}

impl Countable for CaseRecord {
    fn counts(&self, measure: Measure, period: &Period) -> bool {
        if !self.in_hand(period) {
            return false;
        }
        let accepted_in = self.accepted_on.is_some_and(|a| period.contains(a));
        match measure {
            Measure::CasesInHand => true,
            Measure::CasesCarriedOver => !accepted_in,
            Measure::CasesTransferredIn => accepted_in && self.transferred_in,
            Measure::CasesNew => accepted_in && !self.transferred_in,
            Measure::CasesFinished => self.ended_in(period) && !self.transferred_out,
            Measure::CasesTransferredOut => self.ended_in(period) && self.transferred_out,
            Measure::CasesCarriedForward => !self.ended_in(period),
            Measure::ReviewsSent | Measure::ReviewsAnswered => false,
        }
    }

    fn value(&self, dimension: Dimension) -> Option<&'static str> {
        match dimension {
            Dimension::Field => Some(self.field.code()),
            Dimension::AidForm => Some(self.form.code()),
            Dimension::AidPlace => Some(self.place.code()),
            Dimension::ProviderKind => self.provider_kind.map(|k| k.code()),
            Dimension::ReviewKind => None,
        }
    }
}

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

    fn value(&self, dimension: Dimension) -> Option<&'static str> {
        match dimension {
            Dimension::ReviewKind => Some(self.kind.code()),
            _ => None,
        }
    }
}
