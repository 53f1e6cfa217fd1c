//! Collectr's CSV export, which Holo reads but does not write.
//!
//! The market price column carries its date in its name (`Market Price (As of 2024-05-01)`),
//! so it is found by prefix and the date goes to every row that has a price. A date Holo
//! cannot read there leaves `market_price_date` empty. Collectr tracks more than Pokémon, so a
//! row whose Category is filled and does not mention Pokémon is a row error. Average Cost Paid
//! is in US dollars. Collectr has no language column, so every row reads as English.

use super::FileError;
use super::table::{Column, CsvLayout, Header, Row, name_of};
use super::tcgplayer::simple_name;
use super::values::{
    Location, check_names_card, check_quantity, parse_condition, parse_date, parse_flag,
    parse_price_cents, parse_quantity, text,
};
use crate::collection::record::{EntryRecord, FileFormat};

const CATEGORY: &str = "Category";
const SET: &str = "Set";
const PRODUCT_NAME: &str = "Product Name";
const CARD_NUMBER: &str = "Card Number";
const RARITY: &str = "Rarity";
const VARIANCE: &str = "Variance";
const GRADE: &str = "Grade";
const CARD_CONDITION: &str = "Card Condition";
const AVERAGE_COST_PAID: &str = "Average Cost Paid";
const QUANTITY: &str = "Quantity";
/// The start of the market price column's name, which ends with its date.
const MARKET_PRICE_PREFIX: &str = "Market Price";
const WATCHLIST: &str = "Watchlist";
const DATE_ADDED: &str = "Date Added";
const NOTES: &str = "Notes";

/// Columns a Collectr file must have: enough to name the card and count the copies.
const REQUIRED: [&str; 4] = [SET, PRODUCT_NAME, CARD_NUMBER, QUANTITY];

/// Columns no other format Holo reads has, which mark a file as Collectr's.
const DISTINCTIVE: [&str; 7] = [
    "Portfolio Name",
    PRODUCT_NAME,
    VARIANCE,
    CARD_CONDITION,
    AVERAGE_COST_PAID,
    WATCHLIST,
    "Price Override",
];

const CARD_COLUMNS: &str = "Set, Product Name and Card Number";

/// The currency of Collectr's prices.
const CURRENCY: &str = "USD";

pub(super) fn distinctive_score(header: &Header) -> usize {
    let dated_market_price = header.find_prefix("Market Price (As of").is_some();
    header.count(&DISTINCTIVE) + usize::from(dated_market_price)
}

/// The Collectr columns a file has.
pub(super) struct Layout {
    category: Option<Column>,
    set: Option<Column>,
    product_name: Option<Column>,
    card_number: Option<Column>,
    rarity: Option<Column>,
    variance: Option<Column>,
    grade: Option<Column>,
    card_condition: Option<Column>,
    average_cost_paid: Option<Column>,
    quantity: Option<Column>,
    market_price: Option<Column>,
    /// The date in the market price column's name, as `YYYY-MM-DD`.
    market_price_date: Option<String>,
    watchlist: Option<Column>,
    date_added: Option<Column>,
    notes: Option<Column>,
}

impl CsvLayout for Layout {
    const FORMAT: FileFormat = FileFormat::CollectrCsv;

    fn from_header(header: &Header) -> Result<Self, FileError> {
        header.require(Self::FORMAT, &REQUIRED)?;
        let market_price = header.find_prefix(MARKET_PRICE_PREFIX);
        let market_price_date = market_price
            .as_ref()
            .and_then(|column| date_in_column_name(&column.name));
        Ok(Layout {
            category: header.find(CATEGORY),
            set: header.find(SET),
            product_name: header.find(PRODUCT_NAME),
            card_number: header.find(CARD_NUMBER),
            rarity: header.find(RARITY),
            variance: header.find(VARIANCE),
            grade: header.find(GRADE),
            card_condition: header.find(CARD_CONDITION),
            average_cost_paid: header.find(AVERAGE_COST_PAID),
            quantity: header.find(QUANTITY),
            market_price,
            market_price_date,
            watchlist: header.find(WATCHLIST),
            date_added: header.find(DATE_ADDED),
            notes: header.find(NOTES),
        })
    }

