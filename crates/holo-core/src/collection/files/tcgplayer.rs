//! The TCGplayer app's collection CSV: one row per product and condition, with the header
//! [`TCGPLAYER_HEADER`].
//!
//! The format has no grade, price, date, note or wishlist, so writing drops them, and a record
//! with no copies (a wishlist-only entry) is not written at all. Holo cannot know TCGplayer's
//! Product ID and SKU and leaves them empty. Reading takes the card number as written
//! (`190/189`), reads a condition followed by a printing (`Near Mint Holofoil`) as the two
//! fields, and reads an empty condition as Near Mint and an empty language as English.

use std::io::Write;

use super::FileError;
use super::table::{Column, CsvLayout, Header, Row, name_of};
use super::values::{
    check_names_card, check_quantity, parse_condition_and_printing, parse_quantity, text,
};
use crate::collection::record::{EntryRecord, FileFormat};

/// The header of the TCGplayer app's collection export, which Holo writes as is.
pub const TCGPLAYER_HEADER: [&str; 12] = [
    QUANTITY,
    NAME,
    "Simple Name",
    SET,
    CARD_NUMBER,
    SET_CODE,
    PRINTING,
    CONDITION,
    LANGUAGE,
    RARITY,
    "Product ID",
    "SKU",
];

const QUANTITY: &str = "Quantity";
const NAME: &str = "Name";
const SET: &str = "Set";
const CARD_NUMBER: &str = "Card Number";
const SET_CODE: &str = "Set Code";
const PRINTING: &str = "Printing";
const CONDITION: &str = "Condition";
const LANGUAGE: &str = "Language";
const RARITY: &str = "Rarity";

/// Columns a TCGplayer file must have: enough to name the card and count the copies.
const REQUIRED: [&str; 4] = [QUANTITY, NAME, SET, CARD_NUMBER];

/// Columns no other format Holo reads has, which mark a file as TCGplayer's.
const DISTINCTIVE: [&str; 3] = ["Simple Name", "Product ID", "SKU"];

const CARD_COLUMNS: &str = "Name, Set, Set Code and Card Number";

pub(super) fn distinctive_score(header: &Header) -> usize {
    header.count(&DISTINCTIVE)
}

/// The TCGplayer columns a file has.
pub(super) struct Layout {
    quantity: Option<Column>,
    name: Option<Column>,
    set: Option<Column>,
    card_number: Option<Column>,
    set_code: Option<Column>,
    printing: Option<Column>,
    condition: Option<Column>,
    language: Option<Column>,
    rarity: Option<Column>,
}

impl CsvLayout for Layout {
    const FORMAT: FileFormat = FileFormat::TcgplayerCsv;

    fn from_header(header: &Header) -> Result<Self, FileError> {
        header.require(Self::FORMAT, &REQUIRED)?;
        Ok(Layout {
            quantity: header.find(QUANTITY),
            name: header.find(NAME),
            set: header.find(SET),
            card_number: header.find(CARD_NUMBER),
            set_code: header.find(SET_CODE),
            printing: header.find(PRINTING),
            condition: header.find(CONDITION),
            language: header.find(LANGUAGE),
            rarity: header.find(RARITY),
        })
    }

    fn read_row(&self, row: &Row) -> Result<EntryRecord, String> {
        let quantity_name = name_of(&self.quantity, QUANTITY);
        let (condition, printing_in_condition) = parse_condition_and_printing(
            row.cell(&self.condition),
            name_of(&self.condition, CONDITION),
        )?;
        let record = EntryRecord {
            set_name: text(row.cell(&self.set)),
            set_code: text(row.cell(&self.set_code)),
            number: text(row.cell(&self.card_number)),
            card_name: text(row.cell(&self.name)),
            rarity: text(row.cell(&self.rarity)),
            printing: text(row.cell(&self.printing)).or(printing_in_condition),
            quantity: parse_quantity(row.cell(&self.quantity), quantity_name)?,
            condition,
            language: text(row.cell(&self.language)).unwrap_or_else(|| EntryRecord::new().language),
            ..EntryRecord::new()
        };
        check_quantity(&record, quantity_name)?;
        check_names_card(&record, CARD_COLUMNS)?;
        Ok(record)
    }
}

