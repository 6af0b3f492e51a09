//! The Agency's monthly notice of litigation (seed 003 §2): per province, the litigation
//! cases accepted in the month (in defence, and in protection of rights), closed, successful
//! and quality-appraised, each against the month before; and the provinces that updated no
//! case in the system in the month.

use chrono::{Datelike, NaiveDate};

use crate::case::LitigationRole;

/// A calendar month (Viet Nam dates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    /// Reads `2026-10`; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let (y, m) = text.split_once('-')?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let month = Self {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
        };
        (month.first_day().is_some() && month.year >= 1997).then_some(month)
    }

    pub fn first_day(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month, 1)
    }

    pub fn last_day(self) -> Option<NaiveDate> {
        self.next().first_day()?.pred_opt()
    }

    pub fn previous(self) -> Self {
        if self.month == 1 {
            Self {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Self {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn contains(self, day: NaiveDate) -> bool {
        day.year() == self.year && day.month() == self.month
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// What happened to one litigation case on one day, as the notice counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LitigationEvent {
    /// Accepted (thụ lý), with the provider's role in the proceedings when recorded.
    Accepted(Option<LitigationRole>),
    /// Closed; successful when concluded with the defence view accepted
    /// (`Case::is_successful_litigation`).
    Closed { successful: bool },
    /// Its quality was appraised (Law on Legal Aid 2017 art. 42(2)(c)).
    Appraised,
}

/// One province's figures for one month.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MonthFigures {
    pub accepted: i64,
    /// Accepted to defend an accused person.
    pub accepted_defence: i64,
    /// Accepted to protect the rights of a victim or a litigant, or to represent one.
    pub accepted_protection: i64,
    pub closed: i64,
    pub successful: i64,
    pub appraised: i64,
}

impl MonthFigures {
    /// The figures of the events dated in `month`.
    pub fn of<'a>(
        events: impl IntoIterator<Item = &'a (LitigationEvent, NaiveDate)>,
        month: Month,
    ) -> Self {
        let mut f = Self::default();
        for (event, on) in events {
            if !month.contains(*on) {
                continue;
            }
            match event {
                LitigationEvent::Accepted(role) => {
                    f.accepted += 1;
                    match role {
                        Some(LitigationRole::Defence) => f.accepted_defence += 1,
                        Some(LitigationRole::VictimProtection | LitigationRole::Representation) => {
                            f.accepted_protection += 1
                        }
                        None => {}
                    }
                }
                LitigationEvent::Closed { successful } => {
                    f.closed += 1;
                    f.successful += i64::from(*successful);
                }
                LitigationEvent::Appraised => f.appraised += 1,
            }
        }
        f
    }

    /// Each figure minus `before`'s.
    pub fn minus(self, before: Self) -> Self {
        Self {
            accepted: self.accepted - before.accepted,
            accepted_defence: self.accepted_defence - before.accepted_defence,
            accepted_protection: self.accepted_protection - before.accepted_protection,
            closed: self.closed - before.closed,
            successful: self.successful - before.successful,
            appraised: self.appraised - before.appraised,
        }
    }

    pub fn plus(self, other: Self) -> Self {
        Self {
            accepted: self.accepted + other.accepted,
            accepted_defence: self.accepted_defence + other.accepted_defence,
            accepted_protection: self.accepted_protection + other.accepted_protection,
            closed: self.closed + other.closed,
            successful: self.successful + other.successful,
            appraised: self.appraised + other.appraised,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn months_are_read_strictly_and_walk_across_years() {
        let m = Month::parse("2026-01").unwrap();
        assert_eq!(m.previous().to_string(), "2025-12");
        assert_eq!(m.last_day(), Some(d(1, 31)));
        assert_eq!(Month::parse("2026-02").unwrap().last_day(), Some(d(2, 28)));
        for bad in [
            "2026-13", "2026-1", "26-01", "2026/01", "2026-00", "1990-01", "+026-01",
        ] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_month_counts_its_own_events_by_role_and_against_the_month_before() {
        use LitigationEvent::*;
        let events = [
            (Accepted(Some(LitigationRole::Defence)), d(10, 1)),
            (Accepted(Some(LitigationRole::VictimProtection)), d(10, 31)),
            (Accepted(None), d(10, 2)),
            (Accepted(Some(LitigationRole::Defence)), d(9, 30)),
            (Closed { successful: true }, d(10, 5)),
            (Closed { successful: false }, d(10, 6)),
            (Appraised, d(10, 7)),
        ];
        let october = MonthFigures::of(&events, Month::parse("2026-10").unwrap());
        assert_eq!(
            october,
            MonthFigures {
                accepted: 3,
                accepted_defence: 1,
                accepted_protection: 1,
                closed: 2,
                successful: 1,
                appraised: 1
            }
        );
        let september = MonthFigures::of(&events, Month::parse("2026-09").unwrap());
        assert_eq!(october.minus(september).accepted, 2);
        assert_eq!(october.minus(september).accepted_defence, 0);
    }
}
