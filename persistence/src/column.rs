//! Typed columns: a vocabulary code or a JSON document stored as text on both engines.
//!
//! A row field of type [`Code<T>`] or [`Json<T>`] is read into its domain type as the row is
//! read. A stored value that no longer reads (a code the vocabulary does not know, a document
//! of another shape) fails there, once, as a deserialization error that names the value's
//! type, which reaches the caller as `StoreError::Other` and is logged before a 500.

use std::fmt::Debug;
use std::io::Write;
use std::ops::Deref;

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::Text;
use diesel::sqlite::Sqlite;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tgpl_domain::label::Vocabulary;

use crate::db::Backend as MultiBackend;

/// A value of the vocabulary `T`, stored as its code (`received`, `lawyer`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, AsExpression, FromSqlRow, Serialize, Deserialize,
)]
#[diesel(sql_type = Text)]
#[serde(transparent)]
pub struct Code<T: Vocabulary>(pub T);

impl<T: Vocabulary> Deref for Code<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Vocabulary> From<T> for Code<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl<T: Vocabulary> PartialEq<T> for Code<T>
where
    T: PartialEq,
{
    fn eq(&self, other: &T) -> bool {
        self.0 == *other
    }
}

impl<T: Vocabulary + Debug, DB: Backend> ToSql<Text, DB> for Code<T>
where
    str: ToSql<Text, DB>,
{
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
        self.0.code().to_sql(out)
    }
}

impl<T: Vocabulary, DB: Backend> FromSql<Text, DB> for Code<T>
where
    String: FromSql<Text, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        let code = String::from_sql(bytes)?;
        T::from_code(&code).map(Self).ok_or_else(|| {
            format!(
                "the stored code `{code}` is no {}",
                std::any::type_name::<T>()
            )
            .into()
        })
    }
}

/// A value stored as a JSON document in a text column (a case's proceedings, the scope of a
/// participation).
///
/// Serialized (into the audit log's images of a row) as the text stored, as it was before the
/// column was typed, so that the log keeps one shape for a column across its whole history.
#[derive(Debug, Clone, PartialEq, Eq, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub struct Json<T>(pub T);

impl<T: Serialize> Serialize for Json<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = serde_json::to_string(&self.0).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }
}

impl<T> Deref for Json<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> From<T> for Json<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl<T: DeserializeOwned, DB: Backend> FromSql<Text, DB> for Json<T>
where
    String: FromSql<Text, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        let text = String::from_sql(bytes)?;
        serde_json::from_str(&text).map(Self).map_err(|e| {
            format!(
                "the stored document is no {}: {e}",
                std::any::type_name::<T>()
            )
            .into()
        })
    }
}

impl<T: Serialize + Debug> ToSql<Text, Pg> for Json<T> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        serde_json::to_writer(&mut *out, &self.0)?;
        out.flush()?;
        Ok(IsNull::No)
    }
}

impl<T: Serialize + Debug> ToSql<Text, Sqlite> for Json<T> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(serde_json::to_string(&self.0)?);
        Ok(IsNull::No)
    }
}

impl<T: Serialize + Debug + Send + Sync + 'static> ToSql<Text, MultiBackend> for Json<T> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
        out.set_value((Text, self));
        Ok(IsNull::No)
    }
}

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    use tgpl_domain::case::{CaseState, Proceedings};

    use super::*;
    use crate::{DatabaseUrl, DbConnection, StoreError};

    diesel::table! {
        typed (id) {
            id -> Integer,
            state -> Text,
            details -> Nullable<Text>,
        }
    }

    #[derive(Debug, PartialEq, Queryable, Selectable, Insertable)]
    #[diesel(table_name = typed)]
    struct Typed {
        id: i32,
        state: Code<CaseState>,
        details: Option<Json<Proceedings>>,
    }

    fn database(name: &str) -> DbConnection {
        let dir = std::env::temp_dir().join(format!("tgpl-column-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(format!("{name}.db"));
        let _ = std::fs::remove_file(&file);
        let mut conn = DatabaseUrl::Sqlite(file).connect().unwrap();
        conn.batch_execute(
            "CREATE TABLE typed (id INTEGER PRIMARY KEY, state TEXT NOT NULL, details TEXT)",
        )
        .unwrap();
        conn
    }

    fn read(conn: &mut DbConnection, id: i32) -> Result<Typed, StoreError> {
        typed::table
            .find(id)
            .select(Typed::as_select())
            .first(conn)
            .map_err(StoreError::from)
    }

    #[test]
    fn codes_and_documents_are_stored_as_text_and_read_back_typed() {
        let mut conn = database("round_trip");
        let row = Typed {
            id: 1,
            state: Code(CaseState::InProgress),
            details: Some(Json(Proceedings {
                charge: Some("Trộm cắp tài sản".into()),
                ..Proceedings::default()
            })),
        };
        diesel::insert_into(typed::table)
            .values(&row)
            .execute(&mut conn)
            .unwrap();
        assert_eq!(read(&mut conn, 1).unwrap(), row);
        let stored: (String, Option<String>) = typed::table
            .find(1)
            .select((typed::state, typed::details))
            .first(&mut conn)
            .unwrap();
        assert_eq!(stored.0, "in_progress");
        assert!(stored
            .1
            .unwrap()
            .contains("\"charge\":\"Trộm cắp tài sản\""));
        let matched: i64 = typed::table
            .filter(typed::state.eq(Code(CaseState::InProgress)))
            .count()
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(matched, 1);
    }

    #[test]
    fn a_corrupt_stored_value_fails_where_it_is_read_naming_its_type() {
        let mut conn = database("corrupt");
        conn.batch_execute(
            "INSERT INTO typed VALUES (1, 'lost', NULL); \
             INSERT INTO typed VALUES (2, 'received', '[1, 2]');",
        )
        .unwrap();
        for (id, names) in [(1, "CaseState"), (2, "Proceedings")] {
            match read(&mut conn, id) {
                Err(StoreError::Other(why)) => assert!(why.contains(names), "{why}"),
                other => panic!("row {id} read as {other:?}"),
            }
        }
    }
}
