//! Requests for review, as form 2 reads them.

use chrono::NaiveDate;
use diesel::prelude::*;
use tgpl_domain::case::ReviewKind;
use tgpl_domain::statistics::{Identified, ReviewRecord};

use crate::column::Code;
use crate::db::DbConnection;
use crate::error::StoreResult;
use crate::schema::review_requests;

/// The columns of a request for review that form 2 reads.
#[derive(Queryable, Selectable)]
#[diesel(table_name = review_requests)]
struct ReviewFacts {
    id: String,
    kind: Code<ReviewKind>,
    sent_on: Option<NaiveDate>,
    answered_on: Option<NaiveDate>,
}

/// The requests for review of `organizations` sent or answered from `from` to `to`
/// (deleted ones are not counted).
pub fn reviews_sent_or_answered(
    conn: &mut DbConnection,
    organizations: &[String],
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<Identified<ReviewRecord>>> {
    let mut records = Vec::new();
    for chunk in organizations.chunks(10_000) {
        let facts: Vec<ReviewFacts> = crate::on_engine!(conn, |c| review_requests::table
            .filter(review_requests::organization_id.eq_any(chunk))
            .filter(review_requests::deleted_at.is_null())
            .filter(
                review_requests::sent_on
                    .between(from, to)
                    .or(review_requests::answered_on.between(from, to)),
            )
            .select(ReviewFacts::as_select())
            .load(c))?;
        records.extend(facts.into_iter().map(|r| Identified {
            id: r.id,
            record: ReviewRecord {
                kind: *r.kind,
                sent_on: r.sent_on,
                answered_on: r.answered_on,
            },
        }));
    }
    Ok(records)
}
