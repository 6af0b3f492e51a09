//! Every route of the service, registered once: the router and the OpenAPI document are
//! both built from this list.

pub mod account_common;
pub mod accounts;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod cases;
pub mod change_requests;
pub mod health;
pub mod me;
pub mod organizations;
pub mod participation;
pub mod portal;
pub mod provinces;
pub mod public;
pub mod recipients;
pub mod reference;
pub mod reports;
pub mod review_requests;
pub mod service_clients;
pub mod staff;
pub mod statistics;

use actix_web::{web, HttpResponse};
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// The OpenAPI document, rendered once at start-up.
pub struct OpenApiJson(pub String);

/// `GET /api/v1/openapi.json`. Served from inside the `/api/v1` scope, which would otherwise
/// answer every path under it.
async fn openapi_json(doc: web::Data<OpenApiJson>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(doc.0.clone())
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::live).service(health::ready).service(
        scope::scope("/api/v1")
            .service(auth::token)
            .service(me::me)
            .service(me::change_password)
            .service(accounts::list)
            .service(accounts::create)
            .service(accounts::read)
            .service(accounts::lock)
            .service(accounts::unlock)
            .service(accounts::reset_password)
            .service(accounts::deactivate)
            .service(accounts::link_staff)
            .service(service_clients::list)
            .service(service_clients::create)
            .service(service_clients::read)
            .service(service_clients::rotate_secret)
            .service(service_clients::revoke)
            .service(organizations::list)
            .service(organizations::create)
            .service(organizations::read)
            .service(organizations::update)
            .service(organizations::deactivate)
            .service(organizations::list_parents)
            .service(organizations::move_to)
            .service(organizations::subtree)
            .service(provinces::list)
            .service(provinces::create)
            .service(provinces::read)
            .service(provinces::update)
            .service(reference::index)
            .service(reference::vocabulary)
            .service(statistics::list_forms)
            .service(statistics::read_table)
            .service(statistics::cell_records)
            .service(statistics::create_report)
            .service(statistics::list_reports)
            .service(statistics::read_report)
            .service(statistics::prepare_report)
            .service(statistics::upload_figures)
            .service(statistics::submit_report)
            .service(statistics::accept_report)
            .service(statistics::return_report)
            .service(statistics::propose_correction)
            .service(statistics::confirm_correction)
            .service(statistics::read_revision)
            .service(statistics::reconcile_report)
            .service(statistics::reconciliation_gaps)
            .service(statistics::read_completeness)
            .service(statistics::publish_release)
            .service(statistics::list_releases)
            .service(statistics::release_schedule)
            .service(statistics::read_release)
            .service(statistics::released_data)
            .service(statistics::read_litigation_notice)
            .service(statistics::read_quality_ranking)
            .service(staff::list)
            .service(staff::create)
            .service(staff::read)
            .service(staff::update)
            .service(staff::add_membership)
            .service(staff::end_membership)
            .service(staff::issue_card)
            .service(staff::reissue_card)
            .service(staff::revoke_card)
            .service(recipients::list)
            .service(recipients::create)
            .service(recipients::read)
            .service(recipients::update)
            .service(recipients::add_proof)
            .service(recipients::access_log)
            .service(public::organizations_list)
            .service(public::providers_list)
            .service(participation::terminate)
            .service(participation::revoke)
            .service(participation::list_contracts)
            .service(participation::sign_contract)
            .service(participation::read_contract)
            .service(participation::amend_contract)
            .service(participation::terminate_contract)
            .service(cases::list_cases)
            .service(cases::create)
            .service(cases::read)
            .service(cases::update)
            .service(cases::remove)
            .service(cases::history)
            .service(cases::take_step)
            .service(change_requests::list)
            .service(change_requests::submit)
            .service(change_requests::read)
            .service(change_requests::approve)
            .service(change_requests::reject)
            .service(review_requests::list)
            .service(review_requests::create)
            .service(review_requests::read)
            .service(review_requests::update)
            .service(review_requests::remove)
            .service(review_requests::send)
            .service(review_requests::answer)
            .service(reports::successful_litigation)
            .service(reports::quality_sample)
            .service(attachments::upload)
            .service(attachments::list_for_case)
            .service(attachments::download)
            .service(attachments::remove)
            .service(portal::submit_dossier)
            .service(portal::portal_read_dossier)
            .service(portal::upload_dossier_document)
            .service(portal::portal_download_document)
            .service(portal::supplement_dossier)
            .service(portal::read_feed)
            .service(portal::list_dossiers)
            .service(portal::read_dossier)
            .service(portal::download_dossier_document)
            .service(portal::take_dossier_step)
            .service(portal::register_webhook)
            .service(portal::list_webhooks)
            .service(portal::deactivate_webhook)
            .service(portal::list_failing_deliveries)
            .service(portal::redeliver)
            .service(portal::list_procedures)
            .service(portal::put_procedure)
            .service(portal::list_calendar_days)
            .service(portal::put_calendar_day)
            .service(portal::delete_calendar_day)
            .service(portal::list_status_codes)
            .service(portal::put_status_code)
            .service(portal::read_online_services_report)
            .service(audit::list)
            .route("/openapi.json", web::get().to(openapi_json)),
    );
}
