//! Statistical regimes: the instrument a set of forms comes from, the periods it counts in,
//! when figures are due, and who signs a form. Data, like the forms.

use chrono::{Duration, NaiveDate};

use super::deadline::{ReportingLevel, DAYS_AFTER_PERIOD};
use super::period::{Edition, Period, PeriodError};
use crate::label::Label;

/// How a regime divides time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Calendar {
    /// The reporting year from 1 October, in cumulative periods (Circular 02/2011 art. 7(1)).
    ReportingYear,
    /// The calendar year, in editions (Circular 03/2019).
    CalendarEditions,
}

/// A date by which figures must be sent or received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadlines {
    /// Each level sends within so many days after the period's last day.
    DaysAfterPeriod(&'static [(ReportingLevel, i64)]),
    /// Fixed receipt dates, printed on each form, per edition and receiving office: the
    /// month and day, in the year of the period or the next.
    ReceiptDates(&'static [ReceiptDate]),
}

/// One printed receipt date of a regime of editions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReceiptDate {
    pub edition: Edition,
    /// The office that receives (`Sở Tư pháp`, `Bộ Tư pháp`).
    pub receiver: Label,
    pub month: u32,
    pub day: u32,
    /// In the year after the edition's year.
    pub next_year: bool,
}

/// What a deadline means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineKind {
    /// The level sends its figures by the date.
    SendBy,
    /// The office receives the figures on the date.
    ReceivedBy,
}

/// One deadline of one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    /// The level that sends, or the office that receives.
    pub who: Label,
    pub kind: DeadlineKind,
    pub on: NaiveDate,
}

/// A statistical regime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Regime {
    /// Stable code (`tt02-2011`).
    pub code: &'static str,
    pub instrument: Label,
    /// The first day the instrument was in force.
    pub in_force_from: NaiveDate,
    /// The day it was replaced, if it was.
    pub replaced_on: Option<NaiveDate>,
    pub calendar: Calendar,
    pub deadlines: Deadlines,
    /// Who signs a form, in order, each with the note printed under the title.
    pub signatures: &'static [(Label, Label)],
}

impl Regime {
    /// Whether `period` is one this regime counts in: its cumulative periods or its editions,
    /// and ad-hoc ranges under either.
    pub fn admits(&self, period: &Period) -> bool {
        match period {
            Period::Range { .. } => true,
            Period::Cumulative { .. } => self.calendar == Calendar::ReportingYear,
            Period::Edition { .. } => self.calendar == Calendar::CalendarEditions,
        }
    }

    /// Whether the regime was in force on `day`: the definitions a period is reported on are
    /// those in force on its last day.
    pub fn in_force_on(&self, day: NaiveDate) -> bool {
        self.in_force_from <= day && self.replaced_on.is_none_or(|end| day < end)
    }

    /// Reads `text` as a period of this regime ([`Period::parse`]). A range of days written
    /// out is always one, even when its days are those of a period of the other regime (the
    /// nine months from 1 October asked of a form of calendar years).
    pub fn period(&self, text: &str) -> Result<Period, PeriodError> {
        let period = Period::parse(text)?;
        if self.admits(&period) {
            return Ok(period);
        }
        if text.contains('/') {
            return Ok(Period::Range {
                from: period.from(),
                to: period.to(),
            });
        }
        Err(PeriodError::NotOfTheFormsRegime)
    }

