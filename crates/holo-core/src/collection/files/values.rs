//! Cell values: parsing what the formats write into [`EntryRecord`] fields, and back.
//!
//! Every parser takes the cell and where it was read, and returns a row error that names both,
//! such as `invalid quantity "two" in column Quantity`.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime};

use crate::collection::record::{Condition, EntryRecord};

/// The location of a cell, for row errors: a CSV column or a JSON field, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Location<'a> {
    Column(&'a str),
    Field(&'a str),
}

impl fmt::Display for Location<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Column(name) => write!(formatter, "column {name}"),
            Location::Field(name) => write!(formatter, "field {name}"),
        }
    }
}

/// Returns the cell as text, `None` when it is empty or only spaces.
pub(super) fn text(cell: &str) -> Option<String> {
    let cell = cell.trim();
    (!cell.is_empty()).then(|| cell.to_owned())
}

/// Parses a count of copies: a whole number, 0 or more.
pub(super) fn parse_quantity(cell: &str, location: Location) -> Result<u32, String> {
    let cell = cell.trim();
    if cell.is_empty() {
        return Err(format!("missing quantity in {location}"));
    }
    if !cell.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(format!(
            "invalid quantity {cell:?} in {location}: expected a whole number of copies, \
             0 or more"
        ));
    }
    cell.parse()
        .map_err(|_| format!("invalid quantity {cell:?} in {location}: the number is too large"))
}

/// Rejects a record with no copies that is not on the wishlist: a zero quantity only makes
/// sense for a card the collector wants but does not own.
pub(super) fn check_quantity(record: &EntryRecord, location: Location) -> Result<(), String> {
    if record.quantity == 0 && !record.wishlist {
        return Err(format!(
            "invalid quantity \"0\" in {location}: 0 copies is allowed only for a wishlist \
             entry"
        ));
    }
    Ok(())
}

/// Rejects a record that names no card at all, since nothing could match it. `columns` lists
/// the format's columns that name the card.
pub(super) fn check_names_card(record: &EntryRecord, columns: &str) -> Result<(), String> {
    let names = [
        &record.card_id,
        &record.set_id,
        &record.set_name,
        &record.set_code,
        &record.number,
        &record.card_name,
    ];
    if names.iter().all(|name| name.is_none()) {
        return Err(format!("missing card: the columns {columns} are all empty"));
    }
    Ok(())
}

/// Parses an amount such as `12.34`, `1.5`, `12` or `$1,234.56` into cents, rounding a third
/// decimal and beyond to the nearest cent (half up). Returns `None` for an empty cell.
pub(super) fn parse_price_cents(cell: &str, location: Location) -> Result<Option<i64>, String> {
    let cell = cell.trim();
    if cell.is_empty() {
        return Ok(None);
    }
    cents_from_amount(cell).map(Some).ok_or_else(|| {
        format!(
            "invalid price {cell:?} in {location}: expected an amount of 0 or more such as \
             12.34 or $1,234.56"
        )
    })
}

fn cents_from_amount(amount: &str) -> Option<i64> {
    let amount = amount.strip_prefix('$').unwrap_or(amount).trim_start();
    let (whole, fraction) = amount.split_once('.').unwrap_or((amount, ""));
    let whole = digits_without_thousands_separators(whole)?;
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    if !fraction.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }

    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let digit = |index: usize| {
        fraction
            .as_bytes()
            .get(index)
            .map_or(0, |byte| i64::from(byte - b'0'))
    };
    let round_up = i64::from(digit(2) >= 5);
    whole
        .checked_mul(100)?
        .checked_add(digit(0) * 10 + digit(1) + round_up)
}

