//! The OpenAPI 3.1 document, generated from the handlers.

use actix_web::App;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{
    ClientCredentials, Flow, HttpAuthScheme, HttpBuilder, OAuth2, Password, Scopes, SecurityScheme,
};
use utoipa::openapi::OpenApi as Document;
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::http::error::{Problem, ProblemField};
use crate::http::problem::CONTENT_TYPE as PROBLEM_JSON;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "TGPL: Hệ thống quản lý tổ chức và hoạt động trợ giúp pháp lý",
        description = "API of Viet Nam's legal aid management system (Ministry of Justice, Legal Aid Agency).\n\n\
Authenticate at `POST /api/v1/auth/token` (OAuth 2.0: `password` for people, `client_credentials` for \
service clients) and send `Authorization: Bearer <access_token>`.\n\n\
Errors are RFC 9457 `application/problem+json` documents with a stable `code`; invalid input lists each \
field in `errors`. A body field or a query parameter the operation does not take is refused (422), not ignored. Messages are in Vietnamese, or English with `Accept-Language: en`.\n\n\
Resources outside the caller's scope answer 404. Single resources carry an `ETag`; updates send it back in \
`If-Match` (412 when it no longer matches). Lists take `page` and `page_size` (at most 100) and answer a \
`next` link. Dates of legal effect are Viet Nam dates (UTC+7); instants are UTC (RFC 3339).",
        license(name = "MIT OR Apache-2.0"),
    ),
    modifiers(&Security),
    components(schemas(Problem, ProblemField)),
    tags(
        (name = "auth", description = "Tokens and the caller's own account"),
        (name = "accounts", description = "Administration of people's accounts, by the administrators of the organizations above them; nobody administers their own account"),
        (name = "service-clients", description = "The national portal and the statistics office; administered by the Agency's data centre only"),
        (name = "organizations", description = "Legal aid organizations and their dated hierarchy; each level creates, changes and restructures the organizations below it"),
        (name = "cases", description = "Legal aid cases from request to archive; written by the staff of the handling centre or branch, read by the levels above; a contracted lawyer sees and works only the cases they perform, with their people, requests for review and their own change requests; service clients do not read cases"),
        (name = "reporting", description = "Statistical reports sent up the chain (Circular 02/2011/TT-BTP art. 5-9): started and prepared by the unit, submitted by its head with its figures frozen, accepted or returned by the level above, corrected only by a confirmed correction (each revision kept with its differences), reconciled with the records, and the completeness and timeliness of a level's reports"),
        (name = "statistics", description = "The statistical forms (Circular 02/2011/TT-BTP, Circular 03/2019/TT-BTP) filled from the records for an organization's subtree and a period, with their rules, and the records behind each cell; read by the reporting chain and the Agency"),
        (name = "reports", description = "Successful litigation cases; quality-evaluation samples"),
        (name = "review-requests", description = "Requests for review (kiến nghị) to competent agencies, drafted by casework staff and sent by the organization's leaders; service clients do not read them"),
        (name = "change-requests", description = "Changes of locked cases, asked for by the handling organization and decided by the Agency's data centre; service clients have none"),
        (name = "participation", description = "Participating organizations: registration life cycle and contracts with centres, managed by the Department of Justice of their province"),
        (name = "staff", description = "Staff and legal aid providers, memberships, collaborators' cards; managed by the organizations they belong to (through a current membership), cards by the Department above; service clients do not read staff"),
        (name = "recipients", description = "People aided: personal data seen only by the organizations handling them, by the roles that do casework; every read logged"),
        (name = "portal", description = "The national public-services portal's calls (filing dossiers, sending documents and supplements, reading the feed of progress), the data centre's callback registration and deliveries, the procedures, calendar and status codes the Agency keeps, and the six-monthly report on online services (seed 001 §2)"),
        (name = "dossiers", description = "Dossiers filed on the portal, handled by the organization they were filed with (and read by the Agency's data centre, which oversees the service): accepted (a request for legal aid opens its case), asked for documents, refused or completed, each step a progress entry sent to the portal"),
        (name = "public", description = "The published lists of organizations and providers; no authentication"),
        (name = "reference", description = "Codes and labels; provinces, maintained by the Agency's data centre"),
        (name = "audit", description = "The append-only audit log and the log of reads of personal data, read by the Agency's data centre only"),
        (name = "health", description = "Liveness and readiness"),
    )
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, doc: &mut Document) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("Access token from POST /api/v1/auth/token"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "oauth2",
            SecurityScheme::OAuth2(OAuth2::new([
                Flow::Password(Password::new("/api/v1/auth/token", Scopes::new())),
                Flow::ClientCredentials(ClientCredentials::new(
                    "/api/v1/auth/token",
                    Scopes::new(),
                )),
            ])),
        );
    }
}

