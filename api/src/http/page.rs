//! Paging of lists: `page` (from 1) and `page_size` (1 to 100, default 20), answered with
//! the total and a `next` link that keeps the other query parameters.

use actix_web::HttpRequest;
use serde::{Deserialize, Serialize};
use tgpl_persistence::page::{PageRequest, Paged};
use utoipa::{IntoParams, ToSchema};

use tgpl_domain::label::Vocabulary;

use super::error::ApiError;

pub const DEFAULT_PAGE_SIZE: u32 = 20;
pub const MAX_PAGE_SIZE: u32 = 100;
/// The last page number accepted: a hundred million records at the largest page size, past any
/// list the system holds, and well inside a 32-bit integer, which clients may use for it.
pub const MAX_PAGE: u32 = 1_000_000;

#[derive(Debug, Clone, Copy, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 1_000_000, default = 1)]
    pub page: Option<u32>,
    /// Items per page, at most 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub page_size: Option<u32>,
}

/// Reads a list filter that takes a code of vocabulary `V`; an unknown code is a 422 that
/// names the valid ones.
pub fn parse_filter<V: Vocabulary>(
    field: &str,
    value: Option<String>,
) -> Result<Option<String>, ApiError> {
    match value {
        None => Ok(None),
        Some(v) if V::from_code(&v).is_some() => Ok(Some(v)),
        Some(v) => {
            let allowed: Vec<&str> = V::ALL.iter().map(|x| x.code()).collect();
            Err(ApiError::field(
                field,
                "unknown_code",
                format!(
                    "Mã `{v}` không hợp lệ; các mã hợp lệ: {}.",
                    allowed.join(", ")
                ),
                format!("Unknown code `{v}`; valid codes: {}.", allowed.join(", ")),
            ))
        }
    }
}

/// A list's span filter, `(name, value)` for its start and its end: an end before the start
/// would list nothing, which is a mistake to say rather than an empty page to show. 422
/// naming the end, `before_start`.
pub fn check_span<T: PartialOrd + std::fmt::Display>(
    start: (&str, Option<T>),
    end: (&str, Option<T>),
) -> Result<(), ApiError> {
    match (start.1, end.1) {
        (Some(from), Some(to)) if to < from => Err(ApiError::field(
            end.0,
            "before_start",
            format!(
                "`{}` ({to}) trước `{}` ({from}): không có gì trong khoảng này.",
                end.0, start.0
            ),
            format!(
                "`{}` ({to}) is before `{}` ({from}): the span holds nothing.",
                end.0, start.0
            ),
        )),
        _ => Ok(()),
    }
}

/// A list's `q`, folded as stored search texts are (case and Vietnamese diacritics ignored);
/// `None` when absent or when nothing is left of it.
pub fn search_term(q: Option<&str>) -> Option<String> {
    q.map(tgpl_domain::text::fold).filter(|q| !q.is_empty())
}

/// The schema of a list's `sort` parameter: the accepted values of [`parse_sort`].
pub fn sort_schema<S>(options: &[(&str, S)]) -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(options.iter().map(|(key, _)| *key)))
        .description(Some(
            "Order of the list; a leading `-` sorts in descending order.",
        ))
        .build()
}

/// Reads a list's `sort` parameter: one of `options` (a descending order is its own entry,
/// spelled with a leading `-`), or `default` when absent. Anything else is a 422 that names
/// the accepted values.
pub fn parse_sort<S: Copy>(
    raw: Option<&str>,
    default: S,
    options: &[(&str, S)],
) -> Result<S, ApiError> {
    let Some(raw) = raw else {
        return Ok(default);
    };
    match options.iter().find(|(key, _)| *key == raw) {
        Some((_, sort)) => Ok(*sort),
        None => {
            let accepted = options
                .iter()
                .map(|(key, _)| *key)
                .collect::<Vec<_>>()
                .join(", ");
            Err(ApiError::field(
                "sort",
                "unknown_sort",
                format!("Không sắp xếp được theo `{raw}`; dùng một trong: {accepted}."),
                format!("Cannot sort by `{raw}`; use one of: {accepted}."),
            ))
        }
    }
}

impl PageQuery {
    pub fn request(&self) -> Result<PageRequest, ApiError> {
        let page = self.page.unwrap_or(1);
        let size = self.page_size.unwrap_or(DEFAULT_PAGE_SIZE);
        if !(1..=MAX_PAGE).contains(&page) {
            return Err(ApiError::field(
                "page",
                "range",
                format!("Số trang phải từ 1 đến {MAX_PAGE}."),
                format!("page must be between 1 and {MAX_PAGE}."),
            ));
        }
        if !(1..=MAX_PAGE_SIZE).contains(&size) {
            return Err(ApiError::field(
                "page_size",
                "range",
                format!("Số mục mỗi trang phải từ 1 đến {MAX_PAGE_SIZE}."),
                format!("page_size must be between 1 and {MAX_PAGE_SIZE}."),
            ));
        }
        Ok(PageRequest { page, size })
    }
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    pub page: u32,
    pub page_size: u32,
    /// Items matching the filters, on all pages.
    pub total: i64,
    /// The next page, with the same filters; absent on the last page.
    pub next: Option<String>,
}

impl<T: ToSchema> Page<T> {
    pub fn new<R>(
        req: &HttpRequest,
        page: PageRequest,
        paged: Paged<R>,
        map: impl FnMut(R) -> T,
    ) -> Self {
        let seen = page.offset() + paged.items.len() as i64;
        let next = (seen < paged.total).then(|| next_link(req, page.page + 1));
        Self {
            items: paged.items.into_iter().map(map).collect(),
            page: page.page,
            page_size: page.size,
            total: paged.total,
            next,
        }
    }
}

/// `until_id` as a log's list takes it: an entry's id, from 1; 422 `out_of_range` otherwise.
pub fn check_until_id(until_id: Option<i64>) -> Result<(), ApiError> {
    if until_id.is_some_and(|id| id < 1) {
        return Err(ApiError::field(
            "until_id",
            "out_of_range",
            "until_id là mã của một mục nhật ký, từ 1.",
            "until_id is an entry's id, from 1.",
        ));
    }
    Ok(())
}

impl<T: ToSchema> Page<T> {
    /// The page with its `next` link held to the log as this page saw it: `until_id`, the
    /// newest entry's id, unless the request held it already. Entries written while a reader
    /// pages through an append-only log then neither shift the pages (repeating entries)
    /// nor join them.
    pub fn held(mut self, until_id: Option<i64>, newest: impl Fn(&T) -> i64) -> Self {
        if until_id.is_none() {
            if let (Some(next), Some(first)) = (&mut self.next, self.items.first()) {
                next.push_str(&format!("&until_id={}", newest(first)));
            }
        }
        self
    }
}

fn next_link(req: &HttpRequest, page: u32) -> String {
    let mut params: Vec<&str> = req
        .query_string()
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("page="))
        .collect();
    let page_param = format!("page={page}");
    params.push(&page_param);
    format!("{}?{}", req.path(), params.join("&"))
}