    /// The deadlines of `period`: none for an ad-hoc range, which no one is due to send.
    pub fn deadlines(&self, period: &Period) -> Vec<Deadline> {
        match (self.deadlines, period) {
            (_, Period::Range { .. }) => Vec::new(),
            (Deadlines::DaysAfterPeriod(days), _) => days
                .iter()
                .map(|(level, days)| Deadline {
                    who: crate::label::Vocabulary::label(*level),
                    kind: DeadlineKind::SendBy,
                    on: period.to() + Duration::days(*days),
                })
                .collect(),
            (Deadlines::ReceiptDates(dates), Period::Edition { year, edition }) => dates
                .iter()
                .filter(|d| d.edition == *edition)
                .filter_map(|d| {
                    let on =
                        NaiveDate::from_ymd_opt(year + i32::from(d.next_year), d.month, d.day)?;
                    Some(Deadline {
                        who: d.receiver,
                        kind: DeadlineKind::ReceivedBy,
                        on,
                    })
                })
                .collect(),
            (Deadlines::ReceiptDates(_), _) => Vec::new(),
        }
    }
}

const fn label(vi: &'static str, en: &'static str) -> Label {
    Label { vi, en }
}

const fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("a regime's date is a real day"),
    }
}

/// Circular 02/2011/TT-BTP: in force from 1 March 2011; replaced by Circular 20/2013 from
/// 16 January 2014. Its forms stay computable for any period, so that a long series is
/// counted the same way.
pub static CIRCULAR_02_2011: Regime = Regime {
    code: "tt02-2011",
    instrument: label(
        "Thông tư số 02/2011/TT-BTP hướng dẫn một số vấn đề về biểu mẫu, chế độ báo cáo thống kê trợ giúp pháp lý",
        "Circular 02/2011/TT-BTP on legal aid statistical forms and reporting",
    ),
    in_force_from: day(2011, 3, 1),
    replaced_on: Some(day(2014, 1, 16)),
    calendar: Calendar::ReportingYear,
    deadlines: Deadlines::DaysAfterPeriod(&DAYS_AFTER_PERIOD),
    signatures: &[
        (
            label("NGƯỜI LẬP BIỂU", "PREPARED BY"),
            label("(Ký, ghi rõ họ, tên)", "(Signature and full name)"),
        ),
        (
            label("THỦ TRƯỞNG ĐƠN VỊ", "HEAD OF THE UNIT"),
            label(
                "(Ký, ghi rõ họ, tên, đóng dấu)",
                "(Signature, full name and stamp)",
            ),
        ),
    ],
};

/// Circular 03/2019/TT-BTP on the justice sector's statistical reporting: in force from
/// 15 May 2019; calendar years in three editions, with the receipt dates printed on its legal
/// aid forms.
pub static CIRCULAR_03_2019: Regime = Regime {
    code: "tt03-2019",
    instrument: label(
        "Thông tư số 03/2019/TT-BTP quy định một số nội dung về hoạt động thống kê của Ngành Tư pháp",
        "Circular 03/2019/TT-BTP on statistics of the justice sector",
    ),
    in_force_from: day(2019, 5, 15),
    replaced_on: None,
    calendar: Calendar::CalendarEditions,
    deadlines: Deadlines::ReceiptDates(&[
        receipt(Edition::FirstHalf, SO, 6, 6, false),
        receipt(Edition::AnnualEstimate, SO, 11, 7, false),
        receipt(Edition::Annual, SO, 1, 20, true),
        receipt(Edition::FirstHalf, BO, 6, 25, false),
        receipt(Edition::AnnualEstimate, BO, 11, 28, false),
        receipt(Edition::Annual, BO, 2, 20, true),
    ]),
    signatures: &[
        (
            label("NGƯỜI LẬP BIỂU", "PREPARED BY"),
            label("(Ký, ghi rõ họ, tên)", "(Signature and full name)"),
        ),
        (
            label("NGƯỜI KIỂM TRA", "CHECKED BY"),
            label("(Ký, ghi rõ họ, tên)", "(Signature and full name)"),
        ),
        (
            label("THỦ TRƯỞNG ĐƠN VỊ", "HEAD OF THE UNIT"),
            label(
                "(Ký, ghi rõ họ, tên, đóng dấu)",
                "(Signature, full name and stamp)",
            ),
        ),
    ],
};

const SO: Label = label("Sở Tư pháp", "Department of Justice");
const BO: Label = label(
    "Bộ Tư pháp (Vụ Kế hoạch - Tài chính)",
    "Ministry of Justice (Planning and Finance)",
);

