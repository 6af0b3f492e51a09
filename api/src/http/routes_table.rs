//! Answers requests that matched no route: 405 with `Allow` when the path exists with
//! other methods (HEAD among them wherever GET is), 404 otherwise. The table of paths is read from the generated OpenAPI
//! document, so router and contract cannot disagree about it.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest};
use utoipa::openapi::OpenApi;

use super::error::ApiError;

#[derive(Debug, Clone, Default)]
pub struct RoutesTable {
    routes: Vec<(Vec<Segment>, Vec<String>)>,
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
                let methods = methods_of(item);
                (segments, methods)
            })
            .collect();
        Self { routes }
    }

    /// The methods allowed at `path`, if some route has this path. A trailing slash makes
    /// another path (the router does not take it either): it has no methods.
    pub fn allowed(&self, path: &str) -> Option<Vec<String>> {
        let parts: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
        let mut methods: Vec<String> = self
            .routes
            .iter()
            .filter(|(segments, _)| {
                segments.len() == parts.len()
                    && segments.iter().zip(&parts).all(|(s, p)| match s {
                        Segment::Literal(l) => l == p,
                        Segment::Param => !p.is_empty(),
                    })
            })
            .flat_map(|(_, m)| m.iter().cloned())
            .collect();
        if methods.is_empty() {
            return None;
        }
        methods.sort();
        methods.dedup();
        Some(methods)
    }
}

fn methods_of(item: &utoipa::openapi::path::PathItem) -> Vec<String> {
    [
        ("GET", item.get.is_some()),
        // Answered wherever GET is: see [`super::head`].
        ("HEAD", item.get.is_some()),
        ("POST", item.post.is_some()),
        ("PUT", item.put.is_some()),
        ("PATCH", item.patch.is_some()),
        ("DELETE", item.delete.is_some()),
    ]
    .into_iter()
    .filter(|(_, present)| *present)
    .map(|(m, _)| m.to_owned())
    .collect()
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
