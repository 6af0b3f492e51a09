//! Form 3: person-times aided (Circular 02/2011, explanation of form 3).
//!
//! The form's category columns 4 to 13 name the categories of the 2006 Law; the records hold
//! the categories of the 2017 Law, each counted in the column of the 2006 category it
//! succeeds, and the 2017 categories without a predecessor in the columns the explanation
//! adds after column 13 ("nếu có thêm người được trợ giúp mới nữa thì tiếp tục bổ sung thêm
//! cột vào phía sau cột 13"). Columns 19 and 20 keep the identities true while a person's
//! category or gender is not recorded. `docs/statistics.md` gives the mapping column by column.

use super::cases::BY_CASE;
use super::*;

const fn category(
    number: u8,
    vi: &'static str,
    en: &'static str,
    only: &'static [Filter],
) -> Column {
    filtered(number, vi, en, Measure::PersonTimes, only)
}

/// Form 3: person-times aided (thống kê lượt người được trợ giúp pháp lý).
pub static FORM_3: Form = Form {
    code: "tt02-2011-bm3",
    number: label("Biểu mẫu số 3", "Form 3"),
    title: label(
        "Thống kê số lượt người được trợ giúp pháp lý",
        "Person-times aided",
    ),
    unit: CountUnit::PersonTimes,
    subject: Subject::PersonTimes,
    columns: &[
        column(1, "Tổng số", "Total", Measure::PersonTimes),
        category(2, "Nam", "Male", &[Filter::Is(Dimension::Gender, "male")]),
        category(3, "Nữ", "Female", &[Filter::Is(Dimension::Gender, "female")]),
        category(
            4,
            "Người nghèo",
            "Poor",
            &[Filter::Is(Dimension::RecipientCategory, "poor_household")],
        ),
        category(
            5,
            "Người có công với cách mạng",
            "Meritorious service",
            &[Filter::Is(Dimension::RecipientCategory, "meritorious")],
        ),
        category(
            6,
            "Người già cô đơn",
            "Lone elderly",
            &[Filter::Is(Dimension::RecipientCategory, "elderly")],
        ),
        category(
            7,
            "Người khuyết tật không nơi nương tựa",
            "Disabled without support",
            &[Filter::Is(Dimension::RecipientCategory, "disabled")],
        ),
        category(
            8,
            "Trẻ em không nơi nương tựa",
            "Children without support",
            &[Filter::Is(Dimension::RecipientCategory, "child")],
        ),
        category(
            9,
            "Người dân tộc thiểu số ở vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn",
            "Ethnic minority in hardship areas",
            &[Filter::Is(
                Dimension::RecipientCategory,
                "ethnic_minority_hardship_area",
            )],
        ),
        // The 2017 Law has no treaty category: the records cannot hold one.
        category(
            10,
            "Đối tượng theo điều ước quốc tế",
            "Under an international treaty",
            &[Filter::AnyOf(Dimension::RecipientCategory, &[])],
        ),
        category(
            11,
            "Người nhiễm HIV",
            "Living with HIV",
            &[Filter::Is(Dimension::RecipientCategory, "hiv")],
        ),
        category(
            12,
            "Nạn nhân bạo lực gia đình",
            "Domestic violence victims",
            &[Filter::Is(
                Dimension::RecipientCategory,
                "domestic_violence_victim",
            )],
        ),
        category(
            13,
            "Nạn nhân mua bán người",
            "Trafficking victims",
            &[Filter::Is(Dimension::RecipientCategory, "trafficking_victim")],
        ),
        category(
            14,
            "Người bị buộc tội từ đủ 16 tuổi đến dưới 18 tuổi",
            "Accused aged 16 to under 18",
            &[Filter::Is(Dimension::RecipientCategory, "accused_16_18")],
        ),
        category(
            15,
            "Người bị buộc tội thuộc hộ cận nghèo",
            "Accused of a near-poor household",
            &[Filter::Is(Dimension::RecipientCategory, "accused_near_poor")],
        ),
        category(
            16,
            "Thân nhân liệt sĩ",
            "Martyrs' relatives",
            &[Filter::Is(Dimension::RecipientCategory, "martyr_relative")],
        ),
        category(
            17,
            "Người nhiễm chất độc da cam",
            "Agent Orange victims",
            &[Filter::Is(Dimension::RecipientCategory, "agent_orange")],
        ),
        category(
            18,
            "Bị hại từ đủ 16 tuổi đến dưới 18 tuổi",
            "Victims aged 16 to under 18",
            &[Filter::Is(Dimension::RecipientCategory, "victim_16_18")],
        ),
        category(
            19,
            "Chưa có giấy tờ chứng minh diện được trợ giúp",
            "Category not yet proven",
            &[Filter::Missing(Dimension::RecipientCategory)],
        ),
        category(
            20,
            "Chưa ghi nhận giới tính",
            "Gender not recorded",
            &[Filter::Missing(Dimension::Gender)],
        ),
    ],
    sections: BY_CASE,
    rules: &[
        adds_up(
            "tt02-2011-bm3.gender",
            &[2, 3, 20],
            &[1],
            "Cột 2 + cột 3 (+ cột 20, chưa ghi nhận giới tính) = cột 1",
            "Column 2 + column 3 (+ column 20, gender not recorded) = column 1",
        ),
        adds_up(
            "tt02-2011-bm3.categories",
            &[4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
            &[1],
            "Cột 4 + … + cột 13 (+ các cột bổ sung 14 đến 19) = cột 1",
            "Column 4 + … + column 13 (+ the added columns 14 to 19) = column 1",
        ),
        sections_equal(
            "tt02-2011-bm3.sections",
            "Tổng số lượt người trong các mục I, II, III, IV luôn bằng nhau",
            "The totals of sections I, II, III and IV are always equal",
        ),
    ],
    source: "Circular 02/2011/TT-BTP, art. 7 and the explanation of form 3; Law on Legal Aid 2017 art. 7",
    regime: &CIRCULAR_02_2011,
    reported_months: &[3, 6, 9, 12],
};

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::label::Vocabulary;
    use crate::reference::{Gender, RecipientCategory};
    use crate::statistics::testing::{self, assert_rules_hold, periods};
    use crate::statistics::PersonTimeRecord;

    fn person_times() -> Vec<PersonTimeRecord> {
        testing::person_times(23, RecipientCategory::ALL)
    }

    /// The column of each 2017 category, as `docs/statistics.md` lists it.
    fn column_of(category: Option<RecipientCategory>) -> usize {
        use RecipientCategory::*;
        match category {
            Some(PoorHousehold) => 4,
            Some(Meritorious) => 5,
            Some(Elderly) => 6,
            Some(Disabled) => 7,
            Some(Child) => 8,
            Some(EthnicMinorityHardshipArea) => 9,
            Some(Hiv) => 11,
            Some(DomesticViolenceVictim) => 12,
            Some(TraffickingVictim) => 13,
            Some(Accused16To18) => 14,
            Some(AccusedNearPoor) => 15,
            Some(MartyrRelative) => 16,
            Some(AgentOrange) => 17,
            Some(Victim16To18) => 18,
            None => 19,
        }
    }

    #[test]
    fn every_cell_of_form_3_equals_a_recount_of_the_persons_aided() {
        let records = person_times();
        for period in periods() {
            let table = FORM_3.fill(&records, &period);
            let mut expected = BTreeMap::<String, [u64; 21]>::new();
            for p in &records {
                let accepted_in = p
                    .case
                    .accepted_on
                    .is_some_and(|a| period.from() <= a && a <= period.to());
                if !accepted_in || p.counted_where_first_accepted {
                    continue;
                }
                let mut cells = [0u64; 21];
                cells[1] = 1;
                match p.gender {
                    Some(Gender::Male) => cells[2] = 1,
                    Some(Gender::Female) => cells[3] = 1,
                    None => cells[20] = 1,
                }
                cells[column_of(p.category)] = 1;
                let rows = [
                    "total".to_owned(),
                    format!("I.{}", p.case.field.code()),
                    format!("II.{}", p.case.form.code()),
                    format!("III.{}", p.case.place.code()),
                    format!("IV.{}", p.case.provider_kind.map_or("none", |k| k.code())),
                ];
                for row in rows {
                    let sum = expected.entry(row).or_default();
                    for (s, c) in sum.iter_mut().zip(cells) {
                        *s += c;
                    }
                }
            }
            for row in &table.rows {
                let want = expected.get(&row.code).copied().unwrap_or_default();
                assert_eq!(row.cells, want[1..], "{period} row {}", row.code);
            }
            assert_rules_hold(&table);
        }
    }

    #[test]
    fn a_person_aided_in_two_cases_is_two_person_times_in_the_period_of_acceptance_only() {
        let records = person_times();
        let year = |y: &str| {
            FORM_3
                .fill(&records, &crate::statistics::Period::parse(y).unwrap())
                .cell("total", 1)
                .unwrap()
        };
        let quarters: u64 = [
            "2025-10-01/2025-12-31",
            "2026-01-01/2026-03-31",
            "2026-04-01/2026-06-30",
            "2026-07-01/2026-09-30",
        ]
        .iter()
        .map(|p| year(p))
        .sum();
        // Non-overlapping periods add up to the year: nobody counts twice.
        assert_eq!(quarters, year("2026-Y"));
    }
}
