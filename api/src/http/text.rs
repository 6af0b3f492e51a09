//! Text from requests made into text as the system stores it (`tgpl_domain::text`), at
//! the edge, before any handler sees it.
//!
//! - JSON bodies ([`clean_json`], used by `ValidJson` and `OptionalJson`): a string holding
//!   a control character other than tab, line feed and carriage return is refused with 422
//!   naming the field's path; every other string is normalised to NFC and trimmed. Names
//!   and codes also have their inner white space collapsed, field by field, with
//!   `#[serde(deserialize_with = "...")]` and [`name`], [`opt_name`] or [`present_name`].
//!   Since all this happens before validation, a value of only white space is refused
//!   exactly as "" is.
//! - Query strings and form bodies ([`clean_pairs`]): the same refusal naming the
//!   parameter (422 for queries, 400 `invalid_request` for the OAuth token endpoint); values
//!   are normalised to NFC.
//! - Paths ([`refuse_controls_in_path`]): a path with a control character answers 404, as
//!   any other unknown resource does.
//!
//! Secrets ([`SECRET_FIELDS`]) are taken byte for byte: neither trimmed nor normalised, as
//! passwords were hashed as typed. Only U+0000 is refused in them.
//!
//! Without this, PostgreSQL refuses U+0000 in text with an error (a 500) where SQLite
//! stores it, and the same name spelled with combining marks is stored as another name.

use std::borrow::Cow;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::Error;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use tgpl_domain::text;

use super::error::{ApiError, FieldRefusal};

/// The fields, in JSON bodies and in forms, that carry passwords or client secrets. Their
/// values are kept exactly as sent.
pub const SECRET_FIELDS: [&str; 4] = [
    "password",
    "current_password",
    "new_password",
    "client_secret",
];

fn is_secret(field: &str) -> bool {
    SECRET_FIELDS.contains(&field)
}

/// The refusal of a value that holds control character `c`, naming `field`.
pub fn control_error(field: &str, c: char) -> FieldRefusal {
    let code = format!("U+{:04X}", u32::from(c));
    FieldRefusal::new(
        field,
        "control_character",
        format!("Giá trị chứa ký tự điều khiển {code}, không được phép."),
        format!("The value holds the control character {code}, which is not allowed."),
    )
}

/// The character that makes `value` of field `name` unacceptable: in a secret only U+0000,
/// elsewhere any control character but tab, line feed and carriage return.
fn forbidden(name: &str, value: &str) -> Option<char> {
    if is_secret(name) {
        value.contains('\0').then_some('\0')
    } else {
        text::first_control(value)
    }
}

/// Refuses the control characters in a JSON document and cleans every other string in
/// place (NFC, trimmed; secrets untouched). The error lists every offending field by its
/// path (`cases[0].changes.summary`; `body` for a bare string).
pub fn clean_json(value: &mut Value) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    walk(value, "", None, &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(errors))
    }
}

