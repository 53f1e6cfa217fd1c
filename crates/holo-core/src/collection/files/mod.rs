//! Collection files: format detection, reading and writing. Nothing here opens the database.
//!
//! Holo reads four formats and writes three of them:
//!
//! - Holo CSV ([`HOLO_CSV_HEADER`]): Holo's own spreadsheet layout, one row per entry and a
//!   column per [`EntryRecord`] field.
//! - Holo JSON: the same records in a versioned JSON document ([`HOLO_JSON_FORMAT`]).
//! - The TCGplayer app's collection CSV ([`TCGPLAYER_HEADER`]).
//! - Collectr's CSV export, read only.
//!
//! [`read`] returns every row of a file, each with its record or the reason it could not be
//! read, so an import can report bad rows and keep the good ones. Only a problem with the whole
//! file, such as an unknown header, is a [`FileError`]. Writing goes through [`RecordWriter`],
//! one record at a time, usually inside [`write_atomically`].

mod collectr;
mod error;
mod holo_csv;
mod holo_json;
mod table;
mod tcgplayer;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
mod values;
mod writer;

pub use error::FileError;
pub use holo_csv::HOLO_CSV_HEADER;
pub use holo_json::{HOLO_JSON_FORMAT, HOLO_JSON_VERSION};
pub use tcgplayer::{TCGPLAYER_HEADER, simple_name};
pub use writer::{RecordWriter, write_atomically};

use crate::collection::record::{EntryRecord, FileFormat, ParsedFile};

/// Detects a file's format and reads every row.
///
/// A UTF-8 byte order mark is skipped. A file whose first non-space character is `{` is Holo
/// JSON, and any other file is CSV whose header names its format. A row that cannot be read
/// becomes a [`ParsedRow`](crate::collection::record::ParsedRow) with an error and its line
/// number. An `Err` means the whole file cannot be read: not UTF-8, empty, an unknown header, a
/// missing required column, or a JSON document that is invalid or not Holo's.
pub fn read(bytes: &[u8]) -> Result<ParsedFile, FileError> {
    let text = decode(bytes)?;
    if text.trim().is_empty() {
        return Err(FileError::Empty);
    }
    if text.trim_start().starts_with('{') {
        holo_json::read(text)
    } else {
        table::read_csv(text)
    }
}

/// Returns `bytes` as text without a leading byte order mark.
fn decode(bytes: &[u8]) -> Result<&str, FileError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|error| {
        let valid = &bytes[..error.valid_up_to()];
        FileError::NotUtf8 {
            line: 1 + valid.iter().filter(|byte| **byte == b'\n').count(),
        }
    })
}

impl FileFormat {
    /// Returns the format a command-line name selects: `csv` (Holo CSV), `json` (Holo JSON),
    /// `tcgplayer` or `collectr`. The format's kebab-case name (`holo-csv`) works too. Case is
    /// ignored.
    pub fn from_name(name: &str) -> Result<FileFormat, FileError> {
        match name.trim().to_ascii_lowercase().as_str() {
            "csv" | "holo-csv" => Ok(FileFormat::HoloCsv),
            "json" | "holo-json" => Ok(FileFormat::HoloJson),
            "tcgplayer" | "tcgplayer-csv" => Ok(FileFormat::TcgplayerCsv),
            "collectr" | "collectr-csv" => Ok(FileFormat::CollectrCsv),
            _ => Err(FileError::UnknownFormatName {
                name: name.to_owned(),
            }),
        }
    }

    /// Returns the format's name for messages (`TCGplayer CSV`).
    pub fn label(self) -> &'static str {
        match self {
            FileFormat::HoloCsv => "Holo CSV",
            FileFormat::HoloJson => "Holo JSON",
            FileFormat::TcgplayerCsv => "TCGplayer CSV",
            FileFormat::CollectrCsv => "Collectr CSV",
        }
    }

    /// Returns the usual file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::HoloJson => "json",
            FileFormat::HoloCsv | FileFormat::TcgplayerCsv | FileFormat::CollectrCsv => "csv",
        }
    }

    /// Returns whether [`RecordWriter`] can write this format.
    pub fn is_writable(self) -> bool {
        self != FileFormat::CollectrCsv
    }
}

/// Writes `records` to `out` in `format` and returns `out`: a shorthand for a
/// [`RecordWriter`] loop.
pub fn write_all<'a, W: std::io::Write>(
    format: FileFormat,
    out: W,
    records: impl IntoIterator<Item = &'a EntryRecord>,
) -> Result<W, FileError> {
    let mut writer = RecordWriter::new(format, out)?;
    for record in records {
        writer.write(record)?;
    }
    writer.finish()
}
