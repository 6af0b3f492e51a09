//! Collaborators' cards (thẻ cộng tác viên, Law on Legal Aid 2017): issued by the
//! Director of the nearest Department of Justice, valid over their days, reissued or revoked
//! by the Department that issued them. A collaborator takes cases only on a day a card of
//! theirs is valid (`super::check_can_take_cases`).

use chrono::NaiveDate;

use crate::organization::OrganizationKind;
use crate::reference::ProviderKind;
use crate::refusal::{FieldRefusal, Refusal};
use crate::vocabulary;

vocabulary! {
    pub enum CardStatus {
        Valid = "valid" { vi: "Còn hiệu lực", en: "Valid" },
        Revoked = "revoked" { vi: "Đã thu hồi", en: "Revoked" },
        Replaced = "replaced" { vi: "Đã cấp lại thẻ khác", en: "Replaced by a reissued card" },
    }
}

/// A collaborator's card (thẻ cộng tác viên), issued by the Director of the Department.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub issued_on: NaiveDate,
    /// Last day of validity.
    pub expires_on: NaiveDate,
    /// First day a revoked or replaced card no longer counts.
    pub ended_on: Option<NaiveDate>,
}

impl Card {
    /// Valid from its issue to its expiry, unless it was revoked or replaced before: a card
    /// revoked on 1 December still counted for the days before.
    pub fn valid_on(&self, day: NaiveDate) -> bool {
        self.issued_on <= day && day <= self.expires_on && self.ended_on.is_none_or(|end| day < end)
    }
}

/// Why a card cannot be issued to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueRefusal {
    /// Only collaborators get collaborators' cards.
    NotACollaborator,
    /// The person holds a card of the same Department valid today: it is reissued or revoked,
    /// so that one Department's cards never overlap.
    HoldsValidCard,
}

/// Checks that a person who gives legal aid as `provider_kind` may be issued a card by a
/// Department whose cards to them are `held`, on `today`.
pub fn check_may_issue<'a>(
    provider_kind: Option<ProviderKind>,
    held: impl IntoIterator<Item = &'a Card>,
    today: NaiveDate,
) -> Result<(), IssueRefusal> {
    if provider_kind != Some(ProviderKind::Collaborator) {
        return Err(IssueRefusal::NotACollaborator);
    }
    if held.into_iter().any(|c| c.valid_on(today)) {
        return Err(IssueRefusal::HoldsValidCard);
    }
    Ok(())
}

/// Why a card cannot be reissued or revoked as asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardChangeRefusal {
    /// It was revoked or replaced already: only a valid card changes.
    NotValid,
    /// The new card would be issued before the card it replaces.
    BeforeOldCard,
    /// The revocation day is before the card's issue, or still to come.
    OutOfRange,
    /// Another card of the same Department is valid today: it is that card that is reissued
    /// or revoked, so that one Department's cards never overlap.
    OtherValidCard,
}

impl CardStatus {
    /// Checks that a card of this status may be reissued or revoked.
    pub fn check_changeable(self) -> Result<(), CardChangeRefusal> {
        match self {
            Self::Valid => Ok(()),
            Self::Revoked | Self::Replaced => Err(CardChangeRefusal::NotValid),
        }
    }
}

impl Card {
    /// Checks that a card issued on `issued_on` may replace this one, among the `others` the
    /// same Department gave the person: not before it, and while no other of them is valid
    /// `today` (an expired card reissued beside a valid one would be a second valid card).
    pub fn check_reissue<'a>(
        &self,
        issued_on: NaiveDate,
        others: impl IntoIterator<Item = &'a Card>,
        today: NaiveDate,
    ) -> Result<(), CardChangeRefusal> {
        if issued_on < self.issued_on {
            return Err(CardChangeRefusal::BeforeOldCard);
        }
        if others.into_iter().any(|c| c.valid_on(today)) {
            return Err(CardChangeRefusal::OtherValidCard);
        }
        Ok(())
    }

    /// The first day this card no longer counts once replaced by a card issued on
    /// `issued_on`: that day, or the day after it expired if it had expired before.
    pub fn replaced_from(&self, issued_on: NaiveDate) -> NaiveDate {
        issued_on.min(self.expires_on + chrono::Duration::days(1))
    }

    /// Checks that this card may be revoked from `on` (its first day no longer counting), a
    /// day between its issue and `today`.
    pub fn check_revoke(&self, on: NaiveDate, today: NaiveDate) -> Result<(), CardChangeRefusal> {
        if !crate::time::day_in_range(on, Some(self.issued_on), today) {
            return Err(CardChangeRefusal::OutOfRange);
        }
        Ok(())
    }
}

/// Why a card's dates are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardDatesError {
    /// The last day of validity comes before the day of issue.
    ExpiresBeforeIssue,
    /// A card is recorded once issued, not ahead of it.
    IssuedInFuture,
}

/// Checks the dates of a card being issued or reissued on `today`.
pub fn check_card_dates(
    issued_on: NaiveDate,
    expires_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), CardDatesError> {
    if expires_on < issued_on {
        return Err(CardDatesError::ExpiresBeforeIssue);
    }
    if issued_on > today {
        return Err(CardDatesError::IssuedInFuture);
    }
    Ok(())
}