/// The whole document, as the router registers it.
pub fn document() -> Document {
    let (_, doc) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::routes::configure)
        .split_for_parts();
    let mut doc = doc;
    // In this order: the shared 401 goes where the operation takes a token.
    bearer_unless_open(&mut doc);
    errors_as_problem_documents(&mut doc);
    document_shared_responses(&mut doc);
    doc
}

/// The operations that answer without a token: liveness and readiness, the token itself, and
/// the published lists (Law on Legal Aid 2017 art. 10, 15). Every other operation's handler
/// takes the caller, and so a bearer token, which the document says here once rather than on
/// each handler; `tests/http/contract.rs` checks the list against the answers without a token.
const OPEN_OPERATIONS: [&str; 5] = [
    "checkLiveness",
    "checkReadiness",
    "issueToken",
    "listPublicOrganizations",
    "listPublicProviders",
];

/// An operation that declares its own `security` keeps it.
fn bearer_unless_open(doc: &mut Document) {
    use utoipa::openapi::security::SecurityRequirement;
    each_operation(doc, |_, operation| {
        let open = operation
            .operation_id
            .as_deref()
            .is_some_and(|id| OPEN_OPERATIONS.contains(&id));
        if !open && operation.security.is_none() {
            operation.security = Some(vec![SecurityRequirement::new::<_, _, String>("bearer", [])]);
        }
    });
}

/// Calls `f` on every operation of the document, with its path.
fn each_operation(doc: &mut Document, mut f: impl FnMut(&str, &mut Operation)) {
    for (path, item) in doc.paths.paths.iter_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            f(path, operation);
        }
    }
}

/// Every error a handler declares with a [`Problem`] body is served as
/// `application/problem+json` (RFC 9457): said here once, so that a handler writes
/// `(status = 409, description = "…", body = Problem)`.
fn errors_as_problem_documents(doc: &mut Document) {
    use utoipa::openapi::RefOr;
    let problem = "#/components/schemas/Problem";
    each_operation(doc, |_, operation| {
        for (status, response) in operation.responses.responses.iter_mut() {
            let RefOr::T(response) = response else {
                continue;
            };
            if !(status.starts_with('4') || status.starts_with('5')) {
                continue;
            }
            let is_problem = response
                .content
                .get("application/json")
                .and_then(|c| c.schema.as_ref())
                .is_some_and(|s| matches!(s, RefOr::Ref(r) if r.ref_location == problem));
            if is_problem {
                if let Some(content) = response.content.shift_remove("application/json") {
                    response.content.insert(PROBLEM_JSON.to_owned(), content);
                }
            }
        }
    });
}

