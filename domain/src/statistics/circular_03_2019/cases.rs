//! Form 25/BTP/TGPL: legal aid cases (số vụ việc trợ giúp pháp lý).
//!
//! Handled in the period (1) = carried over (2) + accepted in the period (3); the cases
//! handled by provider: legal aid officers (4), lawyers (5 = 6 + 7 + 8: under the centre's
//! contract, of a contracted organization, of a registered organization), legal counsellors
//! (9 = 10 + 11: of a contracted or a registered organization), collaborators (12); the cases
//! closed in the period (13). The column numbers are inferred from the order the form names
//! them; column 14 is added for cases accepted without a provider yet.

use super::*;

const fn of(number: u8, vi: &'static str, en: &'static str, only: &'static [Filter]) -> Column {
    filtered(number, vi, en, Measure::CasesInHand, only)
}

const LAWYERS: &[&str] = &[
    "lawyer_centre_contract",
    "lawyer_contracted_org",
    "lawyer_registered_org",
];
const COUNSELLORS: &[&str] = &["counsellor_contracted_org", "counsellor_registered_org"];

/// Form 25/BTP/TGPL.
pub static FORM_25: Form = Form {
    code: "tt03-2019-bm25",
    number: label("Biểu số 25/BTP/TGPL", "Form 25/BTP/TGPL"),
    title: label("Số vụ việc trợ giúp pháp lý", "Legal aid cases"),
    unit: CountUnit::Cases,
    subject: Subject::Cases,
    columns: &[
        column(
            1,
            "Tổng số vụ việc thực hiện trong kỳ",
            "Handled in the period",
            Measure::CasesInHand,
        ),
        column(
            2,
            "Kỳ trước chuyển sang",
            "Carried over",
            Measure::CasesCarriedOver,
        ),
        column(
            3,
            "Thụ lý mới trong kỳ",
            "Accepted in the period",
            Measure::CasesAccepted,
        ),
        of(
            4,
            "Trợ giúp viên pháp lý",
            "Legal aid officers",
            &[Filter::Is(
                Dimension::ProviderAffiliation,
                "legal_aid_officer",
            )],
        ),
        of(
            5,
            "Luật sư",
            "Lawyers",
            &[Filter::AnyOf(Dimension::ProviderAffiliation, LAWYERS)],
        ),
        of(
            6,
            "Luật sư ký hợp đồng với Trung tâm",
            "Under contract with the centre",
            &[Filter::Is(
                Dimension::ProviderAffiliation,
                "lawyer_centre_contract",
            )],
        ),
        of(
            7,
            "Luật sư của tổ chức ký hợp đồng",
            "Of a contracted organization",
            &[Filter::Is(
                Dimension::ProviderAffiliation,
                "lawyer_contracted_org",
            )],
        ),
        of(
            8,
            "Luật sư của tổ chức đăng ký tham gia",
            "Of a registered organization",
            &[Filter::Is(
                Dimension::ProviderAffiliation,
                "lawyer_registered_org",
            )],
        ),
        of(
            9,
            "Tư vấn viên pháp luật",
            "Legal counsellors",
            &[Filter::AnyOf(Dimension::ProviderAffiliation, COUNSELLORS)],
        ),
        of(
            10,
            "Tư vấn viên của tổ chức ký hợp đồng",
            "Of a contracted organization",
            &[Filter::Is(
                Dimension::ProviderAffiliation,
                "counsellor_contracted_org",
            )],
        ),
        of(
            11,
            "Tư vấn viên của tổ chức đăng ký tham gia",
            "Of a registered organization",
            &[Filter::Is(
                Dimension::ProviderAffiliation,
                "counsellor_registered_org",
            )],
        ),
        of(
            12,
            "Cộng tác viên trợ giúp pháp lý",
            "Collaborators",
            &[Filter::Is(Dimension::ProviderAffiliation, "collaborator")],
        ),
        column(
            13,
            "Vụ việc đã kết thúc trong kỳ",
            "Closed in the period",
            Measure::CasesFinished,
        ),
        of(
            14,
            "Chưa cử người thực hiện",
            "No provider assigned yet",
            &[Filter::Missing(Dimension::ProviderAffiliation)],
        ),
    ],
    sections: BY_FIELD_AND_FORM,
    rules: &[
        adds_up(
            "tt03-2019-bm25.handled",
            &[2, 3],
            &[1],
            "Cột 2 + cột 3 = cột 1",
            "Column 2 + column 3 = column 1",
        ),
        adds_up(
            "tt03-2019-bm25.providers",
            &[4, 5, 9, 12, 14],
            &[1],
            "Cột 4 + cột 5 + cột 9 + cột 12 (+ cột 14, chưa cử người thực hiện) = cột 1",
            "Column 4 + column 5 + column 9 + column 12 (+ column 14, no provider yet) = column 1",
        ),
        adds_up(
            "tt03-2019-bm25.lawyers",
            &[6, 7, 8],
            &[5],
            "Cột 6 + cột 7 + cột 8 = cột 5",
            "Column 6 + column 7 + column 8 = column 5",
        ),
        adds_up(
            "tt03-2019-bm25.counsellors",
            &[10, 11],
            &[9],
            "Cột 10 + cột 11 = cột 9",
            "Column 10 + column 11 = column 9",
        ),
        sections_equal(
            "tt03-2019-bm25.fields",
            "Tổng các lĩnh vực bằng dòng tổng số",
            "The fields add up to the total row",
        ),
        splits_equal(
            "tt03-2019-bm25.forms",
            "Các hình thức trợ giúp pháp lý của một lĩnh vực cộng lại bằng dòng của lĩnh vực",
            "A field's forms of aid add up to the field's row",
        ),
    ],
    source: "Circular 03/2019/TT-BTP, form 25/BTP/TGPL; Law on Legal Aid 2017 art. 16-18",
    regime: &CIRCULAR_03_2019,
    reported_months: &[],
};
