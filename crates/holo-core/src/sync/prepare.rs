//! Turning raw API JSON into the rows a set's transaction writes. Pure functions: all parsing
//! and deriving happens here, on the fetch tasks, so the writer thread only writes.

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::api::model::{ApiCard, ApiSet, PriceBlock};
use crate::numbers::natural_sort_key;
use crate::time::api_date_to_iso;
use crate::variations::{Variation, variations_for};

/// A set ready to write: its columns and its API JSON.
#[derive(Debug, Clone)]
pub struct PreparedSet {
    pub set: ApiSet,
    pub data: String,
}

/// A card ready to write: its columns, stored JSON, variations and price snapshots.
#[derive(Debug, Clone)]
pub struct PreparedCard {
    pub id: String,
    pub name: String,
    pub number: String,
    pub number_sort: String,
    pub supertype: String,
    /// JSON array text.
    pub subtypes: String,
    pub rarity: Option<String>,
    pub image_small: Option<String>,
    pub image_large: Option<String>,
    /// The card's JSON without the embedded set and the price blocks.
    pub data: String,
    pub variations: Vec<Variation>,
    pub prices: Vec<PriceSnapshot>,
}

/// One source's prices for a card on one date.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceSnapshot {
    pub source: &'static str,
    /// `YYYY-MM-DD`.
    pub price_date: String,
    pub url: Option<String>,
    /// The block's `prices` object as JSON text.
    pub prices: String,
}

/// A card that could not be read, with its id when the JSON had one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardFailure {
    pub card_id: Option<String>,
    pub reason: String,
}

/// Parses one item of a `/sets` page.
pub fn prepare_set(raw: &RawValue) -> Result<PreparedSet, String> {
    let value: Value = serde_json::from_str(raw.get()).map_err(|error| error.to_string())?;
    let set = ApiSet::deserialize(&value).map_err(|error| describe_failure(&value, error))?;
    Ok(PreparedSet {
        set,
        data: value.to_string(),
    })
}

/// Parses one item of a `/cards` page. A failure keeps the card's id when there is one, so the
/// report can name the card.
pub fn prepare_card(raw: &RawValue) -> Result<PreparedCard, CardFailure> {
    let value: Value = serde_json::from_str(raw.get()).map_err(|error| CardFailure {
        card_id: None,
        reason: error.to_string(),
    })?;
    let card = ApiCard::deserialize(&value).map_err(|error| CardFailure {
        card_id: id_of(&value),
        reason: describe_failure(&value, error),
    })?;
    let Value::Object(mut object) = value else {
        unreachable!("ApiCard only deserialises from a JSON object");
    };

    let subtypes = card.subtypes.clone().unwrap_or_default();
    let variations = variations_for(&subtypes, card.rarity.as_deref(), &card.printings());
    let prices = [
        ("tcgplayer", &card.tcgplayer),
        ("cardmarket", &card.cardmarket),
    ]
    .into_iter()
    .filter_map(|(source, block)| price_snapshot(source, block.as_ref()?))
    .collect();

    Ok(PreparedCard {
        number_sort: natural_sort_key(&card.number),
        subtypes: serde_json::to_string(&subtypes).expect("a list of strings always serialises"),
        data: stored_card_json(&mut object),
        variations,
        prices,
        id: card.id,
        name: card.name,
        number: card.number,
        supertype: card.supertype,
        rarity: card.rarity,
        image_small: card.images.small,
        image_large: card.images.large,
    })
}

/// Returns the card's id as a string, if its JSON has one.
pub fn id_of(value: &Value) -> Option<String> {
    value.get("id")?.as_str().map(str::to_string)
}

/// Removes the parts stored elsewhere (the set in `sets`, prices in `price_snapshots`) and
/// serialises the rest.
fn stored_card_json(object: &mut Map<String, Value>) -> String {
    for moved in ["set", "tcgplayer", "cardmarket"] {
        object.remove(moved);
    }
    serde_json::to_string(object).expect("a JSON object always serialises")
}

/// A block without a date or without prices records nothing: there is no date to key it on.
pub(super) fn price_snapshot(source: &'static str, block: &PriceBlock) -> Option<PriceSnapshot> {
    let prices = block.prices.as_ref()?;
    Some(PriceSnapshot {
        source,
        price_date: api_date_to_iso(block.updated_at.as_deref()?),
        url: block.url.clone(),
        prices: serde_json::to_string(prices).expect("a JSON object always serialises"),
    })
}

