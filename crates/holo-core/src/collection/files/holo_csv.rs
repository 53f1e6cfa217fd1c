//! Holo CSV: Holo's own spreadsheet layout, one row per entry, with a column for every
//! [`EntryRecord`] field.
//!
//! Prices are amounts with two decimals (`12.34`) and empty when unknown, the wishlist flag is
//! `yes` or `no`, and the condition is its full name. Reading accepts what a spreadsheet may
//! change on the way back: any column order, extra columns, `NM`-style conditions, `true`/`1`
//! flags and US dates. Only Set, Number, Card and Quantity are required. A missing Language
//! column or cell reads as English, and a missing Condition as Near Mint.
//!
//! A written record reads back equal, market price included, with two exceptions: text cells
//! are trimmed, and an empty string reads back as `None`.

use std::borrow::Cow;
use std::io::Write;

use super::FileError;
use super::table::{Column, CsvLayout, Header, Row};
use super::values::{
    Location, check_names_card, check_quantity, format_cents, format_flag, parse_condition,
    parse_date, parse_flag, parse_price_cents, parse_quantity, text,
};
use crate::collection::record::{EntryRecord, FileFormat};

/// One Holo CSV column: its header name and how a record's field is written to and read from
/// its cells.
struct ColumnSpec {
    name: &'static str,
    write: fn(&EntryRecord) -> Cow<'_, str>,
    /// Sets the field from a trimmed cell. The third argument is the column as the file names
    /// it, for the error message.
    read: fn(&mut EntryRecord, &str, Location) -> Result<(), String>,
}

const QUANTITY: &str = "Quantity";

/// The columns in the order Holo writes them: what identifies the copy first, then what it is
/// worth, then the ids that let Holo match it again exactly.
const COLUMNS: [ColumnSpec; 22] = [
    ColumnSpec {
        name: "Set",
        write: |record| optional(&record.set_name),
        read: |record, cell, _| {
            record.set_name = text(cell);
            Ok(())
        },
    },
    ColumnSpec {
        name: "Number",
        write: |record| optional(&record.number),
        read: |record, cell, _| {
            record.number = text(cell);
            Ok(())
        },
    },
    ColumnSpec {
        name: "Card",
        write: |record| optional(&record.card_name),
        read: |record, cell, _| {
            record.card_name = text(cell);
            Ok(())
        },
    },
    ColumnSpec {
        name: "Rarity",
        write: |record| optional(&record.rarity),
        read: |record, cell, _| {
            record.rarity = text(cell);
            Ok(())
        },
    },
    ColumnSpec {
        name: "Variation Type",
        write: |record| optional(&record.variation_type),
        read: |record, cell, _| {
            record.variation_type = text(cell);
            Ok(())
        },
    },
    ColumnSpec {
        name: "Treatment",
        write: |record| optional(&record.treatment),
        read: |record, cell, _| {
            record.treatment = text(cell);
            Ok(())
        },
    },
    ColumnSpec {
        name: "Printing",
        write: |record| optional(&record.printing),
        read: |record, cell, _| {
            record.printing = text(cell);
            Ok(())
        },
    },
    ColumnSpec {
        name: "Condition",
        write: |record| Cow::Borrowed(record.condition.as_str()),
        read: |record, cell, column| {
            record.condition = parse_condition(cell, column)?;
            Ok(())
        },
    },
    ColumnSpec {
        name: "Grade Company",
        write: |record| optional(&record.grade_company),
        read: |record, cell, _| {
            record.grade_company = text(cell);
            Ok(())
        },
    },
    ColumnSpec {
        name: "Grade",
        write: |record| optional(&record.grade),
        read: |record, cell, _| {
            record.grade = text(cell);
            Ok(())
        },
    },
    ColumnSpec {
        name: "Language",
        write: |record| Cow::Borrowed(record.language.as_str()),
        read: |record, cell, _| {
            record.language = text(cell).unwrap_or_else(|| EntryRecord::new().language);
            Ok(())
        },
    },
    ColumnSpec {
        name: QUANTITY,
        write: |record| Cow::Owned(record.quantity.to_string()),
        read: |record, cell, column| {
            record.quantity = parse_quantity(cell, column)?;
            Ok(())
        },
    },
    ColumnSpec {
        name: "Purchase Price",
        write: |record| price(record.purchase_price_cents),
        read: |record, cell, column| {
            record.purchase_price_cents = parse_price_cents(cell, column)?;
            Ok(())
        },
    },
    ColumnSpec {
        name: "Purchase Currency",
        write: |record| optional(&record.purchase_currency),
        read: |record, cell, _| {
            record.purchase_currency = text(cell);
            Ok(())
        },
    },
    ColumnSpec {
        name: "Market Price (USD)",
        write: |record| price(record.market_price_cents),
        read: |record, cell, column| {
            record.market_price_cents = parse_price_cents(cell, column)?;
            Ok(())
        },
    },
    ColumnSpec {
        name: "Market Price Date",
        write: |record| optional(&record.market_price_date),
        read: |record, cell, column| {
            record.market_price_date = parse_date(cell, column)?;
            Ok(())
        },
    },
    ColumnSpec {
        name: "Date Added",
        write: |record| optional(&record.added_at),
        read: |record, cell, column| {
            record.added_at = parse_date(cell, column)?;
            Ok(())
        },
    },
    ColumnSpec {
        name: "Wishlist",
        write: |record| Cow::Borrowed(format_flag(record.wishlist)),
        read: |record, cell, column| {
            record.wishlist = parse_flag(cell, column)?;
            Ok(())
        },
    },
    ColumnSpec {
        name: "Note",
        write: |record| optional(&record.note),
        read: |record, cell, _| {
            record.note = text(cell);
            Ok(())
        },
    },
    ColumnSpec {
        name: "Set ID",
        write: |record| optional(&record.set_id),
        read: |record, cell, _| {
            record.set_id = text(cell);
            Ok(())
        },
    },
    ColumnSpec {
        name: "Set Code",
        write: |record| optional(&record.set_code),
        read: |record, cell, _| {
            record.set_code = text(cell);
            Ok(())
        },
    },
    ColumnSpec {
        name: "Card ID",
        write: |record| optional(&record.card_id),
        read: |record, cell, _| {
            record.card_id = text(cell);
            Ok(())
        },
    },
];