/// Returns the digits of `1,234` or `1234`, or `None` when the commas are not thousands
/// separators. `1,5` is rejected rather than read as 15, because it is a decimal comma.
fn digits_without_thousands_separators(whole: &str) -> Option<String> {
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or_default();
    let all_digits = |group: &str| group.bytes().all(|byte| byte.is_ascii_digit());
    if !all_digits(first) {
        return None;
    }
    let mut digits = first.to_owned();
    let mut has_separator = false;
    for group in groups {
        if group.len() != 3 || !all_digits(group) {
            return None;
        }
        has_separator = true;
        digits.push_str(group);
    }
    if has_separator && (first.is_empty() || first.len() > 3) {
        return None;
    }
    Some(digits)
}

/// Formats cents as an amount with two decimals (`12.34`, `-0.05`).
pub(super) fn format_cents(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}{}.{:02}", cents / 100, cents % 100)
}

/// Parses a condition name or abbreviation. An empty cell reads as Near Mint.
pub(super) fn parse_condition(cell: &str, location: Location) -> Result<Condition, String> {
    let cell = cell.trim();
    if cell.is_empty() {
        return Ok(Condition::NearMint);
    }
    cell.parse()
        .map_err(|_| invalid_condition_message(cell, location))
}

/// Parses a condition that may be followed by a printing, as TCGplayer writes it
/// (`Lightly Played Reverse Holofoil`). Returns the condition and that printing, if any.
pub(super) fn parse_condition_and_printing(
    cell: &str,
    location: Location,
) -> Result<(Condition, Option<String>), String> {
    if let Ok(condition) = parse_condition(cell, location) {
        return Ok((condition, None));
    }
    let cell = cell.trim();
    for condition in Condition::ALL {
        for label in [condition.as_str(), condition.abbreviation()] {
            let printing = cell
                .get(..label.len())
                .filter(|head| head.eq_ignore_ascii_case(label))
                .and_then(|_| cell[label.len()..].strip_prefix(' '));
            if let Some(printing) = printing {
                return Ok((condition, text(printing)));
            }
        }
    }
    Err(invalid_condition_message(cell, location))
}

fn invalid_condition_message(cell: &str, location: Location) -> String {
    let names: Vec<&str> = Condition::ALL.iter().map(|c| c.as_str()).collect();
    let abbreviations: Vec<&str> = Condition::ALL.iter().map(|c| c.abbreviation()).collect();
    format!(
        "invalid condition {cell:?} in {location}: expected one of {} (or {})",
        names.join(", "),
        abbreviations.join(", ")
    )
}

/// Parses a yes/no cell: `yes`, `no`, `true`, `false`, `y`, `n`, `1` or `0`, in any case. An
/// empty cell is no.
pub(super) fn parse_flag(cell: &str, location: Location) -> Result<bool, String> {
    match cell.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" => Ok(true),
        "no" | "n" | "false" | "0" | "" => Ok(false),
        _ => Err(format!(
            "invalid value {:?} in {location}: expected yes or no (or true/false, 1/0)",
            cell.trim()
        )),
    }
}

/// Formats a flag the way [`parse_flag`] reads it.
pub(super) fn format_flag(flag: bool) -> &'static str {
    if flag { "yes" } else { "no" }
}

/// Date forms read from a cell, besides RFC 3339. Slashes are read month first, the US order,
/// so a day-first date such as `25/12/2024` is rejected rather than guessed.
const DATE_FORMATS: [&str; 3] = ["%Y-%m-%d", "%m/%d/%Y", "%Y/%m/%d"];

/// Times that may follow a date. They are dropped, because they carry no time zone.
const TIME_FORMATS: [&str; 4] = ["%H:%M:%S%.f", "%H:%M", "%I:%M:%S %p", "%I:%M %p"];

