//! Reporting periods of legal aid statistics.
//!
//! Circular 02/2011/TT-BTP art. 7(1): the reporting year runs from 1 October to 30 September
//! and is named by the calendar year in which it ends (year 2025 is 2024-10-01 to 2025-09-30).
//! Its periods are cumulative from 1 October: 3 months (to 31 December), 6 months (to 31 March),
//! 9 months (to 30 June) and 12 months (to 30 September). They overlap, so two of them are
//! never added together. Besides them, any range of days can be asked for (seed 000 asks for
//! 01/11/2018–30/07/2019).
//!
//! Every boundary is a Viet Nam date ([`crate::time::vietnam_date`]): a case accepted at 23:30
//! in Viet Nam on 30 September belongs to the year that ends that day.

use std::fmt;

use chrono::{Datelike, Months, NaiveDate};

use crate::refusal::{FieldRefusal, Refusal};

/// The cumulative lengths of the reporting year, in months (art. 7(1)(a)–(d)).
pub const CUMULATIVE_MONTHS: [u32; 4] = [3, 6, 9, 12];

/// The first reporting year the system accepts: state legal aid began on 6 September 1997,
/// in reporting year 1997 (1996-10-01 to 1997-09-30).
pub const FIRST_YEAR: i32 = 1997;

/// The last reporting year the system accepts (a bound against typing errors, not a rule).
pub const LAST_YEAR: i32 = 2200;

/// A reporting period: an inclusive range of Viet Nam dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// A cumulative period of the reporting year `year` (which ends on 30 September of
    /// `year`): its first `months` months from 1 October of `year - 1`.
    Cumulative { year: i32, months: u32 },
    /// Any range of days, both ends included.
    Range { from: NaiveDate, to: NaiveDate },
    /// An edition of a calendar year under Circular 03/2019 ([`Edition`]).
    Edition { year: i32, edition: Edition },
}

crate::vocabulary! {
    /// The three editions of a calendar year's figures under Circular 03/2019/TT-BTP: each
    /// covers days from 1 January and holds actual figures up to a cut-off day, the rest of
    /// its days being estimated by the reporting unit.
    pub enum Edition {
        FirstHalf = "H1" { vi: "Báo cáo 6 tháng (số liệu thực tế đến 31/5, ước tính tháng 6)", en: "Six-month report (actual to 31 May, June estimated)" },
        AnnualEstimate = "CYE" { vi: "Báo cáo năm (số liệu thực tế đến 31/10, ước tính đến 31/12)", en: "Annual report (actual to 31 October, the rest estimated)" },
        Annual = "CY" { vi: "Báo cáo năm chính thức", en: "Official annual report" },
    }
}

impl Edition {
    /// The last month of the edition's days, and the last month of its actual figures.
    fn months(self) -> (u32, u32) {
        match self {
            Self::FirstHalf => (6, 5),
            Self::AnnualEstimate => (12, 10),
            Self::Annual => (12, 12),
        }
    }
}

/// Why a period was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodError {
    /// Not one of the accepted forms.
    Malformed,
    /// A cumulative period of other than 3, 6, 9 or 12 months (`2025-13M`).
    NotCumulativeMonths,
    /// A reporting year outside [`FIRST_YEAR`]..=[`LAST_YEAR`].
    YearOutOfRange,
    /// A range whose first day comes after its last.
    FromAfterTo,
    /// A range before state legal aid existed or after [`LAST_YEAR`].
    DatesOutOfRange,
    /// A period of the other regime: a cumulative period of the reporting year for a form
    /// counted in calendar-year editions, or the reverse.
    NotOfTheFormsRegime,
}

