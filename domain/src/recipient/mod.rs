//! People who receive legal aid (người được trợ giúp pháp lý): identity, the proofs of
//! their categories, and which category the statistics count them under.

mod dates;

pub use dates::{check_after_birth, check_born_before_record, NewProof};

use chrono::{Datelike, NaiveDate};

use crate::reference::{EthnicGroup, Gender, RecipientCategory};
use crate::refusal::{FieldRefusal, Refusal};
use crate::time::age_on;
use crate::vocabulary;

vocabulary! {
    /// How a person's data was read, as the access log of personal data records it
    /// (Decree 13/2023/NĐ-CP on the protection of personal data).
    pub enum DataAccess {
        Read = "read" { vi: "Xem hồ sơ", en: "Record read" },
        List = "list" { vi: "Xem trong danh sách", en: "Listed" },
        DuplicateCheck = "duplicate_check" { vi: "Kiểm tra trùng khi tạo hồ sơ", en: "Duplicate check" },
        Create = "create" { vi: "Tạo hồ sơ", en: "Record created" },
        CaseSearch = "case_search" { vi: "Tìm vụ việc theo tên người được trợ giúp", en: "Cases searched by the person's name" },
        Attachment = "attachment" { vi: "Tải tài liệu của vụ việc", en: "Case document downloaded" },
        Dossier = "dossier" { vi: "Xem hồ sơ trực tuyến", en: "Online dossier read" },
        DossierDocument = "dossier_document" { vi: "Tải tài liệu của hồ sơ trực tuyến", en: "Online dossier document downloaded" },
        DossierLink = "dossier_link" { vi: "Gắn với hồ sơ trực tuyến", en: "Linked to an online dossier" },
    }
}

/// Số định danh cá nhân / căn cước công dân: 12 digits. The first three are the code of the
/// province where the birth was registered, the fourth encodes gender and century, the
/// next two the last digits of the year of birth (Circular 07/2016/TT-BCA art. 7).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CitizenId(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CitizenIdError {
    /// Not exactly 12 digits.
    Format,
    /// The first three digits are not a province code.
    Province,
    /// Gender or year of birth disagree with what the number encodes.
    Inconsistent,
    /// The fourth digit encodes a birth after 2099.
    Century,
}

/// Province codes of the citizen ID (the 63 provinces as numbered before 2025).
const PROVINCE_CODES: [u16; 63] = [
    1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37,
    38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77,
    79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
];

impl CitizenId {
    /// Accepts 12 digits (spaces and dots between groups are ignored) with a known province
    /// code.
    pub fn parse(raw: &str) -> Result<Self, CitizenIdError> {
        let digits: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '.')
            .collect();
        if digits.len() != 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CitizenIdError::Format);
        }
        let province: u16 = digits[..3].parse().map_err(|_| CitizenIdError::Format)?;
        if !PROVINCE_CODES.contains(&province) {
            return Err(CitizenIdError::Province);
        }
        // 0–3 encode births in 1900–2099; 4–9 the centuries after (Circular 07/2016).
        if digits.as_bytes()[3] > b'3' {
            return Err(CitizenIdError::Century);
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The gender and the century of birth the number encodes: 0/1 male/female born
    /// 1900–1999, 2/3 born 2000–2099 (parsing refuses the later centuries).
    fn encoded(&self) -> (Gender, i32) {
        let digit = i32::from(self.0.as_bytes()[3] - b'0');
        let gender = if digit % 2 == 0 {
            Gender::Male
        } else {
            Gender::Female
        };
        let century = 1900 + 100 * (digit / 2);
        let year_digits: i32 = self.0[4..6].parse().unwrap_or(0);
        (gender, century + year_digits)
    }

    /// Checks the number against the person's gender and date of birth, where known.
    pub fn check_against(
        &self,
        gender: Option<Gender>,
        date_of_birth: Option<NaiveDate>,
    ) -> Result<(), CitizenIdError> {
        let (encoded_gender, encoded_year) = self.encoded();
        if gender.is_some_and(|g| g != encoded_gender)
            || date_of_birth.is_some_and(|d| d.year() != encoded_year)
        {
            return Err(CitizenIdError::Inconsistent);
        }
        Ok(())
    }

    /// The number with all but the last three digits hidden, for warnings and lists.
    pub fn masked(&self) -> String {
        format!("*********{}", &self.0[9..])
    }
}

