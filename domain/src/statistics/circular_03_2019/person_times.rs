//! Form 24/BTP/TGPL: person-times aided (số lượt người được trợ giúp pháp lý).
//!
//! Columns 1 to 18 are those the form prints; each person-time counts under the category
//! proven first, as in Circular 02/2011, except that a person proven both of a poor household
//! and of an ethnic minority in a hardship area, whichever came first, counts in column 7
//! ("vừa là người thuộc hộ nghèo vừa là người dân tộc thiểu số") and not in 5 or 6. Columns 19
//! and 20 are added so that the identities hold while a category or a gender is not recorded.

use super::*;

const fn of(number: u8, vi: &'static str, en: &'static str, only: &'static [Filter]) -> Column {
    filtered(number, vi, en, Measure::PersonTimes, only)
}

const POOR_AND_MINORITY: &[&str] = &["poor_household", "ethnic_minority_hardship_area"];
const BOTH: Filter = Filter::AllOf(Dimension::ProvenCategories, POOR_AND_MINORITY);

/// Form 24/BTP/TGPL.
pub static FORM_24: Form = Form {
    code: "tt03-2019-bm24",
    number: label("Biểu số 24/BTP/TGPL", "Form 24/BTP/TGPL"),
    title: label("Số lượt người được trợ giúp pháp lý", "Person-times aided"),
    unit: CountUnit::PersonTimes,
    subject: Subject::PersonTimes,
    columns: &[
        column(1, "Tổng số", "Total", Measure::PersonTimes),
        of(2, "Nam", "Male", &[Filter::Is(Dimension::Gender, "male")]),
        of(
            3,
            "Nữ",
            "Female",
            &[Filter::Is(Dimension::Gender, "female")],
        ),
        of(
            4,
            "Người có công với cách mạng",
            "Meritorious service",
            &[Filter::Is(Dimension::RecipientCategory, "meritorious")],
        ),
        of(
            5,
            "Người thuộc hộ nghèo",
            "Poor household",
            &[
                Filter::Is(Dimension::RecipientCategory, "poor_household"),
                Filter::Not(&BOTH),
            ],
        ),
        of(
            6,
            "Người dân tộc thiểu số cư trú ở vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn",
            "Ethnic minority in a hardship area",
            &[
                Filter::Is(
                    Dimension::RecipientCategory,
                    "ethnic_minority_hardship_area",
                ),
                Filter::Not(&BOTH),
            ],
        ),
        of(
            7,
            "Vừa là người thuộc hộ nghèo vừa là người dân tộc thiểu số",
            "Both of a poor household and of an ethnic minority",
            &[
                Filter::AnyOf(Dimension::RecipientCategory, POOR_AND_MINORITY),
                BOTH,
            ],
        ),
        of(
            8,
            "Trẻ em",
            "Child",
            &[Filter::Is(Dimension::RecipientCategory, "child")],
        ),
        of(
            9,
            "Người bị buộc tội từ đủ 16 tuổi đến dưới 18 tuổi",
            "Accused aged 16 to under 18",
            &[Filter::Is(Dimension::RecipientCategory, "accused_16_18")],
        ),
        of(
            10,
            "Người bị buộc tội thuộc hộ cận nghèo",
            "Accused of a near-poor household",
            &[Filter::Is(
                Dimension::RecipientCategory,
                "accused_near_poor",
            )],
        ),
        of(
            11,
            "Thân nhân liệt sĩ",
            "Martyrs' relatives",
            &[Filter::Is(Dimension::RecipientCategory, "martyr_relative")],
        ),
        of(
            12,
            "Người nhiễm chất độc da cam",
            "Agent Orange victims",
            &[Filter::Is(Dimension::RecipientCategory, "agent_orange")],
        ),
        of(
            13,
            "Người cao tuổi",
            "Elderly",
            &[Filter::Is(Dimension::RecipientCategory, "elderly")],
        ),
        of(
            14,
            "Người khuyết tật",
            "Persons with disabilities",
            &[Filter::Is(Dimension::RecipientCategory, "disabled")],
        ),
        of(
            15,
            "Bị hại từ đủ 16 tuổi đến dưới 18 tuổi",
            "Victims aged 16 to under 18",
            &[Filter::Is(Dimension::RecipientCategory, "victim_16_18")],
        ),
        of(
            16,
            "Nạn nhân bạo lực gia đình",
            "Domestic violence victims",
            &[Filter::Is(
                Dimension::RecipientCategory,
                "domestic_violence_victim",
            )],
        ),
        of(
            17,
            "Nạn nhân mua bán người",
            "Trafficking victims",
            &[Filter::Is(
                Dimension::RecipientCategory,
                "trafficking_victim",
            )],
        ),
        of(
            18,
            "Người nhiễm HIV",
            "Living with HIV",
            &[Filter::Is(Dimension::RecipientCategory, "hiv")],
        ),
        of(
            19,
            "Chưa có giấy tờ chứng minh diện được trợ giúp",
            "Category not yet proven",
            &[Filter::Missing(Dimension::RecipientCategory)],
        ),
        of(
            20,
            "Chưa ghi nhận giới tính",
            "Gender not recorded",
            &[Filter::Missing(Dimension::Gender)],
        ),
    ],
    sections: BY_FIELD_AND_FORM,
    rules: &[
        adds_up(
            "tt03-2019-bm24.gender",
            &[2, 3, 20],
            &[1],
            "Cột 2 + cột 3 (+ cột 20, chưa ghi nhận giới tính) = cột 1",
            "Column 2 + column 3 (+ column 20, gender not recorded) = column 1",
        ),
        adds_up(
            "tt03-2019-bm24.categories",
            &[4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
            &[1],
            "Cột 4 + … + cột 18 (+ cột 19, chưa có giấy tờ chứng minh) = cột 1",
            "Column 4 + … + column 18 (+ column 19, category not yet proven) = column 1",
        ),
        sections_equal(
            "tt03-2019-bm24.fields",
            "Tổng các lĩnh vực bằng dòng tổng số",
            "The fields add up to the total row",
        ),
        splits_equal(
            "tt03-2019-bm24.forms",
            "Các hình thức trợ giúp pháp lý của một lĩnh vực cộng lại bằng dòng của lĩnh vực",
            "A field's forms of aid add up to the field's row",
        ),
    ],
    source: "Circular 03/2019/TT-BTP, form 24/BTP/TGPL; Law on Legal Aid 2017 art. 7",
    regime: &CIRCULAR_03_2019,
    reported_months: &[],
};