const fn receipt(
    edition: Edition,
    receiver: Label,
    month: u32,
    day: u32,
    next_year: bool,
) -> ReceiptDate {
    ReceiptDate {
        edition,
        receiver,
        month,
        day,
        next_year,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn editions_have_their_days_their_estimated_part_and_their_receipt_dates() {
        let h1 = Period::parse("2025-H1").unwrap();
        assert_eq!((h1.from(), h1.to()), (d(2025, 1, 1), d(2025, 6, 30)));
        assert_eq!(h1.estimated_from(), Some(d(2025, 6, 1)));
        assert_eq!(h1.to_string(), "2025-H1");
        let estimate = Period::parse("2025-cye").unwrap();
        assert_eq!(
            (estimate.from(), estimate.to()),
            (d(2025, 1, 1), d(2025, 12, 31))
        );
        assert_eq!(estimate.estimated_from(), Some(d(2025, 11, 1)));
        let annual = Period::parse("2025-CY").unwrap();
        assert_eq!(annual.estimated_from(), None);
        let received = |p: &Period| -> Vec<NaiveDate> {
            CIRCULAR_03_2019.deadlines(p).iter().map(|d| d.on).collect()
        };
        assert_eq!(received(&h1), [d(2025, 6, 6), d(2025, 6, 25)]);
        assert_eq!(received(&estimate), [d(2025, 11, 7), d(2025, 11, 28)]);
        // The official annual report of 2025 is received in 2026: a receipt date is not
        // the end of the data window.
        assert_eq!(received(&annual), [d(2026, 1, 20), d(2026, 2, 20)]);
        assert!(annual.to() < received(&annual)[0]);
    }

    #[test]
    fn a_regime_is_in_force_from_its_first_day_until_it_is_replaced() {
        assert!(!CIRCULAR_02_2011.in_force_on(d(2011, 2, 28)));
        assert!(CIRCULAR_02_2011.in_force_on(d(2011, 3, 1)));
        assert!(CIRCULAR_02_2011.in_force_on(d(2014, 1, 15)));
        assert!(!CIRCULAR_02_2011.in_force_on(d(2014, 1, 16)));
        assert!(!CIRCULAR_03_2019.in_force_on(d(2019, 5, 14)));
        assert!(CIRCULAR_03_2019.in_force_on(d(2026, 11, 30)));
    }

    #[test]
    fn each_regime_admits_its_own_periods_and_ranges() {
        let cumulative = Period::parse("2025-9M").unwrap();
        let edition = Period::parse("2025-H1").unwrap();
        let range = Period::parse("2025-01-01/2025-03-31").unwrap();
        assert!(CIRCULAR_02_2011.admits(&cumulative) && CIRCULAR_02_2011.admits(&range));
        assert!(!CIRCULAR_02_2011.admits(&edition));
        assert!(CIRCULAR_03_2019.admits(&edition) && CIRCULAR_03_2019.admits(&range));
        assert!(!CIRCULAR_03_2019.admits(&cumulative));
        assert!(CIRCULAR_02_2011.deadlines(&range).is_empty());
        // Written as a range, the days of a cumulative period are a range for a form of
        // calendar years; written short, they are refused.
        assert_eq!(
            CIRCULAR_03_2019.period("2024-10-01/2025-06-30"),
            Ok(Period::Range {
                from: d(2024, 10, 1),
                to: d(2025, 6, 30)
            })
        );
        assert_eq!(
            CIRCULAR_03_2019.period("2025-9M"),
            Err(PeriodError::NotOfTheFormsRegime)
        );
        assert_eq!(
            CIRCULAR_02_2011.period("2025-H1"),
            Err(PeriodError::NotOfTheFormsRegime)
        );
        assert_eq!(CIRCULAR_02_2011.deadlines(&cumulative).len(), 6);
    }
}