impl Period {
    /// Reads a period in any of its written forms:
    ///
    /// - canonical ISO 8601, start and duration: `2024-10-01/P9M` (a cumulative period when the
    ///   start is 1 October and the duration 3, 6, 9 or 12 months; otherwise a range);
    /// - ISO 8601, start and end: `2018-11-01/2019-07-30` (both days included);
    /// - short: `2025-9M` (year 2025, 9 months), `2025-Y` (the whole year 2025).
    ///
    /// Surrounding spaces are ignored; letters may be of either case.
    pub fn parse(text: &str) -> Result<Self, PeriodError> {
        let text = text.trim().to_ascii_uppercase();
        if let Some((start, end)) = text.split_once('/') {
            let from = parse_date(start)?;
            return match end.strip_prefix('P') {
                Some(duration) => Self::starting(from, parse_months(duration)?),
                None => Self::range(from, parse_date(end)?),
            };
        }
        let (year, length) = text.split_once('-').ok_or(PeriodError::Malformed)?;
        let year = parse_year(year)?;
        if let Ok(edition) = length.parse::<Edition>() {
            return Self::edition(year, edition);
        }
        let months = match length {
            "Y" => 12,
            _ => {
                let digits = length.strip_suffix('M').ok_or(PeriodError::Malformed)?;
                parse_number(digits)?
            }
        };
        Self::cumulative(year, months)
    }

    /// The cumulative period of `months` months of reporting year `year`.
    pub fn cumulative(year: i32, months: u32) -> Result<Self, PeriodError> {
        if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
            return Err(PeriodError::YearOutOfRange);
        }
        if !CUMULATIVE_MONTHS.contains(&months) {
            return Err(PeriodError::NotCumulativeMonths);
        }
        Ok(Self::Cumulative { year, months })
    }

    /// The edition `edition` of calendar year `year`.
    pub fn edition(year: i32, edition: Edition) -> Result<Self, PeriodError> {
        if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
            return Err(PeriodError::YearOutOfRange);
        }
        Ok(Self::Edition { year, edition })
    }

    /// The days from `from` to `to`, both included; a range that is exactly a cumulative
    /// period is that period.
    pub fn range(from: NaiveDate, to: NaiveDate) -> Result<Self, PeriodError> {
        if from > to {
            return Err(PeriodError::FromAfterTo);
        }
        let first = year_start(FIRST_YEAR);
        let last = year_end(LAST_YEAR);
        if from < first || to > last {
            return Err(PeriodError::DatesOutOfRange);
        }
        let as_cumulative = CUMULATIVE_MONTHS.iter().find_map(|&months| {
            let year = from.year() + 1;
            let period = Self::Cumulative { year, months };
            (from == year_start(year) && to == period.to()).then_some(period)
        });
        Ok(as_cumulative.unwrap_or(Self::Range { from, to }))
    }

    /// The `months` months from `from` on.
    fn starting(from: NaiveDate, months: u32) -> Result<Self, PeriodError> {
        let end = from
            .checked_add_months(Months::new(months))
            .and_then(|d| d.pred_opt())
            .ok_or(PeriodError::DatesOutOfRange)?;
        Self::range(from, end)
    }

    /// The first day of the period.
    pub fn from(&self) -> NaiveDate {
        match *self {
            Self::Cumulative { year, .. } => year_start(year),
            Self::Range { from, .. } => from,
            Self::Edition { year, .. } => {
                NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN)
            }
        }
    }

    /// The last day of the period, included.
    pub fn to(&self) -> NaiveDate {
        match *self {
            Self::Cumulative { year, months } => year_start(year)
                .checked_add_months(Months::new(months))
                .and_then(|d| d.pred_opt())
                .unwrap_or_else(|| year_end(year)),
            Self::Range { to, .. } => to,
            Self::Edition { year, edition } => month_end(year, edition.months().0),
        }
    }

    /// The first day whose figures are estimated rather than actual, for an edition that has
    /// an estimated part (Circular 03/2019: June of the six-month report; November and
    /// December of the annual estimate).
    pub fn estimated_from(&self) -> Option<NaiveDate> {
        match *self {
            Self::Edition { year, edition } => {
                let (last, actual) = edition.months();
                (actual < last)
                    .then(|| month_end(year, actual).succ_opt())
                    .flatten()
            }
            _ => None,
        }
    }

    /// The first day a report of the period can be submitted: the day after its last day of
    /// actual figures. For an edition with an estimated part that is before the period ends,
    /// since its report is due before then (Circular 03/2019: the six-month report by 6 June,
    /// the annual estimate by 7 November).
    pub fn reportable_from(&self) -> NaiveDate {
        self.estimated_from()
            .or_else(|| self.to().succ_opt())
            .unwrap_or(NaiveDate::MAX)
    }

    /// Whether the Viet Nam date `day` falls in the period.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from() <= day && day <= self.to()
    }

    /// The reporting year whose period this is, for cumulative periods.
    pub fn reporting_year(&self) -> Option<i32> {
        match *self {
            Self::Cumulative { year, .. } => Some(year),
            Self::Range { .. } | Self::Edition { .. } => None,
        }
    }

    /// The short form (`2025-9M`, `2025-Y`) of a cumulative period.
    pub fn short(&self) -> Option<String> {
        match *self {
            Self::Cumulative { year, months: 12 } => Some(format!("{year}-Y")),
            Self::Cumulative { year, months } => Some(format!("{year}-{months}M")),
            Self::Edition { .. } => Some(self.to_string()),
            Self::Range { .. } => None,
        }
    }
}

