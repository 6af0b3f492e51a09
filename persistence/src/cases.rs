//! Cases, their codes and their history.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use tgpl_domain::audit::AuditAction;
use tgpl_domain::case::{
    Case, CaseState, LitigationRole, Proceedings, QualityEvaluation, SuccessKind,
};
use tgpl_domain::label::Vocabulary;
use tgpl_domain::reference::{AidForm, AidPlace, Field, ProviderKind};

use crate::audit::{self, Actor, Change};
use crate::column::{Code, Json};
use crate::db::{write_transaction, Backend, DbConnection};
use crate::error::{StoreError, StoreResult};
use crate::page::{PageRequest, Paged};
use crate::schema::{case_events, case_sequences, cases};
use crate::statistics::tally;

const RESOURCE: &str = "case";

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Serialize)]
#[diesel(table_name = cases, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct CaseRow {
    pub id: String,
    pub code: String,
    pub group_ref: Option<String>,
    pub organization_id: String,
    pub recipient_id: String,
    pub requester_name: Option<String>,
    pub requester_relation: Option<String>,
    pub received_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub field: Code<Field>,
    pub form: Code<AidForm>,
    pub place: Code<AidPlace>,
    pub provider_id: Option<String>,
    pub provider_kind: Option<Code<ProviderKind>>,
    pub summary: String,
    #[serde(skip)]
    pub search_text: String,
    /// The proceedings of a litigation case.
    pub litigation: Option<Json<Proceedings>>,
    pub outcome_on: Option<NaiveDate>,
    pub defence_accepted: Option<bool>,
    pub success_kind: Option<Code<SuccessKind>>,
    pub state: Code<CaseState>,
    pub closed_on: Option<NaiveDate>,
    pub closing_grounds: Option<String>,
    pub transferred_from_case_id: Option<String>,
    pub transferred_to_org_id: Option<String>,
    pub quality: Option<Json<QualityEvaluation>>,
    #[serde(serialize_with = "crate::instant::utc_opt")]
    pub deleted_at: Option<NaiveDateTime>,
    pub version: i64,
    #[serde(serialize_with = "crate::instant::utc")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::instant::utc")]
    pub updated_at: NaiveDateTime,
    /// The organization that received the person (see `recipients::RecipientFilter`).
    #[serde(skip)]
    pub recipient_organization_id: String,
    /// When the day the case was closed was recorded (the ranking of provinces measures how
    /// long after a closing it is recorded); kept by [`CaseRow::set_case`].
    #[serde(skip)]
    pub closed_recorded_at: Option<NaiveDateTime>,
}

crate::versioned::versioned_rows!(CaseRow);

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = case_events, treat_none_as_default_value = false)]
pub struct EventRow {
    pub id: String,
    pub case_id: String,
    /// The step's code (`receive`, a [`Transition`], or a change request's `unarchive`,
    /// `change_request_edit`, `change_request_delete`).
    pub step: String,
    pub from_state: Option<Code<CaseState>>,
    pub to_state: Code<CaseState>,
    pub occurred_on: NaiveDate,
    #[serde(serialize_with = "crate::instant::utc")]
    pub recorded_at: NaiveDateTime,
    pub actor_account_id: Option<String>,
    pub actor_username: String,
    pub reason: Option<String>,
    /// JSON with what the step recorded (provider, grounds, outcome...).
    pub details: Option<String>,
}

impl EventRow {
    pub fn new(
        case: &CaseRow,
        actor: &Actor,
        step: &str,
        from: Option<CaseState>,
        occurred_on: NaiveDate,
        reason: Option<String>,
        details: Option<String>,
    ) -> Self {
        Self {
            id: crate::new_id(),
            case_id: case.id.clone(),
            step: step.to_owned(),
            from_state: from.map(Code),
            to_state: case.state,
            occurred_on,
            recorded_at: crate::now(),
            actor_account_id: actor.account_id.clone(),
            actor_username: actor.username.clone(),
            reason,
            details,
        }
    }
}