impl Refusal for CardDatesError {
    fn field_refusal(&self) -> FieldRefusal {
        match self {
            Self::ExpiresBeforeIssue => FieldRefusal::new(
                "expires_on",
                "before_issue",
                "Ngày hết hạn phải từ ngày cấp trở đi.",
                "The card cannot expire before it is issued.",
            ),
            Self::IssuedInFuture => FieldRefusal::new(
                "issued_on",
                "in_future",
                "Thẻ được ghi nhận từ ngày cấp, không ghi trước.",
                "A card is recorded once issued, not ahead of it.",
            ),
        }
    }
}

/// The organization whose Director issues, reissues and revokes the cards of a collaborator
/// of the first organization of `chain`: the nearest Department of Justice at or above it.
/// `chain` is the organization followed by its ancestors, nearest first, each with its kind;
/// `None` when no Department is above (a national organization).
pub fn card_issuer<'a>(
    chain: impl IntoIterator<Item = (&'a str, OrganizationKind)>,
) -> Option<&'a str> {
    chain
        .into_iter()
        .find(|(_, kind)| *kind == OrganizationKind::Department)
        .map(|(id, _)| id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_card_is_recorded_once_issued_and_expires_after_its_issue() {
        let today = d(2026, 6, 1);
        assert_eq!(
            check_card_dates(d(2026, 6, 1), d(2026, 6, 1), today),
            Ok(())
        );
        assert_eq!(
            check_card_dates(d(2026, 5, 1), d(2026, 4, 30), today),
            Err(CardDatesError::ExpiresBeforeIssue)
        );
        assert_eq!(
            check_card_dates(d(2026, 6, 2), d(2027, 6, 2), today),
            Err(CardDatesError::IssuedInFuture)
        );
        assert_eq!(
            CardDatesError::IssuedInFuture.field_refusal().field,
            "issued_on"
        );
    }

    fn card(issued_on: NaiveDate, expires_on: NaiveDate, ended_on: Option<NaiveDate>) -> Card {
        Card {
            issued_on,
            expires_on,
            ended_on,
        }
    }

    #[test]
    fn a_card_is_issued_to_a_collaborator_without_a_valid_one() {
        let today = d(2026, 6, 1);
        let collaborator = Some(ProviderKind::Collaborator);
        assert_eq!(check_may_issue(collaborator, [], today), Ok(()));
        for other in [
            None,
            Some(ProviderKind::Lawyer),
            Some(ProviderKind::LegalAidOfficer),
        ] {
            assert_eq!(
                check_may_issue(other, [], today),
                Err(IssueRefusal::NotACollaborator)
            );
        }
        let valid = card(d(2025, 1, 1), d(2027, 12, 31), None);
        assert_eq!(
            check_may_issue(collaborator, [&valid], today),
            Err(IssueRefusal::HoldsValidCard)
        );
        // Expired, or revoked before today: a new one may be issued.
        let expired = card(d(2020, 1, 1), d(2026, 5, 31), None);
        let revoked = card(d(2025, 1, 1), d(2027, 12, 31), Some(d(2026, 6, 1)));
        assert_eq!(
            check_may_issue(collaborator, [&expired, &revoked], today),
            Ok(())
        );
    }

    #[test]
    fn only_a_valid_card_is_reissued_or_revoked_within_its_days() {
        let today = d(2026, 6, 1);
        assert_eq!(CardStatus::Valid.check_changeable(), Ok(()));
        for ended in [CardStatus::Revoked, CardStatus::Replaced] {
            assert_eq!(ended.check_changeable(), Err(CardChangeRefusal::NotValid));
        }
        let old = card(d(2025, 3, 1), d(2027, 12, 31), None);
        assert_eq!(old.check_reissue(d(2025, 3, 1), [], today), Ok(()));
        assert_eq!(
            old.check_reissue(d(2025, 2, 28), [], today),
            Err(CardChangeRefusal::BeforeOldCard)
        );
        // An expired card is not reissued beside a valid one.
        let expired = card(d(2019, 1, 5), d(2020, 1, 4), None);
        let current = card(d(2024, 1, 5), d(2029, 1, 4), None);
        assert_eq!(
            expired.check_reissue(d(2026, 1, 1), [&current], today),
            Err(CardChangeRefusal::OtherValidCard)
        );
        assert_eq!(expired.check_reissue(d(2026, 1, 1), [], today), Ok(()));
        assert_eq!(expired.replaced_from(d(2026, 1, 1)), d(2020, 1, 5));
        assert_eq!(old.replaced_from(d(2026, 1, 1)), d(2026, 1, 1));
        assert_eq!(old.check_revoke(d(2025, 3, 1), today), Ok(()));
        assert_eq!(old.check_revoke(today, today), Ok(()));
        for out in [d(2025, 2, 28), d(2026, 6, 2)] {
            assert_eq!(
                old.check_revoke(out, today),
                Err(CardChangeRefusal::OutOfRange)
            );
        }
    }

    #[test]
    fn the_card_issuer_is_the_nearest_department_at_or_above() {
        use OrganizationKind::*;
        let chain = [
            ("club", Club),
            ("branch", Branch),
            ("centre", Center),
            ("department", Department),
            ("agency", Agency),
        ];
        assert_eq!(card_issuer(chain), Some("department"));
        assert_eq!(card_issuer(chain[2..].iter().copied()), Some("department"));
        assert_eq!(
            card_issuer([("department", Department)]),
            Some("department")
        );
        assert_eq!(card_issuer([("agency", Agency)]), None);
    }
}
