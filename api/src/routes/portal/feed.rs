//! The feed of progress entries, read after a cursor.

use super::*;
use crate::services::dossiers::FeedEntry;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// The position read last (`next_cursor` of the previous page); 0 to start.
    #[param(minimum = 0)]
    pub after: Option<i64>,
    /// Entries per page: 1 to 1000, 100 unless given.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct FeedPage {
    /// In order of position.
    pub entries: Vec<FeedEntry>,
    /// The cursor to read after next: the last entry's position, or `after` when none.
    pub next_cursor: i64,
    /// Whether entries committed after this page were already waiting.
    pub more: bool,
}

/// The dossiers' progress entries after a cursor, in order, paged. Positions increase by
/// one without gaps and an entry is visible only once every entry before it is: a client
/// that reads after the last position it holds never misses one, whatever order the writes
/// committed in. The portal, and the data centre.
#[utoipa::path(
    operation_id = "readDossierFeed",
    tag = "portal",
    params(FeedQuery),
    responses(
        (status = 200, description = "The entries after the cursor.", body = FeedPage),
        (status = 403, description = "The portal and the data centre only.", body = Problem),
    )
)]
#[get("/portal/feed")]
pub async fn read_feed(
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<FeedQuery>,
) -> Result<HttpResponse, ApiError> {
    scope::authorize_system(&caller, SystemAction::ReadDossierFeed)?;
    let after = query.0.after.unwrap_or(0);
    let limit = query.0.limit.unwrap_or(100);
    if after < 0 {
        return Err(ApiError::field(
            "after",
            "range",
            "Con trỏ không âm.",
            "after is not negative.",
        ));
    }
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::field(
            "limit",
            "range",
            "Số mục mỗi trang từ 1 đến 1000.",
            "limit is 1 to 1000.",
        ));
    }
    let page = state
        .db(move |conn| {
            let mut rows = progress_feed::after(conn, after, i64::from(limit) + 1)?;
            let more = rows.len() > limit as usize;
            rows.truncate(limit as usize);
            let ids: Vec<String> = rows.iter().map(|r| r.dossier_id.clone()).collect();
            let dossier_codes = dossiers::codes_of(conn, &ids)?;
            let next_cursor = rows.last().map_or(after, |r| r.position);
            let entries = rows
                .into_iter()
                .map(|r| {
                    let code = dossier_codes
                        .get(&r.dossier_id)
                        .cloned()
                        .unwrap_or_default();
                    FeedEntry::of(r, code)
                })
                .collect();
            Ok(FeedPage {
                entries,
                next_cursor,
                more,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}