/// The header Holo writes, in this order.
pub const HOLO_CSV_HEADER: [&str; COLUMNS.len()] = {
    let mut names = [""; COLUMNS.len()];
    let mut index = 0;
    while index < COLUMNS.len() {
        names[index] = COLUMNS[index].name;
        index += 1;
    }
    names
};

/// Columns a Holo CSV file must have: enough to name the card and count the copies.
const REQUIRED: [&str; 4] = ["Set", "Number", "Card", QUANTITY];

/// Columns no other format Holo reads has, which mark a file as Holo CSV.
const DISTINCTIVE: [&str; 8] = [
    "Card ID",
    "Set ID",
    "Variation Type",
    "Treatment",
    "Wishlist",
    "Grade Company",
    "Purchase Currency",
    "Market Price (USD)",
];

/// The columns that name the card, listed in the error for a row where all are empty.
const CARD_COLUMNS: &str = "Card ID, Set ID, Set, Number and Card";

fn optional(value: &Option<String>) -> Cow<'_, str> {
    Cow::Borrowed(value.as_deref().unwrap_or_default())
}

fn price(cents: Option<i64>) -> Cow<'static, str> {
    cents.map_or(Cow::Borrowed(""), |cents| Cow::Owned(format_cents(cents)))
}

pub(super) fn distinctive_score(header: &Header) -> usize {
    header.count(&DISTINCTIVE)
}

/// The Holo CSV columns a file has, in the file's order.
pub(super) struct Layout {
    columns: Vec<(Column, &'static ColumnSpec)>,
    quantity_name: String,
}

impl CsvLayout for Layout {
    const FORMAT: FileFormat = FileFormat::HoloCsv;

    fn from_header(header: &Header) -> Result<Self, FileError> {
        header.require(Self::FORMAT, &REQUIRED)?;
        let mut columns: Vec<(Column, &'static ColumnSpec)> = COLUMNS
            .iter()
            .filter_map(|spec| header.find(spec.name).map(|column| (column, spec)))
            .collect();
        columns.sort_by_key(|(column, _)| column.index);
        let quantity_name = header
            .find(QUANTITY)
            .map_or_else(|| QUANTITY.to_owned(), |column| column.name);
        Ok(Layout {
            columns,
            quantity_name,
        })
    }

    fn read_row(&self, row: &Row) -> Result<EntryRecord, String> {
        let mut record = EntryRecord::new();
        for (column, spec) in &self.columns {
            (spec.read)(&mut record, row.get(column), Location::Column(&column.name))?;
        }
        check_quantity(&record, Location::Column(&self.quantity_name))?;
        check_names_card(&record, CARD_COLUMNS)?;
        Ok(record)
    }
}

/// Writes the header, so that [`write_row`] can follow.
pub(super) fn write_header<W: Write>(writer: &mut csv::Writer<W>) -> csv::Result<()> {
    writer.write_record(HOLO_CSV_HEADER)
}

pub(super) fn write_row<W: Write>(
    writer: &mut csv::Writer<W>,
    record: &EntryRecord,
) -> csv::Result<()> {
    for spec in &COLUMNS {
        writer.write_field((spec.write)(record).as_bytes())?;
    }
    // An empty record after the fields ends the row.
    writer.write_record(None::<&[u8]>)
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
        write_all(FileFormat::HoloCsv, Vec::new(), records).unwrap()
    }

    #[test]
    fn holo_csv_round_trips_records() {
        let mut records = tricky_records();
        records.extend(sample_records());
        let file = read(&write(&records)).unwrap();
        assert_eq!(file.format, FileFormat::HoloCsv);
        assert_eq!(records_of(&file), records);
    }

