//! The forms of Circular 02/2011/TT-BTP (in force 1 March 2011 to 15 January 2014), as data.
//!
//! The circular's appendix II (the printed layouts) is not in any public copy; the columns and
//! rules below are those its explanations give, and the rows are inferred from the
//! dimensions the explanations name. `docs/statistics.md` says what each cell counts.

use super::form::{
    Column, Comparison, CountUnit, Dimension, Form, Measure, Rule, RuleScope, Section, Severity,
    Subject,
};
use crate::label::Label;

const fn label(vi: &'static str, en: &'static str) -> Label {
    Label { vi, en }
}

const fn column(number: u8, vi: &'static str, en: &'static str, measure: Measure) -> Column {
    Column {
        number,
        header: label(vi, en),
        measure,
        only: None,
    }
}

/// Form 1: legal aid cases (thống kê vụ việc trợ giúp pháp lý).
pub static FORM_1: Form = Form {
    code: "tt02-2011-bm1",
    number: label("Biểu mẫu số 1", "Form 1"),
    title: label("Thống kê vụ việc trợ giúp pháp lý", "Legal aid cases"),
    unit: CountUnit::Cases,
    subject: Subject::Cases,
    columns: &[
        column(1, "Tổng số", "Total", Measure::CasesInHand),
        column(
            2,
            "Kỳ trước chuyển qua",
            "Carried over",
            Measure::CasesCarriedOver,
        ),
        column(
            3,
            "Nơi khác chuyển đến",
            "Transferred in",
            Measure::CasesTransferredIn,
        ),
        column(
            4,
            "Phát sinh trong kỳ",
            "New in the period",
            Measure::CasesNew,
        ),
        column(5, "Đã hoàn thành", "Finished", Measure::CasesFinished),
        column(
            6,
            "Chuyển đi nơi khác",
            "Transferred out",
            Measure::CasesTransferredOut,
        ),
        column(
            7,
            "Chuyển sang kỳ sau",
            "Carried forward",
            Measure::CasesCarriedForward,
        ),
    ],
    sections: &[
        Section {
            number: "I",
            title: label("Phân theo lĩnh vực", "By field of law"),
            dimension: Dimension::Field,
            without_value: None,
        },
        Section {
            number: "II",
            title: label("Phân theo hình thức trợ giúp pháp lý", "By form of aid"),
            dimension: Dimension::AidForm,
            without_value: None,
        },
        Section {
            number: "III",
            title: label("Phân theo địa điểm trợ giúp pháp lý", "By place of aid"),
            dimension: Dimension::AidPlace,
            without_value: None,
        },
        Section {
            number: "IV",
            title: label("Phân theo người thực hiện trợ giúp pháp lý", "By provider"),
            dimension: Dimension::ProviderKind,
            without_value: Some(label("Chưa cử người thực hiện", "No provider assigned yet")),
        },
    ],
    rules: &[
        Rule {
            id: "tt02-2011-bm1.in",
            scope: RuleScope::EachRow {
                left: &[2, 3, 4],
                right: &[1],
            },
            comparison: Comparison::Equal,
            severity: Severity::Error,
            message: label(
                "Cột 2 + cột 3 + cột 4 = cột 1",
                "Column 2 + column 3 + column 4 = column 1",
            ),
        },
        Rule {
            id: "tt02-2011-bm1.out",
            scope: RuleScope::EachRow {
                left: &[5, 6, 7],
                right: &[1],
            },
            comparison: Comparison::Equal,
            severity: Severity::Error,
            message: label(
                "Cột 5 + cột 6 + cột 7 = cột 1",
                "Column 5 + column 6 + column 7 = column 1",
            ),
        },
        Rule {
            id: "tt02-2011-bm1.sections",
            scope: RuleScope::SectionsAddUpToTotal,
            comparison: Comparison::Equal,
            severity: Severity::Error,
            message: label(
                "Tổng số vụ việc trong các mục I, II, III, IV luôn bằng nhau",
                "The totals of sections I, II, III and IV are always equal",
            ),
        },
    ],
    source: "Circular 02/2011/TT-BTP, art. 7 and the explanation of form 1",
};

