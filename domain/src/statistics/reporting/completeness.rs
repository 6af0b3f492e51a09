//! Whether the reports a level expects came in, and in time (art. 7(2)): each expected report
//! is on time, late by so many days, missing, or not yet due; completeness and timeliness are
//! the shares of the expected reports received and received on time.

use chrono::NaiveDate;

use super::report::ReportStatus;

/// How one expected report stands against its due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeliness {
    /// Not submitted, and the due date has not passed.
    NotYetDue,
    /// Submitted on or before the due date.
    OnTime,
    /// Submitted after the due date, by so many days.
    Late { days: i64 },
    /// Not submitted, the due date passed so many days ago.
    Missing { days: i64 },
}

impl Timeliness {
    /// The timeliness of a report due on `due` and first submitted on `submitted` (a Viet Nam
    /// date), judged on `today`. A report returned and submitted again keeps the day it was
    /// first sent: the unit sent its figures then (art. 7(2) sets when figures are sent, not
    /// when they are accepted).
    pub fn of(due: NaiveDate, submitted: Option<NaiveDate>, today: NaiveDate) -> Self {
        match submitted {
            Some(on) if on <= due => Self::OnTime,
            Some(on) => Self::Late {
                days: (on - due).num_days(),
            },
            None if today > due => Self::Missing {
                days: (today - due).num_days(),
            },
            None => Self::NotYetDue,
        }
    }

    /// `not_yet_due`, `on_time`, `late` or `missing`.
    pub fn code(self) -> &'static str {
        match self {
            Self::NotYetDue => "not_yet_due",
            Self::OnTime => "on_time",
            Self::Late { .. } => "late",
            Self::Missing { .. } => "missing",
        }
    }

    /// Days past the due date: of the submission when late, of today when missing.
    pub fn days_late(self) -> i64 {
        match self {
            Self::Late { days } | Self::Missing { days } => days,
            _ => 0,
        }
    }
}

/// One expected report as it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// `None` when nothing was started, or only a draft.
    pub status: Option<ReportStatus>,
    /// Whether a revision of it was accepted: its figures stand while a later correction
    /// waits, or was returned.
    pub accepted_revision: bool,
    pub timeliness: Timeliness,
}

impl Standing {
    /// Received: the unit sent it at least once. A returned report was received, and sent
    /// back to be completed; it is counted as returned besides. So every expected report is
    /// received, missing or not yet due, and the received are on time or late.
    pub fn received(self) -> bool {
        self.status.is_some()
    }

    /// Accepted: a revision of it was (the figures the level above took, and may have
    /// released, stay accepted through a later correction).
    pub fn accepted(self) -> bool {
        self.accepted_revision || self.status == Some(ReportStatus::Accepted)
    }

    /// Back with its unit to be completed.
    pub fn returned(self) -> bool {
        self.status == Some(ReportStatus::Returned)
    }
}

/// The counts and shares of a set of expected reports.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Rates {
    pub expected: u64,
    pub received: u64,
    pub accepted: u64,
    /// Of the received, those back with their unit to be completed.
    pub returned: u64,
    pub on_time: u64,
    pub late: u64,
    pub missing: u64,
    /// Received over expected, from 0 to 1; 1 when nothing is expected.
    pub completeness: f64,
    /// Sent on time over expected, from 0 to 1; 1 when nothing is expected.
    pub timeliness: f64,
}

impl Rates {
    pub fn of(standings: impl IntoIterator<Item = Standing>) -> Self {
        let mut r = Self::default();
        for s in standings {
            r.expected += 1;
            r.received += u64::from(s.received());
            r.accepted += u64::from(s.accepted());
            r.returned += u64::from(s.returned());
            match s.timeliness {
                Timeliness::OnTime => r.on_time += 1,
                Timeliness::Late { .. } => r.late += 1,
                Timeliness::Missing { .. } => r.missing += 1,
                Timeliness::NotYetDue => {}
            }
        }
        let share = |n: u64| {
            if r.expected == 0 {
                1.0
            } else {
                n as f64 / r.expected as f64
            }
        };
        r.completeness = share(r.received);
        r.timeliness = share(r.on_time);
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn a_report_is_on_time_late_missing_or_not_yet_due() {
        let due = d(7, 20);
        assert_eq!(
            Timeliness::of(due, Some(d(7, 20)), d(9, 1)),
            Timeliness::OnTime
        );
        assert_eq!(
            Timeliness::of(due, Some(d(7, 23)), d(9, 1)),
            Timeliness::Late { days: 3 }
        );
        assert_eq!(
            Timeliness::of(due, None, d(7, 30)),
            Timeliness::Missing { days: 10 }
        );
        assert_eq!(Timeliness::of(due, None, d(7, 20)), Timeliness::NotYetDue);
        assert_eq!(Timeliness::Missing { days: 10 }.days_late(), 10);
        assert_eq!(Timeliness::OnTime.code(), "on_time");
    }

    #[test]
    fn rates_count_received_accepted_and_on_time_over_expected() {
        let s = |status, timeliness| Standing {
            status,
            accepted_revision: false,
            timeliness,
        };
        let corrected_then_returned = Standing {
            accepted_revision: true,
            ..s(Some(ReportStatus::Returned), Timeliness::Late { days: 1 })
        };
        let rates = Rates::of([
            s(Some(ReportStatus::Accepted), Timeliness::OnTime),
            s(Some(ReportStatus::Submitted), Timeliness::Late { days: 2 }),
            s(Some(ReportStatus::Returned), Timeliness::OnTime),
            corrected_then_returned,
            s(None, Timeliness::Missing { days: 5 }),
            s(None, Timeliness::NotYetDue),
        ]);
        assert_eq!((rates.expected, rates.received, rates.accepted), (6, 4, 2));
        assert_eq!(rates.returned, 2);
        assert_eq!((rates.on_time, rates.late, rates.missing), (2, 2, 1));
        assert_eq!(
            rates.received + rates.missing + 1,
            rates.expected,
            "every expected report is received, missing or not yet due"
        );
        assert_eq!(rates.on_time + rates.late, rates.received);
        assert!((rates.completeness - 4.0 / 6.0).abs() < 1e-9);
        assert!((rates.timeliness - 2.0 / 6.0).abs() < 1e-9);
        assert_eq!(Rates::of([]).completeness, 1.0);
    }
}
