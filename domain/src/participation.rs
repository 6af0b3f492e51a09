//! The life cycle of an organization's participation in legal aid (Law on Legal Aid 2017,
//! art. 15–18): a law office, law firm or counselling centre takes part by contract or by
//! registration, over the days of its validity, until the Department terminates it or, for a
//! registration, revokes its certificate.
//!
//! Two questions are kept apart. Where the participation stands in its life cycle is its
//! status: only an active one may be amended, terminated or revoked. Whether the organization
//! takes part on a given day is [`Standing::in_force_on`]: active, and the day within its
//! validity. The published lists ask the second question in SQL
//! (`persistence::in_force::published_on`); form 6 asks it of past days through
//! `statistics::records::ParticipantRecord`, which reads the day it ended instead of the status.

use chrono::NaiveDate;

use crate::organization::{OrganizationKind, ParticipationMode, ParticipationStatus};
use crate::time::day_in_range;

/// An organization's participation as recorded: how it takes part, where it stands in its
/// life cycle, and the days of its validity (both inclusive; open-ended without `valid_to`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub mode: ParticipationMode,
    pub status: ParticipationStatus,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    /// The day it was terminated or revoked: its first day no longer in force.
    pub ended_on: Option<NaiveDate>,
}

/// Why a participation cannot end as asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndRefusal {
    /// It was terminated or revoked already.
    NotActive,
    /// Only a registration has a certificate to revoke; a contract standing is terminated.
    NotARegistration,
    /// The day it ends is before it began, or still to come.
    OutOfRange,
}

/// Why an organization cannot sign a contract with a centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigningRefusal {
    /// Only law offices, law firms and counselling centres take part in legal aid.
    NotParticipatingKind,
    /// It did not take part on the day the contract was signed.
    NotInForce,
}

impl Standing {
    /// Whether the organization takes part on `day`: within its validity, and while active,
    /// or, once terminated or revoked, before the day it ended (what it did before stays
    /// done under it).
    pub fn in_force_on(&self, day: NaiveDate) -> bool {
        let not_ended = match self.status {
            ParticipationStatus::Active => true,
            ParticipationStatus::Terminated | ParticipationStatus::Revoked => {
                self.ended_on.is_some_and(|end| day < end)
            }
        };
        not_ended && self.valid_from <= day && self.valid_to.is_none_or(|last| day <= last)
    }

    /// Checks that the participation may end as `to` (terminated or revoked) on `on`, a day
    /// between its first day and `today`: the record says what happened, not what is planned.
    pub fn check_end(
        &self,
        to: ParticipationStatus,
        on: NaiveDate,
        today: NaiveDate,
    ) -> Result<(), EndRefusal> {
        if self.status != ParticipationStatus::Active {
            return Err(EndRefusal::NotActive);
        }
        if to == ParticipationStatus::Revoked && self.mode != ParticipationMode::Registration {
            return Err(EndRefusal::NotARegistration);
        }
        if !day_in_range(on, Some(self.valid_from), today) {
            return Err(EndRefusal::OutOfRange);
        }
        Ok(())
    }
}

/// Checks that an organization of `kind`, whose participation is `standing` (`None` when it
/// has none recorded), may sign a contract with a centre on `signed_on`: the Department
/// selects organizations that take part (art. 17), so the participation must be in force on
/// the day of signing.
pub fn check_may_sign(
    kind: OrganizationKind,
    standing: Option<&Standing>,
    signed_on: NaiveDate,
) -> Result<(), SigningRefusal> {
    if !kind.is_participating() {
        return Err(SigningRefusal::NotParticipatingKind);
    }
    if !standing.is_some_and(|s| s.in_force_on(signed_on)) {
        return Err(SigningRefusal::NotInForce);
    }
    Ok(())
}

/// Its mode changed though it has a history: an organization that took part by contract
/// (or registration) goes on in that mode, whatever it amends or registers again, so that its
/// history reads as one participation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModeFixed;