const fn answered_of(number: u8, vi: &'static str, en: &'static str, kind: &'static str) -> Column {
    Column {
        number,
        header: label(vi, en),
        measure: Measure::ReviewsAnswered,
        only: Some((Dimension::ReviewKind, kind)),
    }
}

/// Form 2: requests for review (thống kê vụ việc kiến nghị). The explanation gives no row
/// list; the form is one row per reporting unit, which here is the total row of the unit.
pub static FORM_2: Form = Form {
    code: "tt02-2011-bm2",
    number: label("Biểu mẫu số 2", "Form 2"),
    title: label("Thống kê vụ việc kiến nghị", "Requests for review"),
    unit: CountUnit::Cases,
    subject: Subject::ReviewRequests,
    columns: &[
        column(
            1,
            "Vụ việc đã kiến nghị",
            "Requests sent",
            Measure::ReviewsSent,
        ),
        column(
            2,
            "Tổng số đã được trả lời",
            "Answered, total",
            Measure::ReviewsAnswered,
        ),
        answered_of(
            3,
            "Giải quyết vụ việc",
            "Case resolution",
            "case_resolution",
        ),
        answered_of(4, "Thực thi công vụ", "Public duty", "public_duty"),
        answered_of(
            5,
            "Sửa đổi, bổ sung các văn bản quy phạm pháp luật",
            "Amending legislation",
            "legislation",
        ),
    ],
    sections: &[],
    rules: &[Rule {
        id: "tt02-2011-bm2.answered",
        scope: RuleScope::EachRow {
            left: &[3, 4, 5],
            right: &[2],
        },
        comparison: Comparison::Equal,
        severity: Severity::Error,
        message: label(
            "Cột 3 + cột 4 + cột 5 = cột 2",
            "Column 3 + column 4 + column 5 = column 2",
        ),
    }],
    source: "Circular 02/2011/TT-BTP, art. 7 and the explanation of form 2",
};

/// The forms of the circular, in their order.
pub static FORMS: [&Form; 2] = [&FORM_1, &FORM_2];

#[cfg(test)]
mod tests {
    use chrono::{Duration, NaiveDate};

