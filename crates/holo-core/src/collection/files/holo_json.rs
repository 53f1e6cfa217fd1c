//! Holo JSON: `{"format": "holo-collection", "version": 1, "entries": [...]}`, each entry an
//! [`EntryRecord`] with its serde field names.
//!
//! Holo writes one entry per line, fields in [`EntryRecord`]'s declaration order and no
//! timestamp, so the same records always give the same bytes and a diff shows changed entries.
//! Reading fills fields an entry leaves out with [`EntryRecord::new`]'s values, except
//! `quantity`, which every entry must have, and ignores fields it does not know. An entry that
//! still does not fit is a row error, numbered by the file line where the entry starts.

use std::collections::HashMap;
use std::io::Write;

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::FileError;
use super::values::{Location, check_quantity, parse_date};
use crate::collection::record::{EntryRecord, FileFormat, ParsedFile, ParsedRow};

/// The `format` value of a Holo JSON file.
pub const HOLO_JSON_FORMAT: &str = "holo-collection";

/// The `version` Holo writes and the newest it reads.
pub const HOLO_JSON_VERSION: u64 = 1;

pub(super) fn read(text: &str) -> Result<ParsedFile, FileError> {
    // Raw values borrow from `text`, so each entry's place in the file is known.
    let document: &RawValue = serde_json::from_str(text)?;
    if !document.get().starts_with('{') {
        return Err(not_holo_json("the top level is not an object"));
    }
    let mut fields: HashMap<String, &RawValue> = serde_json::from_str(document.get())?;
    check_format(fields.remove("format").map(parse_raw).transpose()?)?;
    check_version(fields.remove("version").map(parse_raw).transpose()?)?;
    let entries: Vec<&RawValue> = match fields.remove("entries") {
        Some(entries) if entries.get().starts_with('[') => serde_json::from_str(entries.get())?,
        Some(_) => return Err(not_holo_json("\"entries\" is not an array")),
        None => return Err(not_holo_json("it has no \"entries\"")),
    };

    let defaults = default_fields();
    let mut lines = LineCounter::new(text);
    let mut rows = Vec::with_capacity(entries.len());
    for entry in entries {
        let line = lines.line_at(entry.get().as_ptr() as usize - text.as_ptr() as usize);
        let record = parse_raw(entry)
            .map_err(|error| format!("invalid entry: {error}"))
            .and_then(|entry| read_entry(entry, &defaults));
        rows.push(ParsedRow { line, record });
    }
    Ok(ParsedFile {
        format: FileFormat::HoloJson,
        rows,
    })
}

fn parse_raw(raw: &RawValue) -> Result<Value, serde_json::Error> {
    serde_json::from_str(raw.get())
}

/// Turns byte offsets into 1-based line numbers, for offsets given in increasing order.
struct LineCounter<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            text,
            offset: 0,
            line: 1,
        }
    }

    /// Returns the line of the byte at `offset`, which is not before the previous one.
    fn line_at(&mut self, offset: usize) -> usize {
        let skipped = self.text.get(self.offset..offset).unwrap_or_default();
        self.line += skipped.bytes().filter(|&byte| byte == b'\n').count();
        self.offset = offset.max(self.offset);
        self.line
    }
}

fn not_holo_json(reason: &str) -> FileError {
    FileError::NotHoloJson {
        reason: reason.to_owned(),
    }
}

fn check_format(format: Option<Value>) -> Result<(), FileError> {
    match format {
        Some(Value::String(format)) if format == HOLO_JSON_FORMAT => Ok(()),
        Some(other) => Err(not_holo_json(&format!("its \"format\" is {other}"))),
        None => Err(not_holo_json("it has no \"format\"")),
    }
}

fn check_version(version: Option<Value>) -> Result<(), FileError> {
    match version.as_ref().and_then(Value::as_u64) {
        Some(HOLO_JSON_VERSION) => Ok(()),
        Some(version) => Err(FileError::UnsupportedVersion {
            version,
            supported: HOLO_JSON_VERSION,
        }),
        None => Err(not_holo_json(
            "it has no \"version\" that is a whole number",
        )),
    }
}

/// Reads one entry over `defaults`, then checks what serde cannot: the dates' forms and the
/// rule that only a wishlist entry may have no copies. `quantity` has no default: an entry
/// without it is an error rather than one copy.
fn read_entry(entry: Value, defaults: &Map<String, Value>) -> Result<EntryRecord, String> {
    let Value::Object(fields) = entry else {
        return Err(format!(
            "invalid entry: expected a JSON object, found {entry}"
        ));
    };
    if !fields.contains_key("quantity") {
        return Err(
            "missing field quantity: give the number of copies, 0 for an entry that is only on \
             the wishlist"
                .to_owned(),
        );
    }
    let mut merged = defaults.clone();
    merged.extend(fields);
    let mut record: EntryRecord = match serde_json::from_value(Value::Object(merged.clone())) {
        Ok(record) => record,
        Err(error) => return Err(describe_invalid_field(&merged, defaults, &error)),
    };
    record.added_at = parse_date(
        record.added_at.as_deref().unwrap_or_default(),
        Location::Field("added_at"),
    )?;
    record.market_price_date = parse_date(
        record.market_price_date.as_deref().unwrap_or_default(),
        Location::Field("market_price_date"),
    )?;
    check_quantity(&record, Location::Field("quantity"))?;
    Ok(record)
}

