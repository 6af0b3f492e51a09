//! Staff of legal aid organizations and the people who give legal aid (người thực hiện
//! trợ giúp pháp lý), their dated memberships, and collaborators' cards ([`cards`]).

mod cards;

pub use cards::*;

use chrono::NaiveDate;

use crate::reference::{ProviderKind, Qualification};
use crate::refusal::{FieldRefusal, Refusal};
use crate::vocabulary;

vocabulary! {
    /// Chức danh: the position held in an organization.
    pub enum Title {
        Director = "director" { vi: "Giám đốc", en: "Director" },
        DeputyDirector = "deputy_director" { vi: "Phó Giám đốc", en: "Deputy director" },
        BranchHead = "branch_head" { vi: "Trưởng Chi nhánh", en: "Branch head" },
        LegalAidOfficer = "legal_aid_officer" { vi: "Trợ giúp viên pháp lý", en: "Legal aid officer" },
        Lawyer = "lawyer" { vi: "Luật sư", en: "Lawyer" },
        LegalCounsellor = "legal_counsellor" { vi: "Tư vấn viên pháp luật", en: "Legal counsellor" },
        Collaborator = "collaborator" { vi: "Cộng tác viên", en: "Collaborator" },
        OtherEmployee = "other_employee" { vi: "Viên chức, người lao động khác", en: "Other employee" },
    }
}

vocabulary! {
    /// Rank of a legal aid officer: the 2011 regime had senior and ordinary officers; the
    /// professional titles since 2022 have grades I to III.
    pub enum OfficerRank {
        Grade1 = "grade_1" { vi: "Trợ giúp viên pháp lý hạng I", en: "Legal aid officer, grade I" },
        Grade2 = "grade_2" { vi: "Trợ giúp viên pháp lý hạng II", en: "Legal aid officer, grade II" },
        Grade3 = "grade_3" { vi: "Trợ giúp viên pháp lý hạng III", en: "Legal aid officer, grade III" },
        Senior2011 = "senior_2011" { vi: "Trợ giúp viên pháp lý chính (2011)", en: "Senior legal aid officer (2011)" },
        Ordinary2011 = "ordinary_2011" { vi: "Trợ giúp viên pháp lý (2011)", en: "Legal aid officer (2011)" },
    }
}

vocabulary! {
    /// How a person belongs to an organization. A lawyer can be a member of a law firm and
    /// hold a contract with a centre at the same time: two memberships.
    pub enum MembershipRelation {
        Employee = "employee" { vi: "Viên chức, người lao động", en: "Employee" },
        Contract = "contract" { vi: "Ký hợp đồng thực hiện trợ giúp pháp lý", en: "Under contract" },
        Member = "member" { vi: "Thành viên của tổ chức hành nghề", en: "Member of the practice" },
        Collaborator = "collaborator" { vi: "Cộng tác viên", en: "Collaborator" },
    }
}

vocabulary! {
    pub enum StaffStatus {
        Active = "active" { vi: "Đang làm việc", en: "Active" },
        Inactive = "inactive" { vi: "Ngừng làm việc", en: "Inactive" },
    }
}

/// A dated membership: from `valid_from` (inclusive) to `valid_to` (exclusive, open when
/// `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub organization_id: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

impl Membership {
    pub fn holds_on(&self, day: NaiveDate) -> bool {
        self.valid_from <= day && self.valid_to.is_none_or(|to| day < to)
    }
}

/// A new membership that would overlap one the person holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlreadyMember;

/// Refuses a new membership of an organization where the person's earlier membership has
/// not ended by the new one's first day: one relation per organization at a time (a move
/// within it is an end and a new start).
pub fn check_no_overlap(held: &[Membership], new: &Membership) -> Result<(), AlreadyMember> {
    let overlaps = held.iter().any(|m| {
        m.organization_id == new.organization_id && m.valid_to.is_none_or(|to| to > new.valid_from)
    });
    if overlaps {
        return Err(AlreadyMember);
    }
    Ok(())
}

