//! Participating organizations, as form 6 counts them.

use chrono::NaiveDate;

use crate::label::Vocabulary;
use crate::organization::{ParticipationMode, ParticipationScope};
use crate::reference::AidForm;
use crate::statistics::dimension::{LitigationScope, ParticipatingKind, ParticipationTerm};
use crate::statistics::form::{Countable, Dimension, Measure};
use crate::statistics::period::Period;

/// A law office, law firm or counselling centre taking part in legal aid, by contract or
/// registration (Law on Legal Aid 2017 art. 15–18), over the days its participation holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantRecord {
    pub kind: ParticipatingKind,
    pub mode: ParticipationMode,
    pub scope: ParticipationScope,
    pub valid_from: NaiveDate,
    /// The last day of the participation's validity, if it has one.
    pub valid_to: Option<NaiveDate>,
    /// The first day it no longer held, when it was terminated or revoked early.
    pub ended_on: Option<NaiveDate>,
}

impl ParticipantRecord {
    /// Whether the organization takes part on `day`.
    pub fn participates_on(&self, day: NaiveDate) -> bool {
        self.valid_from <= day
            && self.valid_to.is_none_or(|to| day <= to)
            && self.ended_on.is_none_or(|end| day < end)
    }
}

impl Countable for ParticipantRecord {
    fn counts(&self, measure: Measure, period: &Period) -> bool {
        measure == Measure::OnLastDay && self.participates_on(period.to())
    }

    fn value(&self, dimension: Dimension, _: &Period) -> Option<&'static str> {
        match dimension {
            Dimension::ParticipatingKind => Some(self.kind.code()),
            Dimension::ParticipationMode => Some(self.mode.code()),
            Dimension::LitigationScope => Some(
                if self.scope.forms.contains(&AidForm::Litigation) {
                    LitigationScope::Included
                } else {
                    LitigationScope::Excluded
                }
                .code(),
            ),
            Dimension::ParticipationTerm => Some(
                if self.valid_to.is_some() {
                    ParticipationTerm::FixedTerm
                } else {
                    ParticipationTerm::OpenEnded
                }
                .code(),
            ),
            _ => None,
        }
    }
}