impl Refusal for CitizenIdError {
    fn field_refusal(&self) -> FieldRefusal {
        let (code, vi, en) = match self {
            Self::Format => (
                "invalid_format",
                "Số định danh cá nhân gồm đúng 12 chữ số.",
                "A citizen ID is exactly 12 digits.",
            ),
            Self::Province => (
                "unknown_province",
                "Ba chữ số đầu không phải mã tỉnh nơi đăng ký khai sinh.",
                "The first three digits are not a province code.",
            ),
            Self::Century => (
                "invalid_century",
                "Chữ số thứ tư phải từ 0 đến 3 (người sinh từ năm 1900 đến 2099).",
                "The fourth digit is 0 to 3 (births from 1900 to 2099).",
            ),
            Self::Inconsistent => (
                "inconsistent",
                "Số định danh không khớp với giới tính hoặc năm sinh đã nhập.",
                "The citizen ID does not match the gender or year of birth given.",
            ),
        };
        FieldRefusal::new("citizen_id", code, vi, en)
    }
}

/// Why a person's identity fields do not agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityError {
    /// A date of birth after today.
    BornInFuture,
    /// A date of birth before [`crate::time::EARLIEST_BIRTH`].
    BornTooEarly,
    CitizenId(CitizenIdError),
}

/// Checks a recipient's identity fields together, on `today`: the date of birth is not in
/// the future nor before 1900, and a citizen ID, when given, is well formed and agrees with the gender and
/// year of birth given. Answers the normalised ID.
pub fn check_identity(
    citizen_id: Option<&str>,
    gender: Option<Gender>,
    date_of_birth: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Option<CitizenId>, IdentityError> {
    if date_of_birth.is_some_and(|d| d > today) {
        return Err(IdentityError::BornInFuture);
    }
    if date_of_birth.is_some_and(|d| d < crate::time::EARLIEST_BIRTH) {
        return Err(IdentityError::BornTooEarly);
    }
    let Some(raw) = citizen_id else {
        return Ok(None);
    };
    let id = CitizenId::parse(raw).map_err(IdentityError::CitizenId)?;
    id.check_against(gender, date_of_birth)
        .map_err(IdentityError::CitizenId)?;
    Ok(Some(id))
}

impl Refusal for IdentityError {
    fn field_refusal(&self) -> FieldRefusal {
        match self {
            Self::BornInFuture => FieldRefusal::new(
                "date_of_birth",
                "in_future",
                "Ngày sinh không thể ở tương lai.",
                "The date of birth cannot be in the future.",
            ),
            Self::BornTooEarly => crate::refusal::born_too_early(),
            Self::CitizenId(e) => e.field_refusal(),
        }
    }
}

/// Refuses a category the person's age rules out on `on`: a child is under 16 (Law on
/// Children 2016 art. 1), the accused and the victims of art. 7(2)(c) and (d) of the Law on
/// Legal Aid are 16 to under 18, the elderly are 60 or more (Law on the Elderly 2009 art. 2).
/// The other categories have no age.
pub fn check_category_age(
    category: RecipientCategory,
    date_of_birth: NaiveDate,
    on: NaiveDate,
) -> Option<FieldRefusal> {
    let age = age_on(date_of_birth, on);
    let (fits, vi, en) = match category {
        RecipientCategory::Child => (
            age < 16,
            "Trẻ em là người dưới 16 tuổi.",
            "A child is under 16.",
        ),
        RecipientCategory::Accused16To18 | RecipientCategory::Victim16To18 => (
            (16..18).contains(&age),
            "Diện này là người từ đủ 16 tuổi đến dưới 18 tuổi.",
            "This category is aged 16 to under 18.",
        ),
        RecipientCategory::Elderly => (
            age >= 60,
            "Người cao tuổi là người từ đủ 60 tuổi trở lên.",
            "An elderly person is 60 or older.",
        ),
        _ => (true, "", ""),
    };
    (!fits).then(|| FieldRefusal::new("category", "age_mismatch", vi, en))
}

/// Whether a person of `ethnicity` (when known) can be of `category`: the category of art.
/// 7(4) of the Law on Legal Aid 2017 is for people of an ethnic minority living in an area
/// of extreme hardship, never for the Kinh majority. An unknown group rules out nothing.
fn fits_ethnicity(category: RecipientCategory, ethnicity: Option<EthnicGroup>) -> bool {
    category != RecipientCategory::EthnicMinorityHardshipArea
        || ethnicity.is_none_or(EthnicGroup::is_minority)
}

/// Refuses a proof of a category the person's ethnic group rules out ([`fits_ethnicity`]).
pub fn check_category_ethnicity(
    category: RecipientCategory,
    ethnicity: Option<EthnicGroup>,
) -> Option<FieldRefusal> {
    (!fits_ethnicity(category, ethnicity)).then(|| {
        FieldRefusal::new(
            "category",
            "ethnicity_mismatch",
            "Diện này là người dân tộc thiểu số; người được trợ giúp được ghi là dân tộc Kinh.",
            "This category is for ethnic minorities; the person is recorded as Kinh.",
        )
    })
}

/// Refuses a change of the person's ethnic group that a category already proven rules out
/// ([`fits_ethnicity`]): the proof would no longer be of them.
pub fn check_ethnicity_keeps_proofs(
    ethnicity: Option<EthnicGroup>,
    proven: impl IntoIterator<Item = RecipientCategory>,
) -> Result<(), FieldRefusal> {
    if proven.into_iter().all(|c| fits_ethnicity(c, ethnicity)) {
        return Ok(());
    }
    Err(FieldRefusal::new(
        "ethnicity",
        "category_proven",
        "Người này có giấy tờ chứng minh diện người dân tộc thiểu số; không thể ghi là dân tộc Kinh.",
        "This person has a proof of an ethnic minority category; they cannot be recorded as Kinh.",
    ))
}

vocabulary! {
    /// What a proof document proves.
    pub enum ProofKind {
        Status = "status" { vi: "Giấy tờ chứng minh thuộc diện người được trợ giúp pháp lý", en: "Proof of the category" },
        FinancialHardship = "financial_hardship" { vi: "Giấy tờ chứng minh khó khăn về tài chính", en: "Proof of financial difficulty" },
    }
}

/// One proof document, as far as the category decision needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proof {
    pub kind: ProofKind,
    /// The category a status proof proves; `None` for a proof of financial difficulty,
    /// which serves every category that needs one.
    pub category: Option<RecipientCategory>,
    /// When the person provided it.
    pub provided_on: NaiveDate,
}

