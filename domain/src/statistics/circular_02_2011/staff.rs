//! Forms 4 and 5: the centre's staff and the collaborators (Circular 02/2011, explanations of
//! forms 4 and 5), counted on the period's last day.
//!
//! Both print `c2 + c3 = c1` (male, female) and `c4 + c5 = c1` (Kinh, minority); columns 6
//! and 7 hold the people whose gender or ethnicity is not recorded, so that the identities
//! hold on every row while the records are incomplete.

use super::*;
use crate::organization::OrganizationKind;
use crate::staff::MembershipRelation;
use crate::statistics::form::PeopleCounted;

const fn of(number: u8, vi: &'static str, en: &'static str, only: &'static [Filter]) -> Column {
    filtered(number, vi, en, Measure::OnLastDay, only)
}

/// The columns of forms 4 and 5.
const PEOPLE: &[Column] = &[
    column(1, "Tổng số", "Total", Measure::OnLastDay),
    of(2, "Nam", "Male", &[Filter::Is(Dimension::Gender, "male")]),
    of(
        3,
        "Nữ",
        "Female",
        &[Filter::Is(Dimension::Gender, "female")],
    ),
    of(
        4,
        "Dân tộc Kinh",
        "Kinh",
        &[Filter::Is(Dimension::EthnicityGroup, "kinh")],
    ),
    of(
        5,
        "Dân tộc thiểu số",
        "Ethnic minority",
        &[Filter::Is(Dimension::EthnicityGroup, "minority")],
    ),
    of(
        6,
        "Chưa ghi nhận giới tính",
        "Gender not recorded",
        &[Filter::Missing(Dimension::Gender)],
    ),
    of(
        7,
        "Chưa ghi nhận dân tộc",
        "Ethnicity not recorded",
        &[Filter::Missing(Dimension::EthnicityGroup)],
    ),
];

const BY_QUALIFICATION: Section = section_with_missing(
    "",
    "Phân theo trình độ chuyên môn",
    "By qualification",
    Dimension::Qualification,
    NOT_RECORDED,
);

const BY_AGE: Section = section_with_missing(
    "",
    "Phân theo nhóm tuổi",
    "By age group",
    Dimension::AgeGroup,
    NOT_RECORDED,
);

/// Form 4: the staff of the state legal aid centre and its branches (thống kê số lượng viên
/// chức Trung tâm trợ giúp pháp lý).
pub static FORM_4: Form = Form {
    code: "tt02-2011-bm4",
    number: label("Biểu mẫu số 4", "Form 4"),
    title: label(
        "Thống kê số lượng viên chức Trung tâm trợ giúp pháp lý",
        "Staff of the legal aid centre",
    ),
    unit: CountUnit::People,
    // "Viên chức ... tại Trung tâm trợ giúp pháp lý tỉnh và các Chi nhánh" (explanation of
    // form 4).
    subject: Subject::People(PeopleCounted {
        kinds: &[OrganizationKind::Center, OrganizationKind::Branch],
        relation: MembershipRelation::Employee,
        needs_card: false,
    }),
    columns: PEOPLE,
    sections: &[
        section("I", "Phân theo chức danh", "By title", Dimension::Title),
        Section {
            number: "II",
            ..BY_QUALIFICATION
        },
        Section {
            number: "III",
            ..BY_AGE
        },
    ],
    rules: &[
        adds_up(
            "tt02-2011-bm4.gender",
            &[2, 3, 6],
            &[1],
            "Cột 2 + cột 3 (+ cột 6, chưa ghi nhận giới tính) = cột 1",
            "Column 2 + column 3 (+ column 6, gender not recorded) = column 1",
        ),
        adds_up(
            "tt02-2011-bm4.ethnicity",
            &[4, 5, 7],
            &[1],
            "Cột 4 + cột 5 (+ cột 7, chưa ghi nhận dân tộc) = cột 1",
            "Column 4 + column 5 (+ column 7, ethnicity not recorded) = column 1",
        ),
        sections_equal(
            "tt02-2011-bm4.sections",
            "Tổng số viên chức trong các mục I, II và III luôn bằng nhau",
            "The totals of sections I, II and III are always equal",
        ),
    ],
    source: "Circular 02/2011/TT-BTP, art. 7 and the explanation of form 4",
    regime: &CIRCULAR_02_2011,
    reported_months: &[6, 12],
};

