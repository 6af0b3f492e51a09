//! Legal aid organizations (tổ chức) and the rules of how they nest.

use crate::label::Vocabulary;
use crate::refusal::{FieldRefusal, Refusal};
use crate::vocabulary;

vocabulary! {
    pub enum OrganizationKind {
        Ministry = "ministry" { vi: "Bộ Tư pháp", en: "Ministry of Justice" },
        Agency = "agency" { vi: "Cục Trợ giúp pháp lý", en: "Legal Aid Agency" },
        Department = "department" { vi: "Sở Tư pháp", en: "Provincial Department of Justice" },
        Center = "center" { vi: "Trung tâm trợ giúp pháp lý nhà nước", en: "State legal aid centre" },
        Branch = "branch" { vi: "Chi nhánh của Trung tâm", en: "Branch of a legal aid centre" },
        Club = "club" { vi: "Câu lạc bộ trợ giúp pháp lý", en: "Legal aid club" },
        LawOffice = "law_office" { vi: "Văn phòng luật sư", en: "Law office" },
        LawFirm = "law_firm" { vi: "Công ty luật", en: "Law firm" },
        CounsellingCenter = "counselling_center" { vi: "Trung tâm tư vấn pháp luật", en: "Legal counselling centre" },
        StatisticsOffice = "statistics_office" { vi: "Cơ quan thống kê", en: "Statistics office" },
    }
}

impl OrganizationKind {
    /// The kinds an organization of this kind may hang under. Empty: it is a root.
    ///
    /// The tree follows the reporting chain of Circular 02/2011 art. 5: club → branch or
    /// centre → Department (with the participating organizations) → Agency → Ministry.
    /// Statistics offices only receive released figures and stand outside the tree.
    pub fn allowed_parents(self) -> &'static [OrganizationKind] {
        use OrganizationKind::*;
        match self {
            Ministry | StatisticsOffice => &[],
            Agency => &[Ministry],
            Department => &[Agency],
            Center => &[Department],
            Branch => &[Center],
            Club => &[Center, Branch],
            LawOffice | LawFirm | CounsellingCenter => &[Department],
        }
    }

    pub fn is_root(self) -> bool {
        self.allowed_parents().is_empty()
    }

    /// The state's own organizations that give legal aid, on the published list whenever
    /// active: the centres, their branches and the legal aid clubs. Participating
    /// organizations are listed only while their participation is in force.
    pub fn is_state_provider(self) -> bool {
        matches!(self, Self::Center | Self::Branch | Self::Club)
    }

    /// Organizations that take part in legal aid by contract or registration (Law 2017 art. 15–17).
    pub fn is_participating(self) -> bool {
        matches!(
            self,
            Self::LawOffice | Self::LawFirm | Self::CounsellingCenter
        )
    }

    /// Kinds that may name a province without having to: a statistics office is the
    /// General Statistics Office (none) or a province's statistics office (its province),
    /// Circular 02/2011 art. 6(4), 6(6).
    pub fn may_name_province(self) -> bool {
        self == Self::StatisticsOffice
    }

    /// Kinds that belong to one province and must name it.
    pub fn is_provincial(self) -> bool {
        !matches!(self, Self::Ministry | Self::Agency | Self::StatisticsOffice)
    }
}

vocabulary! {
    /// How a participating organization takes part in legal aid.
    pub enum ParticipationMode {
        Contract = "contract" { vi: "Ký hợp đồng thực hiện trợ giúp pháp lý", en: "By contract" },
        Registration = "registration" { vi: "Đăng ký tham gia trợ giúp pháp lý", en: "By registration" },
    }
}

vocabulary! {
    /// Where a registration or contract standing is in its life cycle.
    pub enum ParticipationStatus {
        Active = "active" { vi: "Đang tham gia", en: "In force" },
        Terminated = "terminated" { vi: "Đã chấm dứt", en: "Terminated" },
        Revoked = "revoked" { vi: "Đã bị thu hồi giấy chứng nhận", en: "Registration revoked" },
    }
}

