//! Change requests (seed 000 §2d, appendices 02 and 03): a unit asks the Agency's data
//! centre to edit a locked case, delete it, or take it out of the archive, for one or many
//! cases at once. The data centre approves (the change is carried out atomically) or
//! rejects, with a reason. Nobody else can change a locked case.
//!
//! - [`submission`]: a unit asks for changes of its locked cases.
//! - [`reading`]: one request, and lists.
//! - [`decisions`]: the data centre approves (carrying the changes out) or rejects.
//! - here: what they answer with.

mod decisions;
mod reading;
mod submission;

pub use decisions::{approve, reject, Decision};
pub use reading::{list, read, ChangeRequestQuery};
pub use submission::{submit, ChangeItem, SubmitChangeRequest};

use std::collections::HashSet;

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tgpl_domain::access::{Action, SystemAction};
use tgpl_domain::audit::AuditAction;
use tgpl_domain::case::{CaseState, ChangeKind, Transition};
use tgpl_domain::change_request::{self, ChangeRequestStatus, DecisionRefusal};
use tgpl_domain::label::Vocabulary;
use tgpl_persistence::cases::{self, EventRow};
use tgpl_persistence::change_requests::{self, ItemRow, RequestFilter, RequestRow};
use tgpl_persistence::column::Code;
use tgpl_persistence::exclusive::{exclusive, Claim, Rule};
use tgpl_persistence::versioned::Versioned;
use tgpl_persistence::DbConnection;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::account_common::utc;
use super::cases::UpdateCase;
use crate::auth::Caller;
use crate::http::error::{ApiError, FieldRefusal};
use crate::http::extract::{record, IfMatch, Query, ValidJson};
use crate::http::lang::Text;
use crate::http::page::{parse_filter, Page, PageQuery};
use crate::redaction::Redaction;
use crate::scope::{self, today};
use crate::state::AppState;

type Problem = crate::http::error::Problem;

#[derive(Serialize, ToSchema)]
pub struct ChangeItemView {
    pub case_id: String,
    /// For edits: the fields to change, as `PATCH /api/v1/cases/{id}` takes them.
    #[schema(value_type = Option<Object>)]
    pub changes: Option<serde_json::Value>,
}

#[derive(Serialize, ToSchema)]
pub struct ChangeRequestView {
    pub id: String,
    /// The requesting organization.
    pub organization_id: String,
    #[schema(schema_with = crate::http::schemas::change_kind)]
    pub kind: ChangeKind,
    pub reason: String,
    /// `pending`, `approved` or `rejected`.
    #[schema(value_type = String)]
    pub status: ChangeRequestStatus,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_reason: Option<String>,
    pub cases: Vec<ChangeItemView>,
    pub version: i64,
}

impl ChangeRequestView {
    fn new(r: RequestRow, items: Vec<ItemRow>) -> Self {
        Self {
            id: r.id,
            organization_id: r.organization_id,
            kind: *r.kind,
            reason: r.reason,
            status: *r.status,
            requested_by: r.requested_by,
            requested_at: utc(r.requested_at),
            decided_by: r.decided_by,
            decided_at: r.decided_at.map(utc),
            decision_reason: r.decision_reason,
            cases: items
                .into_iter()
                .map(|i| ChangeItemView {
                    case_id: i.case_id,
                    changes: i
                        .proposed_changes
                        .as_deref()
                        .and_then(|c| serde_json::from_str(c).ok()),
                })
                .collect(),
            version: r.version,
        }
    }
}

/// The items of a request as the caller may see them: proposed changes go through the one
/// redaction of case data, for the requesting organization's cases.
fn shown(
    conn: &mut DbConnection,
    caller: &Caller,
    request: &RequestRow,
    items: Vec<ItemRow>,
) -> Result<Vec<ItemRow>, ApiError> {
    let redaction = Redaction::of(conn, caller)?;
    Ok(redacted(&redaction, request, items))
}

fn redacted(redaction: &Redaction, request: &RequestRow, items: Vec<ItemRow>) -> Vec<ItemRow> {
    items
        .into_iter()
        .map(|mut item| {
            item.proposed_changes =
                redaction.stored_object(&request.organization_id, item.proposed_changes.take());
            item
        })
        .collect()
}

/// Answers with a request whose items went through [`shown`].
fn respond(status: StatusCode, request: RequestRow, items: Vec<ItemRow>) -> HttpResponse {
    let (id, version) = (request.id.clone(), request.version);
    let view = ChangeRequestView::new(request, items);
    record(status, "/api/v1/change-requests", &id, version, &view)
}
