//! Cases, as forms 1 and 3 count them.

use chrono::NaiveDate;

use crate::label::Vocabulary;
use crate::reference::{AidForm, AidPlace, Field, ProviderKind};
use crate::statistics::dimension::ProviderAffiliation;
use crate::statistics::form::{Countable, Dimension, Measure};
use crate::statistics::period::Period;

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
    /// `None` while no provider is assigned.
    pub provider_affiliation: Option<ProviderAffiliation>,
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

    /// Whether the case was accepted in `period`.
    pub fn accepted_in(&self, period: &Period) -> bool {
        self.accepted_on.is_some_and(|a| period.contains(a))
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
        let accepted_in = self.accepted_in(period);
        match measure {
            Measure::CasesInHand => true,
            Measure::CasesCarriedOver => !accepted_in,
            Measure::CasesTransferredIn => accepted_in && self.transferred_in,
            Measure::CasesNew => accepted_in && !self.transferred_in,
            Measure::CasesAccepted => accepted_in,
            Measure::CasesFinished => self.ended_in(period) && !self.transferred_out,
            Measure::CasesTransferredOut => self.ended_in(period) && self.transferred_out,
            Measure::CasesCarriedForward => !self.ended_in(period),
            _ => false,
        }
    }

    fn value(&self, dimension: Dimension, _: &Period) -> Option<&'static str> {
        match dimension {
            Dimension::Field => Some(self.field.code()),
            Dimension::AidForm => Some(self.form.code()),
            Dimension::AidPlace => Some(self.place.code()),
            Dimension::ProviderKind => self.provider_kind.map(|k| k.code()),
            Dimension::ProviderAffiliation => self.provider_affiliation.map(|a| a.code()),
            _ => None,
        }
    }
}
