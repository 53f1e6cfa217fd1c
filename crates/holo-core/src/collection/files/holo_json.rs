//! Holo JSON: `{"format": "holo-collection", "version": 1, "entries": [...]}`, each entry an
//! [`EntryRecord`] with its serde field names.
//!
//! Holo writes one entry per line, fields in [`EntryRecord`]'s declaration order and no
//! timestamp, so the same records always give the same bytes and a diff shows changed entries.
//! Reading fills fields an entry leaves out with [`EntryRecord::new`]'s values and ignores
//! fields it does not know. An entry that still does not fit is a row error.

use std::io::Write;

use serde_json::{Map, Value};

use super::FileError;
use super::values::{Location, check_quantity, parse_date};
use crate::collection::record::{EntryRecord, FileFormat, ParsedFile, ParsedRow};

/// The `format` value of a Holo JSON file.
pub const HOLO_JSON_FORMAT: &str = "holo-collection";

/// The `version` Holo writes and the newest it reads.
pub const HOLO_JSON_VERSION: u64 = 1;

pub(super) fn read(text: &str) -> Result<ParsedFile, FileError> {
    let Value::Object(mut document) = serde_json::from_str(text)? else {
        return Err(not_holo_json("the top level is not an object"));
    };
    check_format(document.remove("format"))?;
    check_version(document.remove("version"))?;
    let entries = match document.remove("entries") {
        Some(Value::Array(entries)) => entries,
        Some(_) => return Err(not_holo_json("\"entries\" is not an array")),
        None => return Err(not_holo_json("it has no \"entries\"")),
    };

    let defaults = default_fields();
    let rows = entries
        .into_iter()
        .enumerate()
        .map(|(index, entry)| ParsedRow {
            line: index + 1,
            record: read_entry(entry, &defaults),
        })
        .collect();
    Ok(ParsedFile {
        format: FileFormat::HoloJson,
        rows,
    })
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
/// rule that only a wishlist entry may have no copies.
fn read_entry(entry: Value, defaults: &Map<String, Value>) -> Result<EntryRecord, String> {
    let Value::Object(fields) = entry else {
        return Err(format!(
            "invalid entry: expected a JSON object, found {entry}"
        ));
    };
    let mut merged = defaults.clone();
    merged.extend(fields);
    let mut record: EntryRecord = serde_json::from_value(Value::Object(merged))
        .map_err(|error| format!("invalid entry: {error}"))?;
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
        assert_eq!(lines, (1..=records.len()).collect::<Vec<_>>());
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
        let text = document(r#"{"card_id":"swsh10-190","condition":"Lightly Played","extra":1}"#);
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
        let text = document(concat!(
            r#"{"card_id":"a"},"#,
            r#"{"card_id":"b","quantity":"two"},"#,
            r#"{"card_id":"c","condition":"Mint"},"#,
            r#"[1,2],"#,
            r#"{"card_id":"e","quantity":0},"#,
            r#"{"card_id":"f","added_at":"yesterday"}"#,
        ));
        let file = read(text.as_bytes()).unwrap();
        let lines: Vec<usize> = file.rows.iter().map(|row| row.line).collect();
        assert_eq!(lines, [1, 2, 3, 4, 5, 6]);
        assert!(file.rows[0].record.is_ok());
        let errors: Vec<&str> = file.rows[1..]
            .iter()
            .map(|row| row.record.as_ref().unwrap_err().as_str())
            .collect();
        assert!(
            errors[0].starts_with("invalid entry: invalid type"),
            "{}",
            errors[0]
        );
        assert!(errors[1].contains("Mint"), "{}", errors[1]);
        assert!(errors[2].starts_with("invalid entry: expected a JSON object, found [1,2]"));
        assert!(errors[3].starts_with("invalid quantity \"0\" in field quantity:"));
        assert!(errors[4].starts_with("invalid date \"yesterday\" in field added_at:"));
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
