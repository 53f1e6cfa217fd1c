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

/// The fields of [`EntryRecord::new`], which an entry's own fields then replace.
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
