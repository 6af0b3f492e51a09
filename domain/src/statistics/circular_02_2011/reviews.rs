//! Form 2: requests for review (Circular 02/2011, explanation of form 2).

use super::*;

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
        filtered(
            3,
            "Giải quyết vụ việc",
            "Case resolution",
            Measure::ReviewsAnswered,
            &[Filter::Is(Dimension::ReviewKind, "case_resolution")],
        ),
        filtered(
            4,
            "Thực thi công vụ",
            "Public duty",
            Measure::ReviewsAnswered,
            &[Filter::Is(Dimension::ReviewKind, "public_duty")],
        ),
        filtered(
            5,
            "Sửa đổi, bổ sung các văn bản quy phạm pháp luật",
            "Amending legislation",
            Measure::ReviewsAnswered,
            &[Filter::Is(Dimension::ReviewKind, "legislation")],
        ),
    ],
    sections: &[],
    rules: &[adds_up(
        "tt02-2011-bm2.answered",
        &[3, 4, 5],
        &[2],
        "Cột 3 + cột 4 + cột 5 = cột 2",
        "Column 3 + column 4 + column 5 = column 2",
    )],
    source: "Circular 02/2011/TT-BTP, art. 7 and the explanation of form 2",
    regime: &CIRCULAR_02_2011,
    reported_months: &[3, 6, 9, 12],
};

#[cfg(test)]
mod tests {
    use chrono::{Duration, NaiveDate};

    use super::*;
    use crate::label::Vocabulary;
    use crate::statistics::testing::{d, periods, Lcg};

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