/// Every category the proofs establish, each with the day it was proven, in the order of
/// art. 7 of the Law. A category that needs financial difficulty is proven only from the day
/// both its status proof and a proof of hardship had been provided.
pub fn proven_categories(proofs: &[Proof]) -> Vec<(RecipientCategory, NaiveDate)> {
    let first_hardship = proofs
        .iter()
        .filter(|p| p.kind == ProofKind::FinancialHardship)
        .map(|p| p.provided_on)
        .min();
    <RecipientCategory as crate::label::Vocabulary>::ALL
        .iter()
        .filter_map(|category| {
            let status = proofs
                .iter()
                .filter(|p| p.kind == ProofKind::Status && p.category == Some(*category))
                .map(|p| p.provided_on)
                .min()?;
            let day = if category.requires_financial_difficulty() {
                status.max(first_hardship?)
            } else {
                status
            };
            Some((*category, day))
        })
        .collect()
}

/// The category the statistics count a person under: the one whose proof was provided
/// first (notes to form 3). Ties go to the category listed first in art. 7 of the Law.
/// `None` while no category is proven.
pub fn statistical_category(proofs: &[Proof]) -> Option<(RecipientCategory, NaiveDate)> {
    // `min_by_key` keeps the first of equal days, which is the first in art. 7.
    proven_categories(proofs)
        .into_iter()
        .min_by_key(|(_, day)| *day)
}

/// The key under which names are compared for duplicates: folded, so that "NGUYỄN VĂN A"
/// and "nguyen van a" match.
pub fn name_key(full_name: &str) -> String {
    crate::text::fold(full_name)
}

/// What tells one person from another when a request names someone already recorded: the
/// citizen ID, the name and the date of birth, each when known.
#[derive(Debug, Clone, Copy)]
pub struct Identifying<'a> {
    pub citizen_id: Option<&'a str>,
    pub full_name: &'a str,
    pub date_of_birth: Option<NaiveDate>,
}

