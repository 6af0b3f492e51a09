//! Renders every error response as `application/problem+json` in the caller's language.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse, ResponseError};

use super::error::{ApiError, Problem, ProblemField};
use super::lang::Lang;
use super::request_id::RequestId;

pub const CONTENT_TYPE: &str = "application/problem+json";

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    /// A complete problem in Vietnamese, and the error itself for the [`render`]
    /// middleware, which re-renders it in the caller's language with the request's id.
    fn error_response(&self) -> HttpResponse {
        let facts = RequestFacts {
            lang: Lang::Vi,
            path: String::new(),
            request_id: String::new(),
        };
        let mut res = to_response(self, &facts);
        res.extensions_mut().insert(self.clone());
        res
    }
}

/// What a problem document needs to know of its request. Taken before routing, because the
/// request cannot be cloned while the router still needs it.
pub struct RequestFacts {
    pub lang: Lang,
    pub path: String,
    pub request_id: String,
}

pub async fn render(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let facts = RequestFacts {
        lang: Lang::of(req.request()),
        path: req.path().to_owned(),
        request_id: RequestId::of(req.request()),
    };
    let res = next.call(req).await?;
    if res.status().as_u16() < 400 {
        return Ok(res.map_into_boxed_body());
    }
    let known = res
        .response()
        .extensions()
        .get::<ApiError>()
        .cloned()
        .or_else(|| {
            res.response()
                .error()
                .and_then(|e| e.as_error::<ApiError>().cloned())
        });
    let problem = match known {
        Some(p) => {
            if let Some(cause) = &p.cause {
                // One line that ties the cause to its request, whatever ran in between.
                log::warn!(
                    "request {} answered {} {}: {cause}",
                    facts.request_id,
                    p.status.as_u16(),
                    p.code
                );
            }
            p
        }
        None => {
            if res.status().is_server_error() {
                if let Some(e) = res.response().error() {
                    log::error!("request {} failed: {e}", facts.request_id);
                }
            }
            let mut p = ApiError::from_status(res.status());
            p.allow = res
                .headers()
                .get(header::ALLOW)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            p
        }
    };
    let (req, _) = res.into_parts();
    Ok(ServiceResponse::new(req, to_response(&problem, &facts)))
}

/// Writes `problem` as a response.
pub fn to_response(problem: &ApiError, facts: &RequestFacts) -> HttpResponse {
    let lang = facts.lang;
    let body = Problem {
        type_: format!("urn:tgpl:problem:{}", problem.code),
        title: problem.title.get(lang).to_owned(),
        status: problem.status.as_u16(),
        code: problem.code.to_owned(),
        detail: problem.detail.get(lang).to_owned(),
        instance: facts.path.clone(),
        request_id: facts.request_id.clone(),
        errors: problem
            .errors
            .iter()
            .map(|f| ProblemField {
                field: f.field.clone(),
                code: f.code.to_owned(),
                message: lang.pick(&f.vi, &f.en).to_owned(),
            })
            .collect(),
        error: problem.oauth_error.map(str::to_owned),
        extra: problem.extra.as_ref().and_then(|v| v.as_object().cloned()),
    };
    let mut res = HttpResponse::build(problem.status);
    res.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE)))
        .insert_header((header::CONTENT_LANGUAGE, lang.code()))
        .insert_header((header::CACHE_CONTROL, "no-store"));
    if let Some(seconds) = problem.retry_after {
        res.insert_header((header::RETRY_AFTER, seconds.to_string()));
    }
    if problem.status == actix_web::http::StatusCode::REQUEST_TIMEOUT {
        // The rest of a late body may still come: the connection cannot be reused.
        res.force_close();
    }
    if let Some(allow) = &problem.allow {
        res.insert_header((header::ALLOW, allow.clone()));
    }
    if problem.status.as_u16() == 401 {
        // A client that failed to authenticate is challenged for Basic credentials; a
        // failed password grant is no token error; everything else is a bad bearer token.
        let challenge = match problem.oauth_error {
            Some("invalid_client") => "Basic realm=\"tgpl\"",
            Some(_) => "Bearer realm=\"tgpl\"",
            None => "Bearer realm=\"tgpl\", error=\"invalid_token\"",
        };
        res.insert_header((header::WWW_AUTHENTICATE, challenge));
    }
    res.json(body)
}
