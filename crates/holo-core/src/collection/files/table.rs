//! Reading CSV files: matching header names, detecting the format and turning rows into
//! records.
//!
//! Columns are found by name, trimmed and compared without case, so their order does not matter
//! and columns Holo does not read are ignored. Rows may have fewer cells than the header (a
//! missing cell reads as empty), and rows whose cells are all empty are skipped.

use csv::StringRecord;

use super::values::Location;
use super::{FileError, collectr, holo_csv, tcgplayer};
use crate::collection::record::{EntryRecord, FileFormat, ParsedFile, ParsedRow};

/// The maximum number of header characters that a [`FileError::UnknownFormat`] message repeats.
const MAX_HEADER_IN_MESSAGE: usize = 200;

/// A column found in the header: its position and its name as the file spells it, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Column {
    pub index: usize,
    pub name: String,
}

/// A file's header line.
pub(super) struct Header {
    /// The names as written, trimmed.
    names: Vec<String>,
    /// The same names folded by [`fold_name`].
    folded: Vec<String>,
}

impl Header {
    pub fn new(record: &StringRecord) -> Self {
        let names: Vec<String> = record.iter().map(|name| name.trim().to_owned()).collect();
        let folded = names.iter().map(|name| fold_name(name)).collect();
        Header { names, folded }
    }

    /// Returns the first column named `name`, ignoring case and surrounding spaces.
    pub fn find(&self, name: &str) -> Option<Column> {
        let name = fold_name(name);
        self.find_where(|folded| folded == name)
    }

    /// Returns the first column whose name starts with `prefix`, ignoring case.
    pub fn find_prefix(&self, prefix: &str) -> Option<Column> {
        let prefix = fold_name(prefix);
        self.find_where(|folded| folded.starts_with(&prefix))
    }

    fn find_where(&self, matches: impl Fn(&str) -> bool) -> Option<Column> {
        let index = self.folded.iter().position(|folded| matches(folded))?;
        Some(Column {
            index,
            name: self.names[index].clone(),
        })
    }

    /// Counts how many of `names` the header has.
    pub fn count(&self, names: &[&str]) -> usize {
        names
            .iter()
            .filter(|name| self.find(name).is_some())
            .count()
    }

    /// Fails with [`FileError::MissingColumns`] unless the header has every one of `names`.
    pub fn require(&self, format: FileFormat, names: &[&str]) -> Result<(), FileError> {
        let missing: Vec<String> = names
            .iter()
            .filter(|name| self.find(name).is_none())
            .map(|name| (*name).to_owned())
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(FileError::MissingColumns {
                format,
                columns: missing,
            })
        }
    }

    fn to_message_text(&self) -> String {
        let text = self.names.join(",");
        match text.char_indices().nth(MAX_HEADER_IN_MESSAGE) {
            Some((cut, _)) => format!("{}...", &text[..cut]),
            None => text,
        }
    }
}

/// Folds a column name for matching: trimmed, lower case, inner runs of spaces made one.
fn fold_name(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// One data row, read through the columns its format found.
pub(super) struct Row<'a> {
    record: &'a StringRecord,
}

impl<'a> Row<'a> {
    /// Returns the trimmed cell in `column`, or `""` when the column or the cell is missing.
    pub fn cell(&self, column: &Option<Column>) -> &'a str {
        column.as_ref().map_or("", |column| self.get(column))
    }

    /// Returns the trimmed cell in `column`, or `""` when the row is shorter than the header.
    pub fn get(&self, column: &Column) -> &'a str {
        self.record.get(column.index).map_or("", str::trim)
    }
}

/// Returns the location of `column` for a row error, named as the file spells it, or as
/// `fallback` (the format's usual name) when the file lacks the column.
pub(super) fn name_of<'a>(column: &'a Option<Column>, fallback: &'a str) -> Location<'a> {
    Location::Column(
        column
            .as_ref()
            .map_or(fallback, |column| column.name.as_str()),
    )
}

/// A CSV format's reading of rows, once its columns are found in the header.
pub(super) trait CsvLayout: Sized {
    const FORMAT: FileFormat;

    /// Finds the format's columns, failing when a required one is missing.
    fn from_header(header: &Header) -> Result<Self, FileError>;

    /// Reads one row, or returns why it cannot be read.
    fn read_row(&self, row: &Row) -> Result<EntryRecord, String>;
}

