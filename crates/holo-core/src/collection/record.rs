//! The exchange shape of a collection entry, shared by the database side and the file formats.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The state of a copy, on the five-step scale most collection tools and shops use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Condition {
    #[serde(rename = "Near Mint")]
    NearMint,
    #[serde(rename = "Lightly Played")]
    LightlyPlayed,
    #[serde(rename = "Moderately Played")]
    ModeratelyPlayed,
    #[serde(rename = "Heavily Played")]
    HeavilyPlayed,
    #[serde(rename = "Damaged")]
    Damaged,
}

impl Condition {
    /// Every condition, best first.
    pub const ALL: [Condition; 5] = [
        Condition::NearMint,
        Condition::LightlyPlayed,
        Condition::ModeratelyPlayed,
        Condition::HeavilyPlayed,
        Condition::Damaged,
    ];

    /// Returns the name stored in the database and written to files (`Near Mint`).
    pub fn as_str(self) -> &'static str {
        match self {
            Condition::NearMint => "Near Mint",
            Condition::LightlyPlayed => "Lightly Played",
            Condition::ModeratelyPlayed => "Moderately Played",
            Condition::HeavilyPlayed => "Heavily Played",
            Condition::Damaged => "Damaged",
        }
    }

    /// Returns the usual abbreviation (`NM`).
    pub fn abbreviation(self) -> &'static str {
        match self {
            Condition::NearMint => "NM",
            Condition::LightlyPlayed => "LP",
            Condition::ModeratelyPlayed => "MP",
            Condition::HeavilyPlayed => "HP",
            Condition::Damaged => "DMG",
        }
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// The error for text that names no condition.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid condition {0:?}: expected Near Mint, Lightly Played, Moderately Played, \
     Heavily Played or Damaged (or NM, LP, MP, HP, DMG)"
)]
pub struct InvalidCondition(pub String);

impl FromStr for Condition {
    type Err = InvalidCondition;

    /// Parses a full name or an abbreviation, ignoring case, spaces, `-` and `_`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let folded: String = text
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_'))
            .flat_map(char::to_lowercase)
            .collect();
        Condition::ALL
            .into_iter()
            .find(|condition| {
                let name: String = condition
                    .as_str()
                    .chars()
                    .filter(|c| *c != ' ')
                    .flat_map(char::to_lowercase)
                    .collect();
                folded == name || folded == condition.abbreviation().to_lowercase()
            })
            .ok_or_else(|| InvalidCondition(text.to_owned()))
    }
}

/// One collection entry as a file carries it. Export fills every field it has data for. An import
/// fills what the file's format has and leaves the rest `None`, and the database side then
/// matches the card by `card_id`, else by set and number, else by set name and card name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryRecord {
    /// The API's card id (`swsh10-190`).
    pub card_id: Option<String>,
    /// The API's set id (`swsh10`).
    pub set_id: Option<String>,
    /// The set's name (`Astral Radiance`).
    pub set_name: Option<String>,
    /// The set's short code as printed on cards and used by TCGplayer (`ASR`, the API's
    /// `ptcgoCode`).
    pub set_code: Option<String>,
    /// The card's number as the file wrote it: `190`, or `190/189` in some tools' exports.
    pub number: Option<String>,
    pub card_name: Option<String>,
    pub rarity: Option<String>,
    /// Holo's variation key, when the file came from Holo.
    pub variation_type: Option<String>,
    pub treatment: Option<String>,
    /// The printing as price sites name it (`Normal`, `Holofoil`, `Reverse Holofoil`,
    /// `1st Edition Holofoil`): TCGplayer's `Printing`, Collectr's `Variance`.
    pub printing: Option<String>,
    /// Copies owned. Zero only for a row that is on the wishlist and not owned.
    pub quantity: u32,
    pub condition: Condition,
    pub grade_company: Option<String>,
    pub grade: Option<String>,
    pub language: String,
    /// The price paid for one copy, in cents of `purchase_currency`.
    pub purchase_price_cents: Option<i64>,
    /// ISO 4217 code (`USD`).
    pub purchase_currency: Option<String>,
    /// The market price of one copy in US cents, from the latest price snapshot. Export only.
    pub market_price_cents: Option<i64>,
    /// The date of that price (`2024-05-01`). Export only.
    pub market_price_date: Option<String>,
    /// When the entry was added, RFC 3339 UTC or a plain date.
    pub added_at: Option<String>,
    pub note: Option<String>,
    /// The variation is on the wishlist.
    pub wishlist: bool,
}

impl EntryRecord {
    /// Creates a record with only the fields every entry has: one Near Mint copy in English.
    pub fn new() -> Self {
        EntryRecord {
            card_id: None,
            set_id: None,
            set_name: None,
            set_code: None,
            number: None,
            card_name: None,
            rarity: None,
            variation_type: None,
            treatment: None,
            printing: None,
            quantity: 1,
            condition: Condition::NearMint,
            grade_company: None,
            grade: None,
            language: "English".to_owned(),
            purchase_price_cents: None,
            purchase_currency: None,
            market_price_cents: None,
            market_price_date: None,
            added_at: None,
            note: None,
            wishlist: false,
        }
    }
}

impl Default for EntryRecord {
    fn default() -> Self {
        Self::new()
    }
}

/// The file formats Holo reads. It writes all of them except Collectr's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum FileFormat {
    HoloCsv,
    HoloJson,
    TcgplayerCsv,
    CollectrCsv,
}

/// One data row of an imported file: its record, or why it could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRow {
    /// The row's line in the file, counting from 1, so a CSV header is line 1. For JSON, the
    /// line where the entry starts: Holo writes the document's opening on line 1 and one entry
    /// per line after it.
    pub line: usize,
    pub record: Result<EntryRecord, String>,
}

/// A whole imported file.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedFile {
    pub format: FileFormat,
    pub rows: Vec<ParsedRow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn condition_parses_names_and_abbreviations() {
        for condition in Condition::ALL {
            assert_eq!(condition.as_str().parse(), Ok(condition));
            assert_eq!(condition.abbreviation().parse(), Ok(condition));
        }
        assert_eq!("near-mint".parse(), Ok(Condition::NearMint));
        assert_eq!("lightly_played".parse(), Ok(Condition::LightlyPlayed));
        assert_eq!("dmg".parse(), Ok(Condition::Damaged));
    }

    #[test]
    fn condition_rejects_unknown_text() {
        let error = "Mint".parse::<Condition>().unwrap_err();
        assert!(error.to_string().contains("\"Mint\""), "{error}");
        assert!("".parse::<Condition>().is_err());
    }
}
