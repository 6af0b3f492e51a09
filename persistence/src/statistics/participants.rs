//! The organizations taking part in legal aid, as form 6 reads them.

use chrono::NaiveDate;
use diesel::prelude::*;
use tgpl_domain::organization::{ParticipationMode, ParticipationScope};
use tgpl_domain::statistics::dimension::ParticipatingKind;
use tgpl_domain::statistics::{Identified, ParticipantRecord};

use crate::column::{Code, Json};
use crate::db::DbConnection;
use crate::error::StoreResult;
use crate::schema::organizations;

#[derive(Queryable, Selectable)]
#[diesel(table_name = organizations)]
struct ParticipantFacts {
    id: String,
    kind: Code<ParticipatingKind>,
    participation_mode: Option<Code<ParticipationMode>>,
    participation_scope: Option<Json<ParticipationScope>>,
    participation_valid_from: Option<NaiveDate>,
    participation_valid_to: Option<NaiveDate>,
    participation_ended_on: Option<NaiveDate>,
}

/// The law offices, law firms and counselling centres among `organizations` whose
/// participation had begun by `day`.
pub fn participants(
    conn: &mut DbConnection,
    organizations: &[String],
    day: NaiveDate,
) -> StoreResult<Vec<Identified<ParticipantRecord>>> {
    use tgpl_domain::label::Vocabulary;
    let kinds: Vec<&str> = ParticipatingKind::ALL.iter().map(|k| k.code()).collect();
    let mut records = Vec::new();
    for chunk in organizations.chunks(10_000) {
        let rows: Vec<ParticipantFacts> = crate::on_engine!(conn, |c| organizations::table
            .filter(organizations::id.eq_any(chunk))
            .filter(organizations::kind.eq_any(&kinds))
            .filter(organizations::participation_mode.is_not_null())
            .filter(organizations::participation_valid_from.le(day))
            .select(ParticipantFacts::as_select())
            .load(c))?;
        records.extend(rows.into_iter().filter_map(|r| {
            Some(Identified {
                record: ParticipantRecord {
                    kind: *r.kind,
                    mode: *r.participation_mode?,
                    scope: r.participation_scope.map(|s| s.0).unwrap_or_default(),
                    valid_from: r.participation_valid_from?,
                    valid_to: r.participation_valid_to,
                    ended_on: r.participation_ended_on,
                },
                id: r.id,
            })
        }));
    }
    Ok(records)
}