impl CaseRow {
    /// The facts of this case as the domain reads them.
    pub fn case(&self) -> Case {
        Case {
            state: *self.state,
            field: *self.field,
            form: *self.form,
            received_on: self.received_on,
            accepted_on: self.accepted_on,
            provider_id: self.provider_id.clone(),
            provider_kind: self.provider_kind.map(|k| *k),
            proceedings: self.litigation.clone().map(|j| j.0),
            outcome_on: self.outcome_on,
            defence_accepted: self.defence_accepted,
            success_kind: self.success_kind.map(|k| *k),
            closed_on: self.closed_on,
            closing_grounds: self.closing_grounds.clone(),
            transferred_to: self.transferred_to_org_id.clone(),
            quality: self.quality.clone().map(|j| j.0),
        }
    }

    /// Writes the facts of `case` into this row.
    pub fn set_case(&mut self, case: &Case) {
        self.state = Code(case.state);
        self.field = Code(case.field);
        self.form = Code(case.form);
        self.received_on = case.received_on;
        self.accepted_on = case.accepted_on;
        self.provider_id = case.provider_id.clone();
        self.provider_kind = case.provider_kind.map(Code);
        self.litigation = case.proceedings.clone().map(Json);
        self.outcome_on = case.outcome_on;
        self.defence_accepted = case.defence_accepted;
        self.success_kind = case.success_kind.map(Code);
        if self.closed_on != case.closed_on {
            self.closed_recorded_at = case.closed_on.map(|_| crate::now());
        }
        self.closed_on = case.closed_on;
        self.closing_grounds = case.closing_grounds.clone();
        self.transferred_to_org_id = case.transferred_to.clone();
        self.quality = case.quality.clone().map(Json);
    }
}

/// Takes the next sequence number of an organization's cases for a year, in one statement
/// that creates the year's counter or moves it. The counter's row stays locked until the
/// statement's transaction ends, so two cases never get one number; a number taken by a case
/// that failed or was deleted later is never given again.
pub fn next_sequence(
    conn: &mut DbConnection,
    organization_id: &str,
    year: i32,
) -> StoreResult<i64> {
    Ok(crate::on_engine!(conn, |c| diesel::insert_into(
        case_sequences::table
    )
    .values((
        case_sequences::organization_id.eq(organization_id),
        case_sequences::year.eq(year),
        case_sequences::last_value.eq(1i64),
    ))
    .on_conflict((case_sequences::organization_id, case_sequences::year))
    .do_update()
    .set(case_sequences::last_value.eq(case_sequences::last_value + 1))
    .returning(case_sequences::last_value)
    .get_result(c))?)
}

/// Creates a case with its first history event. `make` receives the case code's sequence
/// number, taken in the same transaction.
pub fn insert(
    conn: &mut DbConnection,
    actor: &Actor,
    organization_id: &str,
    year: i32,
    receipt_details: Option<String>,
    make: impl FnOnce(i64) -> CaseRow,
) -> StoreResult<CaseRow> {
    // The number is taken before the case's own transaction: outside another one, its
    // statement commits at once, and concurrent creations in one organization wait for each
    // other only during that statement, not during each other's inserts and commit. A
    // creation that fails after it leaves its number unused.
    let sequence = next_sequence(conn, organization_id, year)?;
    write_transaction(conn, |conn| {
        let row = make(sequence);
        crate::on_engine!(&mut *conn, |c| diesel::insert_into(cases::table)
            .values(&row)
            .execute(c))?;
        let event = EventRow::new(
            &row,
            actor,
            "receive",
            None,
            row.received_on,
            None,
            receipt_details,
        );
        crate::on_engine!(&mut *conn, |c| diesel::insert_into(case_events::table)
            .values(&event)
            .execute(c))?;
        audit::record(
            conn,
            actor,
            Change::created(AuditAction::CaseCreate, RESOURCE, &row.id, &row),
        )?;
        Ok(row)
    })
}

/// The litigation roles `provider_id` holds in the cases of the proceedings `group_ref`
/// other than `except_case_id` (cases not deleted).
pub fn roles_in_group(
    conn: &mut DbConnection,
    group_ref: &str,
    provider_id: &str,
    except_case_id: &str,
) -> StoreResult<Vec<LitigationRole>> {
    let proceedings: Vec<Option<Json<Proceedings>>> = cases::table
        .filter(cases::group_ref.eq(group_ref))
        .filter(cases::provider_id.eq(provider_id))
        .filter(cases::id.ne(except_case_id))
        .filter(cases::deleted_at.is_null())
        .select(cases::litigation)
        .load(conn)?;
    Ok(proceedings
        .into_iter()
        .filter_map(|p| p.and_then(|p| p.0.role))
        .collect())
}

