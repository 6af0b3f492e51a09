//! The people of the centres and their collaborators, as forms 4 and 5 read them; whom each
//! form counts is the form's definition (`Subject::People`).

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use tgpl_domain::label::Vocabulary;
use tgpl_domain::organization::OrganizationKind;
use tgpl_domain::reference::{EthnicGroup, Gender, Qualification};
use tgpl_domain::staff::{Card, Membership, Title};
use tgpl_domain::statistics::dimension::CollaboratingUnit;
use tgpl_domain::statistics::form::PeopleCounted;
use tgpl_domain::statistics::records::Post;
use tgpl_domain::statistics::{Identified, StaffRecord};

use crate::column::Code;
use crate::db::DbConnection;
use crate::error::StoreResult;
use crate::in_force::membership_holds_on;
use crate::schema::{collaborator_cards, organizations, staff, staff_memberships};

#[derive(Queryable, Selectable)]
#[diesel(table_name = staff_memberships)]
struct PostFacts {
    staff_id: String,
    organization_id: String,
    title: Code<Title>,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = staff)]
struct PersonFacts {
    id: String,
    gender: Option<Code<Gender>>,
    date_of_birth: Option<NaiveDate>,
    ethnicity: Option<Code<EthnicGroup>>,
    qualification: Option<Code<Qualification>>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = collaborator_cards)]
struct CardFacts {
    staff_id: String,
    issued_on: NaiveDate,
    expires_on: NaiveDate,
    ended_on: Option<NaiveDate>,
}

/// The people `counted` names (forms 4 and 5) among the units of `organizations`, whose
/// membership holds on `day`; with every card of theirs when only card holders count.
pub fn people(
    conn: &mut DbConnection,
    organizations: &[String],
    day: NaiveDate,
    counted: PeopleCounted,
) -> StoreResult<Vec<Identified<StaffRecord>>> {
    let PeopleCounted {
        kinds,
        relation,
        needs_card,
    } = counted;
    let kind_codes: Vec<&str> = kinds.iter().map(|k| k.code()).collect();
    let mut unit_kinds: HashMap<String, Code<OrganizationKind>> = HashMap::new();
    let mut posts: Vec<PostFacts> = Vec::new();
    for chunk in organizations.chunks(10_000) {
        let units: Vec<(String, Code<OrganizationKind>)> = crate::on_engine!(conn, |c| {
            organizations::table
                .filter(organizations::id.eq_any(chunk))
                .filter(organizations::kind.eq_any(&kind_codes))
                .select((organizations::id, organizations::kind))
                .load(c)
        })?;
        let ids: Vec<&String> = units.iter().map(|(id, _)| id).collect();
        posts.extend(crate::on_engine!(conn, |c| staff_memberships::table
            .filter(staff_memberships::organization_id.eq_any(&ids))
            .filter(staff_memberships::relation.eq(relation.code()))
            .filter(membership_holds_on(day))
            .select(PostFacts::as_select())
            .load(c))?);
        unit_kinds.extend(units);
    }
    let mut by_person: HashMap<String, Vec<Post>> = HashMap::new();
    for p in posts {
        let unit = unit_kinds
            .get(&p.organization_id)
            .and_then(|k| CollaboratingUnit::from_code(k.code()));
        by_person.entry(p.staff_id).or_default().push(Post {
            membership: Membership {
                organization_id: p.organization_id,
                valid_from: p.valid_from,
                valid_to: p.valid_to,
            },
            title: *p.title,
            unit,
        });
    }
    let ids: Vec<String> = by_person.keys().cloned().collect();
    let mut cards: HashMap<String, Vec<Card>> = HashMap::new();
    let mut records = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(10_000) {
        if needs_card {
            let rows: Vec<CardFacts> = crate::on_engine!(conn, |c| collaborator_cards::table
                .filter(collaborator_cards::staff_id.eq_any(chunk))
                .select(CardFacts::as_select())
                .load(c))?;
            for card in rows {
                cards.entry(card.staff_id).or_default().push(Card {
                    issued_on: card.issued_on,
                    expires_on: card.expires_on,
                    ended_on: card.ended_on,
                });
            }
        }
        let people: Vec<PersonFacts> = crate::on_engine!(conn, |c| staff::table
            .filter(staff::id.eq_any(chunk))
            .select(PersonFacts::as_select())
            .load(c))?;
        for person in people {
            let mut posts = by_person.remove(&person.id).unwrap_or_default();
            posts.sort_by(|a, b| {
                (a.membership.valid_from, &a.membership.organization_id)
                    .cmp(&(b.membership.valid_from, &b.membership.organization_id))
            });
            let record = StaffRecord {
                posts,
                cards: needs_card.then(|| cards.remove(&person.id).unwrap_or_default()),
                gender: person.gender.map(|g| *g),
                ethnicity: person.ethnicity.map(|e| *e),
                date_of_birth: person.date_of_birth,
                qualification: person.qualification.map(|q| *q),
            };
            records.push(Identified {
                id: person.id,
                record,
            });
        }
    }
    Ok(records)
}
