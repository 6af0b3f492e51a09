//! Instants as stored rows are written out (in audit snapshots, in the outbox): RFC 3339 in
//! UTC with its `Z`, as the API writes them. The database keeps them without a zone, in UTC
//! ([`crate::now`]); written bare, they would read as local times to whoever reads the audit.

use chrono::{NaiveDateTime, SecondsFormat};
use serde::Serializer;

/// `2026-12-01T19:15:57.480179Z`.
pub fn utc<S: Serializer>(at: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&at.and_utc().to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

/// [`utc`], or `null`.
pub fn utc_opt<S: Serializer>(at: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => utc(at, s),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use serde::Serialize;

    #[derive(Serialize)]
    struct Row {
        #[serde(serialize_with = "super::utc")]
        at: chrono::NaiveDateTime,
        #[serde(serialize_with = "super::utc_opt")]
        ended: Option<chrono::NaiveDateTime>,
    }

    #[test]
    fn instants_carry_their_zone() {
        let at = NaiveDate::from_ymd_opt(2026, 12, 1)
            .unwrap()
            .and_hms_micro_opt(19, 15, 57, 480_179)
            .unwrap();
        let row = Row { at, ended: None };
        assert_eq!(
            serde_json::to_string(&row).unwrap(),
            r#"{"at":"2026-12-01T19:15:57.480179Z","ended":null}"#
        );
    }
}