/// A new employment that would overlap one in another province: a person is employed (viên
/// chức, người lao động) in one province at a time, so that no two provinces' staff forms
/// count them; within one they may hold two posts at once (a branch head who is also the
/// centre's deputy director), and anywhere be a member of a firm, under contract or a
/// collaborator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecondEmployer;

/// Refuses `new`, an employment in `province`, if one of the person's `employments`, each
/// with its organization's province, is in another province and shares a day with it.
pub fn check_single_employment<'a>(
    employments: impl IntoIterator<Item = (&'a Membership, Option<&'a str>)>,
    new: &Membership,
    province: Option<&str>,
) -> Result<(), SecondEmployer> {
    let overlaps = |m: &Membership| {
        m.valid_to.is_none_or(|to| new.valid_from < to)
            && new.valid_to.is_none_or(|to| m.valid_from < to)
    };
    if employments
        .into_iter()
        .any(|(m, elsewhere)| elsewhere != province && overlaps(m))
    {
        return Err(SecondEmployer);
    }
    Ok(())
}

/// Why a membership cannot end on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndRefusal {
    /// Ended on a day still to come: the record says what happened, not what is planned.
    InFuture,
    /// Ended already, or the day is not after its first day.
    NotEndable,
}

/// Checks that `membership` can end on `on` (its first day no longer a member).
pub fn check_end(
    membership: &Membership,
    on: NaiveDate,
    today: NaiveDate,
) -> Result<(), EndRefusal> {
    if on > today {
        return Err(EndRefusal::InFuture);
    }
    if membership.valid_to.is_some() || on <= membership.valid_from {
        return Err(EndRefusal::NotEndable);
    }
    Ok(())
}

/// Why a person's details do not agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonDetailsError {
    /// A lawyer's card number on someone who is not a lawyer.
    NotALawyer,
    /// A lawyer without a lawyer's card number.
    LawyerCardRequired,
    /// A date of birth today or later.
    BornInFuture,
    /// A date of birth before [`crate::time::EARLIEST_BIRTH`].
    BornTooEarly,
    /// A legal aid officer or a lawyer recorded without a law degree.
    LawDegreeRequired,
}

/// Checks a person's details together: only lawyers carry a lawyer's card number, and every
/// lawyer has one; a legal aid officer and a lawyer, whose qualification is recorded, hold a
/// law degree (seed 004, form 4: "bằng Cử nhân luật trở lên"; Law on Lawyers 2006 art. 10);
/// the date of birth is before `today`, and not before 1900.
pub fn check_person_details(
    provider_kind: Option<ProviderKind>,
    qualification: Option<Qualification>,
    lawyer_card: Option<&str>,
    born: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), PersonDetailsError> {
    let is_lawyer = provider_kind == Some(ProviderKind::Lawyer);
    let needs_law_degree = is_lawyer || provider_kind == Some(ProviderKind::LegalAidOfficer);
    if needs_law_degree && qualification.is_some_and(|q| q != Qualification::LawDegreeOrHigher) {
        return Err(PersonDetailsError::LawDegreeRequired);
    }
    if lawyer_card.is_some() && !is_lawyer {
        return Err(PersonDetailsError::NotALawyer);
    }
    if is_lawyer && lawyer_card.is_none_or(|c| c.trim().is_empty()) {
        return Err(PersonDetailsError::LawyerCardRequired);
    }
    if born.is_some_and(|d| d >= today) {
        return Err(PersonDetailsError::BornInFuture);
    }
    if born.is_some_and(|d| d < crate::time::EARLIEST_BIRTH) {
        return Err(PersonDetailsError::BornTooEarly);
    }
    Ok(())
}