    fn read_row(&self, row: &Row) -> Result<EntryRecord, String> {
        check_category(row.cell(&self.category), name_of(&self.category, CATEGORY))?;

        let quantity_name = name_of(&self.quantity, QUANTITY);
        let (grade_company, grade) =
            parse_grade(row.cell(&self.grade), name_of(&self.grade, GRADE))?;
        let purchase_price_cents = parse_price_cents(
            row.cell(&self.average_cost_paid),
            name_of(&self.average_cost_paid, AVERAGE_COST_PAID),
        )?;
        let market_price_cents = parse_price_cents(
            row.cell(&self.market_price),
            name_of(&self.market_price, MARKET_PRICE_PREFIX),
        )?;
        let record = EntryRecord {
            set_name: text(row.cell(&self.set)),
            number: text(row.cell(&self.card_number)),
            card_name: text(row.cell(&self.product_name)),
            rarity: text(row.cell(&self.rarity)),
            printing: text(row.cell(&self.variance)),
            quantity: parse_quantity(row.cell(&self.quantity), quantity_name)?,
            condition: parse_condition(
                row.cell(&self.card_condition),
                name_of(&self.card_condition, CARD_CONDITION),
            )?,
            grade_company,
            grade,
            purchase_price_cents,
            purchase_currency: purchase_price_cents.map(|_| CURRENCY.to_owned()),
            market_price_cents,
            market_price_date: market_price_cents.and(self.market_price_date.clone()),
            added_at: parse_date(
                row.cell(&self.date_added),
                name_of(&self.date_added, DATE_ADDED),
            )?,
            note: text(row.cell(&self.notes)),
            wishlist: parse_flag(
                row.cell(&self.watchlist),
                name_of(&self.watchlist, WATCHLIST),
            )?,
            ..EntryRecord::new()
        };
        check_quantity(&record, quantity_name)?;
        check_names_card(&record, CARD_COLUMNS)?;
        Ok(record)
    }
}

/// Returns the date in `Market Price (As of 2024-05-01)` as `YYYY-MM-DD`, or `None` when the
/// name has no date Holo can read.
fn date_in_column_name(name: &str) -> Option<String> {
    let (_, after_open) = name.split_once('(')?;
    let inside = after_open
        .split_once(')')
        .map_or(after_open, |(inside, _)| inside);
    let inside = inside.trim();
    let date = inside
        .get(..5)
        .filter(|head| head.eq_ignore_ascii_case("as of"))
        .map_or(inside, |_| &inside[5..]);
    parse_date(date, Location::Column(name)).ok().flatten()
}

/// Rejects a row from another card game. An empty category is taken to be Pokémon.
fn check_category(cell: &str, location: Location) -> Result<(), String> {
    let is_pokemon = simple_name(cell).to_lowercase().contains("pokemon");
    if cell.is_empty() || is_pokemon {
        Ok(())
    } else {
        Err(format!("not a Pokémon card: {location} is {cell:?}"))
    }
}

