//! The days of a person's record that their birth bounds: nobody asks for legal aid, nor
//! provides a document, before being born, and a proof's category fits the person's age on
//! the day it was provided (`check_category_age`).

use chrono::NaiveDate;

use super::{check_category_age, check_category_ethnicity, ProofKind};
use crate::reference::{EthnicGroup, RecipientCategory};
use crate::refusal::FieldRefusal;

/// Refuses `day`, sent as `field`, when it comes before the person's birth (when known).
pub fn check_after_birth(
    field: &str,
    day: NaiveDate,
    date_of_birth: Option<NaiveDate>,
) -> Result<(), FieldRefusal> {
    if date_of_birth.is_some_and(|born| day < born) {
        return Err(FieldRefusal::new(
            field,
            "before_birth",
            "Ngày này ở trước ngày sinh của người được trợ giúp pháp lý.",
            "This day comes before the person aided was born.",
        ));
    }
    Ok(())
}

/// Refuses a date of birth after the earliest day of the person's record (a case received,
/// a proof provided): the record would then begin before the person.
pub fn check_born_before_record(
    date_of_birth: Option<NaiveDate>,
    earliest_record: Option<NaiveDate>,
) -> Result<(), FieldRefusal> {
    match (date_of_birth, earliest_record) {
        (Some(born), Some(first)) if born > first => Err(FieldRefusal::new(
            "date_of_birth",
            "after_records",
            format!("Ngày sinh sau ngày {first} đã có trong hồ sơ của người này (vụ việc tiếp nhận hoặc giấy tờ cung cấp)."),
            format!("The date of birth is after {first}, a day already in this person's record (a case received or a document provided)."),
        )),
        _ => Ok(()),
    }
}

/// A proof document as given: what it proves, and its days.
#[derive(Debug, Clone, Copy)]
pub struct NewProof {
    pub kind: ProofKind,
    /// Required for a status, absent for financial difficulty.
    pub category: Option<RecipientCategory>,
    pub issued_on: Option<NaiveDate>,
    pub provided_on: NaiveDate,
}

impl NewProof {
    /// Checks the proof of a person born on `date_of_birth` and of `ethnicity` (each when
    /// known), on `today`: a status names its category and financial difficulty none; the
    /// document is issued before it is provided, neither before the person's birth nor in the
    /// future; and the category fits the person's ethnic group, and their age on the day it
    /// was provided.
    pub fn check(
        &self,
        date_of_birth: Option<NaiveDate>,
        ethnicity: Option<EthnicGroup>,
        today: NaiveDate,
    ) -> Result<(), FieldRefusal> {
        match (self.kind, self.category) {
            (ProofKind::Status, None) => {
                return Err(FieldRefusal::new(
                    "category",
                    "required",
                    "Giấy tờ chứng minh diện cần ghi rõ diện.",
                    "A proof of status names its category.",
                ))
            }
            (ProofKind::FinancialHardship, Some(_)) => {
                return Err(FieldRefusal::new(
                    "category",
                    "not_applicable",
                    "Giấy tờ chứng minh khó khăn tài chính không gắn với một diện.",
                    "A proof of financial difficulty names no category.",
                ))
            }
            _ => {}
        }
        if self.provided_on > today {
            return Err(FieldRefusal::new(
                "provided_on",
                "in_future",
                "Ngày cung cấp không thể ở tương lai.",
                "The day provided cannot be in the future.",
            ));
        }
        if self.issued_on.is_some_and(|d| d > self.provided_on) {
            return Err(FieldRefusal::new(
                "issued_on",
                "after_provided",
                "Giấy tờ phải được cấp trước khi cung cấp.",
                "A document is issued before it is provided.",
            ));
        }
        check_after_birth("provided_on", self.provided_on, date_of_birth)?;
        if let Some(issued_on) = self.issued_on {
            check_after_birth("issued_on", issued_on, date_of_birth)?;
        }
        if let Some(refusal) = self
            .category
            .and_then(|c| check_category_ethnicity(c, ethnicity))
        {
            return Err(refusal);
        }
        match (self.category, date_of_birth) {
            (Some(category), Some(born)) => {
                check_category_age(category, born, self.provided_on).map_or(Ok(()), Err)
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn status(category: RecipientCategory, provided_on: NaiveDate) -> NewProof {
        NewProof {
            kind: ProofKind::Status,
            category: Some(category),
            issued_on: None,
            provided_on,
        }
    }

    #[test]
    fn nothing_in_a_record_comes_before_the_person_was_born() {
        let born = Some(d(2015, 5, 5));
        assert!(check_after_birth("received_on", d(2015, 5, 5), born).is_ok());
        let refused = check_after_birth("received_on", d(2005, 1, 1), born).unwrap_err();
        assert_eq!(
            (refused.field.as_str(), refused.code),
            ("received_on", "before_birth")
        );
        assert!(check_after_birth("received_on", d(2005, 1, 1), None).is_ok());
        assert!(check_born_before_record(born, Some(d(2020, 1, 1))).is_ok());
        assert_eq!(
            check_born_before_record(Some(d(2026, 11, 1)), Some(d(2020, 1, 1)))
                .unwrap_err()
                .code,
            "after_records"
        );
        assert!(check_born_before_record(None, Some(d(2020, 1, 1))).is_ok());
    }

    #[test]
    fn a_proof_is_dated_in_the_person_s_life_and_fits_their_age() {
        let today = d(2026, 12, 1);
        let born = Some(d(2015, 5, 5));
        assert!(status(RecipientCategory::Child, d(2026, 1, 1))
            .check(born, None, today)
            .is_ok());
        let before = status(RecipientCategory::Child, d(2000, 1, 1))
            .check(born, None, today)
            .unwrap_err();
        assert_eq!(
            (before.field.as_str(), before.code),
            ("provided_on", "before_birth")
        );
        let elderly = status(RecipientCategory::Elderly, d(2026, 1, 1))
            .check(born, None, today)
            .unwrap_err();
        assert_eq!(elderly.code, "age_mismatch");
        let issued_before_birth = NewProof {
            issued_on: Some(d(2010, 1, 1)),
            ..status(RecipientCategory::Child, d(2026, 1, 1))
        };
        assert_eq!(
            issued_before_birth
                .check(born, None, today)
                .unwrap_err()
                .field,
            "issued_on"
        );
        let no_category = NewProof {
            category: None,
            ..status(RecipientCategory::Child, d(2026, 1, 1))
        };
        assert_eq!(
            no_category.check(born, None, today).unwrap_err().code,
            "required"
        );
        assert_eq!(
            status(RecipientCategory::Child, d(2027, 1, 1))
                .check(born, None, today)
                .unwrap_err()
                .code,
            "in_future"
        );
        // Without a date of birth, no age is checked.
        assert!(status(RecipientCategory::Elderly, d(2026, 1, 1))
            .check(None, None, today)
            .is_ok());
    }
}