    #[test]
    fn holo_csv_bytes_are_deterministic() {
        let records = tricky_records();
        assert_eq!(write(&records), write(&records));
    }

    #[test]
    fn holo_csv_writes_sample_file() {
        let written = write(&sample_records());
        let expected = fixture("holo.csv");
        assert_eq!(
            String::from_utf8_lossy(&written),
            String::from_utf8_lossy(&expected)
        );
        assert!(written.starts_with(b"\xEF\xBB\xBFSet,Number,Card,"));
    }

    #[test]
    fn holo_csv_reads_sample_file() {
        let file = read(&fixture("holo.csv")).unwrap();
        assert_eq!(file.format, FileFormat::HoloCsv);
        assert_eq!(records_of(&file), sample_records());
        let lines: Vec<usize> = file.rows.iter().map(|row| row.line).collect();
        // The Charizard note spans lines 4 and 5.
        assert_eq!(lines, [2, 3, 4, 6, 7, 8, 9, 10]);
    }

    #[test]
    fn holo_csv_header_lists_every_column() {
        assert_eq!(HOLO_CSV_HEADER.len(), 22);
        assert_eq!(HOLO_CSV_HEADER[0], "Set");
        assert_eq!(HOLO_CSV_HEADER[21], "Card ID");
        assert!(HOLO_CSV_HEADER.contains(&"Market Price (USD)"));
    }

    #[test]
    fn holo_csv_reads_edited_file() {
        let file = read(&fixture("holo-edited.csv")).unwrap();
        assert_eq!(file.format, FileFormat::HoloCsv);
        let lines: Vec<usize> = file.rows.iter().map(|row| row.line).collect();
        assert_eq!(lines, [2, 3, 5, 6, 7, 9, 10, 11, 12]);

        let lilligant = file.rows[0].record.as_ref().unwrap();
        assert_eq!(
            lilligant,
            &EntryRecord {
                card_id: some("swsh10-190"),
                set_name: some("Astral Radiance"),
                number: some("190"),
                card_name: some("Hisuian Lilligant VSTAR"),
                quantity: 2,
                purchase_price_cents: Some(4500),
                purchase_currency: some("USD"),
                added_at: some("2024-05-02"),
                ..EntryRecord::new()
            }
        );
        let charizard = file.rows[1].record.as_ref().unwrap();
        assert_eq!(charizard.condition, Condition::LightlyPlayed);
        assert_eq!(charizard.purchase_price_cents, Some(125_000));
        assert_eq!(charizard.note, some("Note over\r\ntwo lines"));
        let wished = file.rows[2].record.as_ref().unwrap();
        assert_eq!((wished.quantity, wished.wishlist), (0, true));
        let rufflet = file.rows[8].record.as_ref().unwrap();
        assert_eq!(rufflet.quantity, 3);

        let errors: Vec<&str> = file.rows[3..8]
            .iter()
            .map(|row| row.record.as_ref().unwrap_err().as_str())
            .collect();
        assert!(errors[0].starts_with("invalid quantity \"two\" in column Quantity:"));
        assert!(errors[1].starts_with("invalid price \"12,50\" in column Purchase Price:"));
        assert!(errors[2].starts_with("invalid condition \"Mint\" in column Condition:"));
        assert!(errors[3].starts_with("invalid quantity \"0\" in column Quantity:"));
        assert!(errors[3].contains("wishlist"));
        assert!(errors[4].starts_with("invalid date \"yesterday\" in column Date Added:"));
    }

    #[test]
    fn holo_csv_trims_cells_and_empties_to_none() {
        let record = EntryRecord {
            card_name: some("  Pikachu "),
            note: Some(String::new()),
            ..EntryRecord::new()
        };
        let file = read(&write(std::slice::from_ref(&record))).unwrap();
        let read_back = file.rows[0].record.as_ref().unwrap();
        assert_eq!(read_back.card_name, some("Pikachu"));
        assert_eq!(read_back.note, None);
    }

    #[test]
    fn holo_csv_rejects_row_without_card() {
        let text = "Set,Number,Card,Quantity,Wishlist,Card ID\n,,,1,no,\n";
        let file = read(text.as_bytes()).unwrap();
        assert_eq!(
            file.rows[0].record,
            Err(
                "missing card: the columns Card ID, Set ID, Set, Number and Card are all empty"
                    .to_owned()
            )
        );
    }

    #[test]
    fn holo_csv_requires_identifying_columns() {
        let text = "Card ID,Wishlist,Set\nswsh10-190,no,Astral Radiance\n";
        match read(text.as_bytes()) {
            Err(FileError::MissingColumns { format, columns }) => {
                assert_eq!(format, FileFormat::HoloCsv);
                assert_eq!(columns, ["Number", "Card", "Quantity"]);
            }
            other => panic!("expected MissingColumns, got {other:?}"),
        }
    }
}
