//! The OpenAPI 3.1 document, generated from the handlers.

use actix_web::App;
use utoipa::openapi::security::{
    ClientCredentials, Flow, HttpAuthScheme, HttpBuilder, OAuth2, Password, Scopes, SecurityScheme,
};
use utoipa::openapi::OpenApi as Document;
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::http::error::{Problem, ProblemField};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "TGPL: Hệ thống quản lý tổ chức và hoạt động trợ giúp pháp lý",
        description = "API of Viet Nam's legal aid management system (Ministry of Justice, Legal Aid Agency).\n\n\
Authenticate at `POST /api/v1/auth/token` (OAuth 2.0: `password` for people, `client_credentials` for \
service clients) and send `Authorization: Bearer <access_token>`.\n\n\
Errors are RFC 9457 `application/problem+json` documents with a stable `code`; invalid input lists each \
field in `errors`. Messages are in Vietnamese, or English with `Accept-Language: en`.\n\n\
Resources outside the caller's scope answer 404. Single resources carry an `ETag`; updates send it back in \
`If-Match` (412 when it no longer matches). Lists take `page` and `page_size` (at most 100) and answer a \
`next` link. Dates of legal effect are Viet Nam dates (UTC+7); instants are UTC (RFC 3339).",
        license(name = "MIT OR Apache-2.0"),
    ),
    modifiers(&Security),
    components(schemas(Problem, ProblemField)),
    tags(
        (name = "auth", description = "Tokens and the caller's own account"),
        (name = "accounts", description = "Administration of people's accounts"),
        (name = "service-clients", description = "The national portal and the statistics office"),
        (name = "organizations", description = "Legal aid organizations and their dated hierarchy"),
        (name = "cases", description = "Legal aid cases from request to archive"),
        (name = "reports", description = "Successful litigation cases; quality-evaluation samples"),
        (name = "review-requests", description = "Requests for review (kiến nghị) to competent agencies"),
        (name = "change-requests", description = "Changes of locked cases, decided by the Agency's data centre"),
        (name = "participation", description = "Participating organizations: registration life cycle and contracts with centres"),
        (name = "staff", description = "Staff and legal aid providers, memberships, collaborators' cards"),
        (name = "recipients", description = "People aided: personal data seen only by the organizations handling them; every read logged"),
        (name = "public", description = "The published lists of organizations and providers; no authentication"),
        (name = "reference", description = "Codes and labels; provinces"),
        (name = "audit", description = "The append-only audit log"),
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
    document_unauthorized(&mut doc);
    doc
}

/// Every operation that takes a token can answer 401: said once, as a shared response, rather
/// than in each handler's list.
fn document_unauthorized(doc: &mut Document) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    const NAME: &str = "Unauthorized";
    doc.components
        .get_or_insert_with(Default::default)
        .responses
        .insert(
            NAME.to_owned(),
            RefOr::T(
                ResponseBuilder::new()
                    .description("No valid token: missing, expired, revoked, or its account or organization is no longer active.")
                    .content(
                        "application/problem+json",
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name("Problem")))
                            .build(),
                    )
                    .build(),
            ),
        );
    for item in doc.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            if operation.security.as_ref().is_some_and(|s| !s.is_empty()) {
                operation
                    .responses
                    .responses
                    .entry("401".to_owned())
                    .or_insert_with(|| RefOr::Ref(Ref::from_response_name(NAME)));
            }
        }
    }
}

/// The document as committed in `openapi.yaml`.
pub fn yaml() -> String {
    document()
        .to_yaml()
        .unwrap_or_else(|e| format!("# cannot render the document: {e}\n"))
}