vocabulary! {
    pub enum OrganizationStatus {
        Active = "active" { vi: "Đang hoạt động", en: "Active" },
        Inactive = "inactive" { vi: "Ngừng hoạt động", en: "Inactive" },
    }
}

/// What the rules need to know of an organization that a record points to: the centre a
/// case is transferred to, the centre a contract is signed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationFacts {
    pub kind: OrganizationKind,
    pub active: bool,
    /// `None` for national organizations.
    pub province_code: Option<String>,
}

impl OrganizationFacts {
    /// An active state legal aid centre (Trung tâm trợ giúp pháp lý nhà nước).
    pub fn is_active_centre(&self) -> bool {
        self.kind == OrganizationKind::Center && self.active
    }
}

/// Mã tổ chức: a short, stable, human-readable code, unique nationwide, such as `TTTGPL-HN`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrgCode(String);

/// Why a code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgCodeError {
    Length,
    Characters,
}

impl OrgCode {
    pub const MAX_LEN: usize = 32;

    /// Accepts 2 to 32 characters of upper-case ASCII letters, digits, `-`, `_` and `.`,
    /// starting with a letter or digit. Lower case is raised, surrounding space trimmed.
    pub fn parse(raw: &str) -> Result<Self, OrgCodeError> {
        let code = raw.trim().to_ascii_uppercase();
        if code.len() < 2 || code.len() > Self::MAX_LEN {
            return Err(OrgCodeError::Length);
        }
        let mut chars = code.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
        let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !(first_ok && rest_ok) {
            return Err(OrgCodeError::Characters);
        }
        Ok(Self(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// What a participating organization may do under its registration or contract.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ParticipationScope {
    pub forms: Vec<crate::reference::AidForm>,
    pub fields: Vec<crate::reference::Field>,
    pub beneficiaries: Vec<crate::reference::RecipientCategory>,
}

/// How a participating organization takes part: by contract with a centre (selected by the
/// Department) or by registration (with a certificate), for a scope and a validity period.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Participation {
    pub mode: ParticipationMode,
    pub certificate_number: Option<String>,
    pub scope: ParticipationScope,
    pub valid_from: chrono::NaiveDate,
    pub valid_to: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParticipationError {
    /// Only law offices, law firms and counselling centres take part this way.
    NotParticipatingKind,
    /// A registration is proven by its certificate (Law 2017 art. 17(2)).
    CertificateRequired,
    /// The validity must end after it starts.
    EndsBeforeStart,
}

impl Refusal for ParticipationError {
    fn field_refusal(&self) -> FieldRefusal {
        match self {
        Self::NotParticipatingKind => FieldRefusal::new(
            "participation",
            "not_participating_kind",
            "Chỉ văn phòng luật sư, công ty luật và trung tâm tư vấn pháp luật có thông tin tham gia trợ giúp pháp lý.",
            "Only law offices, law firms and counselling centres have participation details.",
        ),
        Self::CertificateRequired => FieldRefusal::new(
            "participation.certificate_number",
            "required",
            "Tham gia theo hình thức đăng ký cần số giấy chứng nhận đăng ký.",
            "Participation by registration needs the registration certificate number.",
        ),
        Self::EndsBeforeStart => crate::refusal::ends_before_start("participation.valid_to"),
            }
    }
}

/// Checks the participation details of an organization of `kind`.
pub fn check_participation(
    kind: OrganizationKind,
    p: &Participation,
) -> Result<(), ParticipationError> {
    if !kind.is_participating() {
        return Err(ParticipationError::NotParticipatingKind);
    }
    let has_certificate = p
        .certificate_number
        .as_deref()
        .is_some_and(|c| !c.trim().is_empty());
    if p.mode == ParticipationMode::Registration && !has_certificate {
        return Err(ParticipationError::CertificateRequired);
    }
    if p.valid_to.is_some_and(|to| to <= p.valid_from) {
        return Err(ParticipationError::EndsBeforeStart);
    }
    Ok(())
}

/// Checks that an organization of `kind` may hang under a parent of `parent_kind` (or be a
/// root when there is none).
pub fn check_parent(
    kind: OrganizationKind,
    parent_kind: Option<OrganizationKind>,
) -> Result<(), ParentError> {
    match parent_kind {
        None if kind.is_root() => Ok(()),
        None => Err(ParentError::ParentRequired {
            allowed: kind.allowed_parents(),
        }),
        Some(p) if kind.allowed_parents().contains(&p) => Ok(()),
        Some(_) if kind.is_root() => Err(ParentError::MustBeRoot),
        Some(_) => Err(ParentError::WrongParentKind {
            allowed: kind.allowed_parents(),
        }),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParentError {
    ParentRequired {
        allowed: &'static [OrganizationKind],
    },
    WrongParentKind {
        allowed: &'static [OrganizationKind],
    },
    MustBeRoot,
}

impl ParentError {
    /// The allowed parent kinds as codes, for messages.
    pub fn allowed_codes(&self) -> Vec<&'static str> {
        match self {
            Self::ParentRequired { allowed } | Self::WrongParentKind { allowed } => {
                allowed.iter().map(|k| k.code()).collect()
            }
            Self::MustBeRoot => Vec::new(),
        }
    }
}

impl Refusal for ParentError {
    fn field_refusal(&self) -> FieldRefusal {
        let allowed = self.allowed_codes().join(", ");
        match self {
            Self::ParentRequired { .. } => FieldRefusal::new(
                "parent_id",
                "required",
                format!("Cần chọn đơn vị cấp trên thuộc loại: {allowed}."),
                format!("A parent of kind {allowed} is required."),
            ),
            Self::WrongParentKind { .. } => FieldRefusal::new(
                "parent_id",
                "wrong_parent_kind",
                format!("Đơn vị cấp trên phải thuộc loại: {allowed}."),
                format!("The parent must be of kind: {allowed}."),
            ),
            Self::MustBeRoot => FieldRefusal::new(
                "parent_id",
                "must_be_root",
                "Loại tổ chức này không có đơn vị cấp trên.",
                "Organizations of this kind have no parent.",
            ),
        }
    }
}

impl Refusal for OrgCodeError {
    fn field_refusal(&self) -> FieldRefusal {
        match self {
            Self::Length => FieldRefusal::new("code", "length", "Mã tổ chức dài từ 2 đến 32 ký tự.", "Codes are 2 to 32 characters long."),
            Self::Characters => FieldRefusal::new(
                "code",
                "invalid_format",
                "Mã tổ chức chỉ gồm chữ cái không dấu, chữ số và - _ . và bắt đầu bằng chữ cái hoặc chữ số.",
                "Codes contain only ASCII letters, digits and - _ . and start with a letter or digit.",
            ),
        }
    }
}

impl OrganizationStatus {
    /// An organization's status on `day`, of the first day it is out of operation
    /// (`deactivated_on`): active before it, inactive from it.
    pub fn on(deactivated_on: Option<chrono::NaiveDate>, day: chrono::NaiveDate) -> Self {
        if deactivated_on.is_some_and(|out| out <= day) {
            Self::Inactive
        } else {
            Self::Active
        }
    }
}

/// Checks `on`, the first day an organization is out of operation: not still to come (the
/// decision is recorded when it takes effect, so that the published lists and the cases it
/// may take are right every day until then), and not before `began`, its first day in the
/// hierarchy. Refused as `on`, code `out_of_range`.
pub fn check_deactivation_day(
    on: chrono::NaiveDate,
    began: Option<chrono::NaiveDate>,
    today: chrono::NaiveDate,
) -> Result<(), FieldRefusal> {
    if crate::time::day_in_range(on, began, today) {
        return Ok(());
    }
    Err(FieldRefusal::new(
        "on",
        "out_of_range",
        "Ngày ngừng hoạt động phải từ ngày tổ chức bắt đầu trong hệ thống đến hôm nay.",
        "The day it stops lies between the day the organization began and today.",
    ))
}

#[cfg(test)]
mod tests {

    #[test]
    fn an_organization_stops_between_its_beginning_and_today() {
        let d = |m, day| chrono::NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let (began, today) = (Some(d(3, 1)), d(12, 2));
        assert!(check_deactivation_day(d(11, 1), began, today).is_ok());
        assert!(check_deactivation_day(today, began, today).is_ok());
        assert_eq!(
            OrganizationStatus::on(Some(d(11, 1)), d(10, 31)),
            OrganizationStatus::Active
        );
        assert_eq!(
            OrganizationStatus::on(Some(d(11, 1)), d(11, 1)),
            OrganizationStatus::Inactive
        );
        assert_eq!(
            OrganizationStatus::on(None, d(11, 1)),
            OrganizationStatus::Active
        );
        for out in [d(2, 28), d(12, 3)] {
            assert_eq!(
                check_deactivation_day(out, began, today).unwrap_err().code,
                "out_of_range"
            );
        }
    }
    use super::*;
    use OrganizationKind::*;

    #[test]
    fn the_published_list_takes_state_providers_and_participants_only() {
        let state: Vec<_> = OrganizationKind::ALL
            .iter()
            .filter(|k| k.is_state_provider())
            .collect();
        let participating: Vec<_> = OrganizationKind::ALL
            .iter()
            .filter(|k| k.is_participating())
            .collect();
        assert_eq!(state, [&Center, &Branch, &Club]);
        assert_eq!(participating, [&LawOffice, &LawFirm, &CounsellingCenter]);
    }

    #[test]
    fn codes_are_normalised_and_checked() {
        assert_eq!(OrgCode::parse(" tttgpl-hn ").unwrap().as_str(), "TTTGPL-HN");
        assert_eq!(OrgCode::parse("X"), Err(OrgCodeError::Length));
        assert_eq!(OrgCode::parse("-AB"), Err(OrgCodeError::Characters));
        assert_eq!(OrgCode::parse("TT TGPL"), Err(OrgCodeError::Characters));
        assert_eq!(OrgCode::parse("TRUNG-TÂM"), Err(OrgCodeError::Characters));
        assert_eq!(OrgCode::parse(&"A".repeat(33)), Err(OrgCodeError::Length));
    }

    #[test]
    fn the_tree_follows_the_reporting_chain() {
        assert!(check_parent(Ministry, None).is_ok());
        assert!(check_parent(Agency, Some(Ministry)).is_ok());
        assert!(check_parent(Center, Some(Department)).is_ok());
        assert!(check_parent(Branch, Some(Center)).is_ok());
        assert!(check_parent(Club, Some(Branch)).is_ok());
        assert!(check_parent(LawFirm, Some(Department)).is_ok());
        assert!(check_parent(StatisticsOffice, None).is_ok());
        assert!(matches!(
            check_parent(Center, None),
            Err(ParentError::ParentRequired { .. })
        ));
        assert!(matches!(
            check_parent(Branch, Some(Department)),
            Err(ParentError::WrongParentKind { .. })
        ));
        assert_eq!(
            check_parent(Ministry, Some(Agency)),
            Err(ParentError::MustBeRoot)
        );
    }

    #[test]
    fn participation_rules() {
        let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 1, d).unwrap();
        let mut p = Participation {
            mode: ParticipationMode::Registration,
            certificate_number: Some("01/2026/GĐK-STP".into()),
            scope: ParticipationScope::default(),
            valid_from: day(1),
            valid_to: Some(day(31)),
        };
        assert_eq!(check_participation(LawFirm, &p), Ok(()));
        assert_eq!(
            check_participation(Center, &p),
            Err(ParticipationError::NotParticipatingKind)
        );
        p.certificate_number = Some("  ".into());
        assert_eq!(
            check_participation(LawFirm, &p),
            Err(ParticipationError::CertificateRequired)
        );
        p.mode = ParticipationMode::Contract;
        assert_eq!(check_participation(LawFirm, &p), Ok(()));
        p.valid_to = Some(day(1));
        assert_eq!(
            check_participation(LawFirm, &p),
            Err(ParticipationError::EndsBeforeStart)
        );
    }

    #[test]
    fn only_practices_and_counselling_centres_participate() {
        let participating: Vec<_> = OrganizationKind::ALL
            .iter()
            .filter(|k| k.is_participating())
            .collect();
        assert_eq!(
            participating,
            vec![&LawOffice, &LawFirm, &CounsellingCenter]
        );
    }
}