/// Reads a grade cell into company and grade.
///
/// - Empty, `Ungraded` or `Raw`: no grade.
/// - A company then a grade, with or without a space: `PSA 10`, `PSA10`, `BGS 9.5`,
///   `CGC Pristine 10` (company `CGC`, grade `Pristine 10`).
/// - A grade alone (`9`): a grade with no company.
///
/// A company with no grade (`PSA`) is a row error.
fn parse_grade(cell: &str, location: Location) -> Result<(Option<String>, Option<String>), String> {
    let cell = cell.trim();
    if cell.is_empty() || cell.eq_ignore_ascii_case("ungraded") || cell.eq_ignore_ascii_case("raw")
    {
        return Ok((None, None));
    }
    let company_length = cell
        .find(|c: char| c.is_ascii_digit() || c.is_whitespace())
        .unwrap_or(cell.len());
    let (company, grade) = cell.split_at(company_length);
    match (text(company), text(grade)) {
        (company, Some(grade)) => Ok((company, Some(grade))),
        (_, None) => Err(format!(
            "invalid grade {cell:?} in {location}: expected Ungraded or a company and \
             grade such as PSA 10"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::files::read;
    use crate::collection::files::test_support::{fixture, some};
    use crate::collection::record::Condition;

    #[test]
    fn collectr_sample_file_keeps_bom_and_crlf() {
        let bytes = fixture("collectr.csv");
        assert!(bytes.starts_with(b"\xEF\xBB\xBFPortfolio Name, Category,"));
        assert!(bytes.ends_with(b"\r\n\r\n\r\n"));
        let line_feeds = bytes.iter().filter(|byte| **byte == b'\n').count();
        let crlf_pairs = bytes.windows(2).filter(|pair| pair == b"\r\n").count();
        assert_eq!(line_feeds, crlf_pairs);
    }

    #[test]
    fn collectr_reads_sample_file() {
        let file = read(&fixture("collectr.csv")).unwrap();
        assert_eq!(file.format, FileFormat::CollectrCsv);
        let lines: Vec<usize> = file.rows.iter().map(|row| row.line).collect();
        // The Flabébé note spans lines 5 and 6.
        assert_eq!(lines, [2, 3, 4, 5, 7, 8, 9, 10, 11]);

        assert_eq!(
            file.rows[0].record,
            Ok(EntryRecord {
                set_name: some("Astral Radiance"),
                number: some("190/189"),
                card_name: some("Hisuian Lilligant VSTAR"),
                rarity: some("Secret Rare"),
                printing: some("Holofoil"),
                purchase_price_cents: Some(4500),
                purchase_currency: some("USD"),
                market_price_cents: Some(3812),
                market_price_date: some("2024-05-01"),
                added_at: some("2024-05-02"),
                note: some("Pulled it, finally"),
                ..EntryRecord::new()
            })
        );

        let charizard = file.rows[1].record.as_ref().unwrap();
        assert_eq!(charizard.grade_company, some("PSA"));
        assert_eq!(charizard.grade, some("9"));
        assert_eq!(charizard.condition, Condition::NearMint);
        assert_eq!(charizard.purchase_price_cents, Some(125_000));
        assert_eq!(charizard.market_price_cents, Some(141_055));
        assert_eq!(charizard.added_at, some("2024-05-01"));

        let wished = file.rows[2].record.as_ref().unwrap();
        assert_eq!((wished.quantity, wished.wishlist), (0, true));
        assert_eq!(wished.purchase_price_cents, None);
        assert_eq!(wished.purchase_currency, None);
        assert_eq!(wished.note, some("Wait for a price under \"$100\""));

        let flabebe = file.rows[3].record.as_ref().unwrap();
        assert_eq!(flabebe.card_name, some("Flabébé"));
        assert_eq!(flabebe.condition, Condition::LightlyPlayed);
        assert_eq!(
            flabebe.note,
            some("Two copies from a trade,\r\ntwo from packs")
        );

        assert_eq!(
            file.rows[4].record,
            Err("not a Pokémon card: column Category is \"Magic: The Gathering\"".to_owned())
        );
        let error = file.rows[5].record.as_ref().unwrap_err();
        assert!(
            error.starts_with("invalid quantity \"two\" in column Quantity:"),
            "{error}"
        );

        let made_up = file.rows[6].record.as_ref().unwrap();
        assert_eq!(made_up.card_name, some("Hisuian Pikachu VSTAR"));
        assert_eq!(made_up.market_price_cents, None);
        assert_eq!(made_up.market_price_date, None);

        let umbreon = file.rows[7].record.as_ref().unwrap();
        assert_eq!(umbreon.grade_company, some("BGS"));
        assert_eq!(umbreon.grade, some("9.5"));
        assert_eq!(umbreon.market_price_cents, Some(105_000));
        assert_eq!(umbreon.added_at, some("2024-05-03"));

        let iono = file.rows[8].record.as_ref().unwrap();
        assert_eq!(iono.quantity, 2);
        assert_eq!(iono.purchase_price_cents, Some(350));
        assert_eq!(iono.added_at, some("2024-05-03"));
        assert_eq!(iono.language, "English");
    }

    #[test]
    fn collectr_reads_minimal_header() {
        let text = "Product Name,Set,Card Number,Quantity,Market Price\n\
                    Rufflet,Astral Radiance,131/189,2,0.08\n";
        let file = read(text.as_bytes()).unwrap();
        assert_eq!(file.format, FileFormat::CollectrCsv);
        let record = file.rows[0].record.as_ref().unwrap();
        assert_eq!(record.market_price_cents, Some(8));
        assert_eq!(record.market_price_date, None);
        assert_eq!(record.condition, Condition::NearMint);
    }

    #[test]
    fn collectr_names_missing_columns() {
        let text = "Portfolio Name,Category,Product Name,Quantity\nMain,Pokemon,Rufflet,1\n";
        match read(text.as_bytes()) {
            Err(FileError::MissingColumns { format, columns }) => {
                assert_eq!(format, FileFormat::CollectrCsv);
                assert_eq!(columns, ["Set", "Card Number"]);
            }
            other => panic!("expected MissingColumns, got {other:?}"),
        }
    }

    #[test]
    fn collectr_bad_cells_name_their_column() {
        let header = "Category,Set,Product Name,Card Number,Grade,Card Condition,\
                      Average Cost Paid,Quantity,Market Price (As of 2024-05-01),Watchlist,\
                      Date Added";
        let cases = [
            (
                "Pokemon,ASR,Rufflet,131,PSA,,,1,,,",
                "invalid grade \"PSA\" in column Grade:",
            ),
            (
                "Pokemon,ASR,Rufflet,131,,Mint,,1,,,",
                "invalid condition \"Mint\" in column Card Condition:",
            ),
            (
                "Pokemon,ASR,Rufflet,131,,,1;50,1,,,",
                "invalid price \"1;50\" in column Average Cost Paid:",
            ),
            (
                "Pokemon,ASR,Rufflet,131,,,,1,n/a,,",
                "invalid price \"n/a\" in column Market Price (As of 2024-05-01):",
            ),
            (
                "Pokemon,ASR,Rufflet,131,,,,1,,maybe,",
                "invalid value \"maybe\" in column Watchlist:",
            ),
            (
                "Pokemon,ASR,Rufflet,131,,,,1,,,31/12/2024",
                "invalid date \"31/12/2024\" in column Date Added:",
            ),
            (
                "Pokemon,ASR,Rufflet,131,,,,0,,no,",
                "invalid quantity \"0\" in column Quantity:",
            ),
            (
                "Pokemon,,,,,,,1,,,",
                "missing card: the columns Set, Product Name and Card Number are all empty",
            ),
        ];
        for (row, expected) in cases {
            let file = read(format!("{header}\n{row}\n").as_bytes()).unwrap();
            let error = file.rows[0].record.as_ref().unwrap_err();
            assert!(error.starts_with(expected), "{row}: {error}");
        }
    }

    #[test]
    fn grade_splits_company_and_grade() {
        let cases = [
            ("", None, None),
            ("Ungraded", None, None),
            ("raw", None, None),
            ("PSA 10", Some("PSA"), Some("10")),
            ("PSA10", Some("PSA"), Some("10")),
            ("BGS 9.5", Some("BGS"), Some("9.5")),
            ("CGC Pristine 10", Some("CGC"), Some("Pristine 10")),
            ("9", None, Some("9")),
        ];
        for (cell, company, grade) in cases {
            assert_eq!(
                parse_grade(cell, Location::Column("Grade")),
                Ok((company.map(str::to_owned), grade.map(str::to_owned))),
                "{cell:?}"
            );
        }
    }

    #[test]
    fn grade_rejects_company_alone() {
        let error = parse_grade("PSA", Location::Column("Grade")).unwrap_err();
        assert!(
            error.starts_with("invalid grade \"PSA\" in column Grade"),
            "{error}"
        );
    }

    #[test]
    fn category_accepts_pokemon_spellings() {
        for cell in ["Pokemon", "Pokémon", "POKEMON", "Pokemon Japan", ""] {
            assert_eq!(
                check_category(cell, Location::Column("Category")),
                Ok(()),
                "{cell:?}"
            );
        }
        assert_eq!(
            check_category("Magic: The Gathering", Location::Column("Category")),
            Err("not a Pokémon card: column Category is \"Magic: The Gathering\"".to_owned())
        );
    }

    #[test]
    fn market_price_date_comes_from_column_name() {
        let cases = [
            ("Market Price (As of 2024-05-01)", Some("2024-05-01")),
            ("Market Price (as of 05/01/2024)", Some("2024-05-01")),
            ("Market Price (As of May 1st)", None),
            ("Market Price", None),
        ];
        for (name, date) in cases {
            assert_eq!(
                date_in_column_name(name),
                date.map(str::to_owned),
                "{name:?}"
            );
        }
    }
}
