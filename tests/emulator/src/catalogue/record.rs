//! A record: one set or card object of the data.
//!
//! Each record is kept in two forms. The members in file order, as compact JSON text, are what
//! the emulator serves, so responses keep the data's key order and exact text but not its
//! indentation. The parsed value is what searches and sorts read.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// One JSON object of the data, in file order and parsed.
#[derive(Debug)]
pub struct Record {
    id: String,
    members: Vec<(String, Box<str>)>,
    /// Always a `Value::Object`.
    value: Value,
}

impl Record {
    /// Builds a record from an object's members, or explains why they are not a record.
    pub(crate) fn from_members(members: Vec<(String, Box<RawValue>)>) -> Result<Record, String> {
        let mut value = Map::new();
        let mut compact_members = Vec::with_capacity(members.len());
        for (key, raw) in members {
            let parsed: Value = serde_json::from_str(raw.get())
                .map_err(|error| format!("member {key:?} is not valid JSON: {error}"))?;
            value.insert(key.clone(), parsed);
            compact_members.push((key, minify(raw.get()).into_boxed_str()));
        }
        let id = match value.get("id") {
            Some(Value::String(id)) if !id.is_empty() => id.clone(),
            Some(_) => return Err("member \"id\" is not a non-empty string".to_owned()),
            None => return Err("member \"id\" is missing".to_owned()),
        };
        Ok(Record {
            id,
            members: compact_members,
            value: Value::Object(value),
        })
    }

    /// Returns the record's `id`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Returns the members as compact JSON text, in the order of the data file.
    pub fn members(&self) -> &[(String, Box<str>)] {
        &self.members
    }

    /// Returns the parsed object.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// Returns a top-level member's parsed value.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.value.get(key)
    }

    /// Returns a top-level member's value when it is a string.
    pub fn str_field(&self, key: &str) -> Option<&str> {
        self.value.get(key).and_then(Value::as_str)
    }
}

/// Removes the whitespace between the tokens of valid JSON text.
///
/// Works on bytes: every byte of a multi-byte UTF-8 character is at least 0x80, so it can never
/// be taken for whitespace, a quote or a backslash, and the output stays valid UTF-8.
fn minify(json: &str) -> String {
    let mut compact = Vec::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    for &byte in json.as_bytes() {
        if in_string {
            compact.push(byte);
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
        } else if !matches!(byte, b' ' | b'\n' | b'\r' | b'\t') {
            compact.push(byte);
            in_string = byte == b'"';
        }
    }
    String::from_utf8(compact).unwrap_or_else(|_| json.to_owned())
}

/// The members of one JSON object, in the order they appear in the text.
///
/// `serde_json::Map` sorts its keys unless the `preserve_order` feature is on, and turning that
/// feature on would change it for every crate of the workspace, so the order is kept here.
pub(crate) struct OrderedObject(pub Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for OrderedObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(OrderedObjectVisitor)
    }
}

struct OrderedObjectVisitor;

impl<'de> Visitor<'de> for OrderedObjectVisitor {
    type Value = OrderedObject;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(16));
        while let Some(key) = map.next_key::<String>()? {
            let raw: Box<RawValue> = map.next_value()?;
            members.push((key, raw));
        }
        Ok(OrderedObject(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordered_object_keeps_file_order() {
        let object: OrderedObject =
            serde_json::from_str(r#"{"zeta": 1, "id": "a-1", "alpha": [1, 2]}"#).expect("parse");
        let keys: Vec<&str> = object.0.iter().map(|(key, _)| key.as_str()).collect();
        assert_eq!(keys, ["zeta", "id", "alpha"]);
        assert_eq!(object.0[2].1.get(), "[1, 2]");
    }

    #[test]
    fn members_are_compact() {
        let object: OrderedObject = serde_json::from_str(
            "{\"id\": \"a-1\", \"rules\": [\n  \"a \\\" b\",\n  \"c\\\\\" ]\n}",
        )
        .expect("parse");
        let record = Record::from_members(object.0).expect("record");
        assert_eq!(&*record.members()[1].1, "[\"a \\\" b\",\"c\\\\\"]");
    }

    #[test]
    fn record_requires_string_id() {
        let object: OrderedObject = serde_json::from_str(r#"{"id": 7}"#).expect("parse");
        let error = Record::from_members(object.0).expect_err("numeric id accepted");
        assert!(error.contains("\"id\""), "{error}");
        let object: OrderedObject = serde_json::from_str(r#"{"name": "x"}"#).expect("parse");
        assert!(Record::from_members(object.0).is_err());
    }
}
