//! The provinces that records and queries name: any province the Agency keeps, in force or
//! merged away, since a person's address and a past period may name an old one.

use tgpl_persistence::{provinces, DbConnection, StoreError};

use crate::http::error::{ApiError, FieldRefusal};

/// Checks that a province has the code `code`: `Ok(Some(refusal))` naming `field`
/// (`unknown_province`) when none has, for the caller to answer or to list with other
/// refusals; a storage failure is an error.
pub fn unknown_province(
    conn: &mut DbConnection,
    field: &str,
    code: &str,
) -> Result<Option<FieldRefusal>, ApiError> {
    match provinces::get(conn, code) {
        Ok(_) => Ok(None),
        Err(StoreError::NotFound) => Ok(Some(FieldRefusal::new(
            field,
            "unknown_province",
            format!("Không có tỉnh, thành phố mã `{code}`."),
            format!("No province has the code `{code}`."),
        ))),
        Err(e) => Err(e.into()),
    }
}

/// [`unknown_province`] for a code that may be absent, answered at once as a 422.
pub fn check_province(
    conn: &mut DbConnection,
    field: &str,
    code: Option<&str>,
) -> Result<(), ApiError> {
    match code {
        Some(code) => match unknown_province(conn, field, code)? {
            Some(refusal) => Err(refusal.into()),
            None => Ok(()),
        },
        None => Ok(()),
    }
}
