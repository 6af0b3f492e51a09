//! Demo dossiers filed on the portal: in every status, for a centre and a Department of each
//! demo province, taken through the same steps the API takes.

use chrono::{Duration, Utc};
use serde_json::json;
use tgpl_domain::label::Vocabulary;
use tgpl_domain::portal::dossier::{Channel, DossierStep};
use tgpl_domain::portal::procedure::ProcedureKind;
use tgpl_persistence::audit::Actor;
use tgpl_persistence::organizations::OrganizationRow;
use tgpl_persistence::portal::reference;
use tgpl_persistence::DbConnection;

use crate::services::dossiers::{self, Filing};

/// Whether `organization` has no dossier yet.
pub fn has_none(conn: &mut DbConnection, organization: &OrganizationRow) -> Result<bool, String> {
    let filter = tgpl_persistence::portal::dossiers::DossierFilter {
        organizations: Some(vec![organization.id.clone()]),
        ..Default::default()
    };
    let page = tgpl_persistence::page::PageRequest { page: 1, size: 1 };
    tgpl_persistence::portal::dossiers::list(conn, &filter, page)
        .map(|p| p.items.is_empty())
        .map_err(|e| e.to_string())
}

/// (procedure, days ago received, channel, steps with their notes)
type Plan = (
    ProcedureKind,
    i64,
    Channel,
    &'static [(DossierStep, Option<&'static str>)],
);

const CENTRE: [Plan; 6] = [
    (ProcedureKind::LegalAidRequest, 0, Channel::Online, &[]),
    (
        ProcedureKind::LegalAidRequest,
        2,
        Channel::Online,
        &[(
            DossierStep::RequestSupplement,
            Some("Bổ sung bản sao Giấy chứng nhận hộ nghèo còn hiệu lực"),
        )],
    ),
    (
        ProcedureKind::ProviderChange,
        1,
        Channel::Online,
        &[(DossierStep::Accept, None)],
    ),
    (ProcedureKind::ProviderChange, 20, Channel::Counter, &[]),
    (
        ProcedureKind::ComplaintAtOrganization,
        9,
        Channel::Online,
        &[(
            DossierStep::Refuse,
            Some("Nội dung khiếu nại không thuộc thẩm quyền giải quyết của Trung tâm"),
        )],
    ),
    (
        ProcedureKind::ProviderChange,
        6,
        Channel::Post,
        &[
            (DossierStep::Accept, None),
            (
                DossierStep::Complete,
                Some("Đã cử Trợ giúp viên pháp lý khác thực hiện vụ việc"),
            ),
        ],
    ),
];

const DEPARTMENT: [Plan; 3] = [
    (
        ProcedureKind::ParticipationRegistration,
        3,
        Channel::Online,
        &[(DossierStep::Accept, None)],
    ),
    (
        ProcedureKind::CardReissue,
        12,
        Channel::Online,
        &[
            (DossierStep::Accept, None),
            (DossierStep::Complete, Some("Đã cấp lại thẻ cộng tác viên")),
        ],
    ),
    (
        ProcedureKind::ComplaintAtDepartment,
        4,
        Channel::Online,
        &[],
    ),
];

/// Files the demo dossiers of `centre` and `department`, `prefix` naming their codes
/// (`HN`), `citizen_prefix` the province digits of the applicants' citizen IDs.
pub fn seed(
    conn: &mut DbConnection,
    prefix: &str,
    citizen_prefix: &str,
    centre: &OrganizationRow,
    department: &OrganizationRow,
) -> Result<(), String> {
    let portal = Actor::system("seed-demo:portal");
    let handler = Actor::system("seed-demo");
    let calendar = reference::working_calendar(conn).map_err(|e| e.to_string())?;
    let procedures = reference::procedures(conn).map_err(|e| e.to_string())?;
    let plans = CENTRE
        .iter()
        .map(|p| (p, centre))
        .chain(DEPARTMENT.iter().map(|p| (p, department)));
    for (n, ((kind, days_ago, channel, steps), organization)) in plans.enumerate() {
        let procedure = procedures
            .iter()
            .find(|p| *p.kind == *kind && p.active)
            .ok_or("no procedure for a demo dossier")?;
        let received_at = Utc::now() - Duration::days(*days_ago) - Duration::hours(1);
        let citizen_id = format!("{citizen_prefix}1880{:05}", 10 + n);
        let legal_aid = (*kind == ProcedureKind::LegalAidRequest).then(|| {
            json!({
                "person": {"full_name": format!("Phạm Thị Demo {n}"), "citizen_id": citizen_id,
                    "gender": "female", "date_of_birth": "1988-01-15", "ethnicity": null,
                    "province_code": null, "address": null},
                "category": "poor_household",
                "proof": {"document_kind": "Giấy chứng nhận hộ nghèo", "document_number": format!("{n}/GCN"),
                    "issuer": null, "issued_on": null},
                "field": "land",
                "matter": "Tranh chấp quyền sử dụng đất với hộ liền kề",
                "relation": null
            })
            .to_string()
        });
        let filing = Filing {
            id: tgpl_persistence::new_id(),
            dossier_code: format!("DEMO-{prefix}-{:04}", n + 1),
            channel: *channel,
            applicant: json!({"kind": "person", "name": format!("Phạm Thị Demo {n}"), "citizen_id": citizen_id,
                "date_of_birth": "1988-01-15", "gender": "female", "registration_number": null, "address": null})
            .to_string(),
            contact: json!({"phone": "0900000000", "email": null, "address": null}).to_string(),
            legal_aid,
            summary: format!("{} (hồ sơ mẫu)", kind.label().vi),
            case_code: kind.concerns_a_case().then(|| format!("TTTGPL-{prefix}-2026-000001")),
            card_number: kind.concerns_a_card().then(|| format!("CTV-{prefix}-0001")),
            received_at,
        };
        let mut row = filing.received(procedure, organization, &calendar);
        dossiers::submit(conn, &portal, &row, &[]).map_err(|e| e.to_string())?;
        for (i, (step, note)) in steps.iter().enumerate() {
            let at = (received_at + Duration::hours(2 + 24 * i as i64)).naive_utc();
            row = dossiers::take(
                conn,
                &handler,
                &row,
                *step,
                note.map(str::to_owned),
                at,
                &calendar,
                |_| {},
            )
            .map_err(|e| format!("demo dossier step: {:?}", e.code))?;
        }
    }
    Ok(())
}