fn describe_failure(value: &Value, error: serde_json::Error) -> String {
    if value.is_object() {
        error.to_string()
    } else {
        format!("expected a JSON object, found {}", kind_of(value))
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_string()).unwrap()
    }

    const CARD: &str = r#"{
        "id": "swsh4-25", "name": "Charizard", "supertype": "Pokémon", "subtypes": ["Stage 2"],
        "number": "25", "rarity": "Rare", "hp": "170",
        "images": {"small": "http://img/s.png", "large": "http://img/l.png"},
        "set": {"id": "swsh4", "name": "Vivid Voltage"},
        "futureField": {"kept": true},
        "tcgplayer": {"url": "http://p/t", "updatedAt": "2021/08/04",
            "prices": {"normal": {"market": 2.82}, "reverseHolofoil": {"market": 3.89}}},
        "cardmarket": {"url": "http://p/c", "updatedAt": "2021/08/05", "prices": {"trendPrice": 2.3}}
    }"#;

    #[test]
    fn card_columns_variations_and_prices() {
        let card = prepare_card(&raw(CARD)).unwrap();
        assert_eq!(card.id, "swsh4-25");
        assert_eq!(card.number_sort, natural_sort_key("25"));
        assert_eq!(card.subtypes, r#"["Stage 2"]"#);
        assert_eq!(card.image_large.as_deref(), Some("http://img/l.png"));
        let treatments: Vec<&str> = card
            .variations
            .iter()
            .map(|v| v.treatment.as_str())
            .collect();
        assert_eq!(treatments, ["Normal", "Reverse Holofoil"]);
        assert_eq!(card.prices.len(), 2);
        assert_eq!(card.prices[0].source, "tcgplayer");
        assert_eq!(card.prices[0].price_date, "2021-08-04");
        assert_eq!(card.prices[1].price_date, "2021-08-05");
    }

    #[test]
    fn stored_json_keeps_unknown_fields_and_drops_moved_ones() {
        let card = prepare_card(&raw(CARD)).unwrap();
        let stored: Value = serde_json::from_str(&card.data).unwrap();
        assert_eq!(stored["futureField"]["kept"], Value::Bool(true));
        assert!(stored.get("set").is_none());
        assert!(stored.get("tcgplayer").is_none());
        assert!(stored.get("cardmarket").is_none());
    }

    #[test]
    fn same_card_gives_same_stored_json() {
        let first = prepare_card(&raw(CARD)).unwrap();
        let second = prepare_card(&raw(CARD)).unwrap();
        assert_eq!(first.data, second.data);
    }

    #[test]
    fn wrong_field_type_fails_with_card_id() {
        let failure = prepare_card(&raw(r#"{"id": "x-1", "name": "X", "supertype": "Pokémon",
            "number": "1", "hp": 120}"#))
        .unwrap_err();
        assert_eq!(failure.card_id.as_deref(), Some("x-1"));
        assert!(
            failure.reason.contains("invalid type"),
            "{}",
            failure.reason
        );
    }

    #[test]
    fn missing_required_field_fails() {
        let failure = prepare_card(&raw(
            r#"{"id": "x-2", "supertype": "Pokémon", "number": "2"}"#,
        ))
        .unwrap_err();
        assert_eq!(failure.card_id.as_deref(), Some("x-2"));
        assert!(failure.reason.contains("name"), "{}", failure.reason);
    }

    #[test]
    fn non_object_card_fails_without_id() {
        let failure = prepare_card(&raw("42")).unwrap_err();
        assert_eq!(failure.card_id, None);
        assert!(failure.reason.contains("a number"), "{}", failure.reason);
    }

    #[test]
    fn price_block_without_date_is_skipped() {
        let card = prepare_card(&raw(r#"{"id": "x-3", "name": "X", "supertype": "Trainer",
            "number": "3", "tcgplayer": {"prices": {"normal": {"market": 1.0}}}}"#))
        .unwrap();
        assert!(card.prices.is_empty());
        assert_eq!(card.variations[0].printing.as_deref(), Some("normal"));
    }

    #[test]
    fn set_keeps_its_json() {
        let set = prepare_set(&raw(r#"{"id": "base1", "name": "Base", "series": "Base",
            "releaseDate": "1999/01/09", "legalities": {"unlimited": "Legal"}}"#))
        .unwrap();
        assert_eq!(set.set.id, "base1");
        assert!(set.data.contains("legalities"));
    }
}