fn walk(value: &mut Value, path: &str, key: Option<&str>, errors: &mut Vec<FieldRefusal>) {
    let field = || {
        if path.is_empty() {
            "body".to_owned()
        } else {
            path.to_owned()
        }
    };
    match value {
        Value::String(s) => {
            let key = key.unwrap_or_default();
            if let Some(c) = forbidden(key, s) {
                errors.push(control_error(&field(), c));
            } else if !is_secret(key) {
                let cleaned = text::clean(s);
                if cleaned != *s {
                    *s = cleaned;
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                walk(item, &format!("{path}[{index}]"), None, errors);
            }
        }
        Value::Object(map) => {
            for (name, item) in map.iter_mut() {
                let child = if path.is_empty() {
                    name.clone()
                } else {
                    format!("{path}.{name}")
                };
                if let Some(c) = text::first_control(name) {
                    errors.push(control_error(&child, c));
                    continue;
                }
                walk(item, &child, Some(name), errors);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Checks `name=value` pairs of a query string or form and encodes them again with every
/// value (secrets excepted) in NFC, ready for `serde_urlencoded`. Fails on the first pair
/// holding a control character, naming its parameter.
pub fn clean_pairs<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> Result<String, FieldRefusal>
where
    K: AsRef<str>,
    V: AsRef<str>,
{
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        let (name, value) = (name.as_ref(), value.as_ref());
        if let Some(c) = text::first_control(name).or_else(|| forbidden(name, value)) {
            return Err(control_error(name, c));
        }
        let value: Cow<str> = if is_secret(name) {
            Cow::Borrowed(value)
        } else {
            text::nfc(value)
        };
        out.append_pair(name, &value);
    }
    Ok(out.finish())
}

/// Middleware: a path that holds a control character, percent-encoded (`/cases/abc%00def`),
/// names no resource and answers 404 on every engine, before any handler looks it up.
pub async fn refuse_controls_in_path(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let path = req.path();
    let has_control = path.contains('%')
        && percent_encoding::percent_decode_str(path)
            .decode_utf8_lossy()
            .chars()
            .any(char::is_control);
    if has_control {
        return Ok(req
            .error_response(ApiError::not_found())
            .map_into_right_body());
    }
    Ok(next.call(req).await?.map_into_left_body())
}

/// For a phone number field: `#[validate(custom(function = "crate::http::text::phone"))]`
/// (`tgpl_domain::text::check_phone`; answered as 422 `invalid_phone`).
pub fn phone(value: &str) -> Result<(), validator::ValidationError> {
    if value.chars().count() > PHONE_MAX {
        let mut e = validator::ValidationError::new("length");
        e.add_param("min".into(), &1);
        e.add_param("max".into(), &PHONE_MAX);
        return Err(e);
    }
    text::check_phone("phone", value).map_err(|_| validator::ValidationError::new("invalid_phone"))
}

/// The most characters a phone number is stored with, separators included.
pub const PHONE_MAX: usize = 50;

/// A person's name as given, trimmed, or 422 at `field` when it names nobody
/// (`tgpl_domain::text::check_person_name`: blank, no letter, accents on no letter).
pub fn person_name(field: &str, value: &str) -> Result<String, ApiError> {
    let trimmed = value.trim();
    text::check_person_name(field, trimmed)?;
    Ok(trimmed.to_owned())
}

/// For a name or code field: `#[serde(deserialize_with = "name")]`. Stores the value as
/// [`text::name`] makes it (NFC, trimmed, inner white space collapsed).
pub fn name<'de, D: Deserializer<'de>>(de: D) -> Result<String, D::Error> {
    String::deserialize(de).map(|s| text::name(&s))
}

/// [`name`] for an optional field: `#[serde(default, deserialize_with = "opt_name")]`
/// (`default`, or a missing field would be an error).
pub fn opt_name<'de, D: Deserializer<'de>>(de: D) -> Result<Option<String>, D::Error> {
    Option::<String>::deserialize(de).map(|v| v.map(|s| text::name(&s)))
}

/// [`name`] for a required field of a partial update: absent keeps it (with
/// `#[serde(default, deserialize_with = "kept_or_name")]`), `null` is refused, since a
/// required value is not cleared (rather than `null` being taken silently for "keep").
pub fn kept_or_name<'de, D: Deserializer<'de>>(de: D) -> Result<Option<String>, D::Error> {
    name(de).map(Some)
}

/// [`name`] for a field of a partial update that tells absent from `null` (see
/// `extract::present`): `#[serde(default, deserialize_with = "present_name")]`.
pub fn present_name<'de, D: Deserializer<'de>>(de: D) -> Result<Option<Option<String>>, D::Error> {
    opt_name(de).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_strings_are_cleaned_and_secrets_kept() {
        let mut v = json!({
            "full_name": " Nguye\u{0302}\u{0303}n ",
            "password": " Nguye\u{0302}\u{0303}n ",
            "items": [{"summary": "\u{00A0}tóm tắt\n"}],
            "count": 3
        });
        clean_json(&mut v).unwrap();
        assert_eq!(v["full_name"], "Nguyễn");
        assert_eq!(v["password"], " Nguye\u{0302}\u{0303}n ");
        assert_eq!(v["items"][0]["summary"], "tóm tắt");
        assert_eq!(v["count"], 3);
    }

    #[test]
    fn json_control_characters_are_named_by_path() {
        let mut v = json!({
            "a": "x\u{0}y",
            "list": [{"b": "ok"}, {"b": "\u{1b}"}],
            "new_password": "p\u{0}",
            "password": "tab\tis fine"
        });
        let e = clean_json(&mut v).unwrap_err();
        let mut fields: Vec<&str> = e.errors.iter().map(|f| f.field.as_str()).collect();
        fields.sort_unstable();
        assert_eq!(fields, ["a", "list[1].b", "new_password"]);
        assert!(e.errors.iter().all(|f| f.code == "control_character"));
        let e = clean_json(&mut json!("\u{0}")).unwrap_err();
        assert_eq!(e.errors[0].field, "body");
    }

    #[derive(serde::Deserialize)]
    struct Names {
        #[serde(deserialize_with = "name")]
        required: String,
        #[serde(default, deserialize_with = "opt_name")]
        optional: Option<String>,
        #[serde(default, deserialize_with = "present_name")]
        cleared: Option<Option<String>>,
        #[serde(default, deserialize_with = "present_name")]
        kept: Option<Option<String>>,
    }

    #[test]
    fn name_fields_are_collapsed_and_keep_their_optionality() {
        let n: Names = serde_json::from_value(json!({
            "required": " Nguye\u{0302}\u{0303}n \u{00A0} Văn\tA ",
            "cleared": null
        }))
        .unwrap();
        assert_eq!(n.required, "Nguyễn Văn A");
        assert_eq!(n.optional, None);
        assert_eq!(n.cleared, Some(None));
        assert_eq!(n.kept, None);
        let n: Names = serde_json::from_value(
            json!({"required": "\u{3000}", "optional": " a  b ", "kept": "c"}),
        )
        .unwrap();
        assert_eq!(n.required, "");
        assert_eq!(n.optional.as_deref(), Some("a b"));
        assert_eq!(n.kept, Some(Some("c".to_owned())));
    }

    #[test]
    fn pairs_are_normalised_and_checked() {
        let cleaned =
            clean_pairs([("q", "Nguye\u{0302}\u{0303}n"), ("password", "e\u{0301}")]).unwrap();
        let back: Vec<(String, String)> = form_urlencoded::parse(cleaned.as_bytes())
            .into_owned()
            .collect();
        assert_eq!(back[0], ("q".into(), "Nguyễn".into()));
        assert_eq!(back[1], ("password".into(), "e\u{0301}".into()));
        let e = clean_pairs([("page", "1"), ("username", "gd\u{0}hn")]).unwrap_err();
        assert_eq!(e.field, "username");
        assert_eq!(e.code, "control_character");
    }
}
