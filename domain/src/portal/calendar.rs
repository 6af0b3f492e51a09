//! Working days (ngày làm việc): the unit of the time limits of administrative procedures.
//!
//! Saturdays, Sundays and Viet Nam's public holidays do not count (Labour Code 2019 art. 112;
//! Decree 61/2018/NĐ-CP art. 2 on the one-stop shop). Tết and the Hùng Kings' commemoration
//! follow the lunar calendar and the Government moves days off and make-up Saturdays every
//! year, so the calendar is data ([`CalendarDay`]) that the Agency keeps, never a formula.
//! A dossier received after office hours, or on a day that is not a working day, is counted
//! from the next working day (Decree 61/2018 art. 19).

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};

use crate::time::vietnam_offset;
use crate::vocabulary;

vocabulary! {
    /// What a dated entry of the calendar says about its day.
    pub enum DayKind {
        Holiday = "holiday" { vi: "Ngày nghỉ lễ, Tết", en: "Public holiday" },
        WorkingDay = "working_day" { vi: "Ngày làm việc bù (thứ Bảy, Chủ nhật đi làm)", en: "Make-up working day" },
    }
}

/// Whether marking `day` as `kind` changes anything: a holiday falls on a weekday, a day
/// worked on a weekend.
pub fn is_exception(day: NaiveDate, kind: DayKind) -> bool {
    let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
    (kind == DayKind::Holiday) != weekend
}

/// One dated exception to the week: a holiday on a weekday, or a weekend day worked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarDay {
    pub day: NaiveDate,
    pub kind: DayKind,
    /// What the day is (`Tết Nguyên đán`, `Giỗ Tổ Hùng Vương`, `Làm bù cho ngày 2/5`).
    pub name: String,
}

/// The hour offices stop receiving: a dossier received at or after it counts from the next
/// working day. Offices work 08:00–17:00 (Decree 61/2018 art. 11 leaves the hours to the
/// province; the portal's own rule is 17:00).
pub const OFFICE_CLOSES: NaiveTime = match NaiveTime::from_hms_opt(17, 0, 0) {
    Some(t) => t,
    None => unreachable!(),
};

/// The longest a time limit may run, in working days: a bound that keeps every count finite
/// whatever the calendar holds.
pub const MAX_WORKING_DAYS: u32 = 366;

/// The working days of Viet Nam's public offices, as the Agency's calendar says.
#[derive(Debug, Clone, Default)]
pub struct WorkingCalendar {
    exceptions: BTreeMap<NaiveDate, DayKind>,
}

impl WorkingCalendar {
    pub fn new(days: impl IntoIterator<Item = (NaiveDate, DayKind)>) -> Self {
        Self {
            exceptions: days.into_iter().collect(),
        }
    }

    /// Whether the calendar has the year's entries (every year has holidays): a year without
    /// any has not been loaded.
    pub fn covers(&self, year: i32) -> bool {
        let (Some(first), Some(last)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return false;
        };
        self.exceptions.range(first..=last).next().is_some()
    }