/// Form 5: legal aid collaborators (thống kê số lượng cộng tác viên trợ giúp pháp lý).
pub static FORM_5: Form = Form {
    code: "tt02-2011-bm5",
    number: label("Biểu mẫu số 5", "Form 5"),
    title: label(
        "Thống kê số lượng cộng tác viên trợ giúp pháp lý",
        "Legal aid collaborators",
    ),
    unit: CountUnit::People,
    // The collaborators of centres, branches and clubs, holding a card.
    subject: Subject::People(PeopleCounted {
        kinds: &[
            OrganizationKind::Center,
            OrganizationKind::Branch,
            OrganizationKind::Club,
        ],
        relation: MembershipRelation::Collaborator,
        needs_card: true,
    }),
    columns: PEOPLE,
    sections: &[
        Section {
            number: "I",
            ..BY_QUALIFICATION
        },
        Section {
            number: "II",
            ..BY_AGE
        },
        section_with_missing(
            "III",
            "Phân theo nơi cộng tác",
            "By the unit they work with",
            Dimension::CollaboratingUnit,
            NOT_RECORDED,
        ),
    ],
    rules: &[
        adds_up(
            "tt02-2011-bm5.gender",
            &[2, 3, 6],
            &[1],
            "Cột 2 + cột 3 (+ cột 6, chưa ghi nhận giới tính) = cột 1",
            "Column 2 + column 3 (+ column 6, gender not recorded) = column 1",
        ),
        adds_up(
            "tt02-2011-bm5.ethnicity",
            &[4, 5, 7],
            &[1],
            "Cột 4 + cột 5 (+ cột 7, chưa ghi nhận dân tộc) = cột 1",
            "Column 4 + column 5 (+ column 7, ethnicity not recorded) = column 1",
        ),
        sections_equal(
            "tt02-2011-bm5.sections",
            "Tổng số cộng tác viên trong các mục luôn bằng nhau",
            "The totals of the sections are always equal",
        ),
    ],
    source: "Circular 02/2011/TT-BTP, art. 7 and the explanation of form 5; Law on Legal Aid 2017 art. 24",
    regime: &CIRCULAR_02_2011,
    reported_months: &[6, 12],
};

#[cfg(test)]
mod tests {
    use chrono::{Duration, NaiveDate};

    use super::*;
    use crate::label::Vocabulary;
    use crate::reference::{EthnicGroup, Gender, Qualification};
    use crate::staff::{Card, Membership, Title};
    use crate::statistics::dimension::CollaboratingUnit;
    use crate::statistics::records::Post;
    use crate::statistics::testing::{assert_rules_hold, d, periods, Lcg};
    use crate::statistics::StaffRecord;

    fn people(carded: bool) -> Vec<StaffRecord> {
        let mut rng = Lcg(31);
        let day = |rng: &mut Lcg| d(2022, 1, 1) + Duration::days(rng.below(5 * 365) as i64);
        (0..1500)
            .map(|_| {
                let posts = (0..1 + rng.below(2))
                    .map(|_| {
                        let from = day(&mut rng);
                        Post {
                            membership: Membership {
                                organization_id: format!("org-{}", rng.below(4)),
                                valid_from: from,
                                valid_to: (rng.below(3) == 0)
                                    .then(|| from + Duration::days(1 + rng.below(700) as i64)),
                            },
                            title: rng.pick(Title::ALL),
                            unit: Some(rng.pick(CollaboratingUnit::ALL)),
                        }
                    })
                    .collect();
                let cards = carded.then(|| {
                    (0..rng.below(3))
                        .map(|_| {
                            let issued = day(&mut rng);
                            let expires = issued + Duration::days(rng.below(5 * 365) as i64);
                            Card {
                                issued_on: issued,
                                expires_on: expires,
                                ended_on: (rng.below(4) == 0)
                                    .then(|| issued + Duration::days(rng.below(900) as i64)),
                            }
                        })
                        .collect()
                });
                StaffRecord {
                    posts,
                    cards,
                    gender: (rng.below(8) > 0).then(|| rng.pick(Gender::ALL)),
                    ethnicity: (rng.below(8) > 0).then(|| rng.pick(EthnicGroup::ALL)),
                    date_of_birth: (rng.below(8) > 0)
                        .then(|| d(1960, 1, 1) + Duration::days(rng.below(40 * 365) as i64)),
                    qualification: (rng.below(8) > 0).then(|| rng.pick(Qualification::ALL)),
                }
            })
            .collect()
    }

