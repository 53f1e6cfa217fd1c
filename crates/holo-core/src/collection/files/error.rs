use std::path::PathBuf;

use crate::collection::record::FileFormat;

/// The names of the formats Holo reads, for messages about a file it cannot place.
const READABLE_FORMATS: &str =
    "Holo CSV, Holo JSON, the TCGplayer app's collection CSV and Collectr's CSV export";

/// A problem with a whole collection file. A problem with one row of an imported file is not a
/// `FileError` but that row's [`ParsedRow::record`](crate::collection::record::ParsedRow) error.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("cannot read or write the collection file: {0}")]
    Io(#[from] std::io::Error),

    /// An I/O error of [`write_atomically`](super::write_atomically), with the file it wrote.
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },

    /// A path that names no file, such as `/` or `..`.
    #[error("cannot write to {path}: the path does not name a file")]
    NotAFilePath { path: PathBuf },

    /// Something other than a regular file: a folder, a device, a pipe, a broken symbolic link.
    /// Replacing it with the export would destroy it, so nothing is written.
    #[error("cannot write to {path}: it is not a regular file ({kind}). Choose a file name.")]
    NotARegularFile { path: PathBuf, kind: &'static str },

    #[error("invalid CSV: {0}")]
    Csv(csv::Error),

    #[error("invalid JSON document: {0}. Check that the file is complete and not hand-edited.")]
    Json(#[from] serde_json::Error),

    #[error("the file is empty: a collection file starts with a header line or a JSON object")]
    Empty,

    #[error(
        "the file is not UTF-8 text (invalid byte on line {line}). Save it as UTF-8 (\"CSV UTF-8\" \
         in a spreadsheet) and import it again."
    )]
    NotUtf8 { line: usize },

    /// A CSV header that matches none of the formats Holo reads.
    #[error(
        "unrecognised file: the header \"{header}\" matches none of the formats Holo reads \
         ({READABLE_FORMATS}). Export the collection again from one of them."
    )]
    UnknownFormat { header: String },

    /// A header recognised as `format` that lacks columns the format requires.
    #[error(
        "the {format_label} file is missing the column(s) {columns}. Export it again with all \
         columns, or add them to the header.",
        format_label = format.label(),
        columns = columns.join(", ")
    )]
    MissingColumns {
        format: FileFormat,
        columns: Vec<String>,
    },

    /// A JSON document that is not a Holo collection.
    #[error(
        "the JSON document is not a Holo collection: {reason}. Holo reads JSON files that it \
         wrote itself, with \"format\": \"holo-collection\"."
    )]
    NotHoloJson { reason: String },

    /// A Holo JSON file of a version this build does not read.
    #[error(
        "the Holo JSON file has version {version}, and this build of Holo reads version \
         {supported} only. Update Holo to import it."
    )]
    UnsupportedVersion { version: u64, supported: u64 },

    /// A format Holo reads but does not write.
    #[error(
        "Holo reads {format_label} files but cannot write them. Export as Holo CSV, Holo JSON or \
         TCGplayer CSV instead.",
        format_label = format.label()
    )]
    Unsupported { format: FileFormat },

    /// A format name that [`FileFormat::from_name`] does not know.
    #[error(
        "unknown file format {name:?}: expected csv, json or tcgplayer (or collectr, which Holo \
         reads only)"
    )]
    UnknownFormatName { name: String },
}

impl From<csv::Error> for FileError {
    /// Keeps an I/O error as [`FileError::Io`], so that a full disk reads the same from every
    /// format.
    fn from(error: csv::Error) -> Self {
        if !error.is_io_error() {
            return FileError::Csv(error);
        }
        match error.into_kind() {
            csv::ErrorKind::Io(io) => FileError::Io(io),
            // `is_io_error` is true for the `Io` kind only, so this arm is not reached.
            other => FileError::Io(std::io::Error::other(format!("{other:?}"))),
        }
    }
}
