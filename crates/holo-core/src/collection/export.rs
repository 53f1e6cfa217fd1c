//! Exporting the collection to a file, one record at a time.
//!
//! Records come in the collection's order: set release date, set id, card number in natural
//! order, variation position, then condition (best first), ungraded before graded, grade
//! company and grade, and language. A wishlisted variation with no copies is a quantity-0
//! record where its owned rows would be. Nothing in a record depends on when the export ran, so
//! the same database always exports to the same bytes.

use std::io::Write;
use std::path::Path;

use rusqlite::{Connection, Row};

use super::error::CollectionError;
use super::files::{FileError, RecordWriter, write_atomically};
use super::prices::stale_cutoff;
use super::record::{EntryRecord, FileFormat};
use super::variation::printing_name;
use super::views::{ENTRY_ORDER, entry_columns, entry_from_row, entry_joins};

/// Entries, then the wishlisted variations that have none, as one row source.
const ENTRIES_AND_WISHES: &str = "(
    SELECT id AS entry_id, variation_id, quantity, condition, grade_company, grade, language,
           purchase_price_cents, purchase_currency, added_at, note
    FROM collection_entries
    UNION ALL
    SELECT NULL, w.variation_id, 0, 'Near Mint', NULL, NULL, 'English', NULL, NULL,
           w.added_at, NULL
    FROM wishlist w
    WHERE NOT EXISTS (SELECT 1 FROM collection_entries e WHERE e.variation_id = w.variation_id)
)";

/// The counts of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportSummary {
    pub format: FileFormat,
    /// Records written.
    pub written: u32,
    /// Records the format cannot carry (wishlist-only records in TCGplayer CSV).
    pub skipped: u32,
}

/// Writes the whole collection to `out` in `format` and returns `out`. Reads on `connection`
/// in one statement, so the file is one consistent state of the database.
pub fn export<W: Write>(
    connection: &Connection,
    format: FileFormat,
    out: W,
) -> Result<(W, ExportSummary), CollectionError> {
    let mut writer = RecordWriter::new(format, out)?;
    let sql = format!(
        "SELECT {} FROM {} ORDER BY {ENTRY_ORDER}",
        entry_columns(),
        entry_joins(ENTRIES_AND_WISHES)
    );
    let mut statement = connection.prepare(&sql)?;
    let mut rows = statement.query([])?;
    // No record carries the stale flag, so any cutoff will do.
    let cutoff = stale_cutoff(chrono::NaiveDate::MIN);
    while let Some(row) = rows.next()? {
        writer.write(&record_from_row(row, &cutoff)?)?;
    }
    let summary = ExportSummary {
        format,
        written: writer.written() as u32,
        skipped: writer.skipped() as u32,
    };
    Ok((writer.finish()?, summary))
}

/// Exports the collection to the file at `path`, replacing it atomically: a failed export
/// leaves the old file as it was.
pub fn export_to_file(
    connection: &Connection,
    format: FileFormat,
    path: &Path,
) -> Result<ExportSummary, CollectionError> {
    // A database error is no file error, so it is kept aside while the file is removed.
    let mut database_error = None;
    let result = write_atomically(path, |file| match export(connection, format, file) {
        Ok((_, summary)) => Ok(summary),
        Err(CollectionError::File(error)) => Err(error),
        Err(other) => {
            let message = other.to_string();
            database_error = Some(other);
            Err(FileError::Io(std::io::Error::other(message)))
        }
    });
    match (result, database_error) {
        (_, Some(error)) => Err(error),
        (Ok(summary), None) => Ok(summary),
        (Err(error), None) => Err(error.into()),
    }
}

fn record_from_row(row: &Row<'_>, cutoff: &str) -> rusqlite::Result<EntryRecord> {
    let entry = entry_from_row(row, cutoff)?;
    let set_code: Option<String> = row.get(25)?;
    let (grade_company, grade) = match entry.grade {
        Some(grade) => (Some(grade.company), Some(grade.grade)),
        None => (None, None),
    };
    Ok(EntryRecord {
        card_id: Some(entry.card_id),
        set_id: Some(entry.set_id),
        set_name: Some(entry.set_name),
        set_code,
        number: Some(entry.number),
        card_name: Some(entry.card_name),
        rarity: entry.rarity,
        variation_type: Some(entry.variation_type),
        treatment: Some(entry.treatment),
        printing: entry
            .printing
            .as_deref()
            .and_then(printing_name)
            .map(str::to_owned),
        quantity: entry.quantity,
        condition: entry.condition,
        grade_company,
        grade,
        language: entry.language,
        purchase_price_cents: entry.purchase_price_cents,
        purchase_currency: entry.purchase_currency,
        market_price_cents: entry.market_price_cents,
        market_price_date: entry.market_price_date,
        added_at: Some(entry.added_at),
        note: entry.note,
        wishlist: entry.wishlisted,
    })
}