/// The canonical form: `2024-10-01/P9M` for a cumulative period, `2018-11-01/2019-07-30` for
/// a range, `2025-H1`, `2025-CYE` or `2025-CY` for an edition (ISO 8601 has no word for an
/// edition: its days alone would not say which figures are estimated).
impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Cumulative { months, .. } => write!(f, "{}/P{months}M", self.from()),
            Self::Range { from, to } => write!(f, "{from}/{to}"),
            Self::Edition { year, edition } => {
                write!(f, "{year}-{}", crate::label::Vocabulary::code(edition))
            }
        }
    }
}

/// The last day of `month` of calendar year `year`.
fn month_end(year: i32, month: u32) -> NaiveDate {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next.and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MAX)
}

/// 1 October of the calendar year before `year`: the first day of reporting year `year`.
pub fn year_start(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year - 1, 10, 1).unwrap_or(NaiveDate::MIN)
}

/// 30 September of `year`: the last day of reporting year `year`.
pub fn year_end(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 9, 30).unwrap_or(NaiveDate::MAX)
}

/// The reporting year that `day` belongs to.
pub fn reporting_year_of(day: NaiveDate) -> i32 {
    if day.month() >= 10 {
        day.year() + 1
    } else {
        day.year()
    }
}

/// `YYYY-MM-DD` exactly: four, two and two digits.
fn parse_date(text: &str) -> Result<NaiveDate, PeriodError> {
    let shape = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shape {
        return Err(PeriodError::Malformed);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| PeriodError::Malformed)
}

/// One to four digits, without a leading zero.
fn parse_number(digits: &str) -> Result<u32, PeriodError> {
    let well_formed = !digits.is_empty()
        && digits.len() <= 4
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits.len() == 1 || !digits.starts_with('0'));
    if !well_formed {
        return Err(PeriodError::Malformed);
    }
    digits.parse().map_err(|_| PeriodError::Malformed)
}

fn parse_year(digits: &str) -> Result<i32, PeriodError> {
    if digits.len() != 4 {
        return Err(PeriodError::Malformed);
    }
    parse_number(digits).map(|y| y as i32)
}

fn parse_months(duration: &str) -> Result<u32, PeriodError> {
    let months = match duration.strip_suffix('Y') {
        Some(years) => parse_number(years)?.saturating_mul(12),
        None => parse_number(duration.strip_suffix('M').ok_or(PeriodError::Malformed)?)?,
    };
    if months == 0 {
        return Err(PeriodError::Malformed);
    }
    Ok(months)
}

