//! Organizations and their dated parent links.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use tgpl_domain::audit::AuditAction;
use tgpl_domain::hierarchy::ParentLink;
use tgpl_domain::label::Vocabulary;
use tgpl_domain::organization::OrganizationFacts;
use tgpl_domain::participation::Standing;

use crate::audit::{self, Actor, Change};
use crate::column::{Code, Json};
use crate::db::{write_transaction, Backend, DbConnection};
use crate::error::{StoreError, StoreResult};
use crate::in_force::{link_holds_on, published_on};
use crate::page::{PageRequest, Paged};
use crate::schema::{organization_links, organizations};
use tgpl_domain::organization::{
    OrganizationKind, OrganizationStatus, ParticipationMode, ParticipationScope,
    ParticipationStatus,
};

const RESOURCE: &str = "organization";

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Serialize)]
#[diesel(table_name = organizations, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct OrganizationRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub name_en: Option<String>,
    pub kind: Code<OrganizationKind>,
    pub province_code: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub status: Code<OrganizationStatus>,
    pub participation_mode: Option<Code<ParticipationMode>>,
    pub certificate_number: Option<String>,
    pub participation_scope: Option<Json<ParticipationScope>>,
    pub participation_valid_from: Option<NaiveDate>,
    pub participation_valid_to: Option<NaiveDate>,
    pub deactivated_on: Option<NaiveDate>,
    #[serde(skip)]
    pub search_text: String,
    pub version: i64,
    #[serde(serialize_with = "crate::instant::utc")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::instant::utc")]
    pub updated_at: NaiveDateTime,
    /// `active`, `terminated` or `revoked` while the organization has participation details.
    pub participation_status: Option<Code<ParticipationStatus>>,
    pub participation_amended_on: Option<NaiveDate>,
    pub participation_ended_on: Option<NaiveDate>,
    pub participation_end_reason: Option<String>,
}

crate::versioned::versioned_rows!(OrganizationRow);

impl OrganizationRow {
    /// What the rules need to know of this organization when another record points to it.
    pub fn facts(&self) -> OrganizationFacts {
        OrganizationFacts {
            kind: *self.kind,
            active: *self.status == OrganizationStatus::Active,
            province_code: self.province_code.clone(),
        }
    }

    /// A new active organization with only the essentials filled in.
    pub fn new(
        code: String,
        name: String,
        kind: OrganizationKind,
        province_code: Option<String>,
    ) -> Self {
        let now = crate::now();
        let mut row = Self {
            id: crate::new_id(),
            code,
            name,
            name_en: None,
            kind: Code(kind),
            province_code,
            address: None,
            phone: None,
            email: None,
            status: Code(OrganizationStatus::Active),
            participation_mode: None,
            certificate_number: None,
            participation_scope: None,
            participation_valid_from: None,
            participation_valid_to: None,
            deactivated_on: None,
            search_text: String::new(),
            version: 1,
            created_at: now,
            updated_at: now,
            participation_status: None,
            participation_amended_on: None,
            participation_ended_on: None,
            participation_end_reason: None,
        };
        row.refresh_search_text();
        row
    }

    /// Recomputes the folded text that searches and name sorting use.
    pub fn refresh_search_text(&mut self) {
        self.search_text = tgpl_domain::text::fold(&format!("{} {}", self.name, self.code));
    }

    /// Whether the organization handles cases on `day` (`tgpl_domain::case::handles_cases_on`).
    pub fn handles_cases_on(&self, day: NaiveDate) -> bool {
        tgpl_domain::case::handles_cases_on(
            *self.kind,
            self.deactivated_on,
            self.standing().as_ref(),
            day,
        )
    }

