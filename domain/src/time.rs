//! Legal dates are Vietnamese dates: the day something happened in Viet Nam (UTC+7, no
//! daylight saving), whatever the server's own time zone.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

pub fn vietnam_offset() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).unwrap_or_else(|| unreachable!("+7h is a valid offset"))
}

/// The instant a Viet Nam day begins (its midnight, 17:00 UTC the day before).
pub fn vietnam_day_start(day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_time(chrono::NaiveTime::MIN);
    (midnight - chrono::Duration::seconds(i64::from(vietnam_offset().local_minus_utc()))).and_utc()
}

/// The instant a Viet Nam day ends (the next day's start); `None` past the calendar's end.
pub fn vietnam_day_end(day: NaiveDate) -> Option<DateTime<Utc>> {
    day.succ_opt().map(vietnam_day_start)
}

/// Whether `day` may date something that happened: not in the future, and not before
/// `not_before` (a card is not revoked before its issue, an answer not dated before the
/// request was sent).
pub fn day_in_range(day: NaiveDate, not_before: Option<NaiveDate>, today: NaiveDate) -> bool {
    day <= today && not_before.is_none_or(|b| day >= b)
}

/// The earliest date of birth taken, 1 January 1900: nobody living was born before it, so
/// an earlier one (`0000-01-01`, `1800-01-01`) is a slip of the keyboard.
pub const EARLIEST_BIRTH: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(day) => day,
    None => panic!("1900-01-01 is a date"),
};

/// Full years of age on `on` of a person born on `born` (a birthday on 29 February is
/// passed on 1 March in other years); 0 before the birth.
pub fn age_on(born: NaiveDate, on: NaiveDate) -> u32 {
    use chrono::Datelike;
    let mut years = on.year() - born.year();
    if (on.month(), on.day()) < (born.month(), born.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

/// The date in Viet Nam at the instant `at`.
pub fn vietnam_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&vietnam_offset()).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn ages_count_whole_years() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(age_on(d(1990, 6, 2), d(2026, 6, 1)), 35);
        assert_eq!(age_on(d(1990, 6, 1), d(2026, 6, 1)), 36);
        assert_eq!(age_on(d(2008, 2, 29), d(2026, 2, 28)), 17);
        assert_eq!(age_on(d(2008, 2, 29), d(2026, 3, 1)), 18);
        assert_eq!(age_on(d(2027, 1, 1), d(2026, 6, 1)), 0);
    }

    #[test]
    fn what_happened_is_dated_from_its_start_to_today() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let today = d(6, 30);
        assert!(day_in_range(today, Some(d(6, 1)), today));
        assert!(day_in_range(d(6, 1), Some(d(6, 1)), today));
        assert!(!day_in_range(d(7, 1), None, today));
        assert!(!day_in_range(d(5, 31), Some(d(6, 1)), today));
        assert_eq!(
            vietnam_day_end(d(6, 30)),
            Some(Utc.with_ymd_and_hms(2026, 6, 30, 17, 0, 0).unwrap())
        );
    }

    #[test]
    fn a_vietnam_day_begins_at_17_utc_the_day_before() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let start = vietnam_day_start(day);
        assert_eq!(start, Utc.with_ymd_and_hms(2026, 10, 31, 17, 0, 0).unwrap());
        assert_eq!(vietnam_date(start), day);
        assert_eq!(
            vietnam_date(start - chrono::Duration::seconds(1)),
            day.pred_opt().unwrap()
        );
    }

    #[test]
    fn evening_utc_is_already_tomorrow_in_viet_nam() {
        let at = Utc.with_ymd_and_hms(2025, 9, 30, 17, 0, 0).unwrap();
        assert_eq!(
            vietnam_date(at),
            NaiveDate::from_ymd_opt(2025, 10, 1).unwrap()
        );
        let before = Utc.with_ymd_and_hms(2025, 9, 30, 16, 59, 59).unwrap();
        assert_eq!(
            vietnam_date(before),
            NaiveDate::from_ymd_opt(2025, 9, 30).unwrap()
        );
    }
}