impl Refusal for PeriodError {
    fn field_refusal(&self) -> FieldRefusal {
        let (code, vi, en) = match self {
            Self::Malformed => (
                "invalid_format",
                "Kỳ thống kê viết theo một trong các dạng: 2024-10-01/P9M, 2025-9M, 2025-Y, 2018-11-01/2019-07-30, 2025-H1, 2025-CYE, 2025-CY.",
                "A period is written 2024-10-01/P9M, 2025-9M, 2025-Y, 2018-11-01/2019-07-30, 2025-H1, 2025-CYE or 2025-CY.",
            ),
            Self::NotCumulativeMonths => (
                "not_a_reporting_period",
                "Kỳ thống kê lũy kế gồm 3, 6, 9 hoặc 12 tháng tính từ ngày 01 tháng 10.",
                "A cumulative period is 3, 6, 9 or 12 months from 1 October.",
            ),
            Self::YearOutOfRange => (
                "out_of_range",
                "Năm thống kê nằm ngoài khoảng hệ thống nhận (1997 đến 2200).",
                "The reporting year is outside what the system accepts (1997 to 2200).",
            ),
            Self::FromAfterTo => (
                "from_after_to",
                "Ngày đầu kỳ phải không sau ngày cuối kỳ.",
                "The period's first day cannot come after its last.",
            ),
            Self::DatesOutOfRange => (
                "out_of_range",
                "Kỳ thống kê phải nằm trong khoảng từ 01/10/1996 đến 30/9/2200.",
                "A period lies between 1996-10-01 and 2200-09-30.",
            ),
            Self::NotOfTheFormsRegime => (
                "not_a_period_of_the_form",
                "Biểu mẫu này thống kê theo kỳ của văn bản ban hành nó: năm thống kê từ 01/10 (2025-9M, 2025-Y) cho Thông tư 02/2011, năm dương lịch theo đợt báo cáo (2025-H1, 2025-CYE, 2025-CY) cho Thông tư 03/2019, hoặc một khoảng ngày (2025-01-01/2025-03-31).",
                "This form counts in its regime's periods: the reporting year from 1 October (2025-9M, 2025-Y) under Circular 02/2011, calendar-year editions (2025-H1, 2025-CYE, 2025-CY) under Circular 03/2019, or a range of days (2025-01-01/2025-03-31).",
            ),
        };
        FieldRefusal::new("period", code, vi, en)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::time::vietnam_date;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_report_goes_up_once_its_actual_figures_are_complete() {
        let from = |p: &str| Period::parse(p).unwrap().reportable_from();
        assert_eq!(from("2026-H1"), d(2026, 6, 1), "June is estimated");
        assert_eq!(
            from("2026-CYE"),
            d(2026, 11, 1),
            "November and December are estimated"
        );
        assert_eq!(from("2026-CY"), d(2027, 1, 1));
        assert_eq!(from("2026-9M"), d(2026, 7, 1));
        assert_eq!(from("2026-01-01/2026-03-31"), d(2026, 4, 1));
    }

    #[test]
    fn cumulative_periods_run_from_the_first_of_october() {
        let cases = [
            (3, d(2024, 12, 31)),
            (6, d(2025, 3, 31)),
            (9, d(2025, 6, 30)),
            (12, d(2025, 9, 30)),
        ];
        for (months, to) in cases {
            let p = Period::cumulative(2025, months).unwrap();
            assert_eq!((p.from(), p.to()), (d(2024, 10, 1), to), "{months} months");
        }
    }

    #[test]
    fn every_written_form_reads_as_the_same_period() {
        let nine = Period::cumulative(2025, 9).unwrap();
        for text in [
            "2025-9M",
            " 2025-9m ",
            "2024-10-01/P9M",
            "2024-10-01/2025-06-30",
        ] {
            assert_eq!(Period::parse(text), Ok(nine), "{text}");
        }
        let year = Period::cumulative(2025, 12).unwrap();
        for text in ["2025-Y", "2025-12M", "2024-10-01/P12M", "2024-10-01/P1Y"] {
            assert_eq!(Period::parse(text), Ok(year), "{text}");
        }
        assert_eq!(nine.to_string(), "2024-10-01/P9M");
        assert_eq!(nine.short().as_deref(), Some("2025-9M"));
        assert_eq!(year.short().as_deref(), Some("2025-Y"));
        assert_eq!(Period::parse(&nine.to_string()), Ok(nine));
    }

    #[test]
    fn ad_hoc_ranges_keep_their_days() {
        let p = Period::parse("2018-11-01/2019-07-30").unwrap();
        assert_eq!((p.from(), p.to()), (d(2018, 11, 1), d(2019, 7, 30)));
        assert_eq!(p.reporting_year(), None);
        assert_eq!(p.to_string(), "2018-11-01/2019-07-30");
        assert_eq!(Period::parse(&p.to_string()), Ok(p));
        let quarter = Period::parse("2024-11-01/P3M").unwrap();
        assert_eq!(
            (quarter.from(), quarter.to()),
            (d(2024, 11, 1), d(2025, 1, 31))
        );
        let day = Period::parse("2025-02-28/2025-02-28").unwrap();
        assert!(day.contains(d(2025, 2, 28)));
    }

    #[test]
    fn malformed_and_impossible_periods_are_refused() {
        use PeriodError::*;
        let cases = [
            ("2025-13M", NotCumulativeMonths),
            ("2025-4M", NotCumulativeMonths),
            ("2025-0M", NotCumulativeMonths),
            ("2025", Malformed),
            ("25-9M", Malformed),
            ("2025-9", Malformed),
            ("2025-+9M", Malformed),
            ("", Malformed),
            ("2025-02-30/2025-03-01", Malformed),
            ("2024-10-01/P0M", Malformed),
            ("2024-10-01/P", Malformed),
            ("2025-06-30/2024-10-01", FromAfterTo),
            ("1990-9M", YearOutOfRange),
            ("9999-Y", YearOutOfRange),
            ("1990-01-01/1990-12-31", DatesOutOfRange),
            ("1996-09-30/1997-01-31", DatesOutOfRange),
            ("2024-10-01/P99999999M", Malformed),
            ("+2025-Y", Malformed),
            ("+2024-10-01/P9M", Malformed),
            ("2024-10-01/+2025-06-30", Malformed),
            ("2024-1-1/2024-12-31", Malformed),
            ("2025-09M", Malformed),
            ("2024-10-01/P09M", Malformed),
            ("-2024-10-01/P9M", Malformed),
            ("1996-Y", YearOutOfRange),
        ];
        for (text, error) in cases {
            assert_eq!(Period::parse(text), Err(error), "{text}");
        }
        assert_eq!(PeriodError::FromAfterTo.field_refusal().field, "period");
    }

    #[test]
    fn the_year_turns_on_the_first_of_october_in_viet_nam() {
        // 30 September 23:30 in Viet Nam is 16:30 UTC: still year 2025.
        let late = Utc.with_ymd_and_hms(2025, 9, 30, 16, 30, 0).unwrap();
        let year_2025 = Period::parse("2025-Y").unwrap();
        let year_2026 = Period::parse("2026-Y").unwrap();
        assert!(year_2025.contains(vietnam_date(late)));
        assert!(!year_2026.contains(vietnam_date(late)));
        assert_eq!(reporting_year_of(vietnam_date(late)), 2025);
        // Half an hour later, 1 October 00:00 in Viet Nam, is year 2026.
        let midnight = Utc.with_ymd_and_hms(2025, 9, 30, 17, 0, 0).unwrap();
        assert!(year_2026.contains(vietnam_date(midnight)));
        assert_eq!(reporting_year_of(vietnam_date(midnight)), 2026);
    }

    #[test]
    fn the_calendar_year_turns_inside_the_reporting_year() {
        // 31 December 23:30 in Viet Nam is in the 3-month period; 1 January is not.
        let three = Period::parse("2025-3M").unwrap();
        let six = Period::parse("2025-6M").unwrap();
        let new_year_eve = Utc.with_ymd_and_hms(2024, 12, 31, 16, 30, 0).unwrap();
        let new_year = Utc.with_ymd_and_hms(2024, 12, 31, 17, 0, 0).unwrap();
        assert!(three.contains(vietnam_date(new_year_eve)));
        assert!(!three.contains(vietnam_date(new_year)));
        assert!(six.contains(vietnam_date(new_year)));
        assert_eq!(reporting_year_of(vietnam_date(new_year)), 2025);
    }
}
