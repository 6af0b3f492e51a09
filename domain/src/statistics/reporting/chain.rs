//! Who receives a report (art. 6) and when it is due (art. 7(2); the receipt dates printed on
//! the forms of Circular 03/2019).

use chrono::{Duration, NaiveDate};

use super::completeness::Timeliness;
use crate::organization::OrganizationKind;
use crate::statistics::deadline::ReportingLevel;
use crate::statistics::period::Period;
use crate::statistics::regime::{Deadlines, Regime};

/// Whether an organization of kind `receiver` receives the reports of one of kind `sender`
/// (art. 6): a club → its branch, or the centre where it hangs under no branch; a branch →
/// its centre; a centre and the participating organizations (law offices, law firms,
/// counselling centres) → the Department; the Department → the Agency; the Agency → the
/// Ministry. The tree of organizations follows the same chain, so a report goes to the
/// sender's parent on the period's last day when this holds of their kinds.
pub fn receives_from(receiver: OrganizationKind, sender: OrganizationKind) -> bool {
    use OrganizationKind::*;
    match sender {
        Club => matches!(receiver, Branch | Center),
        Branch => receiver == Center,
        Center | LawOffice | LawFirm | CounsellingCenter => receiver == Department,
        Department => receiver == Agency,
        Agency => receiver == Ministry,
        Ministry | StatisticsOffice => false,
    }
}

/// Whether a unit of `kind` owes a report for `period`: it reports at some level (art. 5)
/// and had not been deactivated by the period's last day. Which units are counted is the
/// tree of that day, like the figures.
pub fn owes_report(
    kind: OrganizationKind,
    deactivated_on: Option<NaiveDate>,
    period: &Period,
) -> bool {
    ReportingLevel::of(kind).is_some() && deactivated_on.is_none_or(|day| day > period.to())
}

/// The last day on which a report of `level` for `period` is on time, under `regime`; `None`
/// for an ad-hoc range, which nobody is due to send.
///
/// Circular 02/2011: the period's last day plus the level's days (art. 7(2)). Circular
/// 03/2019 prints only the days on which the Department and the Ministry receive: units
/// inside a province (clubs, branches, centres, participating organizations) are due on the
/// Department's date, the Department and the Agency on the Ministry's.
pub fn due_on(regime: &Regime, period: &Period, level: ReportingLevel) -> Option<NaiveDate> {
    if matches!(period, Period::Range { .. }) {
        return None;
    }
    match regime.deadlines {
        Deadlines::DaysAfterPeriod(days) => days
            .iter()
            .find(|(l, _)| *l == level)
            .map(|(_, days)| period.to() + Duration::days(*days)),
        Deadlines::ReceiptDates(_) => {
            let to_ministry = matches!(level, ReportingLevel::Department | ReportingLevel::Agency);
            let dates = regime.deadlines(period);
            // The Department's date is printed first, the Ministry's second.
            let pick = if to_ministry {
                dates.last()
            } else {
                dates.first()
            };
            pick.map(|d| d.on)
        }
    }
}

/// A report a unit owes for a period: the level it reports at, the last day it is on time
/// (`None` for an ad-hoc range, which nobody is due to send), and how it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpectedReport {
    pub level: ReportingLevel,
    pub due: Option<NaiveDate>,
    /// `None` when nothing is due.
    pub timeliness: Option<Timeliness>,
}

