//! Legal dates are Vietnamese dates: the day something happened in Viet Nam (UTC+7, no
//! daylight saving), whatever the server's own time zone.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

pub fn vietnam_offset() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).unwrap_or_else(|| unreachable!("+7h is a valid offset"))
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
