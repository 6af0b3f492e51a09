//! Requests for review (kiến nghị, form 2): a legal aid organization writes to a competent
//! agency about how law is applied. Draft, sent, answered; once sent the letter is locked,
//! as a closed case is.
//!
//! - [`drafts`]: drafting, reading, correcting and deleting a draft.
//! - [`steps`]: sending it (the leader) and recording the answer (`tgpl_domain::review_request`).
//! - [`listing`]: lists in the caller's scope.
//! - here: what they answer with, and the checks they share.

mod drafts;
mod listing;
mod steps;

pub use drafts::{create, read, remove, update, CreateReview, UpdateReview};
pub use listing::{list, ReviewListQuery};
pub use steps::{answer, send, AnswerReview, SendReview};

use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tgpl_domain::access::Action;
use tgpl_domain::audit::AuditAction;
use tgpl_domain::case::{ReviewKind, ReviewState};
use tgpl_domain::review_request::ReviewStep;
use tgpl_persistence::column::Code;
use tgpl_persistence::review_requests::{self, ReviewFilter, ReviewRow};
use tgpl_persistence::versioned::Versioned;
use tgpl_persistence::DbConnection;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::account_common::utc;
use crate::auth::Caller;
use crate::http::error::ApiError;
use crate::http::extract::{record, IfMatch, Query, ValidJson};
use crate::http::lang::Text;
use crate::http::page::{parse_filter, search_term, Page, PageQuery};
use crate::http::patch;
use crate::scope::{self, today};
use crate::state::AppState;

type Problem = crate::http::error::Problem;

#[derive(Serialize, ToSchema)]
pub struct ReviewView {
    pub id: String,
    /// The organization writing it.
    pub organization_id: String,
    #[schema(schema_with = crate::http::schemas::review_kind)]
    pub kind: ReviewKind,
    /// The competent agency it is addressed to.
    pub addressee: String,
    pub content: String,
    /// The related case, if any.
    pub case_id: Option<String>,
    #[schema(schema_with = crate::http::schemas::review_state)]
    pub state: ReviewState,
    pub sent_on: Option<NaiveDate>,
    pub answered_on: Option<NaiveDate>,
    pub answer: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ReviewRow> for ReviewView {
    fn from(r: ReviewRow) -> Self {
        Self {
            id: r.id,
            organization_id: r.organization_id,
            kind: *r.kind,
            addressee: r.addressee,
            content: r.content,
            case_id: r.case_id,
            state: *r.state,
            sent_on: r.sent_on,
            answered_on: r.answered_on,
            answer: r.answer,
            version: r.version,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

fn respond(status: StatusCode, row: ReviewRow) -> HttpResponse {
    let (id, version) = (row.id.clone(), row.version);
    record(
        status,
        "/api/v1/review-requests",
        &id,
        version,
        &ReviewView::from(row),
    )
}

fn load(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    action: Action,
) -> Result<ReviewRow, ApiError> {
    let row = review_requests::get(conn, id)?;
    // Unreadable is hidden (404), whatever the action; readable but not `action` is 403.
    scope::check_read(conn, caller, Action::ReadCase, &row.organization_id)?;
    check_works_on_review(conn, caller, row.case_id.as_deref())?;
    if action != Action::ReadCase {
        scope::check(conn, caller, action, &row.organization_id)?;
    }
    Ok(row)
}

/// 404 unless the caller sees and works what a request for review is about: the case it
/// concerns (a contracted lawyer, only the cases they perform), or, about no case, the
/// organization's own work, which a contracted lawyer does not see.
fn check_works_on_review(
    conn: &mut DbConnection,
    caller: &Caller,
    case_id: Option<&str>,
) -> Result<(), ApiError> {
    match concerned_case(conn, case_id)? {
        Some(case) => crate::services::casework::check_works_on(caller, &case),
        None if crate::services::casework::performed_by(caller).is_some() => {
            Err(ApiError::not_found())
        }
        None => Ok(()),
    }
}

/// The case a request for review concerns, if it names one that is still recorded: one
/// deleted since leaves the request about no case.
fn concerned_case(
    conn: &mut DbConnection,
    case_id: Option<&str>,
) -> Result<Option<tgpl_persistence::cases::CaseRow>, ApiError> {
    match case_id.map(|id| tgpl_persistence::cases::get(conn, id)) {
        Some(Ok(case)) => Ok(Some(case)),
        Some(Err(tgpl_persistence::StoreError::NotFound)) | None => Ok(None),
        Some(Err(e)) => Err(e.into()),
    }
}

fn sent() -> ApiError {
    ApiError::conflict(
        "review_locked",
        Text::new(
            "Kiến nghị đã gửi nên không sửa, xóa được.",
            "The request has been sent: it can no longer be changed or deleted.",
        ),
    )
}

/// A related case must be one of the same organization.
fn check_case(
    conn: &mut DbConnection,
    caller: &Caller,
    org_id: &str,
    case_id: Option<&str>,
) -> Result<(), ApiError> {
    let Some(case_id) = case_id else {
        return crate::services::casework::check_records_cases(caller);
    };
    match super::cases::load(conn, caller, case_id, Action::ReadCase) {
        Ok(case) if case.organization_id == org_id => {
            crate::services::casework::check_works_on(caller, &case)
        }
        _ => Err(ApiError::field(
            "case_id",
            "unknown_case",
            "Không có vụ việc này của tổ chức gửi kiến nghị.",
            "No such case of the writing organization.",
        )),
    }
}