impl Identifying<'_> {
    /// Whether `other` may be the same person, as the duplicate check finds candidates: the
    /// same citizen ID where both have one (two IDs are two people); otherwise the same name
    /// ([`name_key`]) and date of birth. A request links an existing record only for such a
    /// candidate, never for someone else.
    pub fn may_be(&self, other: &Identifying<'_>) -> bool {
        match (self.citizen_id, other.citizen_id) {
            (Some(a), Some(b)) => a == b,
            _ => {
                self.date_of_birth.is_some()
                    && self.date_of_birth == other.date_of_birth
                    && name_key(self.full_name) == name_key(other.full_name)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RecipientCategory::*;

    #[test]
    fn a_record_is_linked_only_to_the_person_it_may_be() {
        let born = NaiveDate::from_ymd_opt(1985, 3, 2);
        let named = Identifying {
            citizen_id: Some("001085012345"),
            full_name: "Nguyễn Văn An",
            date_of_birth: born,
        };
        let same_id = Identifying {
            full_name: "Nguyen Van Anh",
            ..named
        };
        assert!(named.may_be(&same_id), "the citizen ID decides");
        let other_id = Identifying {
            citizen_id: Some("001085099999"),
            ..named
        };
        assert!(!named.may_be(&other_id), "two IDs are two people");
        let no_id = Identifying {
            citizen_id: None,
            full_name: "NGUYỄN VĂN AN",
            ..named
        };
        assert!(named.may_be(&no_id), "the same name and birth");
        let someone_else = Identifying {
            full_name: "Trần Thị Bình",
            ..no_id
        };
        assert!(!named.may_be(&someone_else));
        let unknown_birth = Identifying {
            date_of_birth: None,
            ..no_id
        };
        assert!(!unknown_birth.may_be(&no_id), "a name alone is not enough");
    }

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn the_ethnic_minority_category_is_never_a_kinh_persons() {
        let area = EthnicMinorityHardshipArea;
        assert_eq!(
            check_category_ethnicity(area, Some(EthnicGroup::Kinh)).map(|r| r.code),
            Some("ethnicity_mismatch")
        );
        assert!(check_category_ethnicity(area, Some(EthnicGroup::Tay)).is_none());
        assert!(
            check_category_ethnicity(area, None).is_none(),
            "not recorded"
        );
        assert!(check_category_ethnicity(PoorHousehold, Some(EthnicGroup::Kinh)).is_none());
        assert_eq!(
            check_ethnicity_keeps_proofs(Some(EthnicGroup::Kinh), [PoorHousehold, area])
                .map_err(|r| (r.field, r.code)),
            Err(("ethnicity".to_owned(), "category_proven"))
        );
        assert!(check_ethnicity_keeps_proofs(Some(EthnicGroup::Kinh), [PoorHousehold]).is_ok());
        assert!(check_ethnicity_keeps_proofs(None, [area]).is_ok());
    }

    fn status(category: RecipientCategory, provided_on: NaiveDate) -> Proof {
        Proof {
            kind: ProofKind::Status,
            category: Some(category),
            provided_on,
        }
    }

    fn hardship(provided_on: NaiveDate) -> Proof {
        Proof {
            kind: ProofKind::FinancialHardship,
            category: None,
            provided_on,
        }
    }

    #[test]
    fn citizen_ids_are_twelve_digits_with_a_province_code() {
        assert_eq!(
            CitizenId::parse("001 099 012 345").unwrap().as_str(),
            "001099012345"
        );
        assert_eq!(CitizenId::parse("00109901234"), Err(CitizenIdError::Format));
        assert_eq!(
            CitizenId::parse("00109901234x"),
            Err(CitizenIdError::Format)
        );
        assert_eq!(
            CitizenId::parse("003099012345"),
            Err(CitizenIdError::Province)
        );
        assert_eq!(
            CitizenId::parse("097099012345"),
            Err(CitizenIdError::Province)
        );
        assert_eq!(
            CitizenId::parse("001499012345"),
            Err(CitizenIdError::Century)
        );
        assert_eq!(
            CitizenId::parse("001899012345"),
            Err(CitizenIdError::Century)
        );
        assert_eq!(
            CitizenId::parse("001099012345").unwrap().masked(),
            "*********345"
        );
    }

    #[test]
    fn citizen_ids_encode_gender_and_year_of_birth() {
        let id = CitizenId::parse("001305012345").unwrap(); // female, born 2005
        let born = |y| NaiveDate::from_ymd_opt(y, 3, 1);
        assert_eq!(id.check_against(Some(Gender::Female), born(2005)), Ok(()));
        assert_eq!(id.check_against(None, None), Ok(()));
        assert_eq!(
            id.check_against(Some(Gender::Male), born(2005)),
            Err(CitizenIdError::Inconsistent)
        );
        assert_eq!(
            id.check_against(Some(Gender::Female), born(1905)),
            Err(CitizenIdError::Inconsistent)
        );
        let old = CitizenId::parse("079048000001").unwrap(); // male, born 1948
        assert_eq!(old.check_against(Some(Gender::Male), born(1948)), Ok(()));
    }

    #[test]
    fn the_first_proven_category_counts() {
        assert_eq!(statistical_category(&[]), None);
        let proofs = [status(Child, d(3, 10)), status(PoorHousehold, d(3, 2))];
        assert_eq!(
            statistical_category(&proofs),
            Some((PoorHousehold, d(3, 2)))
        );
    }

    #[test]
    fn financial_difficulty_categories_count_from_the_second_proof() {
        // Elderly status proved first, hardship only later: a child status proof in between wins.
        let proofs = [
            status(Elderly, d(3, 1)),
            status(Child, d(3, 5)),
            hardship(d(3, 9)),
        ];
        assert_eq!(statistical_category(&proofs), Some((Child, d(3, 5))));
        // Without any hardship proof, a financial-difficulty category never counts.
        assert_eq!(statistical_category(&[status(Disabled, d(3, 1))]), None);
        // Hardship first, status later: counts from the status proof.
        let proofs = [
            hardship(d(2, 1)),
            status(Hiv, d(3, 3)),
            status(Child, d(3, 4)),
        ];
        assert_eq!(statistical_category(&proofs), Some((Hiv, d(3, 3))));
    }

    #[test]
    fn ties_go_to_the_order_of_the_law() {
        let proofs = [status(Child, d(3, 1)), status(Meritorious, d(3, 1))];
        assert_eq!(statistical_category(&proofs), Some((Meritorious, d(3, 1))));
    }

    #[test]
    fn categories_with_an_age_need_a_person_of_that_age() {
        let born = NaiveDate::from_ymd_opt(2010, 3, 15).unwrap();
        let on = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(age_on(born, on(2026, 3, 14)), 15);
        assert_eq!(age_on(born, on(2026, 3, 15)), 16);
        assert!(check_category_age(Child, born, on(2026, 3, 14)).is_none());
        assert_eq!(
            check_category_age(Child, born, on(2026, 3, 15)).map(|r| r.code),
            Some("age_mismatch")
        );
        assert!(
            check_category_age(RecipientCategory::Accused16To18, born, on(2026, 3, 15)).is_none()
        );
        assert!(check_category_age(Elderly, born, on(2026, 3, 15)).is_some());
        assert!(check_category_age(Elderly, on(1960, 1, 1), on(2026, 3, 15)).is_none());
        assert!(check_category_age(PoorHousehold, born, on(2026, 3, 15)).is_none());
    }

    #[test]
    fn names_compare_without_diacritics_or_case() {
        assert_eq!(name_key("NGUYỄN  Văn A"), name_key("nguyen van a"));
    }

    #[test]
    fn identity_fields_are_checked_together() {
        let today = d(6, 1);
        let born = NaiveDate::from_ymd_opt(1990, 5, 4);
        // 001 (Hà Nội), 0 = male born 1900–1999, 90 = 1990.
        assert_eq!(
            check_identity(Some("001 090 012345"), Some(Gender::Male), born, today)
                .map(|id| id.map(|id| id.as_str().to_owned())),
            Ok(Some("001090012345".to_owned()))
        );
        assert_eq!(check_identity(None, None, None, today), Ok(None));
        assert_eq!(
            check_identity(None, None, Some(today.succ_opt().unwrap()), today),
            Err(IdentityError::BornInFuture)
        );
        // Before 1900: a slip of the keyboard.
        let first = crate::time::EARLIEST_BIRTH;
        assert_eq!(check_identity(None, None, Some(first), today), Ok(None));
        assert_eq!(
            check_identity(None, None, first.pred_opt(), today),
            Err(IdentityError::BornTooEarly)
        );
        assert_eq!(
            check_identity(Some("001090012345"), Some(Gender::Female), born, today),
            Err(IdentityError::CitizenId(CitizenIdError::Inconsistent))
        );
        let refusal = IdentityError::CitizenId(CitizenIdError::Format).field_refusal();
        assert_eq!(
            (refusal.field.as_str(), refusal.code),
            ("citizen_id", "invalid_format")
        );
    }
}
