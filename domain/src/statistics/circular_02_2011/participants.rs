//! Form 6: organizations taking part in legal aid (Circular 02/2011, explanation of form 6),
//! counted on the period's last day.
//!
//! The seed prints `c2 + c3 + c4 = c1` (law offices, law firms, counselling centres) and
//! `c4 + c5 = c1`. The second cannot hold beside the first (column 4 is one kind of
//! organization, so it would make law offices and law firms equal to column 5): it is read
//! as a slip, and what is checked in its place is `c5 + c6 = c1`, the organizations by how
//! they take part (by contract with a centre, by registration; Law on Legal Aid 2017
//! art. 15–18).

use super::*;

const fn of(number: u8, vi: &'static str, en: &'static str, only: &'static [Filter]) -> Column {
    filtered(number, vi, en, Measure::OnLastDay, only)
}

/// Form 6: participating organizations (thống kê tổ chức đăng ký tham gia trợ giúp pháp lý).
pub static FORM_6: Form = Form {
    code: "tt02-2011-bm6",
    number: label("Biểu mẫu số 6", "Form 6"),
    title: label(
        "Thống kê tổ chức, cá nhân đăng ký tham gia trợ giúp pháp lý",
        "Organizations taking part in legal aid",
    ),
    unit: CountUnit::Organizations,
    subject: Subject::Participants,
    columns: &[
        column(1, "Tổng số", "Total", Measure::OnLastDay),
        of(
            2,
            "Văn phòng luật sư",
            "Law offices",
            &[Filter::Is(Dimension::ParticipatingKind, "law_office")],
        ),
        of(
            3,
            "Công ty luật",
            "Law firms",
            &[Filter::Is(Dimension::ParticipatingKind, "law_firm")],
        ),
        of(
            4,
            "Trung tâm tư vấn pháp luật",
            "Counselling centres",
            &[Filter::Is(Dimension::ParticipatingKind, "counselling_center")],
        ),
        of(
            5,
            "Ký hợp đồng thực hiện trợ giúp pháp lý",
            "By contract",
            &[Filter::Is(Dimension::ParticipationMode, "contract")],
        ),
        of(
            6,
            "Đăng ký tham gia trợ giúp pháp lý",
            "By registration",
            &[Filter::Is(Dimension::ParticipationMode, "registration")],
        ),
    ],
    sections: &[
        section(
            "I",
            "Phân theo phạm vi tham gia tố tụng",
            "By taking part in proceedings",
            Dimension::LitigationScope,
        ),
        section(
            "II",
            "Phân theo thời hạn tham gia",
            "By term",
            Dimension::ParticipationTerm,
        ),
    ],
    rules: &[
        adds_up(
            "tt02-2011-bm6.kinds",
            &[2, 3, 4],
            &[1],
            "Cột 2 + cột 3 + cột 4 = cột 1",
            "Column 2 + column 3 + column 4 = column 1",
        ),
        adds_up(
            "tt02-2011-bm6.modes",
            &[5, 6],
            &[1],
            "Cột 5 + cột 6 = cột 1 (thay cho \"cột 4 + cột 5 = cột 1\" in trong mẫu, không thể đúng)",
            "Column 5 + column 6 = column 1 (in place of the printed \"column 4 + column 5 = column 1\", which cannot hold)",
        ),
        sections_equal(
            "tt02-2011-bm6.sections",
            "Tổng số tổ chức trong các mục luôn bằng nhau",
            "The totals of the sections are always equal",
        ),
    ],
    source: "Circular 02/2011/TT-BTP, art. 7 and the explanation of form 6; Law on Legal Aid 2017 art. 15–18",
    regime: &CIRCULAR_02_2011,
    reported_months: &[6, 12],
};

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::label::Vocabulary;
    use crate::organization::{ParticipationMode, ParticipationScope};
    use crate::reference::AidForm;
    use crate::statistics::dimension::ParticipatingKind;
    use crate::statistics::testing::{assert_rules_hold, d, periods, Lcg};
    use crate::statistics::ParticipantRecord;

    #[test]
    fn every_cell_of_form_6_equals_a_recount_of_the_organizations_on_the_last_day() {
        let mut rng = Lcg(41);
        let records: Vec<ParticipantRecord> = (0..600)
            .map(|_| {
                let from = d(2022, 1, 1) + Duration::days(rng.below(4 * 365) as i64);
                ParticipantRecord {
                    kind: rng.pick(ParticipatingKind::ALL),
                    mode: rng.pick(ParticipationMode::ALL),
                    scope: ParticipationScope {
                        forms: (0..rng.below(3)).map(|_| rng.pick(AidForm::ALL)).collect(),
                        ..ParticipationScope::default()
                    },
                    valid_from: from,
                    valid_to: (rng.below(2) == 0)
                        .then(|| from + Duration::days(rng.below(3 * 365) as i64)),
                    ended_on: (rng.below(5) == 0)
                        .then(|| from + Duration::days(rng.below(2 * 365) as i64)),
                }
            })
            .collect();
        for period in periods() {
            let day = period.to();
            let on: Vec<&ParticipantRecord> = records
                .iter()
                .filter(|r| {
                    r.valid_from <= day
                        && r.valid_to.is_none_or(|to| to >= day)
                        && r.ended_on.is_none_or(|e| e > day)
                })
                .collect();
            let count =
                |f: &dyn Fn(&ParticipantRecord) -> bool| on.iter().filter(|r| f(r)).count() as u64;
            let table = FORM_6.fill(&records, &period);
            assert_eq!(
                table.rows[0].cells,
                [
                    on.len() as u64,
                    count(&|r| r.kind == ParticipatingKind::LawOffice),
                    count(&|r| r.kind == ParticipatingKind::LawFirm),
                    count(&|r| r.kind == ParticipatingKind::CounsellingCenter),
                    count(&|r| r.mode == ParticipationMode::Contract),
                    count(&|r| r.mode == ParticipationMode::Registration),
                ],
                "{period}"
            );
            let litigation = count(&|r| r.scope.forms.contains(&AidForm::Litigation));
            assert_eq!(table.cell("I.litigation", 1), Some(litigation), "{period}");
            assert_eq!(
                table.cell("II.open_ended", 1),
                Some(count(&|r| r.valid_to.is_none()))
            );
            assert_rules_hold(&table);
        }
    }
}