/// A case that exists and was not deleted.
pub fn get(conn: &mut DbConnection, id: &str) -> StoreResult<CaseRow> {
    crate::on_engine!(conn, |c| cases::table
        .find(id)
        .filter(cases::deleted_at.is_null())
        .select(CaseRow::as_select())
        .first(c))
    .map_err(StoreError::from)
}

/// A case even if deleted (for change requests that restore or inspect it).
pub fn get_any(conn: &mut DbConnection, id: &str) -> StoreResult<CaseRow> {
    cases::table
        .find(id)
        .select(CaseRow::as_select())
        .first(conn)
        .map_err(StoreError::from)
}

/// A case as the audit log keeps it. The entry of a step carries, with the case after it, the
/// step itself (its name, day, reason and what it recorded) as the case's history keeps it,
/// so that the audit alone says what was done and why.
#[derive(Serialize)]
struct Audited {
    #[serde(flatten)]
    case: CaseRow,
    #[serde(skip_serializing_if = "Option::is_none")]
    step: Option<EventRow>,
}

/// Writes `after` over `before` (edit, delete, or a step with its event).
pub fn save(
    conn: &mut DbConnection,
    actor: &Actor,
    action: AuditAction,
    before: &CaseRow,
    after: &CaseRow,
    event: Option<&EventRow>,
) -> StoreResult<()> {
    write_transaction(conn, |conn| {
        // The figures move with the case, in the same transaction.
        let moved = tally::cases_moved_with(conn, std::slice::from_ref(&after.id))?;
        let moving = tally::Moving::before(conn, moved)?;
        crate::save_versioned!(
            conn,
            actor,
            action,
            RESOURCE,
            cases.id,
            before,
            after,
            |c: &CaseRow| Audited {
                case: c.clone(),
                step: event.filter(|_| c.version == after.version).cloned(),
            }
        )?;
        if let Some(event) = event {
            diesel::insert_into(case_events::table)
                .values(event)
                .execute(conn)?;
        }
        moving.settle(conn)
    })
}

pub fn events(conn: &mut DbConnection, case_id: &str) -> StoreResult<Vec<EventRow>> {
    Ok(case_events::table
        .filter(case_events::case_id.eq(case_id))
        .order((case_events::recorded_at.asc(), case_events::id.asc()))
        .select(EventRow::as_select())
        .load(conn)?)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CaseSort {
    #[default]
    ReceivedDesc,
    Received,
    Code,
    CodeDesc,
}

#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub organizations: Option<Vec<String>>,
    /// The caller's scope within those organizations: only the cases this staff record
    /// performs (a contracted lawyer's, `tgpl_domain::case::performs_only`).
    pub performed_by: Option<String>,
    pub states: Option<Vec<String>>,
    pub field: Option<String>,
    pub form: Option<String>,
    pub provider_id: Option<String>,
    pub recipient_id: Option<String>,
    /// The statistical category of the aided person.
    pub recipient_category: Option<String>,
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
    /// Successful litigation cases (`Case::is_successful_litigation`): concluded, with the
    /// defence view accepted; `Some(false)`: cases without an accepted defence view.
    pub successful: Option<bool>,
    pub outcome_from: Option<NaiveDate>,
    pub outcome_to: Option<NaiveDate>,
    /// Already folded with `tgpl_domain::text::fold`: matches code and summary.
    pub search: Option<String>,
    /// Where `search` also matches the aided person's name: the organizations whose
    /// recipients the caller may see (`None`: everywhere).
    pub search_names_in: Option<Option<Vec<String>>>,
    pub sort: CaseSort,
}