impl Refusal for PersonDetailsError {
    fn field_refusal(&self) -> FieldRefusal {
        match self {
            Self::NotALawyer => FieldRefusal::new(
                "lawyer_card_number",
                "not_a_lawyer",
                "Chỉ luật sư có số thẻ luật sư.",
                "Only lawyers have a lawyer's card number.",
            ),
            Self::LawyerCardRequired => FieldRefusal::new(
                "lawyer_card_number",
                "required",
                "Luật sư cần có số thẻ luật sư.",
                "A lawyer needs a lawyer's card number.",
            ),
            Self::BornInFuture => FieldRefusal::new(
                "date_of_birth",
                "in_future",
                "Ngày sinh phải trước hôm nay.",
                "The date of birth must be in the past.",
            ),
            Self::BornTooEarly => crate::refusal::born_too_early(),
            Self::LawDegreeRequired => FieldRefusal::new(
                "qualification",
                "law_degree_required",
                "Trợ giúp viên pháp lý và luật sư có bằng cử nhân luật trở lên.",
                "Legal aid officers and lawyers hold a law degree or higher.",
            ),
        }
    }
}

/// The age from which a person works in a legal aid organization: a public employee is 18
/// or older (Law on Public Employees 2010 art. 22(1)(b)), and a provider, a lawyer or a
/// collaborator, acts with full civil capacity (Civil Code 2015 art. 20).
pub const WORKING_AGE: u32 = 18;

/// Refuses a membership from `from` (the first, when checking a date of birth) of a person
/// born on `born`, both when known, that begins before they were born or before they were
/// [`WORKING_AGE`]. Named `field`: the date of birth when it is what changes, the
/// membership's first day when that is.
pub fn check_of_age_for_work(
    born: Option<NaiveDate>,
    from: Option<NaiveDate>,
    field: &str,
) -> Result<(), FieldRefusal> {
    match (born, from) {
        (Some(born), Some(from)) if from < born => Err(FieldRefusal::new(
            field,
            "before_birth",
            format!("Người này sinh ngày {born}, sau ngày bắt đầu làm việc {from}."),
            format!("The person was born on {born}, after the membership began on {from}."),
        )),
        (Some(born), Some(from)) if crate::time::age_on(born, from) < WORKING_AGE => {
            Err(FieldRefusal::new(
                field,
                "under_age",
                format!("Người này sinh ngày {born}, chưa đủ {WORKING_AGE} tuổi vào ngày bắt đầu làm việc {from}."),
                format!("The person, born on {born}, was not yet {WORKING_AGE} when the membership began on {from}."),
            ))
        }
        _ => Ok(()),
    }
}

/// Why a person cannot be assigned a case on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotEligible {
    /// Staff who are not legal aid providers (accountants, drivers, ...).
    NotAProvider,
    Inactive,
    /// No membership of the organization that would assign the case.
    NotAMember,
    /// Collaborators need a card valid that day (revoked or expired cards do not count).
    NoValidCard,
    /// The organization does not handle cases that day (`crate::case::handles_cases_on`).
    OrganizationNotHandling,
}

impl Refusal for NotEligible {
    fn field_refusal(&self) -> FieldRefusal {
        let (code, vi, en) = match self {
            Self::NotAProvider => (
                "not_a_provider",
                "Người này không phải người thực hiện trợ giúp pháp lý.",
                "The person is not a legal aid provider.",
            ),
            Self::Inactive => (
                "inactive",
                "Người này đã ngừng làm việc.",
                "The person is inactive.",
            ),
            Self::NotAMember => (
                "not_a_member",
                "Người này không công tác tại tổ chức thụ lý vào ngày đó.",
                "The person is no member of the handling organization on that day.",
            ),
            Self::NoValidCard => (
                "no_valid_card",
                "Cộng tác viên không có thẻ còn hiệu lực (thẻ bị thu hồi hoặc hết hạn).",
                "The collaborator holds no valid card (revoked or expired).",
            ),
            Self::OrganizationNotHandling => (
                "organization_not_handling",
                "Tổ chức không thực hiện trợ giúp pháp lý vào ngày đó (đã ngừng hoạt động hoặc chấm dứt tham gia).",
                "The organization handles no cases on that day (it stopped operating, or its participation ended).",
            ),
        };
        FieldRefusal::new("provider_id", code, vi, en)
    }
}

