//! The parts of the API's set and card objects that Holo reads into columns. Everything else
//! stays in the stored JSON, so the types list only what the code uses.

use serde::Deserialize;
use serde_json::{Map, Value};

/// A set object, as `GET /v2/sets` returns it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiSet {
    pub id: String,
    pub name: String,
    pub series: String,
    pub printed_total: Option<i64>,
    pub total: Option<i64>,
    pub ptcgo_code: Option<String>,
    /// `YYYY/MM/DD`.
    pub release_date: String,
    /// `YYYY/MM/DD HH:MM:SS`.
    pub updated_at: Option<String>,
    #[serde(default)]
    pub images: SetImages,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct SetImages {
    pub symbol: Option<String>,
    pub logo: Option<String>,
}

/// A card object, as `GET /v2/cards` returns it. A field of the wrong type (an `hp` that is a
/// number, `subtypes` that is a string) fails the whole card, which the sync reports.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiCard {
    pub id: String,
    pub name: String,
    pub supertype: String,
    #[serde(default)]
    pub subtypes: Option<Vec<String>>,
    pub number: String,
    pub rarity: Option<String>,
    pub hp: Option<String>,
    pub types: Option<Vec<String>>,
    pub artist: Option<String>,
    #[serde(default)]
    pub images: CardImages,
    pub tcgplayer: Option<PriceBlock>,
    pub cardmarket: Option<PriceBlock>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CardImages {
    pub small: Option<String>,
    pub large: Option<String>,
}

/// A `tcgplayer` or `cardmarket` block: where the prices come from, their date and the prices.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PriceBlock {
    pub url: Option<String>,
    /// `YYYY/MM/DD`.
    pub updated_at: Option<String>,
    pub prices: Option<Map<String, Value>>,
}

impl ApiCard {
    /// The keys of `tcgplayer.prices`: the printings that exist of this card.
    pub fn printings(&self) -> Vec<&str> {
        self.tcgplayer
            .as_ref()
            .and_then(|block| block.prices.as_ref())
            .map(|prices| prices.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }
}
