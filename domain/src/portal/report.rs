//! The six-monthly report on the online public services of legal aid (seed 001 §2: every six
//! months and every year to the Ministry, within the justice sector's report), counted per
//! province, procedure and channel.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::dossier::{on_time, Channel, DossierStatus};
use super::procedure::ProcedureKind;
use crate::statistics::{Period, PeriodError};

/// The days a report covers, read from `text` (case ignored): `2026-H1` (January to June),
/// `2026-H2` (July to December), `2026-CY` (the calendar year), or any period the statistics
/// read (`2026-01-01/2026-03-31`). Answers the period's canonical text, first and last day.
pub fn report_period(text: &str) -> Result<(String, NaiveDate, NaiveDate), PeriodError> {
    let text = text.trim().to_uppercase();
    if let Some(year) = text.strip_suffix("-H2") {
        let year: i32 = year.parse().map_err(|_| PeriodError::Malformed)?;
        let first = Period::parse(&format!("{year}-H1"))?;
        let (from, to) = (
            NaiveDate::from_ymd_opt(year, 7, 1).ok_or(PeriodError::YearOutOfRange)?,
            NaiveDate::from_ymd_opt(year, 12, 31).ok_or(PeriodError::YearOutOfRange)?,
        );
        debug_assert_eq!(first.to().succ_opt(), Some(from));
        return Ok((format!("{year}-H2"), from, to));
    }
    let period = Period::parse(&text)?;
    Ok((period.to_string(), period.from(), period.to()))
}

/// What the report reads of one dossier.
#[derive(Debug, Clone)]
pub struct DossierFacts {
    pub province_code: String,
    pub procedure: ProcedureKind,
    pub channel: Channel,
    /// The Viet Nam day of receipt.
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
    /// The day of its final step and that step's status, once it has one.
    pub finished: Option<(NaiveDate, DossierStatus)>,
}

/// One row of the report. Counts are of dossiers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Received in the period.
    pub received: u64,
    /// Given a final answer in the period: a result or a refusal.
    pub handled: u64,
    /// Of those handled, on or before their promised date.
    pub on_time: u64,
    /// Of those handled, after it.
    pub late: u64,
    /// Received by the period's last day and not handled by then.
    pub still_open: u64,
    /// Of those handled, refused.
    pub refused: u64,
}

/// Where a row counts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RowKey {
    pub province_code: String,
    pub procedure: ProcedureKind,
    pub channel: Channel,
}

/// Counts the dossiers over `from..=to`, one row per province, procedure and channel that
/// has anything to count, in that order.
pub fn count(
    dossiers: &[DossierFacts],
    from: NaiveDate,
    to: NaiveDate,
) -> BTreeMap<RowKey, Counts> {
    let mut rows: BTreeMap<RowKey, Counts> = BTreeMap::new();
    for d in dossiers {
        if d.received_on > to {
            continue;
        }
        let received = d.received_on >= from;
        let handled = d.finished.filter(|(on, _)| (from..=to).contains(on));
        let open_at_end = d.finished.is_none_or(|(on, _)| on > to);
        if !received && handled.is_none() && !open_at_end {
            continue;
        }
        let row = rows
            .entry(RowKey {
                province_code: d.province_code.clone(),
                procedure: d.procedure,
                channel: d.channel,
            })
            .or_default();
        row.received += u64::from(received);
        row.still_open += u64::from(open_at_end);
        if let Some((on, status)) = handled {
            row.handled += 1;
            if on_time(on, d.due_on) {
                row.on_time += 1;
            } else {
                row.late += 1;
            }
            row.refused += u64::from(status == DossierStatus::Refused);
        }
    }
    rows
}

/// The sum of rows.
pub fn total<'a>(rows: impl IntoIterator<Item = &'a Counts>) -> Counts {
    rows.into_iter().fold(Counts::default(), |mut t, r| {
        t.received += r.received;
        t.handled += r.handled;
        t.on_time += r.on_time;
        t.late += r.late;
        t.still_open += r.still_open;
        t.refused += r.refused;
        t
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn dossier(
        received: NaiveDate,
        due: NaiveDate,
        finished: Option<(NaiveDate, DossierStatus)>,
    ) -> DossierFacts {
        DossierFacts {
            province_code: "ha_noi".into(),
            procedure: ProcedureKind::ProviderChange,
            channel: Channel::Online,
            received_on: received,
            due_on: due,
            finished,
        }
    }

    #[test]
    fn a_report_covers_a_half_year_a_year_or_a_range() {
        assert_eq!(
            report_period("2026-H1").unwrap(),
            ("2026-H1".into(), d(1, 1), d(6, 30))
        );
        assert_eq!(
            report_period("2026-h2").unwrap(),
            ("2026-H2".into(), d(7, 1), d(12, 31))
        );
        assert_eq!(report_period(" 2026-cy ").unwrap().1, d(1, 1));
        assert_eq!(report_period("2026-CY").unwrap().2, d(12, 31));
        assert_eq!(report_period("2026-03-01/2026-03-31").unwrap().1, d(3, 1));
        assert!(report_period("soon").is_err());
        assert!(report_period("x-H2").is_err());
        assert!(report_period("99999-H2").is_err());
    }

    #[test]
    fn a_half_year_counts_receipts_answers_and_what_is_left() {
        let (from, to) = (d(1, 1), d(6, 30));
        let rows = count(
            &[
                // Received and answered on time in the half.
                dossier(d(2, 2), d(2, 5), Some((d(2, 4), DossierStatus::Completed))),
                // Received in the half, refused late.
                dossier(d(3, 2), d(3, 5), Some((d(3, 9), DossierStatus::Refused))),
                // Received in December, answered in January: handled, not received.
                dossier(
                    NaiveDate::from_ymd_opt(2025, 12, 30).unwrap(),
                    d(1, 5),
                    Some((d(1, 2), DossierStatus::Completed)),
                ),
                // Received in June, answered in July: received and still open at the end.
                dossier(d(6, 29), d(7, 2), Some((d(7, 1), DossierStatus::Completed))),
                // Received in July: not in the half at all.
                dossier(d(7, 1), d(7, 3), None),
                // Received long before, answered long before: nothing to count.
                dossier(
                    NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
                    d(1, 5),
                    Some((
                        NaiveDate::from_ymd_opt(2025, 3, 2).unwrap(),
                        DossierStatus::Completed,
                    )),
                ),
                // Received last year, still open.
                dossier(
                    NaiveDate::from_ymd_opt(2025, 11, 3).unwrap(),
                    NaiveDate::from_ymd_opt(2025, 11, 6).unwrap(),
                    None,
                ),
            ],
            from,
            to,
        );
        assert_eq!(rows.len(), 1);
        let row = rows.values().next().unwrap();
        assert_eq!(
            *row,
            Counts {
                received: 3,
                handled: 3,
                on_time: 2,
                late: 1,
                still_open: 2,
                refused: 1
            }
        );
        assert_eq!(total(rows.values()), *row);
    }
}