/// The kind of provider a person acts as in an organization: a collaborator where they are
/// tied to it as one (`collaborator_there`), whatever they are elsewhere, since there the
/// Department's card is what lets them give aid (Law on Legal Aid 2017 art. 24: a retired
/// legal aid officer or a lawyer may be a collaborator); their own kind otherwise. Their
/// eligibility, and the forms they may give there, follow from it.
pub fn acting_kind(
    provider_kind: Option<ProviderKind>,
    collaborator_there: bool,
) -> Option<ProviderKind> {
    if collaborator_there {
        Some(ProviderKind::Collaborator)
    } else {
        provider_kind
    }
}

/// Whether a person may be assigned a case of `organization_id` on `day`; `handling` says
/// whether that organization handles cases that day (`crate::case::handles_cases_on`).
pub fn check_can_take_cases(
    provider_kind: Option<ProviderKind>,
    active: bool,
    memberships: &[Membership],
    cards: &[Card],
    organization_id: &str,
    handling: bool,
    day: NaiveDate,
) -> Result<ProviderKind, NotEligible> {
    let kind = provider_kind.ok_or(NotEligible::NotAProvider)?;
    if !active {
        return Err(NotEligible::Inactive);
    }
    if !handling {
        return Err(NotEligible::OrganizationNotHandling);
    }
    if !memberships
        .iter()
        .any(|m| m.organization_id == organization_id && m.holds_on(day))
    {
        return Err(NotEligible::NotAMember);
    }
    if kind == ProviderKind::Collaborator && !cards.iter().any(|c| c.valid_on(day)) {
        return Err(NotEligible::NoValidCard);
    }
    Ok(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_collaborator_acts_as_one_whatever_else_they_are() {
        assert_eq!(
            acting_kind(Some(ProviderKind::LegalAidOfficer), true),
            Some(ProviderKind::Collaborator)
        );
        assert_eq!(acting_kind(None, true), Some(ProviderKind::Collaborator));
        assert_eq!(
            acting_kind(Some(ProviderKind::Lawyer), false),
            Some(ProviderKind::Lawyer)
        );
        assert_eq!(acting_kind(None, false), None);
    }

    fn member_of(org: &str) -> Vec<Membership> {
        vec![Membership {
            organization_id: org.into(),
            valid_from: d(2020, 1, 1),
            valid_to: Some(d(2027, 1, 1)),
        }]
    }

    fn card(status: CardStatus, expires_on: NaiveDate) -> Card {
        Card {
            issued_on: d(2024, 1, 1),
            expires_on,
            ended_on: (status != CardStatus::Valid).then(|| d(2025, 1, 1)),
        }
    }

    #[test]
    fn collaborators_need_a_card_valid_that_day() {
        let today = d(2026, 6, 1);
        let check = |cards: &[Card]| {
            check_can_take_cases(
                Some(ProviderKind::Collaborator),
                true,
                &member_of("c"),
                cards,
                "c",
                true,
                today,
            )
        };
        assert_eq!(
            check(&[card(CardStatus::Valid, d(2028, 12, 31))]),
            Ok(ProviderKind::Collaborator)
        );
        assert_eq!(check(&[]), Err(NotEligible::NoValidCard));
        assert_eq!(
            check(&[card(CardStatus::Revoked, d(2028, 12, 31))]),
            Err(NotEligible::NoValidCard)
        );
        assert_eq!(
            check(&[card(CardStatus::Valid, d(2026, 5, 31))]),
            Err(NotEligible::NoValidCard)
        );
        assert_eq!(
            check(&[card(CardStatus::Valid, d(2026, 6, 1))]),
            Ok(ProviderKind::Collaborator),
            "the last day counts"
        );
    }

    #[test]
    fn providers_must_be_active_members_of_the_organization() {
        let today = d(2026, 6, 1);
        let officer = Some(ProviderKind::LegalAidOfficer);
        assert!(
            check_can_take_cases(officer, true, &member_of("c"), &[], "c", true, today).is_ok()
        );
        assert_eq!(
            check_can_take_cases(officer, true, &member_of("c"), &[], "other", true, today),
            Err(NotEligible::NotAMember)
        );
        assert_eq!(
            check_can_take_cases(
                officer,
                true,
                &member_of("c"),
                &[],
                "c",
                true,
                d(2027, 1, 1)
            ),
            Err(NotEligible::NotAMember)
        );
        assert_eq!(
            check_can_take_cases(officer, false, &member_of("c"), &[], "c", true, today),
            Err(NotEligible::Inactive)
        );
        assert_eq!(
            check_can_take_cases(None, true, &member_of("c"), &[], "c", true, today),
            Err(NotEligible::NotAProvider)
        );
        assert_eq!(
            check_can_take_cases(officer, true, &member_of("c"), &[], "c", false, today),
            Err(NotEligible::OrganizationNotHandling)
        );
    }

    #[test]
    fn one_membership_of_an_organization_at_a_time() {
        let held = vec![
            Membership {
                organization_id: "center".into(),
                valid_from: d(2020, 1, 1),
                valid_to: Some(d(2024, 1, 1)),
            },
            Membership {
                organization_id: "firm".into(),
                valid_from: d(2020, 1, 1),
                valid_to: None,
            },
        ];
        let new = |org: &str, from| Membership {
            organization_id: org.into(),
            valid_from: from,
            valid_to: None,
        };
        assert_eq!(
            check_no_overlap(&held, &new("center", d(2024, 1, 1))),
            Ok(())
        );
        assert_eq!(
            check_no_overlap(&held, &new("center", d(2023, 12, 31))),
            Err(AlreadyMember)
        );
        assert_eq!(
            check_no_overlap(&held, &new("firm", d(2030, 1, 1))),
            Err(AlreadyMember)
        );
        assert_eq!(
            check_no_overlap(&held, &new("other", d(2020, 1, 1))),
            Ok(())
        );
    }

    #[test]
    fn a_membership_ends_once_after_it_began_on_a_day_that_has_come() {
        let today = d(2026, 6, 30);
        let open = Membership {
            organization_id: "center".into(),
            valid_from: d(2026, 1, 1),
            valid_to: None,
        };
        assert_eq!(check_end(&open, d(2026, 6, 30), today), Ok(()));
        assert_eq!(
            check_end(&open, d(2026, 7, 1), today),
            Err(EndRefusal::InFuture)
        );
        assert_eq!(
            check_end(&open, d(2026, 1, 1), today),
            Err(EndRefusal::NotEndable)
        );
        let ended = Membership {
            valid_to: Some(d(2026, 3, 1)),
            ..open
        };
        assert_eq!(
            check_end(&ended, d(2026, 6, 1), today),
            Err(EndRefusal::NotEndable)
        );
    }

    #[test]
    fn a_person_is_employed_in_one_province_at_a_time() {
        let job = |org: &str, from, to| Membership {
            organization_id: org.into(),
            valid_from: from,
            valid_to: to,
        };
        let (hn, dn) = (Some("ha_noi"), Some("da_nang"));
        let centre = job("hn", d(2021, 1, 1), None);
        let new = job("dn", d(2026, 12, 1), None);
        assert_eq!(
            check_single_employment([(&centre, hn)], &new, dn),
            Err(SecondEmployer)
        );
        assert_eq!(
            check_single_employment([(&centre, hn)], &new, hn),
            Ok(()),
            "two posts in one province"
        );
        let left = job("hn", d(2021, 1, 1), Some(d(2026, 12, 1)));
        assert_eq!(
            check_single_employment([(&left, hn)], &new, dn),
            Ok(()),
            "moved: ended the day it began"
        );
        let later = job("hn", d(2027, 1, 1), None);
        let earlier = job("dn", d(2020, 1, 1), Some(d(2027, 1, 2)));
        assert_eq!(
            check_single_employment([(&later, hn)], &earlier, dn),
            Err(SecondEmployer)
        );
    }

    #[test]
    fn nobody_works_before_being_of_age() {
        let born = Some(d(2010, 1, 1));
        assert!(check_of_age_for_work(born, Some(d(2030, 1, 1)), "valid_from").is_ok());
        assert!(check_of_age_for_work(born, Some(d(2028, 1, 1)), "valid_from").is_ok());
        let refused =
            check_of_age_for_work(born, Some(d(2005, 1, 1)), "date_of_birth").unwrap_err();
        assert_eq!(
            (refused.field.as_str(), refused.code),
            ("date_of_birth", "before_birth")
        );
        let refused = check_of_age_for_work(born, Some(d(2027, 12, 31)), "valid_from").unwrap_err();
        assert_eq!(
            (refused.field.as_str(), refused.code),
            ("valid_from", "under_age")
        );
        assert!(check_of_age_for_work(None, Some(d(2005, 1, 1)), "valid_from").is_ok());
    }

    #[test]
    fn officers_and_lawyers_hold_a_law_degree() {
        let today = d(2026, 6, 1);
        let check = |kind, qualification| {
            check_person_details(
                Some(kind),
                qualification,
                Some("LS-1").filter(|_| kind == ProviderKind::Lawyer),
                None,
                today,
            )
        };
        for kind in [ProviderKind::LegalAidOfficer, ProviderKind::Lawyer] {
            assert_eq!(check(kind, Some(Qualification::LawDegreeOrHigher)), Ok(()));
            assert_eq!(check(kind, None), Ok(()), "not recorded");
            for other in [Qualification::OtherDegree, Qualification::NoDegree] {
                assert_eq!(
                    check(kind, Some(other)),
                    Err(PersonDetailsError::LawDegreeRequired)
                );
            }
        }
        assert_eq!(
            check(ProviderKind::Collaborator, Some(Qualification::NoDegree)),
            Ok(())
        );
    }

    #[test]
    fn only_lawyers_carry_a_lawyers_card_and_every_lawyer_does() {
        let today = d(2026, 6, 1);
        let lawyer = Some(ProviderKind::Lawyer);
        let officer = Some(ProviderKind::LegalAidOfficer);
        let check = |kind, card, born| check_person_details(kind, None, card, born, today);
        assert_eq!(check(lawyer, Some("LS-1"), None), Ok(()));
        assert_eq!(check(officer, None, Some(d(1990, 1, 1))), Ok(()));
        assert_eq!(check(None, None, None), Ok(()));
        assert_eq!(
            check(officer, Some("LS-1"), None),
            Err(PersonDetailsError::NotALawyer)
        );
        assert_eq!(
            check(None, Some("LS-1"), None),
            Err(PersonDetailsError::NotALawyer)
        );
        assert_eq!(
            check(lawyer, None, None),
            Err(PersonDetailsError::LawyerCardRequired)
        );
        assert_eq!(
            check(lawyer, Some("  "), None),
            Err(PersonDetailsError::LawyerCardRequired)
        );
        assert_eq!(
            check(officer, None, Some(today)),
            Err(PersonDetailsError::BornInFuture)
        );
        assert_eq!(
            check(officer, None, Some(d(1899, 12, 31))),
            Err(PersonDetailsError::BornTooEarly)
        );
        assert_eq!(check(officer, None, Some(d(1900, 1, 1))), Ok(()));
    }
}