fn filtered(f: &CaseFilter, sqlite: bool) -> cases::BoxedQuery<'static, Backend> {
    let mut q = cases::table
        .filter(cases::deleted_at.is_null())
        .into_boxed::<Backend>();
    if let Some(ids) = &f.organizations {
        q = q.filter(cases::organization_id.eq_any(ids.clone()));
    }
    if let Some(v) = &f.states {
        q = q.filter(cases::state.eq_any(v.clone()));
    }
    if let Some(v) = &f.field {
        q = q.filter(cases::field.eq(v.clone()));
    }
    if let Some(v) = &f.form {
        q = q.filter(cases::form.eq(v.clone()));
    }
    if let Some(v) = &f.provider_id {
        q = q.filter(cases::provider_id.eq(v.clone()));
    }
    if let Some(v) = &f.performed_by {
        q = q.filter(cases::provider_id.eq(v.clone()));
    }
    if let Some(v) = &f.recipient_id {
        q = q.filter(cases::recipient_id.eq(v.clone()));
    }
    if let Some(v) = &f.recipient_category {
        use crate::schema::recipients;
        let of_category = recipients::table
            .filter(recipients::statistical_category.eq(v.clone()))
            .select(recipients::id);
        q = q.filter(cases::recipient_id.eq_any(of_category));
    }
    if let Some(v) = f.received_from {
        q = q.filter(cases::received_on.ge(v));
    }
    if let Some(v) = f.received_to {
        q = q.filter(cases::received_on.le(v));
    }
    if let Some(v) = f.outcome_from {
        q = q.filter(cases::outcome_on.ge(v));
    }
    if let Some(v) = f.outcome_to {
        q = q.filter(cases::outcome_on.le(v));
    }
    match f.successful {
        // `tgpl_domain::case::Case::is_successful_litigation`, as a query.
        Some(true) => {
            let concluded: Vec<&str> = CaseState::CONCLUDED.iter().map(|s| s.code()).collect();
            q = q
                .filter(cases::form.eq(AidForm::Litigation.code()))
                .filter(cases::state.eq_any(concluded))
                .filter(cases::defence_accepted.eq(true))
        }
        Some(false) => {
            q = q.filter(
                cases::defence_accepted
                    .is_null()
                    .or(cases::defence_accepted.eq(false)),
            )
        }
        None => {}
    }
    if let Some(v) = &f.search {
        use crate::schema::recipients;
        let by_text = crate::contains_folded::<cases::table, _>(cases::search_text, v, sqlite);
        // A subquery must be written for each engine: diesel cannot nest a boxed condition.
        macro_rules! or_named {
            ($named:expr) => {{
                let named = recipients::table.filter($named).select(recipients::id);
                match &f.search_names_in {
                    None => q.filter(by_text),
                    Some(None) => q.filter(by_text.or(cases::recipient_id.eq_any(named))),
                    Some(Some(orgs)) => q.filter(
                        by_text.or(cases::organization_id
                            .eq_any(orgs.clone())
                            .and(cases::recipient_id.eq_any(named))),
                    ),
                }
            }};
        }
        q = if sqlite {
            or_named!(crate::Glob::new(
                recipients::name_key,
                crate::glob_pattern(v).into_sql::<diesel::sql_types::Text>()
            ))
        } else {
            or_named!(recipients::name_key
                .like(crate::like_pattern(v))
                .escape('\\'))
        };
    }
    q
}

pub fn list(
    conn: &mut DbConnection,
    filter: &CaseFilter,
    page: PageRequest,
) -> StoreResult<Paged<CaseRow>> {
    let sqlite = crate::db::is_sqlite(conn);
    let q = filtered(filter, sqlite);
    let q = match filter.sort {
        CaseSort::ReceivedDesc => q.order((cases::received_on.desc(), cases::code.desc())),
        CaseSort::Received => q.order((cases::received_on.asc(), cases::code.asc())),
        CaseSort::Code => q.order(cases::code.asc()),
        CaseSort::CodeDesc => q.order(cases::code.desc()),
    };
    let items = q
        .limit(page.limit())
        .offset(page.offset())
        .select(CaseRow::as_select())
        .load(conn)?;
    Ok(Paged::counted(items, page, || {
        filtered(filter, sqlite).count().get_result(conn)
    })?)
}

/// Every case matching the filter, unpaged (reports and samples; the caller bounds the
/// filter).
pub fn all(conn: &mut DbConnection, filter: &CaseFilter) -> StoreResult<Vec<CaseRow>> {
    Ok(filtered(filter, crate::db::is_sqlite(conn))
        .order(cases::code.asc())
        .select(CaseRow::as_select())
        .load(conn)?)
}