    /// Who counts on `day`, written out from the dates.
    fn counted_on(p: &StaffRecord, day: NaiveDate) -> Option<&Post> {
        let card_valid = p.cards.as_ref().is_none_or(|cards| {
            cards.iter().any(|c| {
                c.issued_on <= day && day <= c.expires_on && c.ended_on.is_none_or(|e| e > day)
            })
        });
        let mut holding: Vec<&Post> = p
            .posts
            .iter()
            .filter(|post| {
                post.membership.valid_from <= day
                    && post.membership.valid_to.is_none_or(|to| to > day)
            })
            .collect();
        holding.sort_by_key(|post| {
            (
                post.membership.valid_from,
                post.membership.organization_id.clone(),
            )
        });
        holding.first().copied().filter(|_| card_valid)
    }

    fn age_group(born: NaiveDate, day: NaiveDate) -> &'static str {
        let mut age = day.years_since(born).unwrap();
        if born > day {
            age = 0;
        }
        match age {
            0..=29 => "under_30",
            30..=39 => "30_39",
            40..=49 => "40_49",
            50..=59 => "50_59",
            _ => "60_plus",
        }
    }

    fn check(form: &'static crate::statistics::Form, records: &[StaffRecord]) {
        for period in periods() {
            let day = period.to();
            let table = form.fill(records, &period);
            let present: Vec<(&StaffRecord, &Post)> = records
                .iter()
                .filter_map(|p| counted_on(p, day).map(|post| (p, post)))
                .collect();
            let count = |f: &dyn Fn(&StaffRecord, &Post) -> bool| {
                present.iter().filter(|(p, post)| f(p, post)).count() as u64
            };
            let minority = |p: &StaffRecord| p.ethnicity.map(|e| e != EthnicGroup::Kinh);
            assert_eq!(
                table.rows[0].cells,
                [
                    count(&|_, _| true),
                    count(&|p, _| p.gender == Some(Gender::Male)),
                    count(&|p, _| p.gender == Some(Gender::Female)),
                    count(&|p, _| minority(p) == Some(false)),
                    count(&|p, _| minority(p) == Some(true)),
                    count(&|p, _| p.gender.is_none()),
                    count(&|p, _| p.ethnicity.is_none()),
                ],
                "{} {period}",
                form.code
            );
            for row in &table.rows[1..] {
                let (section, value) = row.code.split_once('.').unwrap();
                let dimension = form
                    .sections
                    .iter()
                    .find(|s| s.number == section)
                    .unwrap()
                    .dimension;
                let holds = |p: &StaffRecord, post: &Post| -> bool {
                    let code = match dimension {
                        Dimension::Title => Some(post.title.code()),
                        Dimension::Qualification => p.qualification.map(|q| q.code()),
                        Dimension::AgeGroup => p.date_of_birth.map(|b| age_group(b, day)),
                        Dimension::CollaboratingUnit => post.unit.map(|u| u.code()),
                        other => panic!("unexpected section {other:?}"),
                    };
                    code.unwrap_or("none") == value
                };
                assert_eq!(
                    row.cells[0],
                    count(&holds),
                    "{} {period} {}",
                    form.code,
                    row.code
                );
            }
            assert_rules_hold(&table);
        }
    }

    #[test]
    fn every_cell_of_form_4_equals_a_recount_of_the_staff_on_the_last_day() {
        check(&FORM_4, &people(false));
    }

    #[test]
    fn every_cell_of_form_5_counts_only_collaborators_holding_a_valid_card() {
        check(&FORM_5, &people(true));
    }
}
