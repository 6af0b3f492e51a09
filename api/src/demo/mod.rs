//! Demo data: organizations of three provinces and one account per role
//! (`tgpl seed-demo`, `tgpl serve --demo`). Idempotent: what exists is left alone.

use chrono::NaiveDate;
use tgpl_domain::audit::AuditAction;
use tgpl_domain::credentials::Username;
use tgpl_domain::organization::{
    OrganizationKind, ParticipationMode, ParticipationScope, ParticipationStatus,
};
use tgpl_domain::reference::{AidForm, Field, RecipientCategory};
use tgpl_domain::role::Role;
use tgpl_persistence::accounts;
use tgpl_persistence::audit::Actor;
use tgpl_persistence::column::{Code, Json};
use tgpl_persistence::organizations::OrganizationRow;
use tgpl_persistence::DbConnection;

use crate::bootstrap::{ensure_national, ensure_organization};
use crate::credentials::password;
use crate::routes::accounts::new_account;

mod cases;
mod dossiers;
mod people;
mod reports;
mod reviews;

/// The password of every demo person. Demo mode only.
pub const DEMO_PASSWORD: &str = "TroGiup@2026";
pub const PORTAL_CLIENT: (&str, &str) = ("dvc-portal", "demo-portal-secret-2026");
pub const STATISTICS_CLIENT: (&str, &str) = ("thong-ke", "demo-statistics-secret-2026");

/// (code suffix, username suffix, province code, province name)
const PROVINCES: [(&str, &str, &str, &str); 3] = [
    ("HN", "hn", "ha_noi", "thành phố Hà Nội"),
    ("DN", "dn", "da_nang", "thành phố Đà Nẵng"),
    ("HCM", "hcm", "ho_chi_minh", "Thành phố Hồ Chí Minh"),
];

/// One demo login, as the README and `serve --demo` list them.
pub struct DemoLogin {
    pub username: String,
    pub role: Role,
    pub organization_code: String,
}

fn org(code: String, name: String, kind: OrganizationKind, province: &str) -> OrganizationRow {
    OrganizationRow::new(code, name, kind, Some(province.to_owned()))
}

fn participating(
    mut row: OrganizationRow,
    mode: ParticipationMode,
    certificate: Option<String>,
) -> OrganizationRow {
    let scope = ParticipationScope {
        forms: vec![AidForm::Litigation, AidForm::Counselling],
        fields: vec![Field::Criminal, Field::Civil, Field::MarriageFamily],
        beneficiaries: vec![RecipientCategory::PoorHousehold, RecipientCategory::Child],
    };
    row.participation_mode = Some(Code(mode));
    row.certificate_number = certificate;
    row.participation_scope = Some(Json(scope));
    row.participation_valid_from = NaiveDate::from_ymd_opt(2024, 1, 1);
    row.participation_valid_to = NaiveDate::from_ymd_opt(2028, 12, 31);
    row.participation_status = Some(Code(ParticipationStatus::Active));
    row
}

