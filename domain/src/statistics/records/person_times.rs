//! Person-times (lượt người), as form 3 counts them.

use crate::label::Vocabulary;
use crate::reference::{Gender, RecipientCategory};
use crate::statistics::form::{Countable, Dimension, Measure};
use crate::statistics::period::Period;

use super::CaseRecord;

/// One aided person in one case (Circular 02/2011, explanation of form 3: a person aided in
/// two cases is two person-times).
///
/// A person-time falls in the period in which its case is accepted, so that periods that do
/// not overlap never count it twice, however long the case stays open. A case received by
/// transfer from another province's centre counts here only when the case it came from was
/// never accepted: otherwise the province that accepted it first has counted the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonTimeRecord {
    pub case: CaseRecord,
    /// The case came by transfer from a case that had been accepted.
    pub counted_where_first_accepted: bool,
    pub gender: Option<Gender>,
    /// The category whose proof was provided first (form 3: "đối tượng mà người được trợ
    /// giúp pháp lý có giấy tờ chứng minh và cung cấp đầu tiên"); `None` while none is proven.
    pub category: Option<RecipientCategory>,
    /// Every category the person has proven.
    pub proven: Vec<RecipientCategory>,
}

impl Countable for PersonTimeRecord {
    fn counts(&self, measure: Measure, period: &Period) -> bool {
        measure == Measure::PersonTimes
            && self.case.accepted_in(period)
            && !self.counted_where_first_accepted
    }

    fn value(&self, dimension: Dimension, period: &Period) -> Option<&'static str> {
        match dimension {
            Dimension::Gender => self.gender.map(|g| g.code()),
            Dimension::RecipientCategory => self.category.map(|c| c.code()),
            Dimension::ProvenCategories => None,
            _ => self.case.value(dimension, period),
        }
    }

    fn has(&self, dimension: Dimension, code: &str, period: &Period) -> bool {
        match dimension {
            Dimension::ProvenCategories => self.proven.iter().any(|c| c.code() == code),
            _ => self.value(dimension, period) == Some(code),
        }
    }
}
