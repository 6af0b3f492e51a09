//! The records behind one cell of a table: what an officer who doubts a figure opens.

use super::records::{covered, form_of, href, period_of, read, Open};
use super::*;
use crate::http::page::{Page, PageQuery};
use actix_web::HttpRequest;
use tgpl_persistence::page::Paged;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CellQuery {
    /// As for the table; the caller's own organization when absent.
    pub organization_id: Option<String>,
    /// As for the table.
    #[param(example = "2025-9M")]
    pub period: String,
}

/// A record a cell counts, and where to read it.
#[derive(Serialize, ToSchema)]
pub struct CellRecordView {
    pub id: String,
    /// The record's own resource (a person-time is read through its case), answered under
    /// that resource's own access rules.
    #[schema(example = "/api/v1/cases/0193…")]
    pub href: String,
}

/// The records behind one cell of a form filled for an organization's subtree and a period:
/// exactly those the figure counts (`total` is the figure), in a stable order, a page at a
/// time. Cases for forms of cases and of person-times, requests for review, staff, or
/// organizations.
#[utoipa::path(
    operation_id = "listStatisticalCellRecords",
    tag = "statistics",
    params(
        ("form" = String, Path, description = "The form's code, e.g. `tt02-2011-bm1`"),
        ("row" = String, Path, description = "A row's code, as in the table: `total`, `I.criminal`, `IV.none`, `I.criminal.litigation`"),
        ("column" = u8, Path, minimum = 1, description = "A column's number, as printed (from 1)"),
        CellQuery,
        PageQuery
    ),
    responses(
        (status = 200, description = "The records behind the cell.", body = Page<CellRecordView>),
        (status = 403, description = "Service clients and contracted lawyers read released figures only.", body = crate::http::error::Problem),
    )
)]
#[get("/statistics/forms/{form}/cells/{row}/{column}")]
pub async fn cell_records(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
    query: Query<CellQuery>,
    paging: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let (form, row, column) = path.into_inner();
    let form = form_of(&form)?;
    // A column is named by its number as printed: digits, no sign, no leading zero.
    let printed = !column.is_empty()
        && column.bytes().all(|b| b.is_ascii_digit())
        && !column.starts_with('0');
    let cell = printed
        .then(|| column.parse::<u8>().ok())
        .flatten()
        .and_then(|number| form.cell_at(&row, number))
        .ok_or_else(ApiError::not_found)?;
    let page = paging.request()?;
    let q = query.0;
    let period = period_of(form, &q.period)?;
    let root = q.organization_id.unwrap_or_else(|| caller.org_id.clone());
    let ids = state
        .db(move |conn| {
            let (_, covered) = covered(conn, &caller, &root, &period)?;
            read(
                conn,
                form,
                &covered,
                &period,
                Open {
                    cell,
                    period: &period,
                },
            )
        })
        .await?;
    let total = i64::try_from(ids.len()).unwrap_or(i64::MAX);
    let items = ids
        .into_iter()
        .skip(usize::try_from(page.offset()).unwrap_or(usize::MAX))
        .take(usize::try_from(page.limit()).unwrap_or(0))
        .collect();
    let paged = Paged { items, total };
    Ok(
        HttpResponse::Ok().json(Page::new(&req, page, paged, |id: String| CellRecordView {
            href: href(form.subject, &id),
            id,
        })),
    )
}