/// Reads a date cell. An RFC 3339 timestamp or a `YYYY-MM-DD` date is kept as written. Other
/// dates (`05/01/2024`, `2024/05/01`, optionally followed by a time) become `YYYY-MM-DD`.
/// Returns `None` for an empty cell.
pub(super) fn parse_date(cell: &str, location: Location) -> Result<Option<String>, String> {
    let cell = cell.trim();
    if cell.is_empty() {
        return Ok(None);
    }
    if DateTime::parse_from_rfc3339(cell).is_ok() {
        return Ok(Some(cell.to_owned()));
    }
    let (day, time) = cell
        .split_once([' ', 'T'])
        .map_or((cell, ""), |(day, time)| (day, time.trim()));
    let date = DATE_FORMATS
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(day, format).ok())
        // chrono reads `24` as the year 24. A two-digit year is ambiguous, so it is rejected.
        .filter(|date| (1000..=9999).contains(&date.year()));
    let time_is_valid = time.is_empty()
        || TIME_FORMATS
            .iter()
            .any(|format| NaiveTime::parse_from_str(time, format).is_ok());
    match date {
        Some(date) if time_is_valid => Ok(Some(date.format("%Y-%m-%d").to_string())),
        _ => Err(format!(
            "invalid date {cell:?} in {location}: expected a date such as 2024-05-01 or \
             05/01/2024 (month first)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Location::Column;

    #[test]
    fn quantity_accepts_whole_numbers() {
        assert_eq!(parse_quantity("3", Column("Quantity")), Ok(3));
        assert_eq!(parse_quantity(" 0 ", Column("Quantity")), Ok(0));
        assert_eq!(
            parse_quantity("4294967295", Column("Quantity")),
            Ok(u32::MAX)
        );
    }

    #[test]
    fn quantity_rejects_other_text() {
        assert_eq!(
            parse_quantity("two", Column("Quantity")),
            Err(
                "invalid quantity \"two\" in column Quantity: expected a whole number of \
                 copies, 0 or more"
                    .to_owned()
            )
        );
        for cell in ["-1", "1.5", "+1", "1 000", "½"] {
            let error = parse_quantity(cell, Column("Qty")).unwrap_err();
            assert!(
                error.contains(&format!("{cell:?} in column Qty")),
                "{error}"
            );
        }
        let error = parse_quantity("4294967296", Column("Quantity")).unwrap_err();
        assert!(error.contains("too large"), "{error}");
        let error = parse_quantity(" ", Column("Quantity")).unwrap_err();
        assert_eq!(error, "missing quantity in column Quantity");
    }

    #[test]
    fn zero_quantity_needs_wishlist() {
        let mut record = EntryRecord::new();
        record.quantity = 0;
        assert!(check_quantity(&record, Column("Quantity")).is_err());
        record.wishlist = true;
        assert_eq!(check_quantity(&record, Column("Quantity")), Ok(()));
    }

    #[test]
    fn price_reads_common_forms() {
        let cases = [
            ("12.34", Some(1234)),
            ("1.5", Some(150)),
            ("12", Some(1200)),
            ("$1,234.56", Some(123_456)),
            ("$ 7.00", Some(700)),
            ("1,234,567", Some(123_456_700)),
            (".99", Some(99)),
            ("3.333", Some(333)),
            ("3.335", Some(334)),
            ("0.999", Some(100)),
            ("", None),
            ("  ", None),
        ];
        for (cell, expected) in cases {
            assert_eq!(
                parse_price_cents(cell, Column("Price")),
                Ok(expected),
                "{cell:?}"
            );
        }
    }

    #[test]
    fn price_rejects_other_text() {
        for cell in [
            "abc", "-1.00", "$-1", "1,5", "12,34", ",123", "1234,567", "1.2.3", "$", ".", "€5",
            "1e3",
        ] {
            let error = parse_price_cents(cell, Column("Average Cost Paid")).unwrap_err();
            assert!(
                error.starts_with(&format!(
                    "invalid price {cell:?} in column Average Cost Paid"
                )),
                "{error}"
            );
        }
        assert!(parse_price_cents("99999999999999999999", Column("Price")).is_err());
    }

    #[test]
    fn cents_format_with_two_decimals() {
        assert_eq!(format_cents(1234), "12.34");
        assert_eq!(format_cents(5), "0.05");
        assert_eq!(format_cents(0), "0.00");
        assert_eq!(format_cents(-105), "-1.05");
        assert_eq!(format_cents(i64::MIN), "-92233720368547758.08");
    }

    #[test]
    fn condition_reads_names_and_empty() {
        assert_eq!(
            parse_condition("Lightly Played", Column("Condition")),
            Ok(Condition::LightlyPlayed)
        );
        assert_eq!(
            parse_condition("mp", Column("Condition")),
            Ok(Condition::ModeratelyPlayed)
        );
        assert_eq!(
            parse_condition("", Column("Condition")),
            Ok(Condition::NearMint)
        );
        let error = parse_condition("Mint", Column("Card Condition")).unwrap_err();
        assert!(
            error.starts_with("invalid condition \"Mint\" in column Card Condition: expected"),
            "{error}"
        );
    }

    #[test]
    fn condition_strips_trailing_printing() {
        let cases = [
            ("Near Mint", Condition::NearMint, None),
            ("Near Mint Holofoil", Condition::NearMint, Some("Holofoil")),
            (
                "Lightly Played Reverse Holofoil",
                Condition::LightlyPlayed,
                Some("Reverse Holofoil"),
            ),
            (
                "damaged 1st Edition",
                Condition::Damaged,
                Some("1st Edition"),
            ),
            ("HP Foil", Condition::HeavilyPlayed, Some("Foil")),
        ];
        for (cell, condition, printing) in cases {
            assert_eq!(
                parse_condition_and_printing(cell, Column("Condition")),
                Ok((condition, printing.map(str::to_owned))),
                "{cell:?}"
            );
        }
        assert!(parse_condition_and_printing("Mint Holofoil", Column("Condition")).is_err());
        assert!(parse_condition_and_printing("Near Mintish", Column("Condition")).is_err());
    }

    #[test]
    fn flag_reads_yes_and_no_forms() {
        for cell in ["yes", "TRUE", "y", "1", " Yes "] {
            assert_eq!(parse_flag(cell, Column("Wishlist")), Ok(true), "{cell:?}");
        }
        for cell in ["no", "False", "n", "0", ""] {
            assert_eq!(parse_flag(cell, Column("Wishlist")), Ok(false), "{cell:?}");
        }
        let error = parse_flag("maybe", Column("Watchlist")).unwrap_err();
        assert!(
            error.starts_with("invalid value \"maybe\" in column Watchlist"),
            "{error}"
        );
    }

    #[test]
    fn date_keeps_iso_forms() {
        for cell in [
            "2024-05-01",
            "2026-12-04T15:52:07.123Z",
            "2024-05-01T10:00:00+02:00",
        ] {
            assert_eq!(
                parse_date(cell, Column("Date Added")),
                Ok(Some(cell.to_owned()))
            );
        }
        assert_eq!(parse_date(" ", Column("Date Added")), Ok(None));
    }

    #[test]
    fn date_normalises_other_forms() {
        let cases = [
            ("05/01/2024", "2024-05-01"),
            ("5/1/2024", "2024-05-01"),
            ("2024/05/01", "2024-05-01"),
            ("2024-05-01 13:45:10", "2024-05-01"),
            ("2024-05-01T13:45:10", "2024-05-01"),
            ("05/01/2024 1:45 PM", "2024-05-01"),
        ];
        for (cell, expected) in cases {
            assert_eq!(
                parse_date(cell, Column("Date Added")),
                Ok(Some(expected.to_owned())),
                "{cell:?}"
            );
        }
    }

    #[test]
    fn date_rejects_other_text() {
        for cell in [
            "yesterday",
            "25/12/2024",
            "2024-02-30",
            "05/01/24",
            "2024-05-01 noon",
        ] {
            let error = parse_date(cell, Column("Date Added")).unwrap_err();
            assert!(
                error.starts_with(&format!("invalid date {cell:?} in column Date Added")),
                "{error}"
            );
        }
    }
}
