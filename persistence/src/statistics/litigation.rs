//! What the monthly litigation notice reads (`tgpl_domain::statistics::litigation_notice`):
//! the litigation cases accepted, closed and appraised in a range of days, and which
//! organizations touched any case in a range of instants.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use tgpl_domain::case::{CaseState, Proceedings, Transition};
use tgpl_domain::label::Vocabulary;
use tgpl_domain::reference::AidForm;
use tgpl_domain::statistics::litigation_notice::LitigationEvent;

use crate::column::{Code, Json};
use crate::db::DbConnection;
use crate::error::StoreResult;
use crate::schema::{case_events, cases};

/// One event of a litigation case: the organization handling it, what, and on which day.
pub type Dated = (String, LitigationEvent, NaiveDate);

/// A closed litigation case: its organization, state, defence outcome and closing day.
type Closed = (String, Code<CaseState>, Option<bool>, Option<NaiveDate>);

/// The litigation cases (deleted ones aside) accepted, closed after acceptance, or appraised
/// from `from` to `to`, as events of their organizations.
pub fn litigation_events(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<Dated>> {
    let litigation = AidForm::Litigation.code();
    let accepted: Vec<(String, Option<Json<Proceedings>>, Option<NaiveDate>)> =
        crate::on_engine!(conn, |c| cases::table
            .filter(cases::form.eq(litigation))
            .filter(cases::deleted_at.is_null())
            .filter(cases::accepted_on.between(from, to))
            .select((
                cases::organization_id,
                cases::litigation,
                cases::accepted_on
            ))
            .load(c))?;
    let closed: Vec<Closed> = crate::on_engine!(conn, |c| cases::table
        .filter(cases::form.eq(litigation))
        .filter(cases::deleted_at.is_null())
        .filter(cases::accepted_on.is_not_null())
        .filter(cases::closed_on.between(from, to))
        .select((
            cases::organization_id,
            cases::state,
            cases::defence_accepted,
            cases::closed_on,
        ))
        .load(c))?;
    let appraised: Vec<(String, NaiveDate)> = crate::on_engine!(conn, |c| case_events::table
        .inner_join(cases::table.on(cases::id.eq(case_events::case_id)))
        .filter(case_events::step.eq(Transition::EvaluateQuality.code()))
        .filter(case_events::occurred_on.between(from, to))
        .filter(cases::form.eq(litigation))
        .filter(cases::deleted_at.is_null())
        .select((cases::organization_id, case_events::occurred_on))
        .load(c))?;
    let mut out = Vec::with_capacity(accepted.len() + closed.len() + appraised.len());
    for (org, proceedings, on) in accepted {
        let role = proceedings.and_then(|p| p.0.role);
        if let Some(on) = on {
            out.push((org, LitigationEvent::Accepted(role), on));
        }
    }
    for (org, state, defence_accepted, on) in closed {
        if let Some(on) = on {
            let successful = state.is_concluded() && defence_accepted == Some(true);
            out.push((org, LitigationEvent::Closed { successful }, on));
        }
    }
    for (org, on) in appraised {
        out.push((org, LitigationEvent::Appraised, on));
    }
    Ok(out)
}

/// The organizations that created a case or recorded a step of one from `from` (included)
/// to `to` (excluded), instants in UTC.
pub fn organizations_active(
    conn: &mut DbConnection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> StoreResult<Vec<String>> {
    let mut created: Vec<String> = crate::on_engine!(conn, |c| cases::table
        .filter(cases::created_at.ge(from))
        .filter(cases::created_at.lt(to))
        .select(cases::organization_id)
        .distinct()
        .load(c))?;
    let stepped: Vec<String> = crate::on_engine!(conn, |c| case_events::table
        .inner_join(cases::table.on(cases::id.eq(case_events::case_id)))
        .filter(case_events::recorded_at.ge(from))
        .filter(case_events::recorded_at.lt(to))
        .select(cases::organization_id)
        .distinct()
        .load(c))?;
    created.extend(stepped);
    created.sort_unstable();
    created.dedup();
    Ok(created)
}
