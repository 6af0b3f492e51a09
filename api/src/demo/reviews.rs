//! Demo requests for review: in each centre, one answered in each of the two reporting years
//! the demo cases span, and one still waiting for its answer. Seeded with its centre's cases.

use chrono::NaiveDate;
use tgpl_domain::audit::AuditAction;
use tgpl_domain::case::ReviewKind;
use tgpl_domain::lifecycle::Step;
use tgpl_domain::review_request::ReviewStep;
use tgpl_persistence::audit::Actor;
use tgpl_persistence::column::Code;
use tgpl_persistence::organizations::OrganizationRow;
use tgpl_persistence::review_requests::{self, ReviewRow};
use tgpl_persistence::versioned::Versioned;
use tgpl_persistence::DbConnection;

const fn d(m: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(2026, m, day) {
        Some(date) => date,
        None => NaiveDate::MIN,
    }
}

/// (kind, addressee, content, sent on, answered on)
const PLAN: [(ReviewKind, &str, &str, NaiveDate, Option<NaiveDate>); 3] = [
    (
        ReviewKind::Legislation,
        "Bộ Tư pháp",
        "Kiến nghị sửa đổi quy định về giấy tờ chứng minh người thuộc hộ cận nghèo",
        d(3, 10),
        Some(d(4, 20)),
    ),
    (
        ReviewKind::CaseResolution,
        "Viện kiểm sát nhân dân khu vực 1",
        "Kiến nghị xem xét lại quyết định tạm giam đối với người được trợ giúp pháp lý",
        d(6, 5),
        Some(d(10, 14)),
    ),
    (
        ReviewKind::PublicDuty,
        "Ủy ban nhân dân phường",
        "Kiến nghị xem xét việc chậm giải quyết hồ sơ đất đai của người được trợ giúp pháp lý",
        d(10, 12),
        None,
    ),
];

pub fn seed(
    conn: &mut DbConnection,
    actor: &Actor,
    center: &OrganizationRow,
) -> Result<(), String> {
    let err = |e: tgpl_persistence::StoreError| e.to_string();
    for (kind, addressee, content, sent_on, answered_on) in PLAN {
        let mut row = ReviewRow::draft(
            center.id.clone(),
            kind,
            addressee.to_owned(),
            content.to_owned(),
            None,
        );
        review_requests::insert(conn, actor, &row).map_err(err)?;
        let mut steps = vec![(ReviewStep::Send, AuditAction::ReviewSend)];
        if answered_on.is_some() {
            steps.push((ReviewStep::Answer, AuditAction::ReviewAnswer));
        }
        for (step, action) in steps {
            let before = row.clone();
            let to = step
                .target(*row.state)
                .ok_or_else(|| format!("demo review: {step} from {}", *row.state))?;
            row.state = Code(to);
            match step {
                ReviewStep::Send => row.sent_on = Some(sent_on),
                _ => {
                    row.answered_on = answered_on;
                    row.answer = Some(
                        "Cơ quan đã tiếp nhận và sẽ xem xét, trả lời theo quy định".to_owned(),
                    );
                }
            }
            row.revise();
            review_requests::save(conn, actor, action, &before, &row).map_err(err)?;
        }
    }
    Ok(())
}
