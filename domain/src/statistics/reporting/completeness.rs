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
    pub timeliness: Timeliness,
}

impl Standing {
    /// Received: submitted or accepted (a returned report is back with its unit).
    pub fn received(self) -> bool {
        self.status.is_some_and(ReportStatus::is_received)
    }

    pub fn accepted(self) -> bool {
        self.status == Some(ReportStatus::Accepted)
    }
}

/// The counts and shares of a set of expected reports.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Rates {
    pub expected: u64,
    pub received: u64,
    pub accepted: u64,
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
        let s = |status, timeliness| Standing { status, timeliness };
        let rates = Rates::of([
            s(Some(ReportStatus::Accepted), Timeliness::OnTime),
            s(Some(ReportStatus::Submitted), Timeliness::Late { days: 2 }),
            s(Some(ReportStatus::Returned), Timeliness::OnTime),
            s(None, Timeliness::Missing { days: 5 }),
        ]);
        assert_eq!((rates.expected, rates.received, rates.accepted), (4, 2, 1));
        assert_eq!((rates.on_time, rates.late, rates.missing), (2, 1, 1));
        assert!((rates.completeness - 0.5).abs() < 1e-9);
        assert!((rates.timeliness - 0.5).abs() < 1e-9);
        assert_eq!(Rates::of([]).completeness, 1.0);
    }
}