/// Reads a CSV file (already decoded, without its byte order mark), detecting the format by
/// its header.
pub(super) fn read_csv(text: &str) -> Result<ParsedFile, FileError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = loop {
        match records.next() {
            None => return Err(FileError::Empty),
            Some(record) => {
                let record = record?;
                if !is_blank(&record) {
                    break Header::new(&record);
                }
            }
        }
    };

    match detect(&header)? {
        FileFormat::HoloCsv => read_rows::<holo_csv::Layout>(text, &header, records),
        FileFormat::TcgplayerCsv => read_rows::<tcgplayer::Layout>(text, &header, records),
        FileFormat::CollectrCsv => read_rows::<collectr::Layout>(text, &header, records),
        // `detect` returns CSV formats only, so this arm is not reached.
        FileFormat::HoloJson => Err(FileError::UnknownFormat {
            header: header.to_message_text(),
        }),
    }
}

/// Picks the format whose distinctive columns the header has most of. A tie or no match at
/// all is an unknown format, because guessing would report misleading missing columns.
fn detect(header: &Header) -> Result<FileFormat, FileError> {
    let scores = [
        (FileFormat::HoloCsv, holo_csv::distinctive_score(header)),
        (
            FileFormat::TcgplayerCsv,
            tcgplayer::distinctive_score(header),
        ),
        (FileFormat::CollectrCsv, collectr::distinctive_score(header)),
    ];
    let best = scores.iter().map(|(_, score)| *score).max().unwrap_or(0);
    let leaders: Vec<FileFormat> = scores
        .iter()
        .filter(|(_, score)| *score == best)
        .map(|(format, _)| *format)
        .collect();
    match leaders.as_slice() {
        [format] if best > 0 => Ok(*format),
        _ => Err(FileError::UnknownFormat {
            header: header.to_message_text(),
        }),
    }
}

fn read_rows<L: CsvLayout>(
    text: &str,
    header: &Header,
    records: csv::StringRecordsIter<&[u8]>,
) -> Result<ParsedFile, FileError> {
    let layout = L::from_header(header)?;
    let mut rows = Vec::new();
    for record in records {
        let record = record?;
        if is_blank(&record) {
            continue;
        }
        let line = record
            .position()
            .map_or(0, |position| first_line(text, position));
        rows.push(ParsedRow {
            line,
            record: layout.read_row(&Row { record: &record }),
        });
    }
    Ok(ParsedFile {
        format: L::FORMAT,
        rows,
    })
}

/// Returns the line on which a record's first cell starts, counting from 1.
///
/// The csv crate records a position before the line break that ends the previous record when
/// that break is `\r\n`, and before any empty lines it skips, so the line breaks from there
/// are counted here.
///
/// NOTE: lines are counted by LF, so in a file with bare CR line endings every row reports
/// line 1.
fn first_line(text: &str, position: &csv::Position) -> usize {
    let start = usize::try_from(position.byte()).unwrap_or(usize::MAX);
    let skipped = text
        .as_bytes()
        .get(start..)
        .unwrap_or_default()
        .iter()
        .take_while(|byte| matches!(byte, b'\r' | b'\n'))
        .filter(|byte| **byte == b'\n')
        .count();
    usize::try_from(position.line())
        .unwrap_or(usize::MAX)
        .saturating_add(skipped)
}

fn is_blank(record: &StringRecord) -> bool {
    record.iter().all(|cell| cell.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Header {
        Header::new(&StringRecord::from(names.to_vec()))
    }

    #[test]
    fn header_finds_names_loosely() {
        let header = header(&[
            " Card  Number ",
            "QUANTITY",
            "Market Price (As of 2024-05-01)",
        ]);
        assert_eq!(
            header.find("card number"),
            Some(Column {
                index: 0,
                name: "Card  Number".to_owned()
            })
        );
        assert_eq!(header.find("Quantity").map(|c| c.index), Some(1));
        assert_eq!(header.find("Set"), None);
        assert_eq!(
            header.find_prefix("Market Price (As of").map(|c| c.index),
            Some(2)
        );
    }

    #[test]
    fn require_names_missing_columns() {
        let header = header(&["Quantity", "Name"]);
        let error = header
            .require(
                FileFormat::TcgplayerCsv,
                &["Quantity", "Set", "Card Number"],
            )
            .unwrap_err();
        match error {
            FileError::MissingColumns { format, columns } => {
                assert_eq!(format, FileFormat::TcgplayerCsv);
                assert_eq!(columns, ["Set", "Card Number"]);
            }
            other => panic!("expected MissingColumns, got {other:?}"),
        }
    }

    #[test]
    fn unknown_header_message_is_truncated() {
        let long = "x".repeat(500);
        let error = detect(&header(&[&long])).unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains(&format!("\"{}...\"", "x".repeat(200))),
            "{message}"
        );
        assert!(!message.contains(&"x".repeat(201)), "{message}");
    }
}