/// Formats the error for the field of `merged` (an entry over `defaults`) that serde rejected
/// with `error`, with the value the field takes. The field is found by reading each of the
/// entry's fields alone over the defaults.
fn describe_invalid_field(
    merged: &Map<String, Value>,
    defaults: &Map<String, Value>,
    error: &serde_json::Error,
) -> String {
    let invalid = merged.iter().find(|(field, value)| {
        let mut alone = defaults.clone();
        alone.insert((*field).clone(), (*value).clone());
        serde_json::from_value::<EntryRecord>(Value::Object(alone)).is_err()
    });
    let Some((field, value)) = invalid else {
        return format!("invalid entry: {error}");
    };
    let expected = match field.as_str() {
        "quantity" => "a whole number of copies, 0 or more",
        "condition" => "Near Mint, Lightly Played, Moderately Played, Heavily Played or Damaged",
        "language" => "a language name such as \"English\"",
        "wishlist" => "true or false",
        "purchase_price_cents" | "market_price_cents" => "a whole number of cents, or null",
        _ => "a string, or null",
    };
    let noun = field.replace('_', " ");
    format!("invalid {noun} {value} in field {field}: expected {expected}")
}

/// Returns the fields of [`EntryRecord::new`], which an entry's own fields then replace.
fn default_fields() -> Map<String, Value> {
    match serde_json::to_value(EntryRecord::new()) {
        Ok(Value::Object(fields)) => fields,
        // `EntryRecord` serialises to an object, so this arm is not reached.
        _ => Map::new(),
    }
}

/// Writes the opening of a file, up to the `entries` array.
pub(super) fn write_start<W: Write>(out: &mut W) -> std::io::Result<()> {
    write!(
        out,
        "{{\"format\":\"{HOLO_JSON_FORMAT}\",\"version\":{HOLO_JSON_VERSION},\"entries\":["
    )
}

/// Writes one entry on its own line. `buffer` is reused between entries, so that each entry
/// costs one write.
pub(super) fn write_entry<W: Write>(
    out: &mut W,
    buffer: &mut Vec<u8>,
    record: &EntryRecord,
    is_first: bool,
) -> Result<(), FileError> {
    buffer.clear();
    buffer.extend_from_slice(if is_first { b"\n" } else { b",\n" });
    serde_json::to_writer(&mut *buffer, record)?;
    out.write_all(buffer)?;
    Ok(())
}

