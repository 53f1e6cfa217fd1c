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

/// Simplifies a card name for the Simple Name column.
///
/// Accented Latin letters lose their accents (`Flabébé` to `Flabebe`), and `♂` and `♀` become
/// `M` and `F`. Apostrophes are dropped (`Farfetch'd` to `Farfetchd`). Every other run of
/// characters that are neither letters nor digits becomes one space (`Mr. Mime` to `Mr Mime`).
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::files::test_support::{
        fixture, records_of, sample_records, some, tricky_records,
    };
    use crate::collection::files::{RecordWriter, read, write_all};
    use crate::collection::record::Condition;

    /// Returns the part of `record` that a TCGplayer file carries.
    fn carried(record: &EntryRecord) -> EntryRecord {
        EntryRecord {
            set_name: record.set_name.clone(),
            set_code: record.set_code.clone(),
            number: record.number.clone(),
            card_name: record.card_name.clone(),
            rarity: record.rarity.clone(),
            printing: record.printing.clone(),
            quantity: record.quantity,
            condition: record.condition,
            language: record.language.clone(),
            ..EntryRecord::new()
        }
    }

    #[test]
    fn tcgplayer_round_trips_carried_fields() {
        let records: Vec<EntryRecord> = sample_records()
            .into_iter()
            .chain(tricky_records())
            // The format cannot name a card by its id alone, nor carry a wishlist-only entry.
            .filter(|record| record.quantity > 0 && record.card_name.is_some())
            .collect();
        let written = write_all(FileFormat::TcgplayerCsv, Vec::new(), &records).unwrap();
        let file = read(&written).unwrap();
        assert_eq!(file.format, FileFormat::TcgplayerCsv);
        let expected: Vec<EntryRecord> = records.iter().map(carried).collect();
        assert_eq!(records_of(&file), expected);
    }

    #[test]
    fn tcgplayer_writes_published_layout() {
        let record = EntryRecord {
            set_name: some("Astral Radiance"),
            set_code: some("ASR"),
            number: some("190"),
            card_name: some("Hisuian Lilligant VSTAR"),
            rarity: some("Rare Rainbow"),
            printing: some("Holofoil"),
            quantity: 2,
            condition: Condition::LightlyPlayed,
            grade_company: some("PSA"),
            grade: some("10"),
            note: some("dropped"),
            ..EntryRecord::new()
        };
        let written = write_all(FileFormat::TcgplayerCsv, Vec::new(), [&record]).unwrap();
        assert_eq!(
            String::from_utf8(written).unwrap(),
            "Quantity,Name,Simple Name,Set,Card Number,Set Code,Printing,Condition,Language,\
             Rarity,Product ID,SKU\n\
             2,Hisuian Lilligant VSTAR,Hisuian Lilligant VSTAR,Astral Radiance,190,ASR,Holofoil,\
             Lightly Played,English,Rare Rainbow,,\n"
        );
    }

    #[test]
    fn tcgplayer_skips_wishlist_only_records() {
        let records = sample_records();
        let mut writer = RecordWriter::new(FileFormat::TcgplayerCsv, Vec::new()).unwrap();
        for record in &records {
            writer.write(record).unwrap();
        }
        assert_eq!(writer.skipped(), 1);
        assert_eq!(writer.written(), records.len() - 1);
        let file = read(&writer.finish().unwrap()).unwrap();
        assert_eq!(file.rows.len(), records.len() - 1);
        assert!(
            records_of(&file)
                .iter()
                .all(|record| record.card_name != some("Charizard ex"))
        );
    }

    #[test]
    fn simple_name_drops_accents_and_punctuation() {
        let cases = [
            ("Flabébé", "Flabebe"),
            ("Farfetch'd", "Farfetchd"),
            ("Farfetch\u{2019}d", "Farfetchd"),
            ("Mr. Mime", "Mr Mime"),
            ("Venusaur-EX", "Venusaur EX"),
            ("Nidoran ♂", "Nidoran M"),
            ("Nidoran♀", "NidoranF"),
            ("Type: Null", "Type Null"),
            ("Pokémon Center Lady", "Pokemon Center Lady"),
            ("Professor's Research", "Professors Research"),
            ("  Ho-Oh  ", "Ho Oh"),
            ("Æther Œuvre ß", "AEther OEuvre ss"),
            ("ピカチュウ", "ピカチュウ"),
            ("", ""),
        ];
        for (name, expected) in cases {
            assert_eq!(simple_name(name), expected, "{name:?}");
        }
    }

    #[test]
    fn tcgplayer_reads_sample_file() {
        let file = read(&fixture("tcgplayer.csv")).unwrap();
        assert_eq!(file.format, FileFormat::TcgplayerCsv);
        let lines: Vec<usize> = file.rows.iter().map(|row| row.line).collect();
        assert_eq!(lines, (2..=11).collect::<Vec<_>>());

        assert_eq!(
            file.rows[0].record,
            Ok(EntryRecord {
                set_name: some("Astral Radiance"),
                set_code: some("ASR"),
                number: some("190/189"),
                card_name: some("Hisuian Lilligant VSTAR"),
                rarity: some("Secret Rare"),
                printing: some("Holofoil"),
                ..EntryRecord::new()
            })
        );
        let greninja = file.rows[1].record.as_ref().unwrap();
        assert_eq!(greninja.condition, Condition::LightlyPlayed);
        assert_eq!(greninja.printing, some("Holofoil"));
        assert_eq!(greninja.quantity, 3);
        // An empty Printing cell takes the printing from the condition.
        let rufflet = file.rows[2].record.as_ref().unwrap();
        assert_eq!(rufflet.condition, Condition::NearMint);
        assert_eq!(rufflet.printing, some("Reverse Holofoil"));
        let flabebe = file.rows[4].record.as_ref().unwrap();
        assert_eq!(flabebe.card_name, some("Flabébé"));
        assert_eq!(flabebe.condition, Condition::NearMint);
        let iono = file.rows[7].record.as_ref().unwrap();
        assert_eq!(iono.language, "Japanese");

        let error = file.rows[9].record.as_ref().unwrap_err();
        assert!(
            error.starts_with("invalid condition \"Mint\" in column Condition:"),
            "{error}"
        );
    }

    #[test]
    fn tcgplayer_rejects_zero_quantity() {
        let text =
            "Quantity,Name,Simple Name,Set,Card Number\n0,Rufflet,Rufflet,Astral Radiance,131\n";
        let file = read(text.as_bytes()).unwrap();
        let error = file.rows[0].record.as_ref().unwrap_err();
        assert!(
            error.starts_with("invalid quantity \"0\" in column Quantity:"),
            "{error}"
        );
    }
}