/// Returns whether the format can carry `record`. It has no wishlist, so a record with no
/// copies would read as a mistake.
pub(super) fn is_writable(record: &EntryRecord) -> bool {
    record.quantity > 0
}

pub(super) fn write_header<W: Write>(writer: &mut csv::Writer<W>) -> csv::Result<()> {
    writer.write_record(TCGPLAYER_HEADER)
}

pub(super) fn write_row<W: Write>(
    writer: &mut csv::Writer<W>,
    record: &EntryRecord,
) -> csv::Result<()> {
    let quantity = record.quantity.to_string();
    let name = record.card_name.as_deref().unwrap_or_default();
    let simple_name = simple_name(name);
    let cells = [
        quantity.as_str(),
        name,
        &simple_name,
        record.set_name.as_deref().unwrap_or_default(),
        record.number.as_deref().unwrap_or_default(),
        record.set_code.as_deref().unwrap_or_default(),
        record.printing.as_deref().unwrap_or_default(),
        record.condition.as_str(),
        &record.language,
        record.rarity.as_deref().unwrap_or_default(),
        "",
        "",
    ];
    writer.write_record(cells)
}

/// Simplifies a card name for the Simple Name column: accented Latin letters lose their
/// accents (`Flabébé` to `Flabebe`), `♂` and `♀` become `M` and `F`, apostrophes are dropped
/// (`Farfetch'd` to `Farfetchd`), and every other run of characters that is not a letter or a
/// digit becomes one space (`Mr. Mime` to `Mr Mime`, `Venusaur-EX` to `Venusaur EX`).
pub fn simple_name(name: &str) -> String {
    let mut simple = String::with_capacity(name.len());
    let mut pending_space = false;
    for character in name.chars() {
        let replacement = match character {
            '\'' | '\u{2018}' | '\u{2019}' | '`' => continue,
            '♂' => Some("M"),
            '♀' => Some("F"),
            _ => ascii_for_latin_letter(character),
        };
        let is_kept = replacement.is_some() || character.is_alphanumeric();
        if !is_kept {
            pending_space = true;
            continue;
        }
        if pending_space && !simple.is_empty() {
            simple.push(' ');
        }
        pending_space = false;
        match replacement {
            Some(ascii) => simple.push_str(ascii),
            None => simple.push(character),
        }
    }
    simple
}

/// Returns the unaccented spelling of a Latin-1 or Latin Extended-A letter that has one.
fn ascii_for_latin_letter(letter: char) -> Option<&'static str> {
    let ascii = match letter {
        'À'..='Å' | 'Ā' | 'Ă' | 'Ą' => "A",
        'à'..='å' | 'ā' | 'ă' | 'ą' => "a",
        'Æ' => "AE",
        'æ' => "ae",
        'Ç' | 'Ć' | 'Č' => "C",
        'ç' | 'ć' | 'č' => "c",
        'È'..='Ë' | 'Ē' | 'Ė' | 'Ę' | 'Ě' => "E",
        'è'..='ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'Ì'..='Ï' | 'Ī' | 'Į' | 'İ' => "I",
        'ì'..='ï' | 'ī' | 'į' | 'ı' => "i",
        'Ñ' | 'Ń' | 'Ň' => "N",
        'ñ' | 'ń' | 'ň' => "n",
        'Ò'..='Ö' | 'Ø' | 'Ō' | 'Ő' => "O",
        'ò'..='ö' | 'ø' | 'ō' | 'ő' => "o",
        'Œ' => "OE",
        'œ' => "oe",
        'Ś' | 'Š' => "S",
        'ś' | 'š' => "s",
        'ß' => "ss",
        'Ù'..='Ü' | 'Ū' | 'Ů' | 'Ű' => "U",
        'ù'..='ü' | 'ū' | 'ů' | 'ű' => "u",
        'Ý' | 'Ÿ' => "Y",
        'ý' | 'ÿ' => "y",
        'Ź' | 'Ż' | 'Ž' => "Z",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    };
    Some(ascii)
}