/// Seeds the demo data and returns the logins it guarantees.
pub fn seed(conn: &mut DbConnection) -> Result<Vec<DemoLogin>, String> {
    let actor = Actor::system("seed-demo");
    crate::bootstrap::check_own_database(conn, &actor)?;
    let agency = ensure_national(conn, &actor)?;
    let stats = ensure_organization(
        conn,
        &actor,
        OrganizationRow::new(
            "TCTK".into(),
            "Cục Thống kê".into(),
            OrganizationKind::StatisticsOffice,
            None,
        ),
        None,
    )?;
    // Every demo person shares one password, so one hash serves them all.
    let person_hash = password::hash(DEMO_PASSWORD).map_err(|e| e.to_string())?;
    let mut logins = Vec::new();
    let mut account = |conn: &mut DbConnection,
                       username: &str,
                       name: &str,
                       role: Role,
                       org: &OrganizationRow,
                       secret: Option<&str>|
     -> Result<(), String> {
        logins.push(DemoLogin {
            username: username.to_owned(),
            role,
            organization_code: org.code.clone(),
        });
        if accounts::find_by_username(conn, username)
            .map_err(|e| e.to_string())?
            .is_some()
        {
            return Ok(());
        }
        let parsed = Username::parse(username).map_err(|e| format!("{username}: {e:?}"))?;
        let hash = match secret {
            Some(s) => password::hash(s).map_err(|e| e.to_string())?,
            None => person_hash.clone(),
        };
        let row = new_account(&parsed, name, role, &org.id, hash);
        let action = if role.is_service() {
            AuditAction::ServiceClientCreate
        } else {
            AuditAction::AccountCreate
        };
        accounts::insert(conn, &actor, action, &row).map_err(|e| e.to_string())
    };
    account(
        conn,
        "admin",
        "Quản trị Trung tâm Thông tin, dữ liệu TGPL",
        Role::DataCenterAdmin,
        &agency,
        None,
    )?;
    account(
        conn,
        "cuc.xem",
        "Cán bộ Cục Trợ giúp pháp lý",
        Role::AgencyViewer,
        &agency,
        None,
    )?;
    account(
        conn,
        PORTAL_CLIENT.0,
        "Cổng Dịch vụ công quốc gia",
        Role::Portal,
        &agency,
        Some(PORTAL_CLIENT.1),
    )?;
    account(
        conn,
        STATISTICS_CLIENT.0,
        "Cục Thống kê",
        Role::StatisticsOffice,
        &stats,
        Some(STATISTICS_CLIENT.1),
    )?;

    for (code, user, province, province_name) in PROVINCES {
        let department = ensure_organization(
            conn,
            &actor,
            org(
                format!("STP-{code}"),
                format!("Sở Tư pháp {province_name}"),
                OrganizationKind::Department,
                province,
            ),
            Some(&agency.id),
        )?;
        let center = ensure_organization(
            conn,
            &actor,
            org(
                format!("TTTGPL-{code}"),
                format!("Trung tâm Trợ giúp pháp lý nhà nước {province_name}"),
                OrganizationKind::Center,
                province,
            ),
            Some(&department.id),
        )?;
        let branch = ensure_organization(
            conn,
            &actor,
            org(
                format!("TTTGPL-{code}-CN1"),
                format!("Chi nhánh số 1, Trung tâm TGPL nhà nước {province_name}"),
                OrganizationKind::Branch,
                province,
            ),
            Some(&center.id),
        )?;
        let firm = ensure_organization(
            conn,
            &actor,
            participating(
                org(
                    format!("CTL-{code}"),
                    format!("Công ty Luật Công Minh {province_name}"),
                    OrganizationKind::LawFirm,
                    province,
                ),
                ParticipationMode::Contract,
                None,
            ),
            Some(&department.id),
        )?;
        ensure_organization(
            conn,
            &actor,
            participating(
                org(
                    format!("TTTV-{code}"),
                    format!("Trung tâm Tư vấn pháp luật {province_name}"),
                    OrganizationKind::CounsellingCenter,
                    province,
                ),
                ParticipationMode::Registration,
                Some(format!("01/2024/GĐK-STP-{code}")),
            ),
            Some(&department.id),
        )?;
        account(
            conn,
            &format!("stp.{user}"),
            "Chuyên viên Sở Tư pháp",
            Role::DepartmentOfficer,
            &department,
            None,
        )?;
        account(
            conn,
            &format!("gd.{user}"),
            "Giám đốc Trung tâm",
            Role::CenterLeader,
            &center,
            None,
        )?;
        account(
            conn,
            &format!("cn1.{user}"),
            "Trưởng Chi nhánh số 1",
            Role::CenterLeader,
            &branch,
            None,
        )?;
        account(
            conn,
            &format!("tgv.{user}"),
            "Trợ giúp viên pháp lý",
            Role::LegalAidOfficer,
            &center,
            None,
        )?;
        account(
            conn,
            &format!("chung.{user}"),
            "Tài khoản dùng chung của Trung tâm",
            Role::CenterShared,
            &center,
            None,
        )?;
        account(
            conn,
            &format!("ls.{user}"),
            "Luật sư ký hợp đồng",
            Role::ContractedLawyer,
            &center,
            None,
        )?;
        account(
            conn,
            &format!("ctl.{user}"),
            "Công ty Luật Công Minh",
            Role::ParticipantReporter,
            &firm,
            None,
        )?;
        people::seed(conn, &actor, citizen_id_prefix(province), &center, &firm)?;
    }
    // Cases come once every centre exists: each transfers one case to the next province.
    // Which centres to seed is decided first, as a transfer gives the next one a case.
    let centers: Vec<OrganizationRow> = PROVINCES
        .iter()
        .filter_map(|(code, ..)| {
            tgpl_persistence::organizations::get_by_code(conn, &format!("TTTGPL-{code}"))
                .ok()
                .flatten()
        })
        .collect();
    let mut fresh = Vec::new();
    for center in &centers {
        fresh.push(cases::has_none(conn, center)?);
    }
    for (i, center) in centers.iter().enumerate() {
        if fresh[i] {
            cases::seed(conn, &actor, center, &centers[(i + 1) % centers.len()])?;
            reviews::seed(conn, &actor, center)?;
        }
    }
    if reports::has_none(conn)? {
        reports::seed(conn, &actor)?;
    }
    for (code, _, province, _) in PROVINCES {
        let by_code = |conn: &mut DbConnection, code: String| {
            tgpl_persistence::organizations::get_by_code(conn, &code)
                .map_err(|e| e.to_string())?
                .ok_or(format!("no demo organization {code}"))
        };
        let centre = by_code(conn, format!("TTTGPL-{code}"))?;
        let department = by_code(conn, format!("STP-{code}"))?;
        if dossiers::has_none(conn, &centre)? {
            dossiers::seed(
                conn,
                code,
                citizen_id_prefix(province),
                &centre,
                &department,
            )?;
        }
    }
    Ok(logins)
}

/// The citizen-ID province code of demo recipients born in each demo province.
fn citizen_id_prefix(province: &str) -> &'static str {
    match province {
        "ha_noi" => "001",
        "da_nang" => "048",
        _ => "079",
    }
}