    /// The organization's participation in legal aid, when it has one recorded.
    pub fn standing(&self) -> Option<Standing> {
        Some(Standing {
            mode: self.participation_mode.as_ref()?.0,
            status: self.participation_status.as_ref()?.0,
            valid_from: self.participation_valid_from?,
            valid_to: self.participation_valid_to,
            ended_on: self.participation_ended_on,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = organization_links, treat_none_as_default_value = false)]
pub struct LinkRow {
    pub id: String,
    pub org_id: String,
    pub parent_id: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

impl From<LinkRow> for ParentLink {
    fn from(l: LinkRow) -> Self {
        ParentLink {
            org_id: l.org_id,
            parent_id: l.parent_id,
            valid_from: l.valid_from,
            valid_to: l.valid_to,
        }
    }
}

/// What the audit log keeps of a creation: the organization and where it was hung.
#[derive(Serialize)]
struct Created<'a> {
    organization: &'a OrganizationRow,
    parent: Option<&'a LinkRow>,
}

/// Creates an organization, hung under `parent` from `valid_from` when it has one.
pub fn insert(
    conn: &mut DbConnection,
    actor: &Actor,
    row: &OrganizationRow,
    parent: Option<(&str, NaiveDate)>,
) -> StoreResult<()> {
    write_transaction(conn, |conn| {
        diesel::insert_into(organizations::table)
            .values(row)
            .execute(conn)?;
        let link = parent.map(|(parent_id, valid_from)| LinkRow {
            id: crate::new_id(),
            org_id: row.id.clone(),
            parent_id: parent_id.to_owned(),
            valid_from,
            valid_to: None,
        });
        if let Some(link) = &link {
            diesel::insert_into(organization_links::table)
                .values(link)
                .execute(conn)?;
        }
        audit::record(
            conn,
            actor,
            Change::created(
                AuditAction::OrganizationCreate,
                RESOURCE,
                &row.id,
                &Created {
                    organization: row,
                    parent: link.as_ref(),
                },
            ),
        )
    })
}

/// [`OrganizationRow::facts`] of organization `id`; `None` when there is none.
pub fn facts_of(conn: &mut DbConnection, id: &str) -> StoreResult<Option<OrganizationFacts>> {
    match get(conn, id) {
        Ok(row) => Ok(Some(row.facts())),
        Err(StoreError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

pub fn get(conn: &mut DbConnection, id: &str) -> StoreResult<OrganizationRow> {
    crate::on_engine!(conn, |c| organizations::table
        .find(id)
        .select(OrganizationRow::as_select())
        .first(c))
    .map_err(StoreError::from)
}

pub fn get_by_code(conn: &mut DbConnection, code: &str) -> StoreResult<Option<OrganizationRow>> {
    Ok(organizations::table
        .filter(organizations::code.eq(code))
        .select(OrganizationRow::as_select())
        .first(conn)
        .optional()?)
}

/// Writes `after` over `before`, provided nobody changed the row in between.
pub fn save(
    conn: &mut DbConnection,
    actor: &Actor,
    action: AuditAction,
    before: &OrganizationRow,
    after: &OrganizationRow,
) -> StoreResult<()> {
    crate::db::write_transaction(conn, |conn| {
        // How a practice takes part decides the affiliation its members' cases count under.
        let cases = if before.participation_mode != after.participation_mode {
            crate::statistics::tally::cases_given_by_members_of(conn, &after.id)?
        } else {
            Vec::new()
        };
        let moving = crate::statistics::tally::Moving::before(conn, cases)?;
        crate::save_versioned!(
            conn,
            actor,
            action,
            RESOURCE,
            organizations.id,
            before,
            after,
            |r: &OrganizationRow| r.clone()
        )?;
        moving.settle(conn)
    })
}

/// What the audit log keeps of a move.
#[derive(Serialize)]
struct Placement<'a> {
    organization: &'a OrganizationRow,
    link: Option<&'a LinkRow>,
}

/// Hangs `org` under `new_parent` from `effective_from`, closing the link in force then, and
/// writes `moved` (the organization as it is after the move) with a new version. The caller
/// has checked the domain rules (kinds, dates, cycles).
///
/// The organization's row is updated first: on PostgreSQL its lock, and on both engines its
/// version check, make a concurrent move of the same organization fail instead of leaving
/// it with two parents.
pub fn move_to(
    conn: &mut DbConnection,
    actor: &Actor,
    org: &OrganizationRow,
    moved: &OrganizationRow,
    new_parent: &str,
    effective_from: NaiveDate,
) -> StoreResult<LinkRow> {
    write_transaction(conn, |conn| {
        let mut after = moved.clone();
        after.version = org.version + 1;
        after.updated_at = crate::now();
        let updated = diesel::update(
            organizations::table
                .filter(organizations::id.eq(&org.id))
                .filter(organizations::version.eq(org.version)),
        )
        .set(&after)
        .execute(conn)?;
        if updated == 0 {
            return Err(StoreError::VersionMismatch);
        }
        let current = link_on(conn, &org.id, effective_from)?;
        if let Some(current) = &current {
            diesel::update(organization_links::table.find(&current.id))
                .set(organization_links::valid_to.eq(Some(effective_from)))
                .execute(conn)?;
        }
        let link = LinkRow {
            id: crate::new_id(),
            org_id: org.id.clone(),
            parent_id: new_parent.to_owned(),
            valid_from: effective_from,
            valid_to: None,
        };
        diesel::insert_into(organization_links::table)
            .values(&link)
            .execute(conn)?;
        audit::record(
            conn,
            actor,
            Change {
                action: AuditAction::OrganizationMove,
                resource_type: RESOURCE,
                resource_id: &org.id,
                before: Some(&Placement {
                    organization: org,
                    link: current.as_ref(),
                }),
                after: Some(&Placement {
                    organization: &after,
                    link: Some(&link),
                }),
            },
        )?;
        Ok(link)
    })
}

/// The link of `org_id` in force on `day`, if any.
pub fn link_on(
    conn: &mut DbConnection,
    org_id: &str,
    day: NaiveDate,
) -> StoreResult<Option<LinkRow>> {
    Ok(organization_links::table
        .filter(organization_links::org_id.eq(org_id))
        .filter(link_holds_on(day))
        .order(organization_links::valid_from.desc())
        .select(LinkRow::as_select())
        .first(conn)
        .optional()?)
}

/// Every link of every organization, of all time (to check a move against later days).
pub fn all_links(conn: &mut DbConnection) -> StoreResult<Vec<ParentLink>> {
    let rows: Vec<LinkRow> = organization_links::table
        .select(LinkRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(ParentLink::from).collect())
}

/// How many links of or to the organizations `ids` begin after `day`: moves recorded ahead
/// of their day, in or into that subtree.
pub fn links_ahead(conn: &mut DbConnection, ids: &[String], day: NaiveDate) -> StoreResult<i64> {
    Ok(organization_links::table
        .filter(organization_links::valid_from.gt(day))
        .filter(
            organization_links::org_id
                .eq_any(ids)
                .or(organization_links::parent_id.eq_any(ids)),
        )
        .count()
        .get_result(conn)?)
}

/// Every link of one organization, oldest first.
pub fn history(conn: &mut DbConnection, org_id: &str) -> StoreResult<Vec<LinkRow>> {
    Ok(organization_links::table
        .filter(organization_links::org_id.eq(org_id))
        .order(organization_links::valid_from.asc())
        .select(LinkRow::as_select())
        .load(conn)?)
}

/// Every link in force on `day`: the whole tree of that day.
pub fn links_on(conn: &mut DbConnection, day: NaiveDate) -> StoreResult<Vec<ParentLink>> {
    let rows: Vec<LinkRow> = organization_links::table
        .filter(link_holds_on(day))
        .order(organization_links::org_id.asc())
        .select(LinkRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(ParentLink::from).collect())
}

/// The stored version of the organization tree, moved by triggers on every change to the
/// parent links.
pub fn hierarchy_version(conn: &mut DbConnection) -> StoreResult<i64> {
    use crate::schema::hierarchy_version;
    Ok(hierarchy_version::table
        .find(1)
        .select(hierarchy_version::version)
        .first(conn)?)
}

/// Ancestors of `org_id` on `day`, nearest first. One indexed query per level; the tree is
/// at most six levels deep. Stops on a cycle.
pub fn ancestors(
    conn: &mut DbConnection,
    org_id: &str,
    day: NaiveDate,
) -> StoreResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    let mut current = org_id.to_owned();
    while let Some(link) = link_on(conn, &current, day)? {
        if link.parent_id == org_id || out.contains(&link.parent_id) {
            break;
        }
        out.push(link.parent_id.clone());
        current = link.parent_id;
    }
    Ok(out)
}

/// The parent on `day` of each of `ids` that has one.
pub fn parents_on(
    conn: &mut DbConnection,
    ids: &[String],
    day: NaiveDate,
) -> StoreResult<HashMap<String, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(String, String)> = organization_links::table
        .filter(organization_links::org_id.eq_any(ids))
        .filter(link_holds_on(day))
        .select((organization_links::org_id, organization_links::parent_id))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// Active organizations directly under `org_id` on `day`.
pub fn count_active_children(
    conn: &mut DbConnection,
    org_id: &str,
    day: NaiveDate,
) -> StoreResult<i64> {
    Ok(organization_links::table
        .inner_join(organizations::table.on(organizations::id.eq(organization_links::org_id)))
        .filter(organization_links::parent_id.eq(org_id))
        .filter(link_holds_on(day))
        .filter(organizations::status.eq(OrganizationStatus::Active.code()))
        .count()
        .get_result(conn)?)
}

/// How many provinces have an active Department of Justice: the areas a national release is
/// made of.
pub fn count_reporting_provinces(conn: &mut DbConnection) -> StoreResult<usize> {
    let provinces: Vec<Option<String>> = organizations::table
        .filter(organizations::kind.eq(OrganizationKind::Department.code()))
        .filter(organizations::status.eq(OrganizationStatus::Active.code()))
        .select(organizations::province_code)
        .distinct()
        .load(conn)?;
    Ok(provinces.into_iter().flatten().count())
}

pub fn get_many(conn: &mut DbConnection, ids: &[String]) -> StoreResult<Vec<OrganizationRow>> {
    Ok(organizations::table
        .filter(organizations::id.eq_any(ids))
        .select(OrganizationRow::as_select())
        .load(conn)?)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OrgSort {
    #[default]
    Name,
    NameDesc,
    Code,
    CodeDesc,
    CreatedAt,
    CreatedAtDesc,
}

#[derive(Debug, Clone, Default)]
pub struct OrgFilter {
    /// Restricts to these ids (the caller's scope, or the children of a parent).
    pub within: Option<Vec<String>>,
    pub kind: Option<String>,
    pub province_code: Option<String>,
    pub status: Option<String>,
    pub participation_mode: Option<String>,
    /// Already folded with `tgpl_domain::text::fold`.
    pub search: Option<String>,
    pub sort: OrgSort,
}

fn filtered(f: &OrgFilter, sqlite: bool) -> organizations::BoxedQuery<'static, Backend> {
    let mut q = organizations::table.into_boxed::<Backend>();
    if let Some(ids) = &f.within {
        q = q.filter(organizations::id.eq_any(ids.clone()));
    }
    if let Some(v) = &f.kind {
        q = q.filter(organizations::kind.eq(v.clone()));
    }
    if let Some(v) = &f.province_code {
        q = q.filter(organizations::province_code.eq(v.clone()));
    }
    if let Some(v) = &f.status {
        q = q.filter(organizations::status.eq(v.clone()));
    }
    if let Some(v) = &f.participation_mode {
        q = q.filter(organizations::participation_mode.eq(v.clone()));
    }
    if let Some(v) = &f.search {
        q = q.filter(crate::contains_folded(
            organizations::search_text,
            v,
            sqlite,
        ));
    }
    q
}

pub fn list(
    conn: &mut DbConnection,
    filter: &OrgFilter,
    page: PageRequest,
) -> StoreResult<Paged<OrganizationRow>> {
    let sqlite = crate::db::is_sqlite(conn);
    let q = filtered(filter, sqlite);
    let q = match filter.sort {
        OrgSort::Name => q.order((organizations::search_text.asc(), organizations::id.asc())),
        OrgSort::NameDesc => q.order((organizations::search_text.desc(), organizations::id.desc())),
        OrgSort::Code => q.order((organizations::code.asc(), organizations::id.asc())),
        OrgSort::CodeDesc => q.order((organizations::code.desc(), organizations::id.desc())),
        OrgSort::CreatedAt => q.order((organizations::created_at.asc(), organizations::id.asc())),
        OrgSort::CreatedAtDesc => {
            q.order((organizations::created_at.desc(), organizations::id.desc()))
        }
    };
    let items = q
        .limit(page.limit())
        .offset(page.offset())
        .select(OrganizationRow::as_select())
        .load(conn)?;
    Ok(Paged::counted(items, page, || {
        filtered(filter, sqlite).count().get_result(conn)
    })?)
}

/// The organizations the Department publishes: active centres, branches and clubs, and the
/// participating organizations whose participation is in force on `day`; by name.
pub fn public_list(
    conn: &mut DbConnection,
    day: NaiveDate,
    province_code: Option<&str>,
    kind: Option<&str>,
    page: PageRequest,
) -> StoreResult<Paged<OrganizationRow>> {
    let query = || {
        let mut q = organizations::table
            .filter(published_on(day))
            .into_boxed::<Backend>();
        if let Some(p) = province_code {
            q = q.filter(organizations::province_code.eq(p.to_owned()));
        }
        if let Some(k) = kind {
            q = q.filter(organizations::kind.eq(k.to_owned()));
        }
        q
    };
    let items = query()
        .order((organizations::search_text.asc(), organizations::id.asc()))
        .limit(page.limit())
        .offset(page.offset())
        .select(OrganizationRow::as_select())
        .load(conn)?;
    Ok(Paged::counted(items, page, || {
        query().count().get_result(conn)
    })?)
}

/// The ids of the organizations of `province_code`.
pub fn in_province(conn: &mut DbConnection, province_code: &str) -> StoreResult<Vec<String>> {
    Ok(organizations::table
        .filter(organizations::province_code.eq(province_code))
        .select(organizations::id)
        .load(conn)?)
}