    use super::*;
    use crate::label::Vocabulary;
    use crate::reference::{AidForm, AidPlace, Field, ProviderKind};
    use crate::statistics::form::Countable;
    use crate::statistics::{CaseRecord, Period};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// A small deterministic generator (the domain crate takes no random-number dependency).
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) % n
        }

        fn pick<T: Copy>(&mut self, items: &[T]) -> T {
            items[self.below(items.len() as u64) as usize]
        }
    }

    /// Cases in every state across three reporting years: requests never accepted, cases
    /// open, finished, transferred in and out, some ending on a period's first or last day.
    fn records(count: usize) -> Vec<CaseRecord> {
        let mut rng = Lcg(7);
        let start = d(2023, 9, 1);
        (0..count)
            .map(|_| {
                let received = start + Duration::days(rng.below(3 * 365) as i64);
                let accepted =
                    (rng.below(10) > 0).then(|| received + Duration::days(rng.below(20) as i64));
                let ended = match (accepted, rng.below(4)) {
                    (Some(a), 0 | 1) => Some(a + Duration::days(rng.below(400) as i64)),
                    (None, 0) => Some(received + Duration::days(3)),
                    _ => None,
                };
                CaseRecord {
                    accepted_on: accepted,
                    transferred_in: rng.below(8) == 0,
                    closed_on: ended,
                    transferred_out: ended.is_some() && rng.below(6) == 0,
                    field: rng.pick(Field::ALL),
                    form: rng.pick(AidForm::ALL),
                    place: rng.pick(AidPlace::ALL),
                    provider_kind: (rng.below(5) > 0).then(|| rng.pick(ProviderKind::ALL)),
                }
            })
            .collect()
    }

    fn periods() -> Vec<Period> {
        let mut periods: Vec<Period> = [
            "2024-3M", "2024-Y", "2025-3M", "2025-6M", "2025-9M", "2025-Y", "2026-3M",
        ]
        .iter()
        .map(|p| Period::parse(p).unwrap())
        .collect();
        periods.push(Period::parse("2024-11-01/2025-07-30").unwrap());
        periods.push(Period::parse("2025-02-28/2025-02-28").unwrap());
        periods
    }

    /// The seven columns of one case in one period, counted from the case's timeline: open at
    /// the end of the day before the period, accepted in it, ended in it, open at its end.
    fn recount(case: &CaseRecord, period: &Period) -> [u64; 7] {
        let Some(accepted) = case.accepted_on else {
            return [0; 7];
        };
        let open_at_end_of =
            |day: NaiveDate| accepted <= day && case.closed_on.is_none_or(|e| e > day);
        let day_before = period.from().pred_opt().unwrap();
        let before = open_at_end_of(day_before);
        let arrived = period.from() <= accepted && accepted <= period.to();
        let left = case
            .closed_on
            .filter(|e| period.from() <= *e && *e <= period.to());
        let after = open_at_end_of(period.to());
        let total = u64::from(before || arrived);
        [
            total,
            u64::from(before),
            u64::from(arrived && case.transferred_in),
            u64::from(arrived && !case.transferred_in),
            u64::from(left.is_some() && !case.transferred_out),
            u64::from(left.is_some() && case.transferred_out),
            u64::from(after),
        ]
    }

    #[test]
    fn every_cell_of_form_1_equals_a_recount_from_the_timelines() {
        let cases = records(3000);
        for period in periods() {
            let table = FORM_1.fill(&cases, &period);
            let mut expected = std::collections::BTreeMap::<String, [u64; 7]>::new();
            for case in &cases {
                let counts = recount(case, &period);
                let mut rows = vec!["total".to_owned()];
                for section in FORM_1.sections {
                    let value = case.value(section.dimension).unwrap_or("none");
                    rows.push(format!("{}.{value}", section.number));
                }
                for row in rows {
                    let cells = expected.entry(row).or_default();
                    for (cell, n) in cells.iter_mut().zip(counts) {
                        *cell += n;
                    }
                }
            }
            for row in &table.rows {
                let want = expected.get(&row.code).copied().unwrap_or_default();
                assert_eq!(row.cells, want.to_vec(), "{period} row {}", row.code);
            }
            assert!(
                table.cell("total", 1).unwrap() > 0,
                "{period}: an empty table proves nothing"
            );
        }
    }

    #[test]
    fn every_rule_of_form_1_holds_for_every_period() {
        let cases = records(3000);
        for period in periods() {
            let results = FORM_1.fill(&cases, &period).check();
            assert!(!results.is_empty());
            for result in results {
                assert!(result.holds(), "{period}: {result:?}");
                assert_eq!(result.imbalance(), 0);
            }
        }
    }

    #[test]
    fn a_case_is_counted_from_its_acceptance_to_its_end() {
        let case = |accepted: Option<NaiveDate>, ended: Option<NaiveDate>| CaseRecord {
            accepted_on: accepted,
            transferred_in: false,
            closed_on: ended,
            transferred_out: false,
            field: Field::Civil,
            form: AidForm::Counselling,
            place: AidPlace::AtOffice,
            provider_kind: None,
        };
        let year = Period::parse("2025-Y").unwrap();
        let row = |c: &CaseRecord| {
            FORM_1.fill(std::slice::from_ref(c), &year).rows[0]
                .cells
                .clone()
        };
        // Accepted on the last day of year 2024, finished on the first day of 2025.
        assert_eq!(
            row(&case(Some(d(2024, 9, 30)), Some(d(2024, 10, 1)))),
            [1, 1, 0, 0, 1, 0, 0]
        );
        // Finished on the last day of year 2024: not in hand in 2025.
        assert_eq!(
            row(&case(Some(d(2024, 6, 1)), Some(d(2024, 9, 30)))),
            [0; 7]
        );
        // Accepted on the last day of 2025 and still open.
        assert_eq!(
            row(&case(Some(d(2025, 9, 30)), None)),
            [1, 0, 0, 1, 0, 0, 1]
        );
        // A request never accepted is never a case.
        assert_eq!(row(&case(None, None)), [0; 7]);
        // Discontinued or withdrawn cases are finished (column 5): every case in hand leaves
        // by column 5, 6 or 7.
        let transferred = CaseRecord {
            transferred_in: true,
            transferred_out: true,
            ..case(Some(d(2024, 12, 1)), Some(d(2025, 1, 5)))
        };
        assert_eq!(row(&transferred), [1, 0, 1, 0, 0, 1, 0]);
    }

    #[test]
    fn a_table_that_does_not_add_up_is_reported_with_its_imbalance() {
        let cases = records(200);
        let mut table = FORM_1.fill(&cases, &Period::parse("2025-Y").unwrap());
        table.rows[0].cells[0] += 2;
        let broken: Vec<_> = table.check().into_iter().filter(|r| !r.holds()).collect();
        let ids: std::collections::BTreeSet<_> = broken.iter().map(|r| r.rule).collect();
        assert_eq!(
            ids.into_iter().collect::<Vec<_>>(),
            [
                "tt02-2011-bm1.in",
                "tt02-2011-bm1.out",
                "tt02-2011-bm1.sections"
            ]
        );
        let total_in = broken
            .iter()
            .find(|r| r.rule == "tt02-2011-bm1.in")
            .unwrap();
        assert_eq!((total_in.row.as_str(), total_in.imbalance()), ("total", -2));
    }

    #[test]
    fn every_definition_refers_to_columns_and_values_it_has() {
        for form in FORMS {
            let numbers: Vec<u8> = form.columns.iter().map(|c| c.number).collect();
            for rule in form.rules {
                if let crate::statistics::form::RuleScope::EachRow { left, right } = rule.scope {
                    for n in left.iter().chain(right) {
                        assert!(
                            numbers.contains(n),
                            "{}: rule {} names column {n}",
                            form.code,
                            rule.id
                        );
                    }
                }
            }
            for column in form.columns {
                if let Some((dimension, code)) = column.only {
                    assert!(
                        dimension.values().iter().any(|(c, _)| *c == code),
                        "{}: column {} filters on unknown {code}",
                        form.code,
                        column.number
                    );
                }
            }
        }
    }

    #[test]
    fn form_2_counts_requests_sent_and_answered_in_the_period_by_kind() {
        use crate::case::ReviewKind;
        use crate::statistics::ReviewRecord;
        let mut rng = Lcg(11);
        let reviews: Vec<ReviewRecord> = (0..800)
            .map(|_| {
                let sent = (rng.below(8) > 0)
                    .then(|| d(2023, 10, 1) + Duration::days(rng.below(900) as i64));
                let answered = sent
                    .filter(|_| rng.below(3) > 0)
                    .map(|s| s + Duration::days(rng.below(120) as i64));
                ReviewRecord {
                    kind: rng.pick(ReviewKind::ALL),
                    sent_on: sent,
                    answered_on: answered,
                }
            })
            .collect();
        for period in periods() {
            let table = FORM_2.fill(&reviews, &period);
            let within = |day: Option<NaiveDate>| {
                day.is_some_and(|d| period.from() <= d && d <= period.to())
            };
            let sent = reviews.iter().filter(|r| within(r.sent_on)).count() as u64;
            let answered = |kind: Option<ReviewKind>| {
                reviews
                    .iter()
                    .filter(|r| within(r.answered_on) && kind.is_none_or(|k| r.kind == k))
                    .count() as u64
            };
            assert_eq!(
                table.rows[0].cells,
                [
                    sent,
                    answered(None),
                    answered(Some(ReviewKind::CaseResolution)),
                    answered(Some(ReviewKind::PublicDuty)),
                    answered(Some(ReviewKind::Legislation)),
                ],
                "{period}"
            );
            assert_eq!(table.rows.len(), 1);
            assert!(table.check().iter().all(|r| r.holds()), "{period}");
        }
    }
}
