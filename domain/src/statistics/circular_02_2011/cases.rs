//! Form 1: legal aid cases (Circular 02/2011, explanation of form 1).

use super::*;

/// The four breakdowns of a case (forms 1 and 3: "mỗi vụ việc phân theo lĩnh vực, hình thức,
/// địa điểm, người thực hiện trợ giúp pháp lý"), with equal totals.
pub(super) const BY_CASE: &[Section] = &[
    section(
        "I",
        "Phân theo lĩnh vực",
        "By field of law",
        Dimension::Field,
    ),
    section(
        "II",
        "Phân theo hình thức trợ giúp pháp lý",
        "By form of aid",
        Dimension::AidForm,
    ),
    section(
        "III",
        "Phân theo địa điểm trợ giúp pháp lý",
        "By place of aid",
        Dimension::AidPlace,
    ),
    section_with_missing(
        "IV",
        "Phân theo người thực hiện trợ giúp pháp lý",
        "By provider",
        Dimension::ProviderKind,
        label("Chưa cử người thực hiện", "No provider assigned yet"),
    ),
];

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
    sections: BY_CASE,
    rules: &[
        adds_up(
            "tt02-2011-bm1.in",
            &[2, 3, 4],
            &[1],
            "Cột 2 + cột 3 + cột 4 = cột 1",
            "Column 2 + column 3 + column 4 = column 1",
        ),
        adds_up(
            "tt02-2011-bm1.out",
            &[5, 6, 7],
            &[1],
            "Cột 5 + cột 6 + cột 7 = cột 1",
            "Column 5 + column 6 + column 7 = column 1",
        ),
        sections_equal(
            "tt02-2011-bm1.sections",
            "Tổng số vụ việc trong các mục I, II, III, IV luôn bằng nhau",
            "The totals of sections I, II, III and IV are always equal",
        ),
    ],
    source: "Circular 02/2011/TT-BTP, art. 7 and the explanation of form 1",
    regime: &CIRCULAR_02_2011,
    reported_months: &[3, 6, 9, 12],
};

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::reference::{AidForm, AidPlace, Field};
    use crate::statistics::form::Countable;
    use crate::statistics::testing::{case_records as records, d, periods};
    use crate::statistics::{CaseRecord, Period};

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
                    let value = case.value(section.dimension, &period).unwrap_or("none");
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
            provider_affiliation: None,
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
}
