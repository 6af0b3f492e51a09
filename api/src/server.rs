//! Assembling and starting the HTTP server.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::middleware::{from_fn, DefaultHeaders, Logger};
use actix_web::{web, App, HttpResponse, HttpServer};
use tgpl_persistence::Pool;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::credentials::tokens::TokenKeys;
use crate::http::body_deadline::{self, BodyDeadline};
use crate::http::{extract, head, problem, request_id, routes_table, text};
use crate::state::AppState;
use crate::storage::Storage;

pub struct ServerOptions {
    pub signing_secret: Vec<u8>,
    pub token_ttl_seconds: i64,
    pub workers: usize,
    /// Directory of the attachment store.
    pub attachments_dir: std::path::PathBuf,
    pub attachment_max_bytes: usize,
    /// Uploads in progress at once; more are answered 503.
    pub max_uploads: usize,
    /// How long a request body may take to arrive (see [`body_deadline`]).
    pub body_deadline: BodyDeadline,
    /// Connections served at once, over all workers. Beyond it new connections wait in the
    /// listen backlog: a flood of idle connections then delays the others rather than
    /// exhausting the process's open files, which made the server unreachable.
    pub max_connections: usize,
    /// How long what the server sends may stay unacknowledged before the connection is
    /// dropped (see [`drop_stalled_clients`]).
    pub stalled_client: std::time::Duration,
}

/// How long a blob must have been pending, or a staged file untouched, before the start-up
/// sweep decides about it: twice the longest an upload of the largest attachment may take
/// under the body deadline, and never under 15 minutes, so that a server starting next to
/// others never takes their uploads under way for a crash's leftovers.
pub fn pending_attachment_age(options: &ServerOptions) -> std::time::Duration {
    let longest = options
        .body_deadline
        .longest(options.attachment_max_bytes as u64);
    (2 * longest).max(std::time::Duration::from_secs(15 * 60))
}

/// Puts the attachment store and the records back in agreement after a crash (see
/// `tgpl_persistence::attachments::reconcile`) before anything is served.
fn sweep_attachments(
    pool: &Pool,
    blobs: &tgpl_persistence::blobs::LocalDirectory,
    age: std::time::Duration,
) -> std::io::Result<()> {
    let mut conn = pool.get().map_err(std::io::Error::other)?;
    let done = tgpl_persistence::attachments::reconcile(&mut conn, blobs, age)
        .map_err(std::io::Error::other)?;
    log_swept(&done);
    Ok(())
}

fn log_swept(done: &tgpl_persistence::attachments::Reconciled) {
    if done.confirmed + done.removed > 0 {
        log::warn!(
            "attachment store after a crash: {} recorded documents confirmed, {} unrecorded files removed",
            done.confirmed,
            done.removed
        );
    }
}

/// Sweeps the attachment store again every `age` while the server runs, as at start-up, so
/// that what a crash left (of this server before a quick restart, or of another sharing the
/// store) is put right without waiting for the next start.
fn keep_sweeping_attachments(state: web::Data<AppState>, age: std::time::Duration) {
    actix_web::rt::spawn(async move {
        let mut every = actix_web::rt::time::interval(age);
        // The first tick is now, and the start-up has just swept.
        every.tick().await;
        loop {
            every.tick().await;
            let blobs = state.blobs.clone();
            let swept = state
                .db(move |conn| {
                    Ok(tgpl_persistence::attachments::reconcile(
                        conn,
                        blobs.as_ref(),
                        age,
                    )?)
                })
                .await;
            match swept {
                Ok(done) => log_swept(&done),
                Err(_) => log::warn!("the attachment store's sweep could not read the records"),
            }
        }
    });
}

async fn to_docs() -> HttpResponse {
    HttpResponse::Found()
        .insert_header(("Location", "/docs/"))
        .finish()
}

/// How long requests under way may finish after a stop signal: at least 30 seconds, and
/// long enough for one whose database work hangs to be answered (the pool's wait, the task's
/// bound, and as long again for a commit under way; see `AppState::db`), rather than have
/// its connection dropped unanswered.
fn shutdown_grace(storage: &Storage) -> std::time::Duration {
    let database = storage.pool.connection_timeout() + 2 * storage.task_timeout;
    database.max(std::time::Duration::from_secs(30)) + std::time::Duration::from_secs(1)
}