/// Closes the `entries` array and the document.
pub(super) fn write_end<W: Write>(out: &mut W) -> std::io::Result<()> {
    out.write_all(b"\n]}\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::files::test_support::{
        fixture, records_of, sample_records, some, tricky_records,
    };
    use crate::collection::files::{read, write_all};
    use crate::collection::record::Condition;

    fn write(records: &[EntryRecord]) -> Vec<u8> {
        write_all(FileFormat::HoloJson, Vec::new(), records).unwrap()
    }

    fn document(entries: &str) -> String {
        format!("{{\"format\":\"holo-collection\",\"version\":1,\"entries\":[{entries}]}}")
    }

    #[test]
    fn holo_json_round_trips_records() {
        let mut records = tricky_records();
        records.extend(sample_records());
        let file = read(&write(&records)).unwrap();
        assert_eq!(file.format, FileFormat::HoloJson);
        assert_eq!(records_of(&file), records);
        let lines: Vec<usize> = file.rows.iter().map(|row| row.line).collect();
        assert_eq!(
            lines,
            (2..=records.len() + 1).collect::<Vec<_>>(),
            "one entry per line after the header line"
        );
    }

    #[test]
    fn holo_json_bytes_are_deterministic() {
        let records = tricky_records();
        assert_eq!(write(&records), write(&records));
    }

    #[test]
    fn holo_json_writes_sample_file() {
        assert_eq!(
            String::from_utf8(write(&sample_records())).unwrap(),
            String::from_utf8(fixture("holo.json")).unwrap()
        );
    }

    #[test]
    fn holo_json_reads_sample_file() {
        let file = read(&fixture("holo.json")).unwrap();
        assert_eq!(records_of(&file), sample_records());
    }

    #[test]
    fn holo_json_writes_empty_collection() {
        let written = String::from_utf8(write(&[])).unwrap();
        assert_eq!(
            written,
            "{\"format\":\"holo-collection\",\"version\":1,\"entries\":[\n]}\n"
        );
        assert_eq!(read(written.as_bytes()).unwrap().rows, []);
    }

    #[test]
    fn holo_json_fills_missing_fields() {
        let text = document(
            r#"{"card_id":"swsh10-190","quantity":1,"condition":"Lightly Played","extra":1}"#,
        );
        let file = read(text.as_bytes()).unwrap();
        assert_eq!(
            file.rows[0].record,
            Ok(EntryRecord {
                card_id: some("swsh10-190"),
                condition: Condition::LightlyPlayed,
                ..EntryRecord::new()
            })
        );
    }

    #[test]
    fn holo_json_bad_entry_is_row_error() {
        let entries = [
            r#"{"card_id":"a","quantity":1}"#,
            r#"{"card_id":"b","quantity":"two"}"#,
            r#"{"card_id":"c","quantity":1,"condition":"Mint"}"#,
            r#"[1,2]"#,
            r#"{"card_id":"e","quantity":0}"#,
            r#"{"card_id":"f","quantity":1,"added_at":"yesterday"}"#,
            r#"{"card_id":"g"}"#,
            r#"{"card_id":"h","quantity":1,"purchase_price_cents":1.5}"#,
        ];
        let text = document(&format!("\n{}\n", entries.join(",\n")));
        let file = read(text.as_bytes()).unwrap();
        let lines: Vec<usize> = file.rows.iter().map(|row| row.line).collect();
        assert_eq!(lines, [2, 3, 4, 5, 6, 7, 8, 9]);
        assert!(file.rows[0].record.is_ok());
        let errors: Vec<&str> = file.rows[1..]
            .iter()
            .map(|row| row.record.as_ref().unwrap_err().as_str())
            .collect();
        assert_eq!(
            errors[0],
            "invalid quantity \"two\" in field quantity: expected a whole number of copies, \
             0 or more"
        );
        assert!(
            errors[1].starts_with("invalid condition \"Mint\" in field condition:"),
            "{}",
            errors[1]
        );
        assert!(errors[2].starts_with("invalid entry: expected a JSON object, found [1,2]"));
        assert!(errors[3].starts_with("invalid quantity \"0\" in field quantity:"));
        assert!(errors[4].starts_with("invalid date \"yesterday\" in field added_at:"));
        assert!(
            errors[5].starts_with("missing field quantity:"),
            "{}",
            errors[5]
        );
        assert!(
            errors[6]
                .starts_with("invalid purchase price cents 1.5 in field purchase_price_cents:"),
            "{}",
            errors[6]
        );
    }

    #[test]
    fn holo_json_lines_are_where_entries_start() {
        let text = concat!(
            "{\n",
            "  \"format\": \"holo-collection\",\n",
            "  \"version\": 1,\n",
            "  \"entries\": [\n",
            "    {\n",
            "      \"card_id\": \"a\", \"note\": \"a [tricky] {note},\\n\",\n",
            "      \"quantity\": 1\n",
            "    },\n",
            "\n",
            "    {\"card_id\": \"b\", \"quantity\": 2}, {\"card_id\": \"c\", \"quantity\": 3}\n",
            "  ]\n",
            "}\n",
        );
        let file = read(text.as_bytes()).unwrap();
        let lines: Vec<usize> = file.rows.iter().map(|row| row.line).collect();
        assert_eq!(lines, [5, 10, 10]);
        assert_eq!(records_of(&file).len(), 3);
    }

    #[test]
    fn holo_json_rejects_newer_version() {
        let text = r#"{"format":"holo-collection","version":2,"entries":{"changed":true}}"#;
        let error = read(text.as_bytes()).unwrap_err();
        assert!(
            matches!(
                error,
                FileError::UnsupportedVersion {
                    version: 2,
                    supported: 1
                }
            ),
            "{error:?}"
        );
        assert!(error.to_string().contains("Update Holo"), "{error}");
    }

    #[test]
    fn holo_json_rejects_other_documents() {
        let cases = [
            (
                r#"{"format":"other","version":1,"entries":[]}"#,
                "\"format\" is \"other\"",
            ),
            (r#"{"version":1,"entries":[]}"#, "no \"format\""),
            (
                r#"{"format":"holo-collection","entries":[]}"#,
                "no \"version\"",
            ),
            (
                r#"{"format":"holo-collection","version":"1","entries":[]}"#,
                "no \"version\"",
            ),
            (
                r#"{"format":"holo-collection","version":1}"#,
                "no \"entries\"",
            ),
            (
                r#"{"format":"holo-collection","version":1,"entries":{}}"#,
                "not an array",
            ),
        ];
        for (text, reason) in cases {
            match read(text.as_bytes()) {
                Err(error @ FileError::NotHoloJson { .. }) => {
                    assert!(error.to_string().contains(reason), "{text}: {error}");
                }
                other => panic!("{text}: expected NotHoloJson, got {other:?}"),
            }
        }
    }

    #[test]
    fn holo_json_rejects_invalid_document() {
        let text = "{\"format\":\"holo-collection\",\n\"version\":1,\"entries\":[{]}";
        let error = read(text.as_bytes()).unwrap_err();
        assert!(matches!(error, FileError::Json(_)), "{error:?}");
        let message = error.to_string();
        assert!(message.starts_with("invalid JSON document:"), "{message}");
        assert!(message.contains("line 2"), "{message}");
    }
}
