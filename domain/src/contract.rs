//! Contracts of participating organizations with state legal aid centres (hợp đồng thực hiện
//! trợ giúp pháp lý; Law on Legal Aid 2017, art. 15(2)): a law office, law firm or
//! counselling centre selected by the Department signs one with the centre of its province.

use chrono::NaiveDate;

use crate::organization::OrganizationFacts;
use crate::refusal::{ends_before_start, FieldRefusal, Refusal};
use crate::vocabulary;

vocabulary! {
    /// Where a contract is in its life: in force (its dates permitting) until terminated.
    pub enum ContractStatus {
        Active = "active" { vi: "Đang thực hiện", en: "Active" },
        Terminated = "terminated" { vi: "Đã chấm dứt", en: "Terminated" },
    }
}

/// The days a contract is in force: from `valid_from`, through `valid_to` (its last day; open
/// when `None`), cut short by a termination from `ended_on` (the first day it is no longer in
/// force).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContractTerm {
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
}

impl ContractTerm {
    /// The first day no longer in force; `None` while open-ended.
    fn first_day_out(&self) -> Option<NaiveDate> {
        let expiry = self.valid_to.and_then(|last| last.succ_opt());
        match (expiry, self.ended_on) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Whether the contract is in force on `day`.
    pub fn in_force_on(&self, day: NaiveDate) -> bool {
        self.valid_from <= day && self.first_day_out().is_none_or(|out| day < out)
    }

    /// Whether some day is in force under both terms.
    pub fn overlaps(&self, other: &Self) -> bool {
        let before = |from: NaiveDate, out: Option<NaiveDate>| out.is_none_or(|out| from < out);
        before(self.valid_from, other.first_day_out())
            && before(other.valid_from, self.first_day_out())
    }
}

/// Why the dates of a contract do not hold together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermError {
    /// Signed on a day still to come: the record says what was signed.
    SignedInFuture,
    /// Its last day is not after its first. (The days are inclusive, so a one-day contract
    /// would be fair; the stored table refuses it, and none has been asked for.)
    EndsBeforeStart,
    /// Its last day is before the day it was signed: a term over before it was agreed.
    EndsBeforeSigning,
}

impl Refusal for TermError {
    fn field_refusal(&self) -> FieldRefusal {
        match self {
            Self::SignedInFuture => FieldRefusal::new(
                "signed_on",
                "in_future",
                "Ngày ký không thể ở tương lai.",
                "signed_on cannot be in the future.",
            ),
            Self::EndsBeforeStart => ends_before_start("valid_to"),
            Self::EndsBeforeSigning => FieldRefusal::new(
                "valid_to",
                "before_signing",
                "Hợp đồng không thể hết hạn trước ngày ký.",
                "A contract cannot end before the day it was signed.",
            ),
        }
    }
}

/// Checks the dates of a contract signed on `signed_on` with the term `term`.
pub fn check_dates(
    signed_on: NaiveDate,
    term: &ContractTerm,
    today: NaiveDate,
) -> Result<(), TermError> {
    if signed_on > today {
        return Err(TermError::SignedInFuture);
    }
    if term.valid_to.is_some_and(|last| last <= term.valid_from) {
        return Err(TermError::EndsBeforeStart);
    }
    if term.valid_to.is_some_and(|last| last < signed_on) {
        return Err(TermError::EndsBeforeSigning);
    }
    Ok(())
}

/// Checks the day of an amendment: between the signing and today (an amendment is recorded
/// once it has been agreed).
pub fn check_amended_on(
    amended_on: NaiveDate,
    signed_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), FieldRefusal> {
    if crate::time::day_in_range(amended_on, Some(signed_on), today) {
        return Ok(());
    }
    Err(FieldRefusal::new(
        "amended_on",
        "out_of_range",
        "Ngày sửa đổi phải từ ngày ký hợp đồng đến hôm nay.",
        "The amendment's day lies between the contract's signing and today.",
    ))
}

/// The first day a contract of `term` no longer counts when terminated from `on`: that
/// day, or its first day if it had not begun (terminated before it began, it was never in
/// force, and never ends before it starts).
pub fn ended_from(term: &ContractTerm, on: NaiveDate) -> NaiveDate {
    on.max(term.valid_from)
}

/// The centre named is not an active state legal aid centre of the organization's province.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotACentreHere;

/// Checks that a contract of an organization of `province` is signed with an active state
/// legal aid centre of the same province (`centre` is `None` when no such organization
/// exists): the Department selects organizations for its own province's centre.
pub fn check_centre(
    centre: Option<&OrganizationFacts>,
    province: Option<&str>,
) -> Result<(), NotACentreHere> {
    let here =
        centre.is_some_and(|c| c.is_active_centre() && c.province_code.as_deref() == province);
    if here {
        Ok(())
    } else {
        Err(NotACentreHere)
    }
}

/// Another contract of the same organization with the same centre is in force on some of
/// the same days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContractOverlap;