    /// Monday to Friday unless a holiday; a weekend day only when marked worked.
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        match self.exceptions.get(&day) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::WorkingDay) => true,
            None => !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The first working day after `day`.
    pub fn next_working_day(&self, day: NaiveDate) -> NaiveDate {
        let mut next = day + Duration::days(1);
        // A year holds at most ~130 days off; the bound only guards a corrupt calendar.
        for _ in 0..400 {
            if self.is_working_day(next) {
                return next;
            }
            next += Duration::days(1);
        }
        next
    }

    /// The working day a receipt at `received_at` counts from: its own day when a working
    /// day and before [`OFFICE_CLOSES`] in Viet Nam, else the next working day.
    pub fn counting_day(&self, received_at: DateTime<Utc>) -> NaiveDate {
        let local = received_at.with_timezone(&vietnam_offset());
        let day = local.date_naive();
        if self.is_working_day(day) && local.time() < OFFICE_CLOSES {
            day
        } else {
            self.next_working_day(day)
        }
    }

    /// The day `n` working days after the working day `from` (`from` itself when `n` is 0):
    /// a limit of three working days on a dossier counted from Monday ends on Thursday.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut day = from;
        for _ in 0..n.min(MAX_WORKING_DAYS) {
            day = self.next_working_day(day);
        }
        day
    }

    /// The working days after `from` up to and including `to` (0 when `to` is not later).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut count = 0;
        let mut day = from;
        while day < to && count < MAX_WORKING_DAYS {
            day = self.next_working_day(day);
            if day <= to {
                count += 1;
            }
        }
        count
    }

    /// The promised return date (ngày hẹn trả) of a dossier received at `received_at` under
    /// a time limit of `limit` working days.
    pub fn due_on(&self, received_at: DateTime<Utc>, limit: u32) -> NaiveDate {
        self.add_working_days(self.counting_day(received_at), limit)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::TimeZone;

    pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Viet Nam time.
    pub fn at(y: i32, m: u32, day: u32, h: u32, min: u32) -> DateTime<Utc> {
        vietnam_offset()
            .with_ymd_and_hms(y, m, day, h, min, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    /// Tết 2026 (14–22 February, the weekdays 16–20 off), 30/4–1/5 2026 (Thursday and
    /// Friday), and 2025's swap: Friday 2 May off, Saturday 26 April worked.
    pub fn calendar() -> WorkingCalendar {
        let mut days: Vec<(NaiveDate, DayKind)> = (16..=20)
            .map(|day| (d(2026, 2, day), DayKind::Holiday))
            .collect();
        days.extend([
            (d(2026, 4, 27), DayKind::Holiday),
            (d(2026, 4, 30), DayKind::Holiday),
            (d(2026, 5, 1), DayKind::Holiday),
            (d(2025, 4, 30), DayKind::Holiday),
            (d(2025, 5, 1), DayKind::Holiday),
            (d(2025, 5, 2), DayKind::Holiday),
            (d(2025, 4, 26), DayKind::WorkingDay),
        ]);
        WorkingCalendar::new(days)
    }

    #[test]
    fn weekends_and_holidays_do_not_count_and_make_up_days_do() {
        let c = calendar();
        assert!(c.is_working_day(d(2026, 2, 13)), "Friday before Tết");
        assert!(!c.is_working_day(d(2026, 2, 16)), "Tết");
        assert!(!c.is_working_day(d(2026, 2, 21)), "Saturday");
        assert!(c.is_working_day(d(2025, 4, 26)), "a Saturday worked");
        assert!(!c.is_working_day(d(2025, 5, 2)), "a Friday given off");
    }

    #[test]
    fn a_limit_runs_over_tet() {
        let c = calendar();
        // Received Friday 13 February 2026 at 09:00, three working days: 23, 24, 25.
        assert_eq!(c.due_on(at(2026, 2, 13, 9, 0), 3), d(2026, 2, 25));
        // Received at 17:00 that Friday: counted from Monday 23, due Thursday 26.
        assert_eq!(c.due_on(at(2026, 2, 13, 17, 0), 3), d(2026, 2, 26));
        // Received on a Tết holiday: counted from the first working day after Tết.
        assert_eq!(c.counting_day(at(2026, 2, 17, 10, 0)), d(2026, 2, 23));
        assert_eq!(c.due_on(at(2026, 2, 17, 10, 0), 0), d(2026, 2, 23));
    }

    #[test]
    fn a_limit_runs_over_30_april_and_1_may() {
        let c = calendar();
        // Received Wednesday 29 April 2026: 30/4 and 1/5 off, then the weekend: 4, 5, 6 May.
        assert_eq!(c.due_on(at(2026, 4, 29, 8, 30), 3), d(2026, 5, 6));
        // 2025: received Friday 25 April, Saturday 26 worked, then 28, 29 (30/4–2/5 off).
        assert_eq!(c.due_on(at(2025, 4, 25, 10, 0), 3), d(2025, 4, 29));
        assert_eq!(c.due_on(at(2025, 4, 29, 10, 0), 1), d(2025, 5, 5));
    }

    #[test]
    fn office_hours_end_at_five_in_viet_nam_whatever_the_server_zone() {
        let c = calendar();
        assert_eq!(c.counting_day(at(2026, 3, 10, 16, 59)), d(2026, 3, 10));
        assert_eq!(c.counting_day(at(2026, 3, 10, 17, 0)), d(2026, 3, 11));
        // 23:30 UTC on Tuesday is already Wednesday 06:30 in Viet Nam: Wednesday counts.
        let utc = Utc.with_ymd_and_hms(2026, 3, 10, 23, 30, 0).unwrap();
        assert_eq!(c.counting_day(utc), d(2026, 3, 11));
    }

    #[test]
    fn an_entry_is_an_exception_to_its_weekday_and_a_year_is_covered_by_its_entries() {
        assert!(is_exception(d(2026, 4, 30), DayKind::Holiday));
        assert!(
            !is_exception(d(2026, 4, 26), DayKind::Holiday),
            "a Sunday is off anyway"
        );
        assert!(is_exception(d(2025, 4, 26), DayKind::WorkingDay));
        assert!(
            !is_exception(d(2025, 4, 28), DayKind::WorkingDay),
            "a Monday is worked anyway"
        );
        let c = calendar();
        assert!(c.covers(2025) && c.covers(2026));
        assert!(!c.covers(2024) && !c.covers(2027));
    }

    #[test]
    fn working_days_between_counts_the_days_after_the_first() {
        let c = calendar();
        assert_eq!(c.working_days_between(d(2026, 2, 13), d(2026, 2, 25)), 3);
        assert_eq!(c.working_days_between(d(2026, 2, 25), d(2026, 2, 25)), 0);
        assert_eq!(c.working_days_between(d(2026, 2, 25), d(2026, 2, 13)), 0);
        // Counting back what adding counted forward.
        for n in 0..20 {
            let from = d(2026, 2, 12);
            assert_eq!(c.working_days_between(from, c.add_working_days(from, n)), n);
        }
    }
}
