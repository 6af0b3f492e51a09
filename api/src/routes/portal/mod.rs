//! Online applications from the national public-services portal (seed 001 §2).
//!
//! - what the portal calls: [`filing`] a dossier ([`filing_request`] its shape), idempotent by
//!   its code; [`sending`] documents and supplements, idempotent by `Idempotency-Key`;
//!   [`following`] a dossier and its documents.
//! - the handling organization's [`queue`] and its [`steps`] on a dossier: accept (for a
//!   request for legal aid, the [`acceptance`] records the person and opens the case), ask
//!   for documents, refuse, return the result.
//! - [`feed`]: the progress entries after a cursor, without gaps.
//! - [`webhooks`]: the portal's callback, registered by the data centre, and its deliveries.
//! - [`reference`]: the [`procedures`], the working-day [`calendar`] and the portal's
//!   [`status_codes`], kept by the data centre.
//! - [`report`]: the six-monthly report on online services.
//! - [`documents`]: how the documents the portal sends are read and checked.
//! - here: what they answer with.

mod acceptance;
mod calendar;
mod documents;
mod feed;
mod filing;
mod filing_request;
mod following;
mod procedures;
mod queue;
mod reference;
mod report;
mod sending;
mod status_codes;
mod steps;
mod webhooks;

pub use acceptance::OpenCase;
pub use calendar::{delete_calendar_day, list_calendar_days, put_calendar_day};
use documents::{read_document, read_documents, InlineDocument};
pub use feed::{read_feed, FeedPage, FeedQuery};
pub use filing::submit_dossier;
pub use filing_request::{
    AidedPerson, Applicant, Contact, LegalAidPart, ProofDocument, SubmitDossier,
};
pub use following::{portal_download_document, portal_read_dossier};
pub use procedures::{list_procedures, put_procedure};
pub use queue::{download_dossier_document, list_dossiers, read_dossier, DossierListQuery};
pub use report::read_online_services_report;
pub use sending::{supplement_dossier, upload_dossier_document, Supplement};
pub use status_codes::{list_status_codes, put_status_code};
pub use steps::{take_dossier_step, DossierStepBody};
pub use webhooks::{
    deactivate_webhook, list_failing_deliveries, list_webhooks, redeliver, register_webhook,
};

use actix_web::http::StatusCode;
use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};
use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tgpl_domain::access::{Action, SystemAction};
use tgpl_domain::attachment::{recognise, FileError};
use tgpl_domain::label::Vocabulary;
use tgpl_domain::portal::calendar::DayKind;
use tgpl_domain::portal::dossier::{Channel, DossierStatus, DossierStep};
use tgpl_domain::portal::procedure::ProcedureKind;
use tgpl_persistence::column::Code;
use tgpl_persistence::portal::dossiers::{self, DocumentInfo, DocumentRow, DossierRow};
use tgpl_persistence::portal::feed::{self as progress_feed, ProgressRow};
use tgpl_persistence::portal::{reference as stored_reference, webhooks as stored_webhooks};
use tgpl_persistence::DbConnection;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::account_common::utc;
use crate::auth::Caller;
use crate::http::error::{ApiError, FieldRefusal};
use crate::http::extract::{etag, validation_errors, IfMatch, Query, ShapedJson, ValidJson};
use crate::http::lang::Text;
use crate::http::page::{parse_filter, Page, PageQuery};
use crate::scope::{self, today};
use crate::services::dossiers as recorded;
use crate::services::idempotency::{self, IdempotencyKey, Key};
use crate::services::recipient_access::{log_reads, read_by};
use crate::state::AppState;
use tgpl_domain::recipient::DataAccess;

type Problem = crate::http::error::Problem;

/// A document of a dossier, without its bytes.
#[derive(Serialize, ToSchema)]
pub struct DossierDocumentView {
    pub id: String,
    pub file_name: String,
    /// Recognised from the content.
    pub content_type: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    pub received_at: DateTime<Utc>,
}

impl From<DocumentInfo> for DossierDocumentView {
    fn from(d: DocumentInfo) -> Self {
        Self {
            id: d.id,
            file_name: d.file_name,
            content_type: d.content_type,
            size_bytes: d.size_bytes,
            sha256: d.sha256,
            received_at: utc(d.received_at),
        }
    }
}

/// One progress entry: who did what, when, and where the dossier then stood.
#[derive(Serialize, ToSchema)]
pub struct ProgressView {
    /// The entry's position in the feed.
    pub position: i64,
    #[schema(schema_with = crate::http::schemas::dossier_step)]
    pub step: DossierStep,
    #[schema(schema_with = crate::http::schemas::dossier_status)]
    pub status: DossierStatus,
    /// Reasons of a refusal, the documents asked for, or the result.
    pub note: Option<String>,
    /// The promised return date after the step.
    pub due_on: NaiveDate,
    pub actor_username: String,
    pub actor_organization_id: Option<String>,
    pub occurred_at: DateTime<Utc>,
}

impl From<ProgressRow> for ProgressView {
    fn from(p: ProgressRow) -> Self {
        Self {
            position: p.position,
            step: *p.step,
            status: *p.status,
            note: p.note,
            due_on: p.due_on,
            actor_username: p.actor_username,
            actor_organization_id: p.actor_organization_id,
            occurred_at: utc(p.occurred_at),
        }
    }
}