/// One contract in force between an organization and a centre on any day: new terms with the
/// same centre are an amendment of the contract in force, so that the work a lawyer of the
/// organization does for the centre falls under exactly one contract. `others` are that
/// organization's other contracts with that centre (the one being amended left out).
pub fn check_no_overlap<'a>(
    term: &ContractTerm,
    others: impl IntoIterator<Item = &'a ContractTerm>,
) -> Result<(), ContractOverlap> {
    if others.into_iter().any(|other| other.overlaps(term)) {
        return Err(ContractOverlap);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::organization::OrganizationKind;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn term(from: NaiveDate, to: Option<NaiveDate>, ended: Option<NaiveDate>) -> ContractTerm {
        ContractTerm {
            valid_from: from,
            valid_to: to,
            ended_on: ended,
        }
    }

    #[test]
    fn the_last_day_is_in_force_and_a_termination_day_is_not() {
        let t = term(d(2024, 1, 2), Some(d(2027, 1, 1)), None);
        assert!(t.in_force_on(d(2027, 1, 1)));
        assert!(!t.in_force_on(d(2027, 1, 2)));
        assert!(!t.in_force_on(d(2024, 1, 1)));
        let ended = term(d(2024, 1, 2), Some(d(2027, 1, 1)), Some(d(2025, 6, 1)));
        assert!(ended.in_force_on(d(2025, 5, 31)));
        assert!(!ended.in_force_on(d(2025, 6, 1)));
    }

    #[test]
    fn a_contract_ends_after_it_is_signed_and_is_amended_in_its_life() {
        let today = d(2026, 12, 1);
        let past = term(d(2019, 1, 1), Some(d(2019, 12, 31)), None);
        assert_eq!(
            check_dates(d(2025, 3, 1), &past, today),
            Err(TermError::EndsBeforeSigning)
        );
        assert!(check_dates(d(2019, 1, 1), &past, today).is_ok());
        assert!(check_amended_on(d(2025, 3, 1), d(2025, 3, 1), today).is_ok());
        for out in [d(2025, 2, 28), d(2026, 12, 2)] {
            assert_eq!(
                check_amended_on(out, d(2025, 3, 1), today)
                    .unwrap_err()
                    .code,
                "out_of_range"
            );
        }
        let future = term(d(2027, 1, 1), Some(d(2028, 1, 1)), None);
        assert_eq!(ended_from(&future, today), d(2027, 1, 1));
        assert_eq!(ended_from(&past, today), today);
    }

    #[test]
    fn contracts_overlap_when_one_day_is_in_both() {
        let existing = [term(d(2024, 1, 2), Some(d(2027, 1, 1)), None)];
        let next_day = term(d(2027, 1, 2), Some(d(2027, 12, 31)), None);
        let last_day = term(d(2027, 1, 1), None, None);
        let before = term(d(2023, 1, 1), Some(d(2024, 1, 1)), None);
        let around = term(d(2020, 1, 1), None, None);
        assert_eq!(check_no_overlap(&next_day, &existing), Ok(()));
        assert_eq!(check_no_overlap(&before, &existing), Ok(()));
        assert_eq!(check_no_overlap(&last_day, &existing), Err(ContractOverlap));
        assert_eq!(check_no_overlap(&around, &existing), Err(ContractOverlap));
        // Overlap is symmetric.
        assert!(existing[0].overlaps(&around) && around.overlaps(&existing[0]));
    }

    #[test]
    fn a_terminated_contract_leaves_its_remaining_days_free() {
        let terminated = [term(
            d(2024, 1, 2),
            Some(d(2027, 1, 1)),
            Some(d(2026, 7, 1)),
        )];
        let from_termination = term(d(2026, 7, 1), None, None);
        let day_before = term(d(2026, 6, 30), None, None);
        assert_eq!(check_no_overlap(&from_termination, &terminated), Ok(()));
        assert_eq!(
            check_no_overlap(&day_before, &terminated),
            Err(ContractOverlap)
        );
    }

    #[test]
    fn a_contract_is_signed_on_a_day_that_has_come_and_ends_after_it_starts() {
        let today = d(2026, 6, 30);
        let two_days = term(d(2026, 7, 1), Some(d(2026, 7, 2)), None);
        assert_eq!(check_dates(today, &two_days, today), Ok(()));
        assert_eq!(
            check_dates(d(2026, 7, 1), &two_days, today),
            Err(TermError::SignedInFuture)
        );
        let one_day = term(d(2026, 7, 1), Some(d(2026, 7, 1)), None);
        assert_eq!(
            check_dates(today, &one_day, today),
            Err(TermError::EndsBeforeStart)
        );
        let backwards = term(d(2026, 7, 2), Some(d(2026, 7, 1)), None);
        assert_eq!(
            check_dates(today, &backwards, today),
            Err(TermError::EndsBeforeStart)
        );
        let refused = TermError::EndsBeforeStart.field_refusal();
        assert_eq!(
            (refused.field.as_str(), refused.code),
            ("valid_to", "before_start")
        );
        let refused = TermError::SignedInFuture.field_refusal();
        assert_eq!(
            (refused.field.as_str(), refused.code),
            ("signed_on", "in_future")
        );
    }

    #[test]
    fn contracts_are_signed_with_an_active_centre_of_the_same_province() {
        let org = |kind, active, province: &str| OrganizationFacts {
            kind,
            active,
            province_code: Some(province.into()),
        };
        let hn = Some("01");
        assert_eq!(
            check_centre(Some(&org(OrganizationKind::Center, true, "01")), hn),
            Ok(())
        );
        for other in [
            org(OrganizationKind::Center, true, "48"),
            org(OrganizationKind::Center, false, "01"),
            org(OrganizationKind::Branch, true, "01"),
        ] {
            assert_eq!(check_centre(Some(&other), hn), Err(NotACentreHere));
        }
        assert_eq!(check_centre(None, hn), Err(NotACentreHere));
    }

    #[test]
    fn open_ended_contracts_overlap_everything_after_them() {
        let open = [term(d(2024, 1, 1), None, None)];
        assert_eq!(
            check_no_overlap(&term(d(2099, 1, 1), Some(d(2099, 2, 1)), None), &open),
            Err(ContractOverlap)
        );
        assert_eq!(
            check_no_overlap(&term(d(2023, 1, 1), Some(d(2023, 12, 31)), None), &open),
            Ok(())
        );
    }
}