/// Checks the mode `after` of a participation recorded as `before` (`None` without any).
pub fn check_mode(
    before: Option<ParticipationMode>,
    after: ParticipationMode,
) -> Result<(), ModeFixed> {
    match before {
        Some(mode) if mode != after => Err(ModeFixed),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_participation_keeps_its_mode() {
        use ParticipationMode::*;
        assert_eq!(check_mode(None, Contract), Ok(()));
        assert_eq!(check_mode(Some(Contract), Contract), Ok(()));
        assert_eq!(check_mode(Some(Registration), Contract), Err(ModeFixed));
    }
    use super::*;
    use ParticipationStatus::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn registration(status: ParticipationStatus) -> Standing {
        Standing {
            mode: ParticipationMode::Registration,
            status,
            valid_from: d(2024, 1, 1),
            valid_to: Some(d(2028, 12, 31)),
            ended_on: (status != Active).then(|| d(2026, 6, 1)),
        }
    }

    #[test]
    fn a_participation_is_in_force_while_active_and_within_its_days() {
        let active = registration(Active);
        assert!(!active.in_force_on(d(2023, 12, 31)));
        assert!(active.in_force_on(d(2024, 1, 1)));
        assert!(active.in_force_on(d(2028, 12, 31)));
        assert!(!active.in_force_on(d(2029, 1, 1)));
        let open = Standing {
            valid_to: None,
            ..active
        };
        assert!(open.in_force_on(d(2099, 1, 1)));
        for ended in [Terminated, Revoked] {
            assert!(!registration(ended).in_force_on(d(2026, 6, 1)));
            // Before the day it ended, it was in force.
            assert!(registration(ended).in_force_on(d(2026, 5, 31)));
        }
    }

    #[test]
    fn only_a_participating_organization_in_force_on_the_day_signs_a_contract() {
        let active = registration(Active);
        let on = d(2026, 1, 5);
        assert_eq!(
            check_may_sign(OrganizationKind::LawFirm, Some(&active), on),
            Ok(())
        );
        assert_eq!(
            check_may_sign(OrganizationKind::Center, Some(&active), on),
            Err(SigningRefusal::NotParticipatingKind)
        );
        assert_eq!(
            check_may_sign(OrganizationKind::LawFirm, None, on),
            Err(SigningRefusal::NotInForce)
        );
        // Lapsed by its dates, though nobody terminated it.
        assert_eq!(
            check_may_sign(OrganizationKind::LawFirm, Some(&active), d(2029, 3, 1)),
            Err(SigningRefusal::NotInForce)
        );
        // Revoked on 2026-06-01: a contract signed from then is refused; one signed before
        // is a fact of when it took part.
        let revoked = registration(Revoked);
        assert_eq!(
            check_may_sign(OrganizationKind::LawFirm, Some(&revoked), d(2026, 6, 1)),
            Err(SigningRefusal::NotInForce)
        );
        assert_eq!(
            check_may_sign(OrganizationKind::LawFirm, Some(&revoked), on),
            Ok(())
        );
    }

    #[test]
    fn an_active_participation_ends_once_on_a_day_that_has_come() {
        let today = d(2026, 11, 30);
        let active = registration(Active);
        assert_eq!(active.check_end(Terminated, today, today), Ok(()));
        assert_eq!(active.check_end(Revoked, d(2024, 1, 1), today), Ok(()));
        assert_eq!(
            active.check_end(Terminated, d(2023, 12, 31), today),
            Err(EndRefusal::OutOfRange)
        );
        assert_eq!(
            active.check_end(Terminated, d(2026, 12, 1), today),
            Err(EndRefusal::OutOfRange)
        );
        for ended in [Terminated, Revoked] {
            assert_eq!(
                registration(ended).check_end(Terminated, today, today),
                Err(EndRefusal::NotActive)
            );
        }
        let contract = Standing {
            mode: ParticipationMode::Contract,
            ..active
        };
        assert_eq!(
            contract.check_end(Revoked, today, today),
            Err(EndRefusal::NotARegistration)
        );
        assert_eq!(contract.check_end(Terminated, today, today), Ok(()));
    }
}