/// Binds `listener` and returns the server future (not yet awaited) and its address.
pub fn start(
    storage: Storage,
    listener: TcpListener,
    options: ServerOptions,
) -> std::io::Result<(Server, SocketAddr)> {
    let addr = listener.local_addr()?;
    let grace = shutdown_grace(&storage);
    let blobs = tgpl_persistence::blobs::LocalDirectory::new(&options.attachments_dir)?;
    sweep_attachments(&storage.pool, &blobs, pending_attachment_age(&options))?;
    let mut watched = vec![options.attachments_dir.clone()];
    watched.extend(storage.data_dir.clone());
    let mut state = AppState::new(
        storage,
        TokenKeys::new(&options.signing_secret, options.token_ttl_seconds),
        Arc::new(blobs),
        options.attachment_max_bytes,
        options.max_uploads,
    );
    state.readiness = crate::state::Readiness::watching(watched);
    let state = web::Data::new(state);
    crate::webhooks::start(state.clone());
    keep_sweeping_attachments(state.clone(), pending_attachment_age(&options));
    let doc = crate::openapi::document();
    let table = web::Data::new(routes_table::RoutesTable::from_openapi(&doc));
    let doc_json = web::Data::new(crate::routes::OpenApiJson(
        doc.to_json()
            .map_err(|e| std::io::Error::other(e.to_string()))?,
    ));
    let deadline = options.body_deadline;
    let stalled_client = options.stalled_client;
    let per_worker = options
        .max_connections
        .div_ceil(options.workers.max(1))
        .max(1);
    let server = HttpServer::new(move || {
        let (app, _) = App::new()
            .into_utoipa_app()
            .configure(crate::routes::configure)
            .split_for_parts();
        app.app_data(state.clone())
            .app_data(table.clone())
            .app_data(doc_json.clone())
            .configure(extract::configure_extractors)
            // Swagger UI's files are compiled into the binary: the docs work offline.
            .service(
                SwaggerUi::new("/docs/{_:.*}")
                    .config(utoipa_swagger_ui::Config::from("/api/v1/openapi.json")),
            )
            .route("/", web::get().to(to_docs))
            .route("/docs", web::get().to(to_docs))
            .default_service(web::to(routes_table::unmatched))
            .wrap(from_fn(routes_table::refuse_unknown_query))
            .wrap(from_fn(head::as_get))
            // Inside the problem renderer, so that its 404 is a problem like any other.
            .wrap(from_fn(text::refuse_controls_in_path))
            // Inside the problem renderer, which renders its 408.
            .wrap(from_fn(move |req, next| {
                body_deadline::limit(deadline, req, next)
            }))
            .wrap(from_fn(problem::render))
            // Responses carry personal data: no shared caches, no content sniffing. Handlers
            // that serve cacheable data (reference lists) set their own Cache-Control. Outside
            // the problem renderer, which rebuilds error responses.
            .wrap(
                DefaultHeaders::new()
                    .add((header::CACHE_CONTROL, "no-store"))
                    .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff")),
            )
            .wrap(from_fn(request_id::assign))
            // The path only, never the query string: queries can carry names.
            .wrap(
                Logger::new("%{x-request-id}o %{method}xi %U %s %b %Dms")
                    .custom_request_replace("method", |req| req.method().to_string()),
            )
    })
    .workers(options.workers)
    .shutdown_timeout(grace.as_secs())
    .on_connect(move |connection, _| drop_stalled_clients(connection, stalled_client))
    .max_connections(per_worker)
    .listen(listener)?
    .run();
    Ok((server, addr))
}

/// A client that stops reading a response (a download, a long list) would hold its
/// connection for ever: the server waits for room in the client's window, and no deadline of
/// the framework runs while it waits. Enough of them fill `max_connections` and nobody else
/// is served. The kernel drops such a connection once what was sent stays unacknowledged for
/// `after` (TCP_USER_TIMEOUT, which also covers the probes of a window left at zero), as it
/// does a peer that vanished; a reader that reads, however slowly, keeps it.
fn drop_stalled_clients(connection: &dyn std::any::Any, after: std::time::Duration) {
    if let Some(tcp) = connection.downcast_ref::<actix_web::rt::net::TcpStream>() {
        if let Err(e) = socket2::SockRef::from(tcp).set_tcp_user_timeout(Some(after)) {
            log::warn!("cannot bound how long a client may stall: {e}");
        }
    }
}