/// The report a unit of `kind`, deactivated on `deactivated_on`, owes for `period` under
/// `regime`, as it stands on `today` when first submitted on `first_submitted_on`; `None`
/// when the unit owes none ([`owes_report`]). What the completeness of a level's reports
/// and the ranking of provinces both count.
pub fn expected_report(
    kind: OrganizationKind,
    deactivated_on: Option<NaiveDate>,
    regime: &Regime,
    period: &Period,
    first_submitted_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<ExpectedReport> {
    if !owes_report(kind, deactivated_on, period) {
        return None;
    }
    let level = ReportingLevel::of(kind)?;
    let due = due_on(regime, period, level);
    Some(ExpectedReport {
        level,
        due,
        timeliness: due.map(|due| Timeliness::of(due, first_submitted_on, today)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label::Vocabulary;
    use crate::statistics::regime::{CIRCULAR_02_2011, CIRCULAR_03_2019};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn an_expected_report_stands_against_its_due_date() {
        let period = Period::parse("2025-6M").unwrap();
        let centre = |deactivated, sent, today| {
            expected_report(
                OrganizationKind::Center,
                deactivated,
                &CIRCULAR_02_2011,
                &period,
                sent,
                today,
            )
        };
        let due = due_on(&CIRCULAR_02_2011, &period, ReportingLevel::Centre);
        assert!(due.is_some());
        let expected = centre(None, None, period.to()).unwrap();
        assert_eq!(expected.level, ReportingLevel::Centre);
        assert_eq!(expected.due, due);
        assert_eq!(expected.timeliness, Some(Timeliness::NotYetDue));
        assert_eq!(
            centre(None, due, d(2026, 1, 1)).unwrap().timeliness,
            Some(Timeliness::OnTime)
        );
        assert!(centre(Some(period.to()), None, d(2026, 1, 1)).is_none());
        assert!(centre(period.to().succ_opt(), None, d(2026, 1, 1)).is_some());
        let none = expected_report(
            OrganizationKind::StatisticsOffice,
            None,
            &CIRCULAR_02_2011,
            &period,
            None,
            d(2026, 1, 1),
        );
        assert!(none.is_none());
    }

    #[test]
    fn each_kind_reports_to_the_kind_above_it_in_the_chain() {
        use OrganizationKind::*;
        assert!(receives_from(Branch, Club) && receives_from(Center, Club));
        assert!(receives_from(Center, Branch));
        assert!(receives_from(Department, Center));
        assert!(receives_from(Department, LawFirm));
        assert!(receives_from(Agency, Department));
        assert!(receives_from(Ministry, Agency));
        assert!(!receives_from(Agency, Center));
        assert!(!receives_from(Center, LawFirm));
        // Every kind that may hang under another reports to each kind it may hang under.
        for kind in OrganizationKind::ALL {
            for parent in kind.allowed_parents() {
                assert!(receives_from(*parent, *kind), "{kind} under {parent}");
            }
        }
    }

    #[test]
    fn units_active_at_the_end_of_the_period_owe_a_report() {
        let six = Period::parse("2026-6M").unwrap();
        assert!(owes_report(OrganizationKind::Club, None, &six));
        assert!(owes_report(
            OrganizationKind::Club,
            Some(d(2026, 4, 1)),
            &six
        ));
        assert!(!owes_report(
            OrganizationKind::Club,
            Some(d(2026, 3, 31)),
            &six
        ));
        assert!(!owes_report(OrganizationKind::StatisticsOffice, None, &six));
    }

    #[test]
    fn reports_are_due_by_level_or_by_the_printed_receipt_dates() {
        let nine = Period::parse("2026-9M").unwrap();
        assert_eq!(
            due_on(&CIRCULAR_02_2011, &nine, ReportingLevel::Branch),
            Some(d(2026, 7, 15))
        );
        assert_eq!(
            due_on(&CIRCULAR_02_2011, &nine, ReportingLevel::Department),
            Some(d(2026, 7, 25))
        );
        let annual = Period::parse("2025-CY").unwrap();
        assert_eq!(
            due_on(&CIRCULAR_03_2019, &annual, ReportingLevel::Centre),
            Some(d(2026, 1, 20))
        );
        assert_eq!(
            due_on(&CIRCULAR_03_2019, &annual, ReportingLevel::Department),
            Some(d(2026, 2, 20))
        );
        let range = Period::parse("2026-01-01/2026-01-31").unwrap();
        assert_eq!(
            due_on(&CIRCULAR_02_2011, &range, ReportingLevel::Centre),
            None
        );
    }
}