/// A dossier filed on the portal.
#[derive(Serialize, ToSchema)]
pub struct DossierView {
    pub id: String,
    /// The portal's dossier code (mã hồ sơ).
    pub dossier_code: String,
    /// The national procedure code it was filed under.
    pub procedure_code: String,
    #[schema(schema_with = crate::http::schemas::procedure_kind)]
    pub procedure: ProcedureKind,
    /// The handling organization.
    pub organization_id: String,
    pub province_code: String,
    #[schema(schema_with = crate::http::schemas::channel)]
    pub channel: Channel,
    /// The applicant (chủ hồ sơ) as filed.
    #[schema(value_type = Object)]
    pub applicant: serde_json::Value,
    #[schema(value_type = Object)]
    pub contact: serde_json::Value,
    /// Trích yếu.
    pub summary: String,
    /// For a request for legal aid: the person to be aided, their category and its proof,
    /// the matter.
    #[schema(value_type = Option<Object>)]
    pub legal_aid: Option<serde_json::Value>,
    /// The case concerned: for a change of provider or a complaint, as filed; for an
    /// accepted request for legal aid, the code of the case it opened, which the applicant
    /// quotes in a later procedure.
    pub case_code: Option<String>,
    pub card_number: Option<String>,
    /// When the portal received it.
    pub received_at: DateTime<Utc>,
    /// The working day its time limit counts from.
    pub counting_from: NaiveDate,
    /// The promised return date (ngày hẹn trả); moved when documents asked for arrive.
    pub due_on: NaiveDate,
    #[schema(schema_with = crate::http::schemas::dossier_status)]
    pub status: DossierStatus,
    /// Past its promised date with its clock running, or finished after it.
    pub overdue: bool,
    /// While awaiting documents: the working days its clock had left.
    pub days_left: Option<i32>,
    pub finished_on: Option<NaiveDate>,
    /// The last step's note: reasons, documents asked for, or the result.
    pub note: Option<String>,
    /// For an accepted request for legal aid: the case opened and the person aided.
    pub case_id: Option<String>,
    pub recipient_id: Option<String>,
    /// The steps the handling organization may take now.
    #[schema(schema_with = crate::http::schemas::dossier_steps)]
    pub next_steps: Vec<DossierStep>,
    /// On single reads: the documents, then the progress entries in order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documents: Option<Vec<DossierDocumentView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<Vec<ProgressView>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn json_text(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or(serde_json::Value::Null)
}

impl DossierView {
    pub fn of(row: DossierRow, today: NaiveDate) -> Self {
        let dossier = row.dossier();
        Self {
            overdue: dossier.is_overdue(today),
            next_steps: dossier.handlers_steps(),
            applicant: json_text(&row.applicant),
            contact: json_text(&row.contact),
            legal_aid: row.legal_aid.as_deref().map(json_text),
            id: row.id,
            dossier_code: row.dossier_code,
            procedure_code: row.procedure_code,
            procedure: *row.procedure_kind,
            organization_id: row.organization_id,
            province_code: row.province_code,
            channel: *row.channel,
            summary: row.summary,
            case_code: row.case_code,
            card_number: row.card_number,
            received_at: utc(row.received_at),
            counting_from: row.counting_from,
            due_on: row.due_on,
            status: *row.status,
            days_left: row.days_left,
            finished_on: row.finished_on,
            note: row.note,
            case_id: row.case_id,
            recipient_id: row.recipient_id,
            documents: None,
            progress: None,
            version: row.version,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        }
    }

    /// The dossier with its documents and progress, read on `conn`.
    pub fn full(conn: &mut DbConnection, row: DossierRow) -> Result<Self, ApiError> {
        let documents = dossiers::documents(conn, &row.id)?;
        let progress = progress_feed::of_dossier(conn, &row.id)?;
        let mut view = Self::of(row, today());
        view.documents = Some(documents.into_iter().map(Into::into).collect());
        view.progress = Some(progress.into_iter().map(Into::into).collect());
        Ok(view)
    }
}

/// Logs the reads of the dossiers `views` show, as every read of personal data is: of the
/// applicant's data, and of the person aided it recorded or linked if any; then they may be
/// sent.
async fn log_dossier_reads(
    state: &AppState,
    caller: &Caller,
    views: &[&DossierView],
) -> Result<(), ApiError> {
    let entries = views
        .iter()
        .map(|v| read_by(caller, v.recipient_id.as_deref(), DataAccess::Dossier).through(&v.id))
        .collect();
    log_reads(state, entries).await
}

/// Logs the download of `document` of `dossier`, then it may be sent.
async fn log_document_read(
    state: &AppState,
    caller: &Caller,
    dossier: &DossierRow,
    document: &DocumentRow,
) -> Result<(), ApiError> {
    let entry = read_by(
        caller,
        dossier.recipient_id.as_deref(),
        DataAccess::DossierDocument,
    )
    .through(&document.id);
    log_reads(state, vec![entry]).await
}

/// One dossier as the answer, with its `ETag`.
fn dossier_response(view: DossierView) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((actix_web::http::header::ETAG, etag(view.version)))
        .json(view)
}

/// A document's bytes as a download.
fn document_response(document: DocumentRow) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(document.content_type)
        .insert_header(crate::http::files::disposition(&document.file_name))
        .insert_header((actix_web::http::header::CACHE_CONTROL, "private, no-store"))
        .body(document.content)
}

/// A stored record that is not there, as the caller sees it: 404.
fn not_found(e: tgpl_persistence::StoreError) -> ApiError {
    match e {
        tgpl_persistence::StoreError::NotFound => ApiError::not_found(),
        other => other.into(),
    }
}

/// A dossier the caller may `action` (404 otherwise).
fn load(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    action: Action,
) -> Result<DossierRow, ApiError> {
    let row = dossiers::get(conn, id).map_err(not_found)?;
    scope::check_read(conn, caller, Action::ReadDossier, &row.organization_id)?;
    if action != Action::ReadDossier {
        scope::check(conn, caller, action, &row.organization_id)?;
    }
    Ok(row)
}