/// The answers that come from the framework and the shared layers rather than from a handler:
/// each is said once, as a shared response, and referenced by every operation that can give it,
/// so that a client generated from the contract knows every status it may receive.
///
/// | status | when | operations |
/// |---|---|---|
/// | 400 `malformed_json` | the body is not JSON | those taking a JSON body |
/// | 401 | no valid token | those that take a token |
/// | 404 | an id in the path, a filter `…_id` or a body field `…_id` names nothing the caller may see | those with any |
/// | 412 | `If-Match` names another version than the record's | those taking `If-Match` |
/// | 413 | the body is too large | those taking a body |
/// | 415 | the body has the wrong `Content-Type`, or none | those taking a body |
/// | 422 | a query parameter or a body field is invalid, or a query parameter unknown | all |
/// | 428 | `If-Match` is required and missing | those requiring it |
/// | 503 | the database does not answer (with `Retry-After`) | all but liveness |
fn document_shared_responses(doc: &mut Document) {
    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::{Ref, RefOr};
    let shared: [(&str, &str, &str); 9] = [
        ("400", "MalformedBody", "The body is not well-formed JSON (`malformed_json`)."),
        (
            "401",
            "Unauthorized",
            "No valid token: missing, expired, revoked, or its account or organization is no longer active.",
        ),
        (
            "404",
            "NotFound",
            "Nothing the caller may see has this id, in the path or in a field `…_id` (`not_found`): out of scope answers as unknown.",
        ),
        (
            "412",
            "PreconditionFailed",
            "The record changed since it was read: `If-Match` names another version (`precondition_failed`). Read it again.",
        ),
        ("413", "PayloadTooLarge", "The body is larger than allowed (`payload_too_large`)."),
        (
            "415",
            "UnsupportedMediaType",
            "The body is missing or not of the declared content type (`unsupported_media_type`).",
        ),
        (
            "422",
            "ValidationFailed",
            "A query parameter or a field of the body is invalid, or a query parameter is not one the operation takes (`validation_failed`); `errors` names each.",
        ),
        (
            "428",
            "PreconditionRequired",
            "`If-Match` with the version as read is required here (`precondition_required`).",
        ),
        (
            "503",
            "ServiceUnavailable",
            "The database is not answering for now (`service_unavailable`): nothing was changed; retry after `Retry-After` seconds. Or it stopped answering while saving the change (`outcome_unknown`, no `Retry-After`): read the data before sending it again.",
        ),
    ];
    let responses = &mut doc
        .components
        .get_or_insert_with(Default::default)
        .responses;
    for (_, name, description) in shared {
        responses.insert(name.to_owned(), RefOr::T(problem_response(description)));
    }
    let schemas = doc
        .components
        .as_ref()
        .map(|c| c.schemas.clone())
        .unwrap_or_default();
    each_operation(doc, |path, operation| {
        let body = operation.request_body.as_ref();
        let json_body = body.is_some_and(|b| b.content.contains_key("application/json"));
        let has_in = |place: ParameterIn| {
            operation
                .parameters
                .iter()
                .flatten()
                .any(|p| p.parameter_in == place)
        };
        let if_match = |required_only: bool| {
            operation.parameters.iter().flatten().any(|p| {
                p.parameter_in == ParameterIn::Header
                    && p.name == "If-Match"
                    && (!required_only || p.required == utoipa::openapi::Required::True)
            })
        };
        let names_a_record_in_query = operation
            .parameters
            .iter()
            .flatten()
            .any(|p| p.parameter_in == ParameterIn::Query && p.name.ends_with("_id"));
        let names_a_record_in_body = body
            .and_then(|b| b.content.get("application/json"))
            .and_then(|c| c.schema.as_ref())
            .is_some_and(|schema| names_a_record(schema, &schemas, 3));
        let applies = |status: &str| match status {
            "400" => json_body,
            "401" => operation.security.as_ref().is_some_and(|s| !s.is_empty()),
            "404" => has_in(ParameterIn::Path) || names_a_record_in_query || names_a_record_in_body,
            "412" => if_match(false),
            "428" => if_match(true),
            "413" | "415" => body.is_some(),
            // Any operation refuses a query parameter it does not take.
            "422" => true,
            "503" => path != "/health/live",
            _ => false,
        };
        let missing: Vec<_> = shared
            .iter()
            .filter(|(status, _, _)| applies(status))
            .collect();
        for (status, name, _) in missing {
            operation
                .responses
                .responses
                .entry((*status).to_owned())
                .or_insert_with(|| RefOr::Ref(Ref::from_response_name(*name)));
        }
    });
}

/// Whether a body of `schema` names a record by a field `…_id`, at most `depth` objects down.
fn names_a_record(
    schema: &utoipa::openapi::RefOr<utoipa::openapi::Schema>,
    schemas: &std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::Schema>>,
    depth: usize,
) -> bool {
    use utoipa::openapi::{RefOr, Schema};
    if depth == 0 {
        return false;
    }
    let schema = match schema {
        RefOr::Ref(r) => match r
            .ref_location
            .rsplit('/')
            .next()
            .and_then(|n| schemas.get(n))
        {
            Some(found) => found,
            None => return false,
        },
        inline => inline,
    };
    match schema {
        RefOr::T(Schema::Object(object)) => object.properties.iter().any(|(name, property)| {
            name.ends_with("_id") || names_a_record(property, schemas, depth - 1)
        }),
        _ => false,
    }
}

fn problem_response(description: &str) -> utoipa::openapi::Response {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    ResponseBuilder::new()
        .description(description)
        .content(
            PROBLEM_JSON,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
}

/// The document as committed in `openapi.yaml`.
///
/// Rendered through yaml-rust2 rather than utoipa's own YAML: its emitter quotes every scalar
/// that a YAML 1.1 parser (PyYAML and the tools built on it) would read as a boolean, a null or
/// a number, such as the property `on`, so the file means the same under YAML 1.1 and 1.2.
pub fn yaml() -> String {
    let rendered = document()
        .to_json()
        .map_err(|e| e.to_string())
        .and_then(|json| {
            // JSON is YAML: read back, the document keeps its order, which a `serde_json::Value`
            // (sorted maps) would lose.
            let docs = yaml_rust2::YamlLoader::load_from_str(&json).map_err(|e| e.to_string())?;
            let mut out = String::new();
            let mut emitter = yaml_rust2::YamlEmitter::new(&mut out);
            emitter.multiline_strings(true);
            for doc in &docs {
                emitter.dump(doc).map_err(|e| e.to_string())?;
            }
            out.push('\n');
            Ok(out)
        });
    rendered.unwrap_or_else(|e| format!("# cannot render the document: {e}\n"))
}
