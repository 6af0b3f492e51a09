//! The records the statistical forms count, read from the stored cases and requests for
//! review.

use chrono::NaiveDate;
use diesel::prelude::*;
use tgpl_domain::case::ReviewKind;
use tgpl_domain::reference::{AidForm, AidPlace, Field, ProviderKind};
use tgpl_domain::statistics::{CaseRecord, ReviewRecord};

use crate::column::Code;
use crate::db::DbConnection;
use crate::error::StoreResult;
use crate::schema::{cases, review_requests};

/// The columns of a case that form 1 reads.
#[derive(Queryable, Selectable)]
#[diesel(table_name = cases)]
struct CaseFacts {
    accepted_on: Option<NaiveDate>,
    closed_on: Option<NaiveDate>,
    transferred_from_case_id: Option<String>,
    transferred_to_org_id: Option<String>,
    field: Code<Field>,
    form: Code<AidForm>,
    place: Code<AidPlace>,
    provider_kind: Option<Code<ProviderKind>>,
}

impl From<CaseFacts> for CaseRecord {
    fn from(c: CaseFacts) -> Self {
        Self {
            accepted_on: c.accepted_on,
            transferred_in: c.transferred_from_case_id.is_some(),
            closed_on: c.closed_on,
            transferred_out: c.transferred_to_org_id.is_some(),
            field: *c.field,
            form: *c.form,
            place: *c.place,
            provider_kind: c.provider_kind.map(|k| *k),
        }
    }
}

/// The cases of `organizations` that were in hand at some time from `from` to `to`: accepted
/// by `to` and not ended before `from` (deleted cases are not counted).
pub fn cases_in_hand(
    conn: &mut DbConnection,
    organizations: &[String],
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<CaseRecord>> {
    let mut records = Vec::new();
    // Bounded lists of organizations keep every statement under SQLite's parameter limit.
    for chunk in organizations.chunks(10_000) {
        let facts: Vec<CaseFacts> = crate::on_engine!(conn, |c| cases::table
            .filter(cases::organization_id.eq_any(chunk))
            .filter(cases::deleted_at.is_null())
            .filter(cases::accepted_on.le(to))
            .filter(cases::closed_on.is_null().or(cases::closed_on.ge(from)))
            .select(CaseFacts::as_select())
            .load(c))?;
        records.extend(facts.into_iter().map(CaseRecord::from));
    }
    Ok(records)
}

/// The columns of a request for review that form 2 reads.
#[derive(Queryable, Selectable)]
#[diesel(table_name = review_requests)]
struct ReviewFacts {
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
) -> StoreResult<Vec<ReviewRecord>> {
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
        records.extend(facts.into_iter().map(|r| ReviewRecord {
            kind: *r.kind,
            sent_on: r.sent_on,
            answered_on: r.answered_on,
        }));
    }
    Ok(records)
}
