//! JSON documents read as the client wrote them: a name given twice in one object is refused.
//!
//! `serde_json::Value` keeps the last of two equal names without a word, so
//! `{"state": "accepted", "state": "closed"}` would mean whatever the last one says, while a
//! proxy, a log reader or the client's own library may take the first. RFC 8259 §4 leaves the
//! meaning of such a document unpredictable; this server does not guess and answers 422
//! `duplicate_key` naming the field.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::error::{ApiError, FieldRefusal};

/// Where a value sits in the document, kept as links to its parent so that nothing is
/// allocated unless a duplicate is found.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(Path::Root, key) => write!(f, "{key}"),
            Path::Key(parent, key) => write!(f, "{parent}.{key}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// The failure of [`parse`]: the text is not JSON, or it names a field twice.
pub enum Refusal {
    Malformed(serde_json::Error),
    Duplicate(ApiError),
}

/// Parses `bytes` as one JSON document, refusing any object that names a field twice (422
/// `validation_failed` with the code `duplicate_key` and the field's path, `a.b[2].c`).
pub fn parse(bytes: &[u8]) -> Result<Value, Refusal> {
    let duplicate = Cell::new(None);
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    let seed = Seed {
        path: Path::Root,
        duplicate: &duplicate,
    };
    let parsed = seed.deserialize(&mut reader).and_then(|v| {
        reader.end()?;
        Ok(v)
    });
    match (parsed, duplicate.take()) {
        (_, Some(field)) => Err(Refusal::Duplicate(ApiError::validation(vec![
            FieldRefusal::new(
                field,
                "duplicate_key",
                "Trường này xuất hiện hai lần trong cùng một đối tượng.",
                "This field is given twice in the same object.",
            ),
        ]))),
        (Ok(value), None) => Ok(value),
        (Err(e), None) => Err(Refusal::Malformed(e)),
    }
}

struct Seed<'a> {
    path: Path<'a>,
    duplicate: &'a Cell<Option<String>>,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Seed {
            path: Path::Index(&self.path, items.len()),
            duplicate: self.duplicate,
        })? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                self.duplicate
                    .set(Some(Path::Key(&self.path, &key).to_string()));
                return Err(de::Error::custom("duplicate key"));
            }
            let value = map.next_value_seed(Seed {
                path: Path::Key(&self.path, &key),
                duplicate: self.duplicate,
            })?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn duplicate_field(text: &str) -> Option<String> {
        match parse(text.as_bytes()) {
            Err(Refusal::Duplicate(e)) => Some(e.errors[0].field.clone()),
            _ => None,
        }
    }

    #[test]
    fn a_field_named_twice_is_refused_with_its_path() {
        assert_eq!(duplicate_field(r#"{"a": 1, "a": 2}"#).as_deref(), Some("a"));
        assert_eq!(
            duplicate_field(r#"{"x": {"y": [{}, {"z": 1, "z": 1}]}}"#).as_deref(),
            Some("x.y[1].z")
        );
    }

    #[test]
    fn documents_without_duplicates_read_as_serde_json_reads_them() {
        let text = r#"{"a": [1, -2, 3.5, "s", true, null, {"b": {}}], "c": "đ"}"#;
        let expected: Value = serde_json::from_str(text).unwrap();
        assert!(matches!(parse(text.as_bytes()), Ok(v) if v == expected));
        // The same name in different objects is no duplicate.
        assert!(parse(br#"{"a": {"a": 1}, "b": {"a": 2}}"#).is_ok());
    }

    #[test]
    fn malformed_text_stays_malformed() {
        assert!(matches!(parse(b"{\"a\": 1,}"), Err(Refusal::Malformed(_))));
        assert!(matches!(parse(b"{} {}"), Err(Refusal::Malformed(_))));
    }
}
