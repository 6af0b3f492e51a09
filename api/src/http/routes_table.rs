//! The routes of the contract, read from the generated OpenAPI document so that router and
//! contract cannot disagree about them:
//! - requests that matched no route answer 405 with `Allow` when the path exists with other
//!   methods (HEAD among them wherever GET is), 404 otherwise ([`unmatched`]);
//! - a query parameter an operation does not document is refused ([`refuse_unknown_query`]).

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{web, HttpRequest};
use utoipa::openapi::path::{ParameterIn, PathItem};
use utoipa::openapi::OpenApi;

use super::error::{ApiError, FieldRefusal};

#[derive(Debug, Clone, Default)]
pub struct RoutesTable {
    routes: Vec<Route>,
}

#[derive(Debug, Clone)]
struct Route {
    segments: Vec<Segment>,
    /// Each method the path answers, with the names of the query parameters it documents.
    operations: Vec<(&'static str, Vec<String>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Param,
}

impl RoutesTable {
    pub fn from_openapi(doc: &OpenApi) -> Self {
        let routes = doc
            .paths
            .paths
            .iter()
            .map(|(template, item)| {
                let segments = template
                    .trim_matches('/')
                    .split('/')
                    .map(|s| {
                        if s.starts_with('{') && s.ends_with('}') {
                            Segment::Param
                        } else {
                            Segment::Literal(s.to_owned())
                        }
                    })
                    .collect();
                Route {
                    segments,
                    operations: operations_of(item),
                }
            })
            .collect();
        Self { routes }
    }

    fn matching(&self, path: &str) -> Vec<&Route> {
        let parts: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
        self.routes
            .iter()
            .filter(|route| {
                route.segments.len() == parts.len()
                    && route.segments.iter().zip(&parts).all(|(s, p)| match s {
                        Segment::Literal(l) => l == p,
                        Segment::Param => !p.is_empty(),
                    })
            })
            .collect()
    }

    /// The methods allowed at `path`, if some route has this path. A trailing slash makes
    /// another path (the router does not take it either): it has no methods.
    pub fn allowed(&self, path: &str) -> Option<Vec<String>> {
        let mut methods: Vec<String> = self
            .matching(path)
            .into_iter()
            .flat_map(|route| route.operations.iter().map(|(m, _)| (*m).to_owned()))
            .collect();
        if methods.is_empty() {
            return None;
        }
        methods.sort();
        methods.dedup();
        Some(methods)
    }

    /// The query parameters `method` at `path` documents, or `None` when no route of the
    /// contract answers it (the documentation pages, an unknown path).
    pub fn query_parameters(&self, method: &str, path: &str) -> Option<Vec<&str>> {
        let mut found = None;
        for route in self.matching(path) {
            for (m, names) in &route.operations {
                if *m == method {
                    found
                        .get_or_insert_with(Vec::new)
                        .extend(names.iter().map(String::as_str));
                }
            }
        }
        found
    }
}

fn operations_of(item: &PathItem) -> Vec<(&'static str, Vec<String>)> {
    [
        ("GET", &item.get),
        // Answered wherever GET is: see [`super::head`].
        ("HEAD", &item.get),
        ("POST", &item.post),
        ("PUT", &item.put),
        ("PATCH", &item.patch),
        ("DELETE", &item.delete),
    ]
    .into_iter()
    .filter_map(|(method, operation)| {
        let operation = operation.as_ref()?;
        let names = item
            .parameters
            .iter()
            .chain(&operation.parameters)
            .flatten()
            .filter(|p| p.parameter_in == ParameterIn::Query)
            .map(|p| p.name.clone())
            .collect();
        Some((method, names))
    })
    .collect()
}

/// Middleware: a query parameter the operation does not document is refused with 422
/// `validation_failed`, the parameter named with code `unknown_parameter`, as an unknown
/// field of a JSON body is. A misspelt filter (`?satus=closed`) would otherwise answer the
/// whole, unfiltered list as if it were the filtered one. Paths outside the contract (the
/// documentation pages) pass untouched.
pub async fn refuse_unknown_query(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let unknown = req.app_data::<web::Data<RoutesTable>>().and_then(|table| {
        let known = table.query_parameters(req.method().as_str(), req.path())?;
        form_urlencoded::parse(req.query_string().as_bytes())
            .map(|(name, _)| name)
            .find(|name| !known.contains(&name.as_ref()))
            .map(|name| (name.into_owned(), known.join(", ")))
    });
    match unknown {
        Some((name, known)) => {
            let (vi, en) = if known.is_empty() {
                (
                    format!("Tham số `{name}` không được hỗ trợ: thao tác này không nhận tham số truy vấn nào."),
                    format!("The parameter `{name}` is not supported: this operation takes no query parameters."),
                )
            } else {
                (
                    format!("Tham số `{name}` không được hỗ trợ. Các tham số được nhận: {known}."),
                    format!(
                        "The parameter `{name}` is not supported. Accepted parameters: {known}."
                    ),
                )
            };
            let refusal = FieldRefusal::new(name, "unknown_parameter", vi, en);
            Ok(req
                .error_response(ApiError::validation(vec![refusal]))
                .map_into_right_body())
        }
        None => Ok(next.call(req).await?.map_into_left_body()),
    }
}

/// The app's default service.
pub async fn unmatched(
    req: HttpRequest,
    table: web::Data<RoutesTable>,
) -> Result<actix_web::HttpResponse, ApiError> {
    Err(match table.allowed(req.path()) {
        Some(methods) => {
            let mut e = ApiError::from_status(StatusCode::METHOD_NOT_ALLOWED);
            e.allow = Some(methods.join(", "));
            e
        }
        None => ApiError::from_status(StatusCode::NOT_FOUND),
    })
}
