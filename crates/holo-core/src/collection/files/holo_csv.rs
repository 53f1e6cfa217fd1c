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
